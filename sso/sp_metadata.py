"""The SP metadata document of a tenant, the values its IdP is configured with."""

from saml2.config import SPConfig
from saml2.metadata import entity_descriptor

from sso.config import sp_config_dict
from sso.keys import sp_key_pairs_published
from sso.models import SamlConfiguration


def sp_metadata_xml(configuration: SamlConfiguration) -> str:
    """Return the SP metadata XML: entity ID, ACS, SLO, NameID format and published keys.

    The document is built without the IdP metadata, so it is served before any IdP metadata is
    uploaded (the tenant admin needs these values to set the IdP up) and after it expires.
    """
    settings = sp_config_dict(configuration, sp_key_pairs_published(configuration.tenant))
    settings.pop("metadata", None)
    config = SPConfig()
    config.load(settings)
    descriptor = entity_descriptor(config)
    return descriptor.to_string().decode("utf-8")
