"""Build the pysaml2 SP configuration of a tenant from its SamlConfiguration row.

Building a configuration loads the IdP metadata and the SP keys (about 75 ms), so each worker
keeps one per tenant. The cache entry is keyed by a stamp of the row's updated_at and the key
pair ids, so a change saved by any worker is picked up by every worker on its next request.
"""

import os
import shutil
import tempfile
import threading
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.saml import NAMEID_FORMAT_EMAILADDRESS
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from sso.errors import SsoUnavailable
from sso.keys import sp_key_pairs_published
from sso.models import SamlConfiguration, SpKeyPair
from sso.selectors import sp_urls


@dataclass(frozen=True)
class _CacheEntry:
    stamp: tuple
    config: SPConfig


_cache: dict[int, _CacheEntry] = {}
_cache_lock = threading.Lock()
_key_directory: str | None = None


def sp_config(configuration: SamlConfiguration) -> SPConfig:
    """Return the pysaml2 SPConfig of the configuration's tenant, built or from the cache.

    Without IdP metadata the configuration still serves the SP metadata document.
    """
    key_pairs = sp_key_pairs_published(configuration.tenant)
    stamp = (
        configuration.updated_at,
        tuple((pair.pk, pair.status) for pair in key_pairs),
        settings.INONE_BASE_URL,
    )
    entry = _cache.get(configuration.tenant_id)
    if entry is not None and entry.stamp == stamp:
        return entry.config

    config = SPConfig()
    config.load(sp_config_dict(configuration, key_pairs))
    with _cache_lock:
        _cache[configuration.tenant_id] = _CacheEntry(stamp=stamp, config=config)
    return config


def saml_client(configuration: SamlConfiguration) -> Saml2Client:
    """Return a pysaml2 client for the tenant, or raise SsoUnavailable when its stored IdP
    metadata no longer loads, for example because the metadata's validUntil date has passed."""
    try:
        client = Saml2Client(config=sp_config(configuration))
    except Exception as error:  # noqa: BLE001 - pysaml2 raises many unrelated types here
        raise SsoUnavailable(
            f"The stored IdP metadata cannot be loaded: {type(error).__name__}. "
            "Import current metadata from the IdP."
        ) from None
    # pysaml2 drops an IdP whose metadata validUntil has passed instead of raising.
    try:
        certificates = client.metadata.certs(configuration.idp_entity_id, "idpsso", "signing")
    except KeyError:
        certificates = []
    if not certificates:
        raise SsoUnavailable(
            "The stored IdP metadata has no usable signing certificate for the IdP entity ID; "
            "its validUntil date may have passed. Import current metadata from the IdP."
        )
    return client


def sp_config_drop(tenant_id: int) -> None:
    """Forget this worker's cached configuration, after the metadata or keys changed."""
    with _cache_lock:
        _cache.pop(tenant_id, None)


def sp_config_dict(configuration: SamlConfiguration, key_pairs: list[SpKeyPair]) -> dict:
    urls = sp_urls(configuration.tenant)
    current = key_pairs[0]
    key_file, cert_file = _key_files(current)
    config = {
        "entityid": urls["entity_id"],
        "xmlsec_binary": _xmlsec_binary(),
        "key_file": key_file,
        "cert_file": cert_file,
        # Every published pair can decrypt, so an IdP that already encrypts to the next
        # certificate keeps working through the rollover.
        "encryption_keypairs": [
            {"key_file": key, "cert_file": cert}
            for key, cert in (_key_files(pair) for pair in key_pairs)
        ],
        # The next key pair's certificate is published as a second signing certificate, so the
        # IdP trusts it before the rollover makes it current.
        "additional_cert_files": [_key_files(pair)[1] for pair in key_pairs[1:]],
        "accepted_time_diff": configuration.clock_skew_seconds,
        "allow_unknown_attributes": True,
        "service": {
            "sp": {
                "name": configuration.tenant.name,
                "endpoints": {
                    "assertion_consumer_service": [(urls["acs_url"], BINDING_HTTP_POST)],
                    "single_logout_service": [
                        (urls["slo_url"], BINDING_HTTP_REDIRECT),
                        (urls["slo_url"], BINDING_HTTP_POST),
                    ],
                },
                "allow_unsolicited": configuration.allow_idp_initiated,
                "authn_requests_signed": configuration.idp_wants_authn_requests_signed,
                "logout_requests_signed": True,
                # JumpCloud signs the Assertion, the Response or both; requiring either one
                # accepts all three modes while an unsigned response is still rejected.
                "want_response_signed": False,
                "want_assertions_signed": configuration.want_assertions_signed,
                "want_assertions_or_response_signed": True,
                "name_id_format": [NAMEID_FORMAT_EMAILADDRESS],
                "signing_algorithm": SIG_RSA_SHA256,
                "digest_algorithm": DIGEST_SHA256,
            }
        },
    }
    if configuration.has_idp:
        config["metadata"] = {"inline": [configuration.idp_metadata_xml]}
    return config


def _xmlsec_binary() -> str:
    path = shutil.which("xmlsec1")
    if path is None:
        raise ImproperlyConfigured(
            "The xmlsec1 program is not installed; pysaml2 needs it to check signatures. "
            "Install the Debian package xmlsec1 (scripts/system-packages.sh does)."
        )
    return path


def _key_files(key_pair: SpKeyPair) -> tuple[str, str]:
    """Write the key pair to this process's private directory once and return both paths.

    pysaml2 hands keys to xmlsec1 by file name, so the private key has to be on disk. It goes into
    a directory only this process's user can read, with mode 0600.
    """
    directory = _private_directory()
    key_path = os.path.join(directory, f"sp-{key_pair.pk}.key")
    cert_path = os.path.join(directory, f"sp-{key_pair.pk}.crt")
    _write_private(key_path, key_pair.private_key_pem)
    _write_private(cert_path, key_pair.certificate_pem)
    return key_path, cert_path


def _private_directory() -> str:
    global _key_directory
    with _cache_lock:
        if _key_directory is None or not os.path.isdir(_key_directory):
            # mkdtemp creates the directory with mode 0700.
            _key_directory = tempfile.mkdtemp(prefix="inone-sso-keys-")
        return _key_directory


def _write_private(path: str, content: str) -> None:
    if os.path.exists(path):
        # A key pair never changes after creation, and the file appears only complete.
        return
    # mkstemp creates the file with mode 0600. The rename is atomic, so a thread that builds
    # the same tenant's configuration at once never reads a half-written key.
    descriptor, temporary_path = tempfile.mkstemp(dir=os.path.dirname(path))
    with os.fdopen(descriptor, "w") as handle:
        handle.write(content)
    os.replace(temporary_path, path)

