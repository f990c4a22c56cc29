"""The SP metadata document of a tenant, the values its IdP is configured with."""

from saml2.extension.algsupport import DigestMethod, SigningMethod
from saml2.metadata import entity_descriptor

from sso.config import sp_config
from sso.models import SamlConfiguration
from sso.response_policy import DIGEST_METHODS_STRONG, SIGNATURE_METHODS_STRONG


def sp_metadata_xml(configuration: SamlConfiguration) -> str:
    """Return the SP metadata XML: entity ID, ACS, SLO, NameID format and published keys.

    Works before the IdP metadata is uploaded, because the tenant admin needs these values to
    set the IdP up first.
    """
    descriptor = entity_descriptor(sp_config(configuration))
    _advertise_accepted_algorithms(descriptor)
    return descriptor.to_string().decode("utf-8")


def _advertise_accepted_algorithms(descriptor) -> None:
    """Replace pysaml2's algorithm list with the algorithms this SP accepts.

    pysaml2 7.5 lists everything the installed xmlsec1 supports, MD5 and SHA-1 included, which
    invites an IdP to sign with an algorithm the ACS then rejects. A tenant that allows SHA-1
    still gets SHA-256 advertised, because SHA-1 is only tolerated there.
    """
    extensions = descriptor.extensions
    if extensions is None:
        return
    extensions.extension_elements = [
        element
        for element in extensions.extension_elements
        if element.tag not in (DigestMethod.c_tag, SigningMethod.c_tag)
    ]
    for algorithm in sorted(DIGEST_METHODS_STRONG):
        extensions.add_extension_element(DigestMethod(algorithm=algorithm))
    for algorithm in sorted(SIGNATURE_METHODS_STRONG):
        extensions.add_extension_element(SigningMethod(algorithm=algorithm))
