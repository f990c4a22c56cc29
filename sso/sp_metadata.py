"""The SP metadata document of a tenant, the values its IdP is configured with."""

from saml2.metadata import entity_descriptor

from sso.config import sp_config
from sso.models import SamlConfiguration


def sp_metadata_xml(configuration: SamlConfiguration) -> str:
    """Return the SP metadata XML: entity ID, ACS, SLO, NameID format and published keys.

    Works before the IdP metadata is uploaded, because the tenant admin needs these values to
    set the IdP up first.
    """
    descriptor = entity_descriptor(sp_config(configuration))
    return descriptor.to_string().decode("utf-8")
