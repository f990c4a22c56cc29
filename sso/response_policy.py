"""Checks on a SAMLResponse before pysaml2 verifies it.

pysaml2 and xmlsec1 verify signatures, times, audience and destination. These checks add what
they leave open, on the raw document and before any signature is trusted:

- the size limit, strict base64 and the ban on DOCTYPE and entity declarations;
- one assertion only, as a direct child of the Response, and unique ID attributes, so a second
  (unsigned or wrapped) assertion cannot be the one read after another one's signature verified;
- signatures only on the Response or the Assertion, each with one same-document reference to
  its parent's ID, allow-listed transforms and canonicalization, and RSA with SHA-256 or
  stronger (SHA-1 only where the tenant allows it).

An EncryptedAssertion is checked here as a whole first. After pysaml2 has decrypted it,
decrypted_response_check applies the same checks to the decrypted document.
"""

import base64
import binascii
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from sso.errors import SsoBadRequest, SsoRejected

SAMLP_NS = "urn:oasis:names:tc:SAML:2.0:protocol"
SAML_NS = "urn:oasis:names:tc:SAML:2.0:assertion"
DS_NS = "http://www.w3.org/2000/09/xmldsig#"

# The base64 form of a response with a few certificates and a long group list stays well under
# 100 KiB; 256 KiB keeps XML parsing and signature checks bounded.
MAX_SAML_RESPONSE_CHARS = 256 * 1024

SIGNATURE_METHODS_STRONG = frozenset(
    {
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
    }
)
SIGNATURE_METHOD_SHA1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
DIGEST_METHODS_STRONG = frozenset(
    {
        "http://www.w3.org/2001/04/xmlenc#sha256",
        "http://www.w3.org/2001/04/xmldsig-more#sha384",
        "http://www.w3.org/2001/04/xmlenc#sha512",
    }
)
DIGEST_METHOD_SHA1 = "http://www.w3.org/2000/09/xmldsig#sha1"
EXCLUSIVE_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
ALLOWED_TRANSFORMS = frozenset(
    {"http://www.w3.org/2000/09/xmldsig#enveloped-signature", EXCLUSIVE_C14N}
)
ALLOWED_CANONICALIZATIONS = frozenset(
    {
        EXCLUSIVE_C14N,
        "http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
        "http://www.w3.org/2006/12/xml-c14n11",
    }
)


SIGNABLE_ELEMENTS = frozenset(
    {
        f"{{{SAMLP_NS}}}Response",
        f"{{{SAML_NS}}}Assertion",
        f"{{{SAMLP_NS}}}LogoutRequest",
    }
)


def saml_response_decode(value: str | None) -> bytes:
    """Decode the SAMLResponse form field; raise SsoBadRequest when it is missing or malformed."""
    if not value:
        raise SsoBadRequest("The request has no SAMLResponse parameter.")
    if len(value) > MAX_SAML_RESPONSE_CHARS:
        raise SsoBadRequest(
            f"The SAMLResponse is {len(value)} characters, more than the "
            f"{MAX_SAML_RESPONSE_CHARS} allowed."
        )
    try:
        return base64.b64decode("".join(value.split()), validate=True)
    except (binascii.Error, ValueError):
        raise SsoBadRequest("The SAMLResponse is not valid base64.") from None


def saml_response_check(xml: bytes, *, allow_sha1: bool) -> Element:
    """Parse the decoded response and raise SsoRejected on any structure the SP never accepts."""
    root = saml_message_check(
        xml, expected_root=f"{{{SAMLP_NS}}}Response", allow_sha1=allow_sha1
    )
    _check_single_assertion(root)
    return root


def decrypted_response_check(xml: str | bytes, *, allow_sha1: bool) -> None:
    """Check the response as pysaml2 decrypted it: one assertion, inside the EncryptedAssertion.

    The encrypted content is opaque to saml_response_check, and anyone can encrypt to the SP's
    public certificate, so the signature and wrapping checks run again on the decrypted XML.
    """
    if isinstance(xml, str):
        xml = xml.encode("utf-8")
    root = saml_message_check(xml, expected_root=f"{{{SAMLP_NS}}}Response", allow_sha1=allow_sha1)
    assertions = list(root.iter(f"{{{SAML_NS}}}Assertion"))
    if len(assertions) != 1:
        raise SsoRejected(
            f"The decrypted response contains {len(assertions)} assertions; exactly one is "
            "accepted."
        )
    parent = _parent_of(root, assertions[0])
    wrapper_ok = (
        parent is not None
        and parent.tag == f"{{{SAML_NS}}}EncryptedAssertion"
        and parent in list(root)
    )
    if parent is not root and not wrapper_ok:
        raise SsoRejected("The decrypted assertion is not where the EncryptedAssertion was.")


def saml_message_check(xml: bytes, *, expected_root: str, allow_sha1: bool) -> Element:
    """Parse a decoded SAML message and check its IDs and the shape of its signatures."""
    root = _parse(xml)
    if root.tag != expected_root:
        raise SsoBadRequest(f"The SAML message root element is {root.tag!r}, not {expected_root}.")
    _check_unique_ids(root)
    for signature in root.iter(f"{{{DS_NS}}}Signature"):
        _check_signature(root, signature, allow_sha1=allow_sha1)
    return root


def _parse(xml: bytes) -> Element:
    try:
        return fromstring(xml, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise SsoRejected("The SAMLResponse contains a DOCTYPE or entity declaration.") from None
    except ParseError:
        raise SsoBadRequest("The SAMLResponse is not well-formed XML.") from None


def _check_unique_ids(root: Element) -> None:
    seen: set[str] = set()
    for element in root.iter():
        element_id = element.get("ID")
        if element_id is None:
            continue
        if element_id in seen:
            raise SsoRejected(f"The ID {element_id!r} occurs more than once (signature wrapping).")
        seen.add(element_id)


def _check_single_assertion(root: Element) -> None:
    assertions = list(root.iter(f"{{{SAML_NS}}}Assertion"))
    encrypted = list(root.iter(f"{{{SAML_NS}}}EncryptedAssertion"))
    if len(assertions) + len(encrypted) != 1:
        raise SsoRejected(
            f"The response contains {len(assertions)} assertions and {len(encrypted)} encrypted "
            "assertions; exactly one is accepted."
        )
    only = (assertions or encrypted)[0]
    if only not in list(root):
        raise SsoRejected("The assertion is not a direct child of the Response (wrapped).")


def _check_signature(root: Element, signature: Element, *, allow_sha1: bool) -> None:
    parent = _parent_of(root, signature)
    if parent is None or parent.tag not in SIGNABLE_ELEMENTS:
        raise SsoRejected("A signature sits outside the Response and the Assertion.")

    signed_info = signature.find(f"{{{DS_NS}}}SignedInfo")
    if signed_info is None:
        raise SsoRejected("A signature has no SignedInfo.")
    canonicalization = _algorithm(signed_info, "CanonicalizationMethod")
    if canonicalization not in ALLOWED_CANONICALIZATIONS:
        raise SsoRejected(f"Canonicalization {canonicalization!r} is not allowed.")
    method = _algorithm(signed_info, "SignatureMethod")
    if method not in SIGNATURE_METHODS_STRONG and not (
        allow_sha1 and method == SIGNATURE_METHOD_SHA1
    ):
        raise SsoRejected(f"Signature algorithm {method!r} is not allowed.")

    references = signed_info.findall(f"{{{DS_NS}}}Reference")
    if len(references) != 1:
        raise SsoRejected(f"A signature has {len(references)} references; exactly one is allowed.")
    reference = references[0]
    if reference.get("URI") != f"#{parent.get('ID')}":
        raise SsoRejected("A signature Reference does not point at the element that contains it.")
    for transform in reference.iter(f"{{{DS_NS}}}Transform"):
        if transform.get("Algorithm") not in ALLOWED_TRANSFORMS:
            raise SsoRejected(f"Transform {transform.get('Algorithm')!r} is not allowed.")
    digest = _algorithm(reference, "DigestMethod")
    if digest not in DIGEST_METHODS_STRONG and not (allow_sha1 and digest == DIGEST_METHOD_SHA1):
        raise SsoRejected(f"Digest algorithm {digest!r} is not allowed.")


def _algorithm(parent: Element, tag: str) -> str | None:
    element = parent.find(f"{{{DS_NS}}}{tag}")
    return element.get("Algorithm") if element is not None else None


def _parent_of(root: Element, child: Element) -> Element | None:
    for candidate in root.iter():
        if child in list(candidate):
            return candidate
    return None
