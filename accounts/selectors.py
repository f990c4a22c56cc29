"""Read-only queries on tenants, accounts and roles."""

from django.db.models import QuerySet

from accounts.models import Group, Tenant, User
from accounts.roles import Role, sort_by_precedence


def tenant_get_by_hash(tenant_hash: str) -> Tenant | None:
    return Tenant.objects.filter(hash=tenant_hash).first()


def user_get_by_email(*, tenant: Tenant, email: str) -> User | None:
    return User.objects.filter(tenant=tenant, email__iexact=email).first()


def user_roles(user: User) -> list[Role]:
    """Return the user's roles in order of precedence.

    The tenant's SCIM connection-test account never has a role, whatever groups it is in.
    """
    if user.tenant_id is None or user.is_scim_test_account:
        return []
    values = (
        Group.objects.filter(tenant_id=user.tenant_id, members=user)
        .exclude(role="")
        .values_list("role", flat=True)
    )
    return sort_by_precedence({Role(value) for value in values})


def user_primary_role(user: User) -> Role | None:
    roles = user_roles(user)
    return roles[0] if roles else None


def role_groups(tenant: Tenant) -> QuerySet[Group]:
    return Group.objects.filter(tenant=tenant).exclude(role="")


def user_can_sign_in(user: User) -> bool:
    """Return whether the account may hold a session (active, not the connection-test account)."""
    return user.is_active and not user.is_scim_test_account
