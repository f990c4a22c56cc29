"""Read-only queries of the SAML service provider, for other apps and the sso views."""

from typing import TypedDict

from django.conf import settings
from django.urls import reverse

from accounts.models import Tenant
from sso.models import SamlConfiguration


class SpUrls(TypedDict):
    entity_id: str
    metadata_url: str
    acs_url: str
    login_url: str
    slo_url: str


def sp_urls(tenant: Tenant) -> SpUrls:
    """Return the tenant's SP URLs, absolute and built from INONE_BASE_URL.

    The Host header is never used, so the URLs are right behind a TLS-terminating proxy. The
    entity ID is the metadata URL, as the JumpCloud setup guide prints it.
    """
    base = settings.INONE_BASE_URL.rstrip("/")

    def absolute(name: str) -> str:
        return base + reverse(f"sso:{name}", kwargs={"tenant_hash": tenant.hash})

    metadata_url = absolute("metadata")
    return {
        "entity_id": metadata_url,
        "metadata_url": metadata_url,
        "acs_url": absolute("acs"),
        "login_url": absolute("login"),
        "slo_url": absolute("slo"),
    }


def saml_configuration_get(tenant: Tenant) -> SamlConfiguration | None:
    return (
        SamlConfiguration.objects.select_related("tenant")
        .filter(tenant=tenant)
        .first()
    )
