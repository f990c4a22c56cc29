"""Refresh a tenant's IdP metadata from its HTTPS metadata URL, keeping the last good copy.

A fetch or validation failure never replaces the stored metadata: sign-in goes on with the
last good copy, and the error is stored on the configuration for the operator to see.
"""

import logging
import urllib.request
from collections.abc import Callable
from urllib.error import URLError

from django.utils import timezone

from sso.metadata_import import MAX_METADATA_BYTES, IdpMetadataSummary
from sso.models import SamlConfiguration
from sso.services import InvalidMetadata, idp_metadata_import

logger = logging.getLogger("inone.sso")

FETCH_TIMEOUT_SECONDS = 10

Fetcher = Callable[[str], bytes]


class MetadataFetchError(Exception):
    """Fetching the metadata URL failed; str(error) describes the failure."""


def fetch_https(url: str) -> bytes:
    """Download the metadata, refusing anything but HTTPS and files over the size limit."""
    if not url.startswith("https://"):
        raise MetadataFetchError(f"The metadata URL {url!r} does not use https.")
    # The https scheme is checked above, so urlopen cannot read a local file.
    request = urllib.request.Request(  # noqa: S310
        url, headers={"Accept": "application/samlmetadata+xml"}
    )
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_SECONDS) as response:  # noqa: S310
            body = response.read(MAX_METADATA_BYTES + 1)
    except (URLError, TimeoutError, OSError) as error:
        raise MetadataFetchError(f"Fetching {url} failed: {error}") from None
    if len(body) > MAX_METADATA_BYTES:
        raise MetadataFetchError(
            f"The metadata at {url} is larger than {MAX_METADATA_BYTES} bytes."
        )
    return body


def idp_metadata_refresh(
    configuration: SamlConfiguration, *, fetch: Fetcher | None = None
) -> IdpMetadataSummary:
    """Fetch and import the configuration's metadata URL; raise MetadataFetchError or
    InvalidMetadata after recording the error, leaving the stored metadata unchanged."""
    fetch = fetch or fetch_https
    tenant = configuration.tenant
    if not configuration.metadata_url:
        raise MetadataFetchError("The configuration has no metadata URL.")
    try:
        xml = fetch(configuration.metadata_url)
        summary = idp_metadata_import(tenant=tenant, xml=xml)
    except (MetadataFetchError, InvalidMetadata) as error:
        SamlConfiguration.objects.filter(pk=configuration.pk).update(
            metadata_refresh_error=f"{timezone.now():%Y-%m-%d %H:%M} UTC: {error}"
        )
        logger.error(
            "sso.idp-metadata.refresh-failed",
            extra={"tenant": tenant.hash, "error": str(error)},
        )
        raise
    logger.info("sso.idp-metadata.refreshed", extra={"tenant": tenant.hash})
    return summary
