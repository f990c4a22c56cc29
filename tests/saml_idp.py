"""A SAML 2.0 identity provider for tests that signs with its own RSA key.

Responses are built with lxml and signed with python-xmlsec (libxmlsec1), so the SP under test
runs its real signature checks against real signatures. Key pairs are generated once per test
session and cached by name.

Usage:

    idp = TestIdP(entity_id="https://idp.example.test/saml")
    idp_metadata_import(tenant=tenant, xml=idp.metadata_xml())
    saml_response = idp.response(tenant, email="ada@example.com", signing="assertion")
    client.post(acs_url, {"SAMLResponse": saml_response})

`response()` returns the base64 form that the HTTP-POST binding carries; `response_xml()` returns
the signed XML bytes for tests that alter a signed document. Keyword overrides change one field
each (issuer, audience, destination, recipient, times, algorithms, key info and so on), so attack
tests can build exactly the response they need.
"""

import base64
import copy
import functools
import secrets
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import xmlsec
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID
from lxml import etree

from accounts.models import Tenant
from sso.selectors import sp_urls

SAMLP_NS = "urn:oasis:names:tc:SAML:2.0:protocol"
SAML_NS = "urn:oasis:names:tc:SAML:2.0:assertion"
MD_NS = "urn:oasis:names:tc:SAML:2.0:metadata"
DS_NS = "http://www.w3.org/2000/09/xmldsig#"
NSMAP = {"samlp": SAMLP_NS, "saml": SAML_NS}
BINDING_HTTP_REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
BINDING_HTTP_POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
NAMEID_EMAIL = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
STATUS_SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success"
ATTRIBUTE_NAME_FORMAT_BASIC = "urn:oasis:names:tc:SAML:2.0:attrname-format:basic"

SIGNING_MODES = ("assertion", "response", "both", "none")

DEFAULT_ENTITY_ID = "https://idp.example.test/saml2/inone"
DEFAULT_SSO_URL = "https://idp.example.test/saml2/sso"
DEFAULT_SLO_URL = "https://idp.example.test/saml2/slo"


@dataclass(frozen=True)
class KeyPair:
    private_key_pem: bytes
    certificate_pem: bytes

    @property
    def certificate_base64(self) -> str:
        """Return the DER certificate in base64, as ds:X509Certificate carries it."""
        certificate = x509.load_pem_x509_certificate(self.certificate_pem)
        return base64.b64encode(certificate.public_bytes(serialization.Encoding.DER)).decode()


@functools.cache
def key_pair(name: str, *, days_valid: int = 3650) -> KeyPair:
    """Generate an RSA 2048 key and a self-signed certificate, once per name and test session."""
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{name}.example.test")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(private_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=days_valid))
        .sign(private_key, hashes.SHA256())
    )
    return KeyPair(
        private_key_pem=private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
        certificate_pem=certificate.public_bytes(serialization.Encoding.PEM),
    )


def saml_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_id() -> str:
    # XML IDs must not start with a digit.
    return "_" + secrets.token_hex(16)


def sign_element(
    element: etree._Element,
    keys: KeyPair,
    *,
    signature_algorithm: str = "rsa-sha256",
    digest_algorithm: str = "sha256",
    key_info_certificate: KeyPair | None | bool = True,
    transforms: Iterable[str] = ("enveloped", "exc-c14n"),
    reference_uri: str | None = None,
) -> etree._Element:
    """Sign `element` with an enveloped ds:Signature placed after its Issuer.

    key_info_certificate: True puts `keys`' certificate into KeyInfo, a KeyPair puts that pair's
    certificate there instead, and None or False leaves KeyInfo out.
    """
    element_id = element.get("ID")
    signature = xmlsec.template.create(
        element, xmlsec.Transform.EXCL_C14N, _TRANSFORMS[signature_algorithm], ns="ds"
    )
    issuer = element.find(f"{{{SAML_NS}}}Issuer")
    if issuer is not None:
        issuer.addnext(signature)
    else:
        element.insert(0, signature)
    reference = xmlsec.template.add_reference(
        signature,
        _TRANSFORMS[digest_algorithm],
        uri=reference_uri if reference_uri is not None else f"#{element_id}",
    )
    for transform in transforms:
        xmlsec.template.add_transform(reference, _TRANSFORMS[transform])
    if key_info_certificate:
        key_info = xmlsec.template.ensure_key_info(signature)
        xmlsec.template.add_x509_data(key_info)
        certificate_keys = keys if key_info_certificate is True else key_info_certificate
        _fill_certificate(signature, certificate_keys)

    context = xmlsec.SignatureContext()
    context.register_id(element, "ID")
    if signature_algorithm.startswith("hmac"):
        context.key = xmlsec.Key.from_binary_data(xmlsec.KeyData.HMAC, b"shared-secret-1234567890")
    else:
        context.key = xmlsec.Key.from_memory(keys.private_key_pem, xmlsec.KeyFormat.PEM)
    context.sign(signature)
    return signature


_TRANSFORMS = {
    "rsa-sha256": xmlsec.Transform.RSA_SHA256,
    "rsa-sha512": xmlsec.Transform.RSA_SHA512,
    "rsa-sha1": xmlsec.Transform.RSA_SHA1,
    "hmac-sha256": xmlsec.Transform.HMAC_SHA256,
    "sha256": xmlsec.Transform.SHA256,
    "sha512": xmlsec.Transform.SHA512,
    "sha1": xmlsec.Transform.SHA1,
    "enveloped": xmlsec.Transform.ENVELOPED,
    "exc-c14n": xmlsec.Transform.EXCL_C14N,
    "c14n": xmlsec.Transform.C14N,
    "xpath": xmlsec.Transform.XPATH,
    "xslt": xmlsec.Transform.XSLT,
}


def _fill_certificate(signature: etree._Element, keys: KeyPair) -> None:
    x509_data = signature.find(f".//{{{DS_NS}}}X509Data")
    certificate = etree.SubElement(x509_data, f"{{{DS_NS}}}X509Certificate")
    certificate.text = keys.certificate_base64


def encrypt_assertion(assertion: etree._Element, certificate_pem: bytes) -> etree._Element:
    """Replace the assertion with a saml:EncryptedAssertion for the holder of the certificate.

    The content is encrypted with a fresh AES-256-CBC key, itself encrypted with RSA-OAEP.
    """
    encrypted_data = xmlsec.template.encrypted_data_create(
        assertion, xmlsec.Transform.AES256, type=xmlsec.EncryptionType.ELEMENT, ns="xenc"
    )
    xmlsec.template.encrypted_data_ensure_cipher_value(encrypted_data)
    key_info = xmlsec.template.encrypted_data_ensure_key_info(encrypted_data, ns="ds")
    encrypted_key = xmlsec.template.add_encrypted_key(key_info, xmlsec.Transform.RSA_OAEP)
    xmlsec.template.encrypted_data_ensure_cipher_value(encrypted_key)

    manager = xmlsec.KeysManager()
    manager.add_key(xmlsec.Key.from_memory(certificate_pem, xmlsec.KeyFormat.CERT_PEM, None))
    context = xmlsec.EncryptionContext(manager)
    context.key = xmlsec.Key.generate(xmlsec.KeyData.AES, 256, xmlsec.KeyDataType.SESSION)

    # A standalone copy carries its own namespace declarations, so the decrypted XML parses
    # without the Response around it, as it does from real IdPs.
    standalone = copy.deepcopy(assertion)
    encrypted = context.encrypt_xml(encrypted_data, standalone)
    wrapper = etree.Element(f"{{{SAML_NS}}}EncryptedAssertion")
    assertion.getparent().replace(assertion, wrapper)
    wrapper.append(encrypted)
    return wrapper


class TestIdP:
    """An IdP with its own key; see the module docstring for the API."""

    __test__ = False  # not a pytest test class

    def __init__(
        self,
        entity_id: str = DEFAULT_ENTITY_ID,
        *,
        key_name: str = "test-idp",
        sso_url: str = DEFAULT_SSO_URL,
        slo_url: str = DEFAULT_SLO_URL,
    ) -> None:
        self.entity_id = entity_id
        self.keys = key_pair(key_name)
        self.sso_url = sso_url
        self.slo_url = slo_url

    # --- metadata -------------------------------------------------------------------------

    def metadata_xml(
        self,
        *,
        post_only: bool = False,
        extra_certificates: Iterable[KeyPair] = (),
        include_own_certificate: bool = True,
        want_authn_requests_signed: bool = False,
        include_slo: bool = True,
        valid_until: datetime | None = None,
    ) -> bytes:
        """Return IdP metadata XML: both SSO bindings, or HTTP-POST only as JumpCloud exports
        when "Declare Redirect Endpoint" is off."""
        md = f"{{{MD_NS}}}"
        root = etree.Element(md + "EntityDescriptor", nsmap={"md": MD_NS, "ds": DS_NS})
        root.set("entityID", self.entity_id)
        if valid_until is not None:
            root.set("validUntil", saml_time(valid_until))

        idp = etree.SubElement(root, md + "IDPSSODescriptor")
        idp.set("WantAuthnRequestsSigned", "true" if want_authn_requests_signed else "false")
        idp.set("protocolSupportEnumeration", SAMLP_NS)

        certificates = [self.keys] if include_own_certificate else []
        for keys in [*certificates, *extra_certificates]:
            descriptor = etree.SubElement(idp, md + "KeyDescriptor", use="signing")
            key_info = etree.SubElement(descriptor, f"{{{DS_NS}}}KeyInfo")
            x509_data = etree.SubElement(key_info, f"{{{DS_NS}}}X509Data")
            etree.SubElement(x509_data, f"{{{DS_NS}}}X509Certificate").text = (
                keys.certificate_base64
            )

        if include_slo:
            for binding in (BINDING_HTTP_REDIRECT, BINDING_HTTP_POST):
                etree.SubElement(
                    idp, md + "SingleLogoutService", Binding=binding, Location=self.slo_url
                )
        etree.SubElement(idp, md + "NameIDFormat").text = NAMEID_EMAIL

        bindings = [BINDING_HTTP_POST] if post_only else [BINDING_HTTP_REDIRECT, BINDING_HTTP_POST]
        for binding in bindings:
            etree.SubElement(
                idp, md + "SingleSignOnService", Binding=binding, Location=self.sso_url
            )
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")

    # --- responses ------------------------------------------------------------------------

    def response(self, tenant: Tenant, **options) -> str:
        """Return a signed SAMLResponse for the tenant's ACS, base64-encoded for HTTP-POST."""
        return base64.b64encode(self.response_xml(tenant, **options)).decode()

    def response_xml(
        self,
        tenant: Tenant,
        *,
        email: str = "ada@example.com",
        signing: str = "assertion",
        in_response_to: str | None = None,
        groups: Iterable[str] | None = None,
        group_attribute: str = "memberOf",
        attributes: dict[str, list[str]] | None = None,
        name_id: str | None = None,
        name_id_format: str = NAMEID_EMAIL,
        issuer: str | None = None,
        assertion_issuer: str | None = None,
        audience: str | list[str] | None = None,
        destination: str | None = None,
        recipient: str | None = None,
        issue_instant: datetime | None = None,
        not_before: datetime | None = None,
        not_on_or_after: datetime | None = None,
        subject_not_on_or_after: datetime | None = None,
        response_id: str | None = None,
        assertion_id: str | None = None,
        status_code: str = STATUS_SUCCESS,
        signature_algorithm: str = "rsa-sha256",
        digest_algorithm: str = "sha256",
        signing_keys: KeyPair | None = None,
        key_info_certificate: KeyPair | None | bool = True,
        transforms: Iterable[str] = ("enveloped", "exc-c14n"),
        reference_uri: str | None = None,
        session_index: str | None = None,
        before_signing: Callable[[etree._Element], None] | None = None,
        encrypt_for: bytes | None = None,
    ) -> bytes:
        """Build and sign a Response; every keyword beyond the first few overrides one field.

        Defaults give a response that the tenant's ACS accepts: Destination, Recipient and
        Audience from the tenant's SP URLs, valid for five minutes from now.
        """
        if signing not in SIGNING_MODES:
            raise ValueError(f"signing must be one of {SIGNING_MODES}, not {signing!r}")
        urls = sp_urls(tenant)
        now = datetime.now(UTC)
        acs_url = urls["acs_url"]
        audiences = audience if isinstance(audience, list) else [audience or urls["entity_id"]]

        response = etree.Element(f"{{{SAMLP_NS}}}Response", nsmap=NSMAP)
        response.set("ID", response_id or new_id())
        response.set("Version", "2.0")
        response.set("IssueInstant", saml_time(issue_instant or now))
        response.set("Destination", destination if destination is not None else acs_url)
        if in_response_to:
            response.set("InResponseTo", in_response_to)
        etree.SubElement(response, f"{{{SAML_NS}}}Issuer").text = issuer or self.entity_id
        status = etree.SubElement(response, f"{{{SAMLP_NS}}}Status")
        etree.SubElement(status, f"{{{SAMLP_NS}}}StatusCode", Value=status_code)

        assertion = etree.SubElement(response, f"{{{SAML_NS}}}Assertion")
        assertion.set("ID", assertion_id or new_id())
        assertion.set("Version", "2.0")
        assertion.set("IssueInstant", saml_time(issue_instant or now))
        etree.SubElement(assertion, f"{{{SAML_NS}}}Issuer").text = (
            assertion_issuer or issuer or self.entity_id
        )
        self._subject(
            assertion,
            name_id=name_id if name_id is not None else email,
            name_id_format=name_id_format,
            recipient=recipient if recipient is not None else acs_url,
            in_response_to=in_response_to,
            not_on_or_after=(
                subject_not_on_or_after or not_on_or_after or now + timedelta(minutes=5)
            ),
        )
        conditions = etree.SubElement(assertion, f"{{{SAML_NS}}}Conditions")
        conditions.set("NotBefore", saml_time(not_before or now - timedelta(seconds=30)))
        conditions.set("NotOnOrAfter", saml_time(not_on_or_after or now + timedelta(minutes=5)))
        restriction = etree.SubElement(conditions, f"{{{SAML_NS}}}AudienceRestriction")
        for value in audiences:
            etree.SubElement(restriction, f"{{{SAML_NS}}}Audience").text = value
        self._authn_statement(assertion, now, session_index or new_id())
        self._attributes(assertion, email, groups, group_attribute, attributes)

        if before_signing is not None:
            before_signing(response)
        options = {
            "signature_algorithm": signature_algorithm,
            "digest_algorithm": digest_algorithm,
            "key_info_certificate": key_info_certificate,
            "transforms": transforms,
            "reference_uri": reference_uri,
        }
        keys = signing_keys or self.keys
        # The assertion is signed first, so a Response signature covers the signed assertion.
        if signing in ("assertion", "both"):
            sign_element(assertion, keys, **options)
        if encrypt_for is not None:
            encrypt_assertion(assertion, encrypt_for)
        if signing in ("response", "both"):
            sign_element(response, keys, **options)
        return etree.tostring(response, xml_declaration=True, encoding="UTF-8")

    def _subject(
        self,
        assertion: etree._Element,
        *,
        name_id: str,
        name_id_format: str,
        recipient: str,
        in_response_to: str | None,
        not_on_or_after: datetime,
    ) -> None:
        subject = etree.SubElement(assertion, f"{{{SAML_NS}}}Subject")
        name = etree.SubElement(subject, f"{{{SAML_NS}}}NameID", Format=name_id_format)
        name.text = name_id
        confirmation = etree.SubElement(
            subject,
            f"{{{SAML_NS}}}SubjectConfirmation",
            Method="urn:oasis:names:tc:SAML:2.0:cm:bearer",
        )
        data = etree.SubElement(confirmation, f"{{{SAML_NS}}}SubjectConfirmationData")
        data.set("NotOnOrAfter", saml_time(not_on_or_after))
        data.set("Recipient", recipient)
        if in_response_to:
            data.set("InResponseTo", in_response_to)

    def _authn_statement(self, assertion: etree._Element, now: datetime, index: str) -> None:
        statement = etree.SubElement(assertion, f"{{{SAML_NS}}}AuthnStatement")
        statement.set("AuthnInstant", saml_time(now))
        statement.set("SessionIndex", index)
        context = etree.SubElement(statement, f"{{{SAML_NS}}}AuthnContext")
        etree.SubElement(context, f"{{{SAML_NS}}}AuthnContextClassRef").text = (
            "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
        )

    def _attributes(
        self,
        assertion: etree._Element,
        email: str,
        groups: Iterable[str] | None,
        group_attribute: str,
        extra: dict[str, list[str]] | None,
    ) -> None:
        values: dict[str, list[str]] = {"email": [email]}
        if groups is not None:
            values[group_attribute] = list(groups)
        values.update(extra or {})
        statement = etree.SubElement(assertion, f"{{{SAML_NS}}}AttributeStatement")
        for name, items in values.items():
            attribute = etree.SubElement(
                statement,
                f"{{{SAML_NS}}}Attribute",
                Name=name,
                NameFormat=ATTRIBUTE_NAME_FORMAT_BASIC,
            )
            for item in items:
                value = etree.SubElement(attribute, f"{{{SAML_NS}}}AttributeValue")
                value.text = item

    # --- Single Logout ---------------------------------------------------------------------

    def logout_request(
        self,
        tenant: Tenant,
        *,
        email: str,
        binding: str = "redirect",
        signed: bool = True,
        relay_state: str = "",
        issuer: str | None = None,
    ) -> dict[str, str]:
        """Return the parameters of an IdP-initiated LogoutRequest for the tenant's SLO URL.

        With binding="redirect" the request is deflated and the query string is signed
        (SigAlg, Signature). With binding="post" the XML carries an enveloped signature.
        """
        request = etree.Element(f"{{{SAMLP_NS}}}LogoutRequest", nsmap=NSMAP)
        request.set("ID", new_id())
        request.set("Version", "2.0")
        request.set("IssueInstant", saml_time(datetime.now(UTC)))
        request.set("Destination", sp_urls(tenant)["slo_url"])
        etree.SubElement(request, f"{{{SAML_NS}}}Issuer").text = issuer or self.entity_id
        name_id = etree.SubElement(request, f"{{{SAML_NS}}}NameID", Format=NAMEID_EMAIL)
        name_id.text = email

        if binding == "post":
            if signed:
                sign_element(request, self.keys)
            params = {"SAMLRequest": base64.b64encode(etree.tostring(request)).decode()}
            if relay_state:
                params["RelayState"] = relay_state
            return params

        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        deflated = compressor.compress(etree.tostring(request)) + compressor.flush()
        params = {"SAMLRequest": base64.b64encode(deflated).decode()}
        if relay_state:
            params["RelayState"] = relay_state
        if signed:
            params["SigAlg"] = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
            signed_part = "&".join(urlencode({name: params[name]}) for name in params)
            params["Signature"] = self._sign_bytes(signed_part.encode("ascii"))
        return params

    def _sign_bytes(self, data: bytes) -> str:
        private_key = serialization.load_pem_private_key(self.keys.private_key_pem, password=None)
        signature = private_key.sign(data, padding.PKCS1v15(), hashes.SHA256())
        return base64.b64encode(signature).decode()

    # --- requests the SP sends ------------------------------------------------------------

    @staticmethod
    def authn_request_from_redirect(location: str) -> etree._Element:
        """Decode the AuthnRequest of an HTTP-Redirect binding URL (deflate, then base64)."""
        query = parse_qs(urlsplit(location).query)
        deflated = base64.b64decode(query["SAMLRequest"][0])
        return etree.fromstring(zlib.decompress(deflated, -15))

    @staticmethod
    def saml_message_from_redirect(location: str, parameter: str = "SAMLRequest") -> etree._Element:
        """Decode a SAMLRequest or SAMLResponse carried in an HTTP-Redirect binding URL."""
        query = parse_qs(urlsplit(location).query)
        return etree.fromstring(zlib.decompress(base64.b64decode(query[parameter][0]), -15))

    @staticmethod
    def relay_state_from_redirect(location: str) -> str:
        return parse_qs(urlsplit(location).query).get("RelayState", [""])[0]

    @staticmethod
    def authn_request_from_post(saml_request: str) -> etree._Element:
        return etree.fromstring(base64.b64decode(saml_request))
