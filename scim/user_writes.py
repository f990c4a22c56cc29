"""Create and update accounts from validated SCIM input, with per-tenant uniqueness."""

import logging

from django.db import IntegrityError, transaction

from accounts.models import User
from accounts.services import user_create, user_set_active
from scim.errors import uniqueness
from scim.tenancy import TenantScope
from scim.users import UserInput

logger = logging.getLogger("inone.scim")

CONFLICT_DETAIL = "A user with this userName or email already exists in this tenant."


def _check_unique(scope: TenantScope, data: UserInput, exclude: User | None) -> None:
    """Raise 409 when another account of the tenant has this userName or email.

    The database constraints catch the race between two requests; this check gives the message.
    Values are not echoed, because they are personal data and end up in the request log.
    """
    others = scope.users()
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if others.filter(user_name__iexact=data.user_name).exists():
        raise uniqueness("A user with this userName already exists in this tenant.")
    if others.filter(email__iexact=data.email).exists():
        raise uniqueness("A user with this email already exists in this tenant.")


def scim_user_create(scope: TenantScope, data: UserInput) -> User:
    _check_unique(scope, data, exclude=None)
    try:
        with transaction.atomic():
            user = user_create(
                tenant=scope.tenant,
                email=data.email,
                user_name=data.user_name,
                given_name=data.given_name,
                family_name=data.family_name,
                display_name=data.display_name,
                external_id=data.external_id,
                is_active=True if data.active is None else data.active,
                attributes=data.attributes,
            )
    except IntegrityError:
        raise uniqueness(CONFLICT_DETAIL) from None
    logger.info("scim.user.created", extra={"tenant": scope.tenant.hash, "user_id": str(user.pk)})
    return user


def scim_user_update(scope: TenantScope, user: User, data: UserInput) -> User:
    """Replace the account's SCIM attributes; `active` left out of the body keeps its value.

    Call inside a transaction: the field update and a deactivation commit or fail together.
    """
    _check_unique(scope, data, exclude=user)
    user.user_name = data.user_name
    user.email = User.objects.normalize_email(data.email)
    user.given_name = data.given_name
    user.family_name = data.family_name
    user.display_name = data.display_name
    user.external_id = data.external_id
    user.attributes = data.attributes
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise uniqueness(CONFLICT_DETAIL) from None

    if data.active is not None and data.active != user.is_active:
        # The accounts service ends every session of a deactivated user.
        user_set_active(user=user, active=data.active)
    logger.info("scim.user.updated", extra={"tenant": scope.tenant.hash, "user_id": str(user.pk)})
    return user
