"""AuthnRequests waiting for their response, tied to the browser that started them.

The browser keeps a random key in a cookie of its own with SameSite=None. The IdP's POST to the
ACS is a cross-site request, so the SameSite=Lax session cookie is not sent with it.
The database stores only the key's SHA-256, so the table does not let anyone impersonate a
browser.
"""

import secrets
from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from accounts.models import Tenant
from sso.models import OutstandingRequest

BROWSER_COOKIE = "inone_sso_browser"
# Time a user may spend at the IdP (password, MFA) before the request is forgotten.
REQUEST_LIFETIME = timedelta(minutes=15)


def browser_key(request: HttpRequest) -> str | None:
    return request.COOKIES.get(BROWSER_COOKIE) or None


def outstanding_request_add(
    request: HttpRequest, response: HttpResponse, *, tenant: Tenant, request_id: str, next_path: str
) -> None:
    """Store the request ID for this browser and set the browser cookie on `response`."""
    key = browser_key(request) or secrets.token_urlsafe(32)
    now = timezone.now()
    OutstandingRequest.objects.filter(tenant=tenant, expires_at__lt=now).delete()
    OutstandingRequest.objects.create(
        tenant=tenant,
        request_id=request_id,
        browser_key_hash=OutstandingRequest.hash_browser_key(key),
        next_path=next_path,
        expires_at=now + REQUEST_LIFETIME,
    )
    response.set_cookie(
        BROWSER_COOKIE,
        key,
        max_age=int(REQUEST_LIFETIME.total_seconds()),
        path=reverse("sso:acs", kwargs={"tenant_hash": tenant.hash}).rsplit("/", 1)[0] + "/",
        secure=True,
        httponly=True,
        samesite="None",
    )


def outstanding_requests(request: HttpRequest, tenant: Tenant) -> dict[str, str]:
    """Return this browser's unexpired request IDs for the tenant, mapped to their next paths."""
    key = browser_key(request)
    if key is None:
        return {}
    rows = OutstandingRequest.objects.filter(
        tenant=tenant,
        browser_key_hash=OutstandingRequest.hash_browser_key(key),
        expires_at__gte=timezone.now(),
    ).values_list("request_id", "next_path")
    return dict(rows)


def outstanding_request_consume(*, tenant: Tenant, request_id: str) -> bool:
    """Delete the matched request, or return False when another worker deleted it first."""
    deleted, _ = OutstandingRequest.objects.filter(tenant=tenant, request_id=request_id).delete()
    return deleted > 0
