"""Turn a verified assertion into a tenant account: look it up, or create it (JIT)."""

import logging

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from accounts.models import User
from accounts.selectors import role_groups, user_can_sign_in, user_get_by_email
from accounts.services import membership_add, user_create
from sso.authn_response import VerifiedAssertion
from sso.errors import SsoAccountRejected, SsoRejected
from sso.models import SamlConfiguration

logger = logging.getLogger("inone.sso")


def assertion_email(configuration: SamlConfiguration, assertion: VerifiedAssertion) -> str:
    """Return the email the assertion names: the mapped email attribute, else the NameID."""
    values = assertion.attributes.get(configuration.email_attribute or "", [])
    email = values[0] if values else assertion.name_id
    try:
        validate_email(email)
    except ValidationError:
        raise SsoRejected(
            "The assertion names no valid email (NameID or email attribute)."
        ) from None
    return email


def account_for_assertion(configuration: SamlConfiguration, assertion: VerifiedAssertion) -> User:
    """Return the tenant account that may sign in, or raise SsoAccountRejected.

    The look-up is scoped to this tenant: the same email in another tenant is another person.
    """
    tenant = configuration.tenant
    email = assertion_email(configuration, assertion)
    user = user_get_by_email(tenant=tenant, email=email)
    if user is None and configuration.jit_provisioning:
        user = _provision(configuration, assertion, email)
    if user is None:
        raise SsoAccountRejected("No account with the asserted email exists in this tenant.")
    if not user_can_sign_in(user):
        raise SsoAccountRejected("The account is inactive or is the SCIM connection-test account.")
    return user


def _provision(
    configuration: SamlConfiguration, assertion: VerifiedAssertion, email: str
) -> User | None:
    tenant = configuration.tenant
    if email.lower() == tenant.scim_test_email.lower():
        return None
    given_name = _first(assertion, configuration.first_name_attribute)
    family_name = _first(assertion, configuration.last_name_attribute)
    try:
        with transaction.atomic():
            user = user_create(
                tenant=tenant,
                email=email,
                given_name=given_name[:150],
                family_name=family_name[:150],
                display_name=f"{given_name} {family_name}".strip()[:300],
            )
            _grant_roles(configuration, assertion, user)
    except IntegrityError:
        # A concurrent sign-in or SCIM push created the account a moment ago.
        return user_get_by_email(tenant=tenant, email=email)
    logger.info("sso.user.provisioned", extra={"tenant": tenant.hash, "user_id": str(user.pk)})
    return user


def _grant_roles(
    configuration: SamlConfiguration, assertion: VerifiedAssertion, user: User
) -> None:
    """Add the new account to the tenant's role groups named in the group attribute."""
    names = {name.lower() for name in assertion.attributes.get(configuration.group_attribute, [])}
    if not names:
        return
    for group in role_groups(configuration.tenant):
        if group.display_name.lower() in names:
            membership_add(group=group, users=[user])


def _first(assertion: VerifiedAssertion, attribute: str) -> str:
    values = assertion.attributes.get(attribute or "", [])
    return values[0] if values else ""
