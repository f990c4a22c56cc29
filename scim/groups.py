"""The SCIM Group resource and its writes: create or take over, rename, members, delete.

Role groups (the six Insider groups, `role` not blank) are ordinary SCIM groups for members,
with two rules that keep roles working: their displayName cannot be changed, and DELETE empties
them instead of removing the row.
"""

import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F

from accounts.models import Group, Membership
from accounts.services import membership_add, membership_remove
from scim.errors import ScimError, invalid_value, uniqueness
from scim.responses import resource_location
from scim.schemas import CORE_GROUP_SCHEMA
from scim.tenancy import TenantScope, parse_resource_id
from scim.users import resource_version
from scim.values import as_object_list, as_string, lower_keys

logger = logging.getLogger("inone.scim")


def group_resource(
    group: Group, *, with_members: bool = True, member_pks: list | None = None
) -> dict[str, Any]:
    """Return the SCIM representation of the group (RFC 7643 section 4.2).

    List views pass `member_pks`, loaded for the whole page by groups_member_pks(), to save a
    query per group.
    """
    resource: dict[str, Any] = {
        "schemas": [CORE_GROUP_SCHEMA],
        "id": str(group.pk),
        "displayName": group.display_name,
    }
    if group.external_id:
        resource["externalId"] = group.external_id
    if with_members:
        if member_pks is None:
            member_pks = _member_pks(group)
        resource["members"] = [
            {"value": str(pk), "$ref": resource_location("/Users", str(pk))} for pk in member_pks
        ]
    resource["meta"] = {
        "resourceType": "Group",
        "created": group.created_at.isoformat(),
        "lastModified": group.updated_at.isoformat(),
        "location": resource_location("/Groups", str(group.pk)),
        "version": resource_version(group.updated_at),
    }
    return resource


# Members carry value and $ref only: what a client writes is what it reads back, and display or
# type would differ from the member objects IdPs send.
def _member_pks(group: Group) -> list:
    members = group.members.filter(tenant_id=group.tenant_id).order_by("user_name")
    return list(members.values_list("pk", flat=True))


def groups_member_pks(groups: list[Group]) -> dict[Any, list]:
    """Return each group's member ids (by group pk) with one query for the whole list."""
    member_pks: dict[Any, list] = {group.pk: [] for group in groups}
    memberships = (
        # Only users of the group's own tenant, as everywhere in SCIM.
        Membership.objects.filter(group__in=groups, user__tenant_id=F("group__tenant_id"))
        .order_by("user__user_name")
        .values_list("group_id", "user_id")
    )
    for group_pk, user_pk in memberships:
        member_pks[group_pk].append(user_pk)
    return member_pks


def member_ids(value: Any, name: str = "members") -> list[str]:
    """Return the user ids of a members value list such as [{"value": "<id>"}]."""
    ids = []
    for item in as_object_list(value, name):
        member_id = lower_keys(item).get("value")
        if not isinstance(member_id, str) or not member_id:
            raise invalid_value(f"Each entry of {name} needs a value: the user's id.")
        ids.append(member_id)
    return ids


def display_name_from(value: Any) -> str:
    display_name = as_string(value, "displayName")
    if not display_name:
        raise invalid_value("displayName is required.")
    return display_name


def group_members_set(scope: TenantScope, group: Group, ids: list[str]) -> None:
    """Make the group's members exactly these users of the tenant."""
    users = scope.users_by_ids(ids)
    Membership.objects.filter(group=group).exclude(user__in=users).delete()
    membership_add(group=group, users=users)


def group_members_add(scope: TenantScope, group: Group, ids: list[str]) -> None:
    # Adding an existing member is a no-op, because Entra re-sends adds.
    membership_add(group=group, users=scope.users_by_ids(ids))


def group_members_remove(scope: TenantScope, group: Group, ids: list[str]) -> None:
    """Remove the listed users; ids that are not members, or not users, are ignored."""
    pks = [pk for pk in map(parse_resource_id, ids) if pk is not None]
    membership_remove(group=group, users=list(scope.users().filter(pk__in=pks)))


def group_rename(scope: TenantScope, group: Group, display_name: str) -> None:
    if display_name == group.display_name:
        return
    if group.role and display_name.lower() == group.display_name.lower():
        # An IdP that spells a role group in another case keeps managing it; the name stays.
        return
    if group.role:
        raise ScimError(
            400,
            f"The role group {group.display_name!r} keeps its name; roles depend on it.",
            "mutability",
        )
    if scope.groups().filter(display_name__iexact=display_name).exclude(pk=group.pk).exists():
        raise uniqueness("A group with this displayName already exists in this tenant.")
    group.display_name = display_name


def group_save(group: Group) -> None:
    try:
        with transaction.atomic():
            group.save()
    except IntegrityError:
        raise uniqueness("A group with this displayName already exists in this tenant.") from None


def group_create_or_take_over(
    scope: TenantScope, display_name: str, external_id: str, members: list[str]
) -> Group:
    """Create the group, or take over the tenant's group of the same name (a role group too).

    JumpCloud takes over an existing group whose name matches the one it pushes, so a POST of a
    known name returns that group. Members posted with it are added; existing members are kept.
    """
    try:
        group, created = _group_upsert(scope, display_name, external_id, members)
    except IntegrityError:
        # Another request created the same name between our look-up and insert: take it over.
        group, created = _group_upsert(scope, display_name, external_id, members)

    event = "scim.group.created" if created else "scim.group.taken-over"
    logger.info(event, extra={"tenant": scope.tenant.hash, "group_id": str(group.pk)})
    return group


def _group_upsert(
    scope: TenantScope, display_name: str, external_id: str, members: list[str]
) -> tuple[Group, bool]:
    with transaction.atomic():
        group = (
            scope.groups().select_for_update().filter(display_name__iexact=display_name).first()
        )
        created = group is None
        if created:
            group = Group(tenant=scope.tenant, display_name=display_name)
        if external_id:
            group.external_id = external_id
        group.save()
        if members:
            group_members_add(scope, group, members)
    return group, created


def group_delete(group: Group) -> None:
    """Delete a pushed group; a role group is emptied and kept, because roles need all six."""
    if group.role:
        Membership.objects.filter(group=group).delete()
        group.external_id = ""
        group.save(update_fields=["external_id", "updated_at"])
        logger.info("scim.group.role-group-emptied", extra={"group_id": str(group.pk)})
        return
    group_id = str(group.pk)
    group.delete()
    logger.info("scim.group.deleted", extra={"group_id": group_id})
