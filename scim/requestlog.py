"""Record every SCIM request in ScimRequestLog, without secrets.

Bodies and query strings carry personal data, so they are stored only for a tenant whose
ScimTenantSettings.log_bodies is on, and passwords are removed from them even then.
"""

import json
import logging
from typing import Any

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse

from scim.models import ScimRequestLog, ScimTenantSettings, ScimToken

logger = logging.getLogger("inone.scim")

REDACTED = "(removed)"
# Attributes whose values are secrets: RFC 7643 section 4.1.1 makes "password" write-only.
SECRET_KEYS = frozenset({"password"})
# Bodies larger than this are recorded as a note, so a huge group does not bloat the log.
MAX_LOGGED_BODY_BYTES = 64 * 1024


def request_record(
    *,
    request: HttpRequest,
    response: HttpResponse,
    token: ScimToken | None,
    duration_ms: int,
    resource_ids: list[str],
    error: str = "",
) -> None:
    """Store one request. A database error while storing is logged and leaves the response as is."""
    path = request.path
    try:
        entry = ScimRequestLog(
            tenant=token.tenant if token else None,
            token_name=token.name if token else "",
            method=(request.method or "")[:10],
            path=printable(path)[:300],
            status=response.status_code,
            duration_ms=duration_ms,
            resource_ids=[printable(str(resource_id))[:100] for resource_id in resource_ids[:20]],
            error=printable(error)[:300],
        )
        if token is not None and _logs_bodies(token):
            entry.query_string = printable(request.META.get("QUERY_STRING", ""))[:2000]
            entry.request_body = _logged_body(request.body)
            entry.response_body = _logged_body(getattr(response, "content", b""))
        entry.save()
    except DatabaseError:
        logger.exception(
            "scim.request-log.failed", extra={"path": path[:300], "status": response.status_code}
        )


def printable(text: str) -> str:
    """Escape control characters, which PostgreSQL text columns reject (NUL) or logs garble."""
    return "".join(
        character if character.isprintable() else repr(character)[1:-1] for character in text
    )


def _logs_bodies(token: ScimToken) -> bool:
    # token_authenticate loads the settings with the token; a tenant without a row has the default.
    tenant_settings: ScimTenantSettings | None = getattr(token.tenant, "scim_settings", None)
    return tenant_settings is not None and tenant_settings.log_bodies


def _logged_body(content: bytes) -> Any:
    if not content:
        return None
    if len(content) > MAX_LOGGED_BODY_BYTES:
        return {"note": f"Body of {len(content)} bytes not stored (limit {MAX_LOGGED_BODY_BYTES})."}
    try:
        return redact(json.loads(content))
    except (ValueError, UnicodeDecodeError):
        return {"note": "Body is not JSON; not stored."}


def redact(value: Any) -> Any:
    """Return a copy of a JSON value with the value of every secret attribute replaced."""
    if isinstance(value, dict):
        # A PATCH operation such as {"op": "replace", "path": "password", "value": "..."}.
        secret_operation = str(value.get("path", "")).lower() in SECRET_KEYS
        return {
            key: REDACTED
            if str(key).lower() in SECRET_KEYS or (secret_operation and key == "value")
            else redact(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [redact(item) for item in value]
    return value
