"""Create, check and revoke SCIM bearer tokens."""

import hashlib
import hmac
import logging
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Tenant
from scim.models import ScimToken

logger = logging.getLogger("inone.scim")

# A fixed marker, not a secret: it lets secret scanners and operators recognise a SCIM token.
TOKEN_MARKER = "inone_scim_"  # noqa: S105
PREFIX_LENGTH = len(TOKEN_MARKER) + 4
# How often last_used_at is written, so a busy IdP does not cause a write per request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def token_digest(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


@transaction.atomic
def token_create(
    *, tenant: Tenant, name: str, expires_days: int | None = None
) -> tuple[ScimToken, str]:
    """Create a token for the tenant and return the row and the raw token.

    The raw token exists only in the return value: callers show it once and never store it.
    """
    if expires_days is not None and expires_days < 1:
        raise ValueError("expires_days must be 1 or more.")
    raw_token = TOKEN_MARKER + secrets.token_urlsafe(32)
    expires_at = timezone.now() + timedelta(days=expires_days) if expires_days else None
    token = ScimToken.objects.create(
        tenant=tenant,
        name=name,
        prefix=raw_token[:PREFIX_LENGTH],
        digest=token_digest(raw_token),
        expires_at=expires_at,
    )
    logger.info("scim.token.created", extra={"tenant": tenant.hash, "token_name": name})
    return token, raw_token


def token_authenticate(raw_token: str) -> ScimToken | None:
    """Return the usable token matching raw_token, or None.

    Rows are found by the visible prefix and the digests compared with hmac.compare_digest, so
    the time taken does not reveal how much of a guessed digest matched.
    """
    if not raw_token.startswith(TOKEN_MARKER) or len(raw_token) > 200:
        return None
    digest = token_digest(raw_token)
    # The tenant's SCIM settings come along so that the request log needs no query of its own.
    candidates = ScimToken.objects.select_related("tenant", "tenant__scim_settings").filter(
        prefix=raw_token[:PREFIX_LENGTH]
    )
    match = None
    for candidate in candidates:
        if hmac.compare_digest(candidate.digest, digest):
            match = candidate
    if match is None or not match.is_usable():
        return None
    _touch_last_used(match)
    return match


def _touch_last_used(token: ScimToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ScimToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def token_revoke(token: ScimToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        logger.info(
            "scim.token.revoked",
            extra={"tenant": token.tenant.hash, "token_name": token.name},
        )
