"""Writes of the SAML service provider: IdP metadata import and tenant SAML settings."""

import logging

from django.db import transaction
from django.utils import timezone
from saml2.attribute_converter import ac_factory
from saml2.mdstore import InMemoryMetaData, TooOld

from accounts.models import Tenant
from sso.config import sp_config_drop
from sso.metadata_import import IdpMetadataSummary, InvalidMetadata, metadata_parse
from sso.models import IdpSigningCertificate, SamlConfiguration

logger = logging.getLogger("inone.sso")

__all__ = [
    "IdpMetadataSummary",
    "InvalidMetadata",
    "idp_metadata_check",
    "idp_metadata_import",
    "saml_configuration_ensure",
]


def saml_configuration_ensure(tenant: Tenant) -> SamlConfiguration:
    """Return the tenant's SAML configuration, creating it with the defaults on first use."""
    configuration, _ = SamlConfiguration.objects.select_related("tenant").get_or_create(
        tenant=tenant
    )
    return configuration


def idp_metadata_check(xml: bytes) -> IdpMetadataSummary:
    """Validate IdP metadata without storing it; raise InvalidMetadata with the reason."""
    summary = metadata_parse(xml)
    _check_pysaml2_loads(xml, summary.entity_id)
    return summary


@transaction.atomic
def idp_metadata_import(*, tenant: Tenant, xml: bytes) -> IdpMetadataSummary:
    """Validate IdP metadata and make it the tenant's trusted IdP, replacing the previous one."""
    summary = idp_metadata_check(xml)
    configuration, _ = SamlConfiguration.objects.select_for_update().get_or_create(tenant=tenant)
    configuration.idp_metadata_xml = xml.decode("utf-8")
    configuration.idp_entity_id = summary.entity_id
    configuration.idp_sso_services = [endpoint.as_dict() for endpoint in summary.sso_services]
    configuration.idp_slo_services = [endpoint.as_dict() for endpoint in summary.slo_services]
    configuration.idp_wants_authn_requests_signed = summary.wants_authn_requests_signed
    configuration.metadata_refresh_error = ""
    if configuration.metadata_url:
        configuration.metadata_refreshed_at = timezone.now()
    configuration.save()

    configuration.certificates.all().delete()
    IdpSigningCertificate.objects.bulk_create(
        IdpSigningCertificate(
            configuration=configuration,
            certificate_pem=certificate.pem,
            sha256_fingerprint=certificate.sha256_fingerprint,
            subject=certificate.subject,
            not_valid_before=certificate.not_valid_before,
            not_valid_after=certificate.not_valid_after,
        )
        for certificate in summary.certificates
    )
    transaction.on_commit(lambda: sp_config_drop(tenant.pk))
    logger.info(
        "sso.idp-metadata.imported",
        extra={
            "tenant": tenant.hash,
            "idp_entity_id": summary.entity_id,
            "certificates": len(summary.certificates),
        },
    )
    return summary


def _check_pysaml2_loads(xml: bytes, entity_id: str) -> None:
    """Load the metadata the way the SP configuration will, so a file pysaml2 rejects never
    becomes a tenant's configuration and breaks sign-in later."""
    try:
        xml_text = xml.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidMetadata("The metadata file is not UTF-8 encoded text.") from None
    store = InMemoryMetaData(ac_factory(), metadata=xml_text)
    try:
        store.load()
    except TooOld:
        raise InvalidMetadata(_EXPIRED) from None
    except Exception as error:  # noqa: BLE001 - pysaml2 raises many unrelated types here
        logger.info("sso.idp-metadata.schema-invalid", extra={"error": type(error).__name__})
        raise InvalidMetadata(
            "The metadata does not follow the SAML 2.0 metadata schema "
            f"({type(error).__name__}). Export it again from the IdP."
        ) from None
    # pysaml2 skips, with only a log line, an EntityDescriptor whose validUntil has passed.
    if entity_id not in store.entity:
        raise InvalidMetadata(_EXPIRED)


_EXPIRED = "The metadata's validUntil date has passed. Export current metadata from the IdP."
