"""The base of every SCIM view: bearer authentication, body parsing, errors and the request log."""

import json
import logging
import time
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from scim.errors import ScimError, error_response, invalid_syntax, invalid_value
from scim.models import ScimToken
from scim.requestlog import request_record
from scim.services import token_authenticate
from scim.tenancy import TenantScope

logger = logging.getLogger("inone.scim")

ACCEPTED_CONTENT_TYPES = ("application/scim+json", "application/json")
BODY_METHODS = ("POST", "PUT", "PATCH")
# The deepest SCIM body is a PatchOp value with an enterprise manager, about 5 levels. The
# limit also keeps the recursive checks below far from Python's recursion limit.
MAX_BODY_DEPTH = 32


def bearer_token(request: HttpRequest) -> ScimToken:
    """Return the token of the request's Authorization header, or raise 401."""
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    token = None
    if scheme.lower() == "bearer" and credentials.strip():
        token = token_authenticate(credentials.strip())
    if token is None:
        raise ScimError(401, "Invalid or missing bearer token.")
    return token


def json_body(request: HttpRequest) -> dict:
    """Parse the request body as a JSON object, or raise 413, 415 or 400."""
    try:
        raw = request.body
    except RequestDataTooBig:
        raise ScimError(
            413, f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes."
        ) from None
    content_type = request.content_type or ""
    if raw and content_type and content_type not in ACCEPTED_CONTENT_TYPES:
        raise ScimError(
            415, "Content-Type must be application/scim+json or application/json."
        )
    try:
        body = json.loads(raw or b"{}")
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise invalid_syntax("The request body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise invalid_syntax("The request body must be a JSON object.")
    if _nesting_depth(body) > MAX_BODY_DEPTH:
        raise invalid_syntax(f"The request body is nested more than {MAX_BODY_DEPTH} levels deep.")
    if _contains_nul(body):
        # PostgreSQL text and jsonb cannot store U+0000, so it would fail at the database.
        raise invalid_value("Strings must not contain the NUL character (U+0000).")
    return body


def _nesting_depth(value: Any) -> int:
    """Return how deeply lists and objects nest, walking with a stack instead of recursion."""
    deepest = 0
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, depth)
            pending.extend((child, depth + 1) for child in item)
    return deepest


def _contains_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(key) or _contains_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_contains_nul(item) for item in value)
    return False


@method_decorator(csrf_exempt, name="dispatch")
class ScimView(View):
    """Authenticate, parse the body, run the handler and log the request.

    Every failure becomes a SCIM error body.

    Handlers use self.scope (the token's tenant), self.token and self.body, and put the ids of
    the resources they touch in self.resource_ids for the request log.
    """

    scope: TenantScope
    token: ScimToken | None
    body: dict
    requires_token = True

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        started = time.monotonic()
        self.token = None
        self.resource_ids: list[str] = []
        error_summary = ""
        try:
            if self.requires_token:
                self.token = bearer_token(request)
                self.scope = TenantScope(self.token.tenant)
            self.body = {}
            if self.requires_token and request.method in BODY_METHODS:
                self.body = json_body(request)
            response = super().dispatch(request, *args, **kwargs)
        except ScimError as error:
            error_summary = error.detail
            response = error_response(error)
        except Exception:
            # A bug, not a client mistake: the client gets a generic body, the log the trace.
            logger.exception("scim.request.failed", extra={"path": request.path})
            error_summary = "Internal server error."
            response = error_response(ScimError(500, "Internal server error."))

        duration_ms = int((time.monotonic() - started) * 1000)
        request_record(
            request=request,
            response=response,
            token=self.token,
            duration_ms=duration_ms,
            resource_ids=self.resource_ids,
            error=error_summary,
        )
        logger.info(
            "scim.request",
            extra={
                "tenant": self.token.tenant.hash if self.token else None,
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": duration_ms,
                "token_name": self.token.name if self.token else None,
                "error": error_summary,
            },
        )
        return response

    def http_method_not_allowed(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        allowed = ", ".join(method.upper() for method in self._allowed_methods())
        raise ScimError(405, f"Method {request.method} is not allowed here; use {allowed}.")


class NotFoundView(ScimView):
    """Any path under the SCIM base URL that names no endpoint.

    It needs no token, because a 404 for a path that names no endpoint reveals nothing about
    any tenant.
    """

    requires_token = False

    def _any(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        raise ScimError(404, "No SCIM endpoint at this path.")

    get = post = put = patch = delete = head = options = _any
