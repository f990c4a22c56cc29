"""Verify a SAMLResponse with pysaml2 and read the identity from the verified assertion.

Everything returned here comes from the objects pysaml2 built after the signature check, never
from the raw document, so a wrapped or unsigned copy of an element cannot change the result.
"""

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from saml2 import BINDING_HTTP_POST
from saml2.response import AuthnResponse, StatusError
from saml2.time_util import str_to_time

from sso.config import saml_client
from sso.errors import SsoRejected
from sso.models import SamlConfiguration
from sso.response_policy import decrypted_response_check
from sso.selectors import sp_urls

logger = logging.getLogger("inone.sso")

BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer"
# Replay entries of an assertion without NotOnOrAfter are kept this long.
REPLAY_WINDOW_WITHOUT_EXPIRY = timedelta(hours=24)


@dataclass(frozen=True)
class VerifiedAssertion:
    assertion_id: str
    name_id: str
    in_response_to: str | None
    expires_at: datetime
    session_index: str | None
    attributes: dict[str, list[str]] = field(default_factory=dict)


def authn_response_verify(
    configuration: SamlConfiguration, saml_response: str, outstanding: dict[str, str]
) -> VerifiedAssertion:
    """Verify signature, issuer, audience, destination, recipient and times of a response.

    `outstanding` maps this browser's request IDs to their next paths; InResponseTo is checked
    against it here, and replay and account checks are left to the caller.
    """
    client = saml_client(configuration)
    try:
        response = client.parse_authn_request_response(
            saml_response, BINDING_HTTP_POST, outstanding=outstanding
        )
    except StatusError as error:
        raise SsoRejected(
            f"The IdP returned a non-success status: {type(error).__name__}."
        ) from None
    except Exception as error:  # noqa: BLE001 - pysaml2 raises dozens of unrelated types
        # Only the class name and the start of the message are logged: some messages quote
        # parts of the document.
        raise SsoRejected(
            f"pysaml2 rejected the response: {type(error).__name__}: {str(error)[:160]}"
        ) from None
    if response is None or response.assertion is None:
        raise SsoRejected(
            "pysaml2 rejected the response (Destination, IssueInstant, status or assertion)."
        )
    if len(response.assertions) != 1:
        raise SsoRejected(
            f"pysaml2 read {len(response.assertions)} assertions; exactly one is accepted."
        )
    if response.xmlstr != response.origxml:
        # pysaml2 decrypted an EncryptedAssertion, and xmlstr is now the decrypted document.
        decrypted_response_check(response.xmlstr, allow_sha1=configuration.allow_sha1)

    _check_issuer(configuration, response)
    _check_issue_instants(configuration, response)
    _check_bearer_confirmation(configuration, response)
    in_response_to = _check_in_response_to(configuration, response, outstanding)
    return VerifiedAssertion(
        assertion_id=response.assertion.id,
        name_id=(response.name_id.text or "").strip() if response.name_id else "",
        in_response_to=in_response_to,
        expires_at=_expiry(response, configuration.clock_skew_seconds),
        session_index=_session_index(response),
        attributes=_attributes(response),
    )


def _check_issuer(configuration: SamlConfiguration, response: AuthnResponse) -> None:
    expected = configuration.idp_entity_id
    response_issuer = response.response.issuer
    if response_issuer is not None and (response_issuer.text or "").strip() != expected:
        raise SsoRejected("The Response Issuer is not the tenant's IdP entity ID.")
    assertion_issuer = response.assertion.issuer
    if assertion_issuer is None or (assertion_issuer.text or "").strip() != expected:
        raise SsoRejected("The Assertion Issuer is not the tenant's IdP entity ID.")


def _check_issue_instants(configuration: SamlConfiguration, response: AuthnResponse) -> None:
    """Reject a Response or Assertion issued in the future, beyond the tenant's clock skew.

    pysaml2 7.5 accepts an IssueInstant up to a day ahead.
    """
    latest = datetime.now(UTC) + timedelta(seconds=configuration.clock_skew_seconds)
    for instant in (response.response.issue_instant, response.assertion.issue_instant):
        if instant and _as_datetime(instant) > latest:
            raise SsoRejected("The IssueInstant is in the future beyond the allowed clock skew.")


def _as_datetime(saml_time: str) -> datetime:
    return datetime(*str_to_time(saml_time)[:6], tzinfo=UTC)


def _check_bearer_confirmation(configuration: SamlConfiguration, response: AuthnResponse) -> None:
    """Require a bearer SubjectConfirmation whose Recipient is this tenant's ACS URL.

    pysaml2 7.5 checks Recipient only when the caller passes conversation info, so the check
    is made here for every confirmation.
    """
    acs_url = sp_urls(configuration.tenant)["acs_url"]
    confirmations = response.assertion.subject.subject_confirmation
    bearers = [item for item in confirmations if item.method == BEARER]
    if not bearers:
        raise SsoRejected("The assertion has no bearer SubjectConfirmation.")
    for confirmation in bearers:
        data = confirmation.subject_confirmation_data
        if data is None or data.recipient != acs_url:
            raise SsoRejected("The SubjectConfirmationData Recipient is not this tenant's ACS URL.")


def _check_in_response_to(
    configuration: SamlConfiguration, response: AuthnResponse, outstanding: dict[str, str]
) -> str | None:
    """Return the ID of the request this response belongs to, or None when IdP-initiated.

    pysaml2 accepts any InResponseTo once unsolicited responses are allowed, so a response to
    another browser's request would pass. Here it must be one of this browser's requests.
    """
    values = {response.in_response_to} if response.in_response_to else set()
    for confirmation in response.assertion.subject.subject_confirmation:
        data = confirmation.subject_confirmation_data
        if data is not None and data.in_response_to:
            values.add(data.in_response_to)
    if len(values) > 1:
        raise SsoRejected("The Response and its SubjectConfirmation refer to different requests.")
    if not values:
        if not configuration.allow_idp_initiated:
            raise SsoRejected("IdP-initiated sign-in is turned off for this tenant.")
        return None
    in_response_to = values.pop()
    if in_response_to not in outstanding:
        raise SsoRejected("InResponseTo matches no outstanding request of this browser.")
    return in_response_to


def _expiry(response: AuthnResponse, skew_seconds: int) -> datetime:
    times = []
    conditions = response.assertion.conditions
    if conditions is not None and conditions.not_on_or_after:
        times.append(conditions.not_on_or_after)
    for confirmation in response.assertion.subject.subject_confirmation:
        data = confirmation.subject_confirmation_data
        if data is not None and data.not_on_or_after:
            times.append(data.not_on_or_after)
    if not times:
        return datetime.now(UTC) + REPLAY_WINDOW_WITHOUT_EXPIRY
    return max(_as_datetime(value) for value in times) + timedelta(seconds=skew_seconds)


def _session_index(response: AuthnResponse) -> str | None:
    statements = response.assertion.authn_statement
    return statements[0].session_index if statements else None


def _attributes(response: AuthnResponse) -> dict[str, list[str]]:
    attributes: dict[str, list[str]] = {}
    for statement in response.assertion.attribute_statement:
        for attribute in statement.attribute:
            values = [value.text.strip() for value in attribute.attribute_value if value.text]
            attributes.setdefault(attribute.name, []).extend(values)
    return attributes
