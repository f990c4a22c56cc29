"""Validate IdP metadata XML and summarise what a tenant would trust.

Uploads come from tenant admins and operators, so every rejection states what is wrong with the
file and what to export instead. Parsing goes through defusedxml, which rejects DOCTYPE and
entity declarations before any entity could be expanded.
"""

import base64
import binascii
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element, ParseError

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

MD_NS = "urn:oasis:names:tc:SAML:2.0:metadata"
DS_NS = "http://www.w3.org/2000/09/xmldsig#"
SAML2_PROTOCOL = "urn:oasis:names:tc:SAML:2.0:protocol"
BINDING_HTTP_REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
BINDING_HTTP_POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
BROWSER_BINDINGS = (BINDING_HTTP_REDIRECT, BINDING_HTTP_POST)

# IdP metadata with a few certificates is 2 to 20 KiB; federation aggregates are not accepted.
MAX_METADATA_BYTES = 512 * 1024


class InvalidMetadata(Exception):
    """The IdP metadata cannot be used; str(error) is a message for the operator."""


@dataclass(frozen=True)
class Endpoint:
    binding: str
    location: str

    def as_dict(self) -> dict[str, str]:
        return {"binding": self.binding, "location": self.location}


@dataclass(frozen=True)
class CertificateSummary:
    subject: str
    sha256_fingerprint: str
    not_valid_before: datetime
    not_valid_after: datetime
    pem: str

    @property
    def expired(self) -> bool:
        return self.not_valid_after <= datetime.now(UTC)


@dataclass(frozen=True)
class IdpMetadataSummary:
    entity_id: str
    sso_services: list[Endpoint]
    slo_services: list[Endpoint]
    certificates: list[CertificateSummary]
    wants_authn_requests_signed: bool


def metadata_parse(xml: bytes) -> IdpMetadataSummary:
    """Parse IdP metadata and raise InvalidMetadata with an operator-actionable reason."""
    if len(xml) > MAX_METADATA_BYTES:
        raise InvalidMetadata(
            f"The metadata file is {len(xml)} bytes, more than the {MAX_METADATA_BYTES} allowed. "
            "Upload the metadata of this one application, not a federation aggregate."
        )
    root = _parse_xml(xml)
    entity = _single_entity_descriptor(root)
    entity_id = (entity.get("entityID") or "").strip()
    if not entity_id:
        raise InvalidMetadata("The EntityDescriptor has no entityID attribute.")

    idp = entity.find(f"{{{MD_NS}}}IDPSSODescriptor")
    if idp is None:
        raise InvalidMetadata(
            f"The entity {entity_id!r} has no IDPSSODescriptor, so it is not identity provider "
            "metadata. Export the metadata of the IdP application (in JumpCloud: SSO tab, "
            "Export Metadata)."
        )
    if SAML2_PROTOCOL not in (idp.get("protocolSupportEnumeration") or "").split():
        raise InvalidMetadata(
            f"The IDPSSODescriptor does not list the SAML 2.0 protocol ({SAML2_PROTOCOL}) in "
            "protocolSupportEnumeration."
        )

    sso_services = _endpoints(idp, "SingleSignOnService")
    if not sso_services:
        raise InvalidMetadata(
            "The metadata has no SingleSignOnService with the HTTP-Redirect or HTTP-POST binding, "
            "so there is nowhere to send users to sign in."
        )
    certificates = _signing_certificates(idp)
    if not certificates:
        raise InvalidMetadata(
            "The metadata contains no signing certificate (a KeyDescriptor with use=\"signing\" "
            "or without use, holding an X509Certificate), so no response could be verified."
        )
    return IdpMetadataSummary(
        entity_id=entity_id,
        sso_services=sso_services,
        slo_services=_endpoints(idp, "SingleLogoutService"),
        certificates=certificates,
        wants_authn_requests_signed=idp.get("WantAuthnRequestsSigned") in ("true", "1"),
    )


def _parse_xml(xml: bytes) -> Element:
    try:
        return fromstring(xml, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise InvalidMetadata(
            "The file contains a DOCTYPE or entity declaration, which SAML metadata never needs "
            "and which is rejected for safety. Export the metadata again from the IdP."
        ) from None
    except ParseError as error:
        line, column = error.position
        raise InvalidMetadata(
            f"The file is not well-formed XML (line {line}, column {column}). "
            "Upload the metadata XML file exactly as the IdP exported it."
        ) from None


def _single_entity_descriptor(root: Element) -> Element:
    if root.tag == f"{{{MD_NS}}}EntityDescriptor":
        return root
    if root.tag == f"{{{MD_NS}}}EntitiesDescriptor":
        # The whole file is what pysaml2 loads and trusts, so an aggregate may hold no entity
        # besides the IdP: another entity's keys would be trusted too.
        entities = list(root.iter(f"{{{MD_NS}}}EntityDescriptor"))
        if len(entities) == 1:
            return entities[0]
        raise InvalidMetadata(
            f"The EntitiesDescriptor contains {len(entities)} entities; upload the metadata of "
            "exactly one identity provider."
        )
    raise InvalidMetadata(
        f"The root element is {root.tag!r}, not a SAML 2.0 metadata EntityDescriptor "
        f"({MD_NS}). Upload the IdP's SAML metadata XML file."
    )


def _endpoints(idp: Element, tag: str) -> list[Endpoint]:
    endpoints = []
    for element in idp.findall(f"{{{MD_NS}}}{tag}"):
        binding = element.get("Binding") or ""
        location = (element.get("Location") or "").strip()
        if binding not in BROWSER_BINDINGS:
            continue
        if urlsplit(location).scheme not in ("https", "http") or not urlsplit(location).netloc:
            raise InvalidMetadata(f"The {tag} Location {location!r} is not an absolute URL.")
        endpoints.append(Endpoint(binding=binding, location=location))
    return endpoints


def _signing_certificates(idp: Element) -> list[CertificateSummary]:
    certificates: list[CertificateSummary] = []
    seen: set[str] = set()
    for key_descriptor in idp.findall(f"{{{MD_NS}}}KeyDescriptor"):
        if key_descriptor.get("use") not in (None, "signing"):
            continue
        for node in key_descriptor.iter(f"{{{DS_NS}}}X509Certificate"):
            certificate = certificate_summary(node.text or "")
            if certificate.sha256_fingerprint not in seen:
                seen.add(certificate.sha256_fingerprint)
                certificates.append(certificate)
    return certificates


def certificate_summary(base64_der: str) -> CertificateSummary:
    """Load a base64 DER certificate as found in ds:X509Certificate."""
    try:
        der = base64.b64decode("".join(base64_der.split()), validate=True)
        certificate = x509.load_der_x509_certificate(der)
    except (binascii.Error, ValueError):
        raise InvalidMetadata(
            "An X509Certificate in the metadata is not a valid base64 DER certificate."
        ) from None
    digest = certificate.fingerprint(hashes.SHA256()).hex().upper()
    return CertificateSummary(
        subject=certificate.subject.rfc4514_string(),
        sha256_fingerprint=":".join(digest[i : i + 2] for i in range(0, len(digest), 2)),
        not_valid_before=certificate.not_valid_before_utc,
        not_valid_after=certificate.not_valid_after_utc,
        pem=certificate.public_bytes(serialization.Encoding.PEM).decode(),
    )

