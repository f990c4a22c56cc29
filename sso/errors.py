"""SSO failures as the user sees them: a plain page with a reference code and a 4xx status.

The reason goes only to the log, together with the tenant and the same reference code, so
support can find the cause from what the user reports without the page revealing it.
"""

import logging
import secrets

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

logger = logging.getLogger("inone.sso")


class SsoError(Exception):
    """A sign-in or logout failure; `reason` is for the log, `message` for the user."""

    status = 400
    log_level = logging.INFO
    message = "Single sign-on could not be completed."

    def __init__(self, reason: str, *, message: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        if message is not None:
            self.message = message


class SsoBadRequest(SsoError):
    """The request is malformed: missing parameter, bad base64, too large, not XML."""


class SsoNotFound(SsoError):
    status = 404
    message = "This sign-in link is not valid. Check the company code or the link you followed."


class SsoUnavailable(SsoError):
    status = 409
    message = (
        "Single sign-on is not set up for this company yet. Ask your administrator to upload "
        "the identity provider metadata in Settings > Security."
    )
    log_level = logging.ERROR


class SsoRejected(SsoError):
    """The response failed a security check: signature, replay, issuer, audience and so on."""

    status = 403
    log_level = logging.WARNING
    message = (
        "Your identity provider's sign-in response could not be accepted. Try signing in "
        "again from the start; if it keeps failing, give your administrator the reference code."
    )


class SsoAccountRejected(SsoError):
    status = 403
    message = (
        "Your account cannot sign in to Insider One. Ask your administrator to check that it "
        "exists and is active."
    )


def error_response(
    request: HttpRequest, error: SsoError, *, tenant_hash: str | None, event: str
) -> HttpResponse:
    """Log the failure with a new reference code and render the error page with that code."""
    reference = secrets.token_hex(4).upper()
    logger.log(
        error.log_level,
        event,
        extra={"reference": reference, "tenant": tenant_hash, "reason": error.reason},
    )
    context = {"message": error.message, "reference": reference}
    return render(request, "sso/error.html", context, status=error.status)
