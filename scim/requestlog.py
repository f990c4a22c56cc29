"""Record every SCIM request in ScimRequestLog without secrets or personal data."""

import logging

from django.db import DatabaseError

from scim.models import ScimRequestLog, ScimToken

logger = logging.getLogger("inone.scim")


def request_record(
    *,
    token: ScimToken | None,
    method: str,
    path: str,
    status: int,
    duration_ms: int,
    resource_ids: list[str],
    error: str = "",
) -> None:
    """Store one request. A database error while storing is logged and leaves the response as is."""
    try:
        ScimRequestLog.objects.create(
            tenant=token.tenant if token else None,
            token_name=token.name if token else "",
            method=method[:10],
            path=path[:300],
            status=status,
            duration_ms=duration_ms,
            resource_ids=resource_ids[:20],
            error=error[:300],
        )
    except DatabaseError:
        logger.exception("scim.request-log.failed", extra={"path": path[:300], "status": status})
