"""Single Logout: SP-initiated (the user signs out here) and IdP-initiated (a LogoutRequest).

An IdP-initiated LogoutRequest ends every session of the named account in this tenant, so it
must carry a valid signature by the tenant's IdP: an unsigned one would let anyone sign any
user out.
"""

import base64
import logging
from collections.abc import Mapping

from django.contrib import auth
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.s_utils import status_message_factory, success_status_factory
from saml2.saml import NAMEID_FORMAT_EMAILADDRESS, NameID
from saml2.samlp import STATUS_UNKNOWN_PRINCIPAL, LogoutRequest, Status
from saml2.sigver import verify_redirect_signature
from saml2.xmldsig import SIG_RSA_SHA256

from accounts.selectors import user_get_by_email
from accounts.services import sessions_end
from sso.config import saml_client
from sso.errors import SsoBadRequest, SsoRejected
from sso.models import SamlConfiguration
from sso.response_policy import (
    DS_NS,
    SAMLP_NS,
    SIGNATURE_METHOD_SHA1,
    SIGNATURE_METHODS_STRONG,
    saml_message_check,
    saml_response_decode,
)

logger = logging.getLogger("inone.sso")

SESSION_NAME_ID = "sso_name_id"
SESSION_INDEX = "sso_session_index"


def single_logout(
    request: HttpRequest, configuration: SamlConfiguration, params: Mapping[str, str]
) -> HttpResponse:
    binding = BINDING_HTTP_POST if request.method == "POST" else BINDING_HTTP_REDIRECT
    if params.get("SAMLRequest"):
        return _idp_logout_request(request, configuration, params, binding)
    if params.get("SAMLResponse"):
        # The IdP confirms the logout this SP asked for; the local session ended already.
        return HttpResponseRedirect(reverse("login"))
    return _sp_logout(request, configuration)


def _sp_logout(request: HttpRequest, configuration: SamlConfiguration) -> HttpResponse:
    """End the local session, then ask the IdP to end its own when it offers Single Logout."""
    name_id = request.session.get(SESSION_NAME_ID)
    session_index = request.session.get(SESSION_INDEX)
    signed_in_here = (
        request.user.is_authenticated and request.user.tenant_id == configuration.tenant_id
    )
    auth.logout(request)
    redirect_slo = _slo_location(configuration, BINDING_HTTP_REDIRECT)
    if not (signed_in_here and name_id and redirect_slo):
        return HttpResponseRedirect(reverse("login"))

    client = saml_client(configuration)
    _request_id, logout_request = client.create_logout_request(
        redirect_slo,
        configuration.idp_entity_id,
        name_id=NameID(text=name_id, format=NAMEID_FORMAT_EMAILADDRESS),
        session_indexes=[session_index] if session_index else None,
        sign=False,
    )
    info = client.apply_binding(
        BINDING_HTTP_REDIRECT,
        str(logout_request),
        redirect_slo,
        relay_state="/login/",
        sign=True,
        sigalg=SIG_RSA_SHA256,
    )
    logger.info("sso.logout.sp-initiated", extra={"tenant": configuration.tenant.hash})
    return HttpResponseRedirect(dict(info["headers"])["Location"])


def _idp_logout_request(
    request: HttpRequest,
    configuration: SamlConfiguration,
    params: Mapping[str, str],
    binding: str,
) -> HttpResponse:
    """Verify the IdP's signed LogoutRequest, end the account's sessions, send a LogoutResponse."""
    saml_request = params["SAMLRequest"]
    client = saml_client(configuration)
    if binding == BINDING_HTTP_POST:
        _check_enveloped_signature(configuration, saml_request)
    else:
        _check_query_signature(configuration, client, params)

    try:
        parsed = client.parse_logout_request(
            saml_request,
            binding,
            relay_state=params.get("RelayState"),
            sigalg=params.get("SigAlg"),
            signature=params.get("Signature"),
        )
    except Exception as error:  # noqa: BLE001 - pysaml2 raises dozens of unrelated types
        raise SsoRejected(f"pysaml2 rejected the LogoutRequest: {type(error).__name__}") from None
    if parsed is None:
        raise SsoRejected("pysaml2 rejected the LogoutRequest.")
    message = parsed.message
    if (message.issuer.text if message.issuer else "") != configuration.idp_entity_id:
        raise SsoRejected("The LogoutRequest Issuer is not the tenant's IdP entity ID.")

    name_id = (message.name_id.text or "").strip() if message.name_id else ""
    user = user_get_by_email(tenant=configuration.tenant, email=name_id) if name_id else None
    if user is not None:
        sessions_end(user)
        status = success_status_factory()
    else:
        status = status_message_factory("Unknown user", STATUS_UNKNOWN_PRINCIPAL)
    logger.info(
        "sso.logout.idp-initiated",
        extra={"tenant": configuration.tenant.hash, "found": user is not None},
    )
    return _logout_response(request, configuration, client, message, status, params)


def _check_enveloped_signature(configuration: SamlConfiguration, saml_request: str) -> None:
    """Require a ds:Signature on the LogoutRequest itself.

    pysaml2 verifies a signature it finds there but accepts a message without one, so its
    presence is checked here first, with the same structure and algorithm rules as responses.
    """
    root = saml_message_check(
        saml_response_decode(saml_request),
        expected_root=f"{{{SAMLP_NS}}}LogoutRequest",
        allow_sha1=configuration.allow_sha1,
    )
    if root.find(f"{{{DS_NS}}}Signature") is None:
        raise SsoRejected("The LogoutRequest is not signed.")


def _check_query_signature(
    configuration: SamlConfiguration, client: Saml2Client, params: Mapping[str, str]
) -> None:
    """Verify the Redirect binding's query-string signature against the IdP's certificates.

    pysaml2 7.5 checks this signature only when the SP's own configuration requires signed
    AuthnRequests, which is an IdP setting, so an SP never gets the check from it.
    """
    if not params.get("Signature") or not params.get("SigAlg"):
        raise SsoRejected("The LogoutRequest is not signed (no Signature and SigAlg).")
    algorithm = params["SigAlg"]
    if algorithm not in SIGNATURE_METHODS_STRONG and not (
        configuration.allow_sha1 and algorithm == SIGNATURE_METHOD_SHA1
    ):
        raise SsoRejected(f"LogoutRequest signature algorithm {algorithm!r} is not allowed.")

    signed = {name: params[name] for name in ("SAMLRequest", "RelayState", "SigAlg", "Signature")
              if name in params}
    certificates = client.metadata.certs(configuration.idp_entity_id, "idpsso", "signing")
    try:
        verified = any(
            verify_redirect_signature(signed, client.sec.sec_backend, certificate)
            for _name, certificate in certificates
        )
    except Exception as error:  # noqa: BLE001 - malformed base64 or key data in the query
        raise SsoRejected(
            f"The LogoutRequest signature is malformed: {type(error).__name__}"
        ) from None
    if not verified:
        raise SsoRejected(
            "The LogoutRequest signature does not verify with the IdP's certificates."
        )


def _logout_response(
    request: HttpRequest,
    configuration: SamlConfiguration,
    client: Saml2Client,
    logout_request: LogoutRequest,
    status: Status,
    params: Mapping[str, str],
) -> HttpResponse:
    redirect_slo = _slo_location(configuration, BINDING_HTTP_REDIRECT)
    post_slo = _slo_location(configuration, BINDING_HTTP_POST)
    destination = redirect_slo or post_slo
    if destination is None:
        raise SsoBadRequest(
            "The IdP metadata has no SingleLogoutService to send the LogoutResponse to."
        )
    logout_response = client.create_logout_response(
        request=logout_request,
        bindings=[BINDING_HTTP_REDIRECT if redirect_slo else BINDING_HTTP_POST],
        status=status,
        sign=False,
    )
    relay_state = params.get("RelayState", "")
    if redirect_slo:
        info = client.apply_binding(
            BINDING_HTTP_REDIRECT,
            str(logout_response),
            redirect_slo,
            relay_state=relay_state,
            response=True,
            sign=True,
            sigalg=SIG_RSA_SHA256,
        )
        return HttpResponseRedirect(dict(info["headers"])["Location"])
    fields = {"SAMLResponse": base64.b64encode(str(logout_response).encode()).decode()}
    if relay_state:
        fields["RelayState"] = relay_state
    return render(request, "sso/post_binding.html", {"action": post_slo, "fields": fields})


def _slo_location(configuration: SamlConfiguration, binding: str) -> str | None:
    for service in configuration.idp_slo_services:
        if service["binding"] == binding:
            return service["location"]
    return None

