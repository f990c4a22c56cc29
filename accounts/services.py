"""The only place that creates, deactivates or deletes accounts and ends their sessions."""

import logging

from django.contrib import auth
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest

from accounts.models import Group, Membership, Tenant, User, UserDeletion, UserSession
from accounts.roles import ROLE_GROUP_ORDER
from accounts.selectors import user_can_sign_in

logger = logging.getLogger("inone.accounts")

SESSION_BACKEND = "accounts.backends.AccountBackend"


@transaction.atomic
def tenant_create(*, name: str, tenant_hash: str | None = None) -> Tenant:
    """Create a tenant with its six role groups."""
    tenant = Tenant(name=name)
    if tenant_hash:
        tenant.hash = tenant_hash
    tenant.full_clean()
    tenant.save()
    Group.objects.bulk_create(
        Group(tenant=tenant, display_name=role.group_name, role=role) for role in ROLE_GROUP_ORDER
    )
    logger.info("accounts.tenant.created", extra={"tenant": tenant.hash})
    return tenant


def user_create(
    *,
    tenant: Tenant,
    email: str,
    user_name: str | None = None,
    given_name: str = "",
    family_name: str = "",
    display_name: str = "",
    external_id: str = "",
    is_active: bool = True,
    attributes: dict | None = None,
) -> User:
    """Create a tenant account with no usable password: tenant users sign in through SSO."""
    user = User(
        tenant=tenant,
        email=User.objects.normalize_email(email),
        user_name=user_name or email,
        given_name=given_name,
        family_name=family_name,
        display_name=display_name,
        external_id=external_id,
        is_active=is_active,
        attributes=attributes or {},
    )
    user.set_unusable_password()
    user.save()
    logger.info("accounts.user.created", extra={"tenant": tenant.hash, "user_id": str(user.id)})
    return user


def sessions_end(user: User) -> None:
    """End every session of the user at once, on every worker.

    Bumping session_generation changes the session auth hash, so Django flushes any session that
    still carries the old hash on its next request. Deleting the recorded sessions frees them now.
    """
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    logger.info(
        "accounts.user.sessions-ended",
        extra={"user_id": str(user.pk), "sessions": len(keys)},
    )


@transaction.atomic
def user_set_active(*, user: User, active: bool) -> User:
    """Activate or deactivate an account; deactivation ends its sessions."""
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active", "updated_at"])
    if not active:
        sessions_end(user)
    logger.info(
        "accounts.user.active-changed",
        extra={"user_id": str(user.pk), "active": active},
    )
    return user


@transaction.atomic
def user_delete(*, user: User, actor: str) -> UserDeletion:
    """Delete an account, end its sessions and keep an audit record."""
    sessions_end(user)
    record = UserDeletion.objects.create(
        tenant=user.tenant,
        user_id=user.pk,
        user_name=user.user_name,
        email=user.email,
        external_id=user.external_id,
        actor=actor,
    )
    user_id = str(user.pk)
    user.delete()
    logger.info("accounts.user.deleted", extra={"user_id": user_id, "actor": actor})
    return record


def membership_add(*, group: Group, users: list[User]) -> None:
    """Add users to a group; adding an existing member is a no-op."""
    if any(user.tenant_id != group.tenant_id for user in users):
        raise ValueError("A group only takes members of its own tenant.")
    Membership.objects.bulk_create(
        [Membership(group=group, user=user) for user in users], ignore_conflicts=True
    )


def membership_remove(*, group: Group, users: list[User]) -> None:
    Membership.objects.filter(group=group, user__in=users).delete()


def session_start(request: HttpRequest, user: User) -> None:
    """Sign the user in on this request, after checking the account may hold a session."""
    if not user_can_sign_in(user):
        raise PermissionError("This account cannot sign in.")
    auth.login(request, user, backend=SESSION_BACKEND)
    UserSession.objects.get_or_create(user=user, session_key=request.session.session_key)
