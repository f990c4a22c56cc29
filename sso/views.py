"""SAML endpoints of a tenant: SP metadata, SP-initiated login, the ACS and Single Logout.

Every failure is an SsoError, rendered as the plain error page with a reference code and a 4xx
status. The reason, the tenant and the code go to the `inone.sso` log.
"""

import base64
import logging

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from accounts.models import Tenant
from accounts.selectors import tenant_get_by_hash
from accounts.services import session_start
from sso.authn_response import authn_response_verify
from sso.config import saml_client
from sso.errors import (
    SsoBadRequest,
    SsoError,
    SsoNotFound,
    SsoRejected,
    SsoUnavailable,
    error_response,
)
from sso.logout import SESSION_INDEX, SESSION_NAME_ID, single_logout
from sso.models import SamlConfiguration
from sso.outstanding import (
    outstanding_request_add,
    outstanding_request_consume,
    outstanding_requests,
)
from sso.replay import assertion_accept_once
from sso.response_policy import saml_response_check, saml_response_decode
from sso.services import saml_configuration_ensure
from sso.signin import account_for_assertion
from sso.sp_metadata import sp_metadata_xml

logger = logging.getLogger("inone.sso")


class TenantSsoView(View):
    """Resolve the tenant from the URL and turn SsoError into the error page."""

    event = "sso.request.failed"

    def dispatch(self, request: HttpRequest, *args, tenant_hash: str, **kwargs) -> HttpResponse:
        try:
            tenant = tenant_get_by_hash(tenant_hash)
            if tenant is None:
                raise SsoNotFound("No tenant has this hash.")
            try:
                return super().dispatch(request, *args, tenant=tenant, **kwargs)
            except RequestDataTooBig:
                raise SsoBadRequest(
                    "The request body is larger than DATA_UPLOAD_MAX_MEMORY_SIZE."
                ) from None
        except SsoError as error:
            return error_response(request, error, tenant_hash=tenant_hash, event=self.event)


def configured(tenant: Tenant) -> SamlConfiguration:
    """Return the tenant's configuration, or raise SsoUnavailable when no IdP is set up."""
    configuration = saml_configuration_ensure(tenant)
    if not configuration.has_idp:
        raise SsoUnavailable("The tenant has no IdP metadata.")
    return configuration


def local_path(candidate: str | None) -> str:
    """Return `candidate` when it is a path on this site, else "/"."""
    if (
        candidate
        and candidate.startswith("/")
        and url_has_allowed_host_and_scheme(candidate, allowed_hosts=None)
    ):
        return candidate
    return "/"


class MetadataView(TenantSsoView):
    event = "sso.metadata.failed"

    def get(self, request: HttpRequest, tenant: Tenant) -> HttpResponse:
        xml = sp_metadata_xml(saml_configuration_ensure(tenant))
        return HttpResponse(xml, content_type="application/samlmetadata+xml")


class LoginView(TenantSsoView):
    """Send the browser to the IdP with an AuthnRequest, by Redirect or, failing that, POST."""

    event = "sso.login.failed"

    def get(self, request: HttpRequest, tenant: Tenant) -> HttpResponse:
        configuration = configured(tenant)
        next_path = local_path(request.GET.get("next"))
        client = saml_client(configuration)
        bindings = {item["binding"]: item["location"] for item in configuration.idp_sso_services}
        sign = configuration.idp_wants_authn_requests_signed

        if BINDING_HTTP_REDIRECT in bindings:
            destination = bindings[BINDING_HTTP_REDIRECT]
            # The Redirect binding signs the query string, not the XML.
            request_id, authn_request = client.create_authn_request(
                destination, binding=BINDING_HTTP_POST, sign=False
            )
            info = client.apply_binding(
                BINDING_HTTP_REDIRECT,
                str(authn_request),
                destination,
                relay_state=next_path,
                sign=sign,
                sigalg=SIG_RSA_SHA256,
            )
            response: HttpResponse = HttpResponseRedirect(dict(info["headers"])["Location"])
        else:
            destination = bindings[BINDING_HTTP_POST]
            request_id, authn_request = client.create_authn_request(
                destination,
                binding=BINDING_HTTP_POST,
                sign=sign,
                sign_alg=SIG_RSA_SHA256,
                digest_alg=DIGEST_SHA256,
            )
            fields = {
                "SAMLRequest": base64.b64encode(str(authn_request).encode()).decode(),
                "RelayState": next_path,
            }
            response = render(
                request, "sso/post_binding.html", {"action": destination, "fields": fields}
            )

        outstanding_request_add(
            request, response, tenant=tenant, request_id=request_id, next_path=next_path
        )
        logger.info("sso.login.started", extra={"tenant": tenant.hash, "request_id": request_id})
        return response


@method_decorator(csrf_exempt, name="dispatch")
class AssertionConsumerView(TenantSsoView):
    """Accept the IdP's HTTP-POST response, SP- or IdP-initiated, and start a session."""

    event = "sso.acs.rejected"

    def post(self, request: HttpRequest, tenant: Tenant) -> HttpResponse:
        configuration = configured(tenant)
        saml_response = request.POST.get("SAMLResponse")
        xml = saml_response_decode(saml_response)
        saml_response_check(xml, allow_sha1=configuration.allow_sha1)

        outstanding = outstanding_requests(request, tenant)
        assertion = authn_response_verify(configuration, saml_response, outstanding)
        assertion_accept_once(
            tenant=tenant, assertion_id=assertion.assertion_id, expires_at=assertion.expires_at
        )
        if assertion.in_response_to is not None:
            if not outstanding_request_consume(tenant=tenant, request_id=assertion.in_response_to):
                raise SsoRejected("The AuthnRequest already has an accepted response (replay).")
            next_path = outstanding[assertion.in_response_to]
        else:
            next_path = local_path(request.POST.get("RelayState"))

        user = account_for_assertion(configuration, assertion)
        session_start(request, user)
        request.session[SESSION_NAME_ID] = assertion.name_id
        request.session[SESSION_INDEX] = assertion.session_index
        logger.info(
            "sso.login.succeeded",
            extra={
                "tenant": tenant.hash,
                "user_id": str(user.pk),
                "idp_initiated": assertion.in_response_to is None,
            },
        )
        return HttpResponseRedirect(local_path(next_path))

    def get(self, request: HttpRequest, tenant: Tenant) -> HttpResponse:
        raise SsoNotFound(
            "GET on the ACS; the IdP must POST the response.",
            message="This address only accepts sign-in responses posted by your identity "
            "provider. Start signing in from the Insider One sign-in page.",
        )


@method_decorator(csrf_exempt, name="dispatch")
class SingleLogoutView(TenantSsoView):
    """SP-initiated logout (no SAML message) and the IdP's LogoutRequest or LogoutResponse.

    The IdP's messages arrive cross-site and carry their own signatures, so the view is exempt
    from Django's CSRF check. A sign-out without a SAML message is the user's own request: a GET
    only shows a confirmation form, and its POST must pass the CSRF check, so that another site
    cannot sign users out with a link.
    """

    event = "sso.slo.failed"

    def get(self, request: HttpRequest, tenant: Tenant) -> HttpResponse:
        if not has_saml_message(request.GET):
            return render(request, "sso/logout_confirm.html", {"tenant": tenant})
        return single_logout(request, configured(tenant), request.GET)

    def post(self, request: HttpRequest, tenant: Tenant) -> HttpResponse:
        if not has_saml_message(request.POST):
            csrf_check(request)
        return single_logout(request, configured(tenant), request.POST)


def has_saml_message(params) -> bool:
    return bool(params.get("SAMLRequest") or params.get("SAMLResponse"))


def csrf_check(request: HttpRequest) -> None:
    """Apply Django's CSRF check inside a CSRF-exempt view; raise SsoBadRequest on failure."""
    rejection = CsrfViewMiddleware(lambda _request: None).process_view(request, None, (), {})
    if rejection is not None:
        raise SsoBadRequest(
            "Sign-out POST failed the CSRF check.",
            message="The sign-out request did not come from this site. Use the Sign out "
            "button in Insider One.",
        )
