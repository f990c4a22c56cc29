"""The one place where SCIM looks up users and groups.

Security: a SCIM bearer token belongs to one tenant, and every user and group the SCIM views
read or change is found through TenantScope, which filters by that tenant before anything else
is applied. Queries that follow from an object found here (a group's members, a user's groups)
also filter by its tenant. Client filters are added with a separate .filter(), so Django wraps
them in parentheses and an `or` in a client filter cannot widen the result to another tenant.
A resource of another tenant is therefore indistinguishable from one that does not exist: both
are 404.
"""

import uuid

from django.db.models import QuerySet

from accounts.models import Group, Tenant, User
from scim.errors import invalid_value, not_found


def parse_resource_id(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


class TenantScope:
    def __init__(self, tenant: Tenant) -> None:
        self.tenant = tenant

    def users(self) -> QuerySet[User]:
        return User.objects.filter(tenant=self.tenant).select_related("tenant")

    def groups(self) -> QuerySet[Group]:
        return Group.objects.filter(tenant=self.tenant)

    def user(self, resource_id: str, *, for_update: bool = False) -> User:
        pk = parse_resource_id(resource_id)
        queryset = self.users().select_for_update() if for_update else self.users()
        user = queryset.filter(pk=pk).first() if pk else None
        if user is None:
            raise not_found("User", resource_id)
        return user

    def group(self, resource_id: str, *, for_update: bool = False) -> Group:
        pk = parse_resource_id(resource_id)
        queryset = self.groups().select_for_update() if for_update else self.groups()
        group = queryset.filter(pk=pk).first() if pk else None
        if group is None:
            raise not_found("Group", resource_id)
        return group

    def users_by_ids(self, resource_ids: list[str]) -> list[User]:
        """Return the tenant's users with these ids, or raise 400 naming the first unknown id.

        Member lists go through here, so a group never takes another tenant's user. The error is
        400 rather than 404 because the group in the URL exists and only the member value is wrong.
        """
        requested: dict[uuid.UUID, str] = {}
        for resource_id in resource_ids:
            pk = parse_resource_id(resource_id)
            if pk is None:
                raise _unknown_member(resource_id)
            requested[pk] = resource_id
        found = {user.pk: user for user in self.users().filter(pk__in=requested)}
        for pk, resource_id in requested.items():
            if pk not in found:
                raise _unknown_member(resource_id)
        return list(found.values())


def _unknown_member(resource_id: str):
    return invalid_value(f"Member {str(resource_id)[:64]} is not a user of this tenant.")
