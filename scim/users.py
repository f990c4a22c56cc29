"""The SCIM User resource: how an account is shown, and how a resource body becomes one.

Fields with a column on accounts.User are stored there. The other attributes this server
supports (see scim.schemas) are kept in User.attributes, so what an IdP writes it reads back.
"""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import F

from accounts.models import Group, Membership, User
from scim.errors import invalid_value
from scim.responses import resource_location
from scim.schemas import CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA, USER_ATTRIBUTES
from scim.values import (
    as_boolean,
    as_object,
    as_object_list,
    as_string,
    lower_keys,
)

SIMPLE_ATTRIBUTES = ("nickName", "title", "userType", "preferredLanguage", "locale", "timezone")
EXTRA_NAME_PARTS = ("formatted", "middleName", "honorificPrefix", "honorificSuffix")
# Multi-valued complex attributes stored with their published sub-attributes only. Entra's
# default mapping writes both.
PASS_THROUGH_LISTS = ("phoneNumbers", "addresses")
SUB_ATTRIBUTE_TYPES: dict[str, dict[str, str]] = {
    definition["name"]: {sub["name"]: sub["type"] for sub in definition["subAttributes"]}
    for definition in USER_ATTRIBUTES
    if definition["name"] in PASS_THROUGH_LISTS
}
ENTERPRISE_SIMPLE_ATTRIBUTES = (
    "employeeNumber", "costCenter", "organization", "division", "department",
)


def resource_version(updated_at) -> str:
    """Return the weak ETag (meta.version) of a resource, which changes on every save."""
    return f'W/"{int(updated_at.timestamp() * 1_000_000)}"'


def user_resource(
    user: User, *, with_groups: bool = True, groups: list[Group] | None = None
) -> dict[str, Any]:
    """Return the SCIM representation of the account (RFC 7643 section 4.1).

    List views pass `groups`, loaded for the whole page by users_groups(), to save a query per
    user.
    """
    stored = user.attributes or {}
    resource: dict[str, Any] = {
        "schemas": [CORE_USER_SCHEMA],
        "id": str(user.pk),
        "userName": user.user_name,
        "active": user.is_active,
        "emails": stored.get("emails") or _default_emails(user),
    }

    if user.external_id:
        resource["externalId"] = user.external_id
    name = _name(user, stored)
    if name:
        resource["name"] = name
    if user.display_name:
        resource["displayName"] = user.display_name
    for name in SIMPLE_ATTRIBUTES:
        if stored.get(name):
            resource[name] = stored[name]
    for list_name in PASS_THROUGH_LISTS:
        if stored.get(list_name):
            resource[list_name] = stored[list_name]

    if stored.get("enterprise"):
        resource["schemas"].append(ENTERPRISE_USER_SCHEMA)
        resource[ENTERPRISE_USER_SCHEMA] = stored["enterprise"]
    if with_groups:
        resource["groups"] = _group_references(groups if groups is not None else _groups(user))

    resource["meta"] = {
        "resourceType": "User",
        "created": user.date_joined.isoformat(),
        "lastModified": user.updated_at.isoformat(),
        "location": resource_location("/Users", str(user.pk)),
        "version": resource_version(user.updated_at),
    }
    return resource


def _name(user: User, stored: dict) -> dict[str, str]:
    name = {"givenName": user.given_name, "familyName": user.family_name}
    name.update(stored.get("name") or {})
    return {key: value for key, value in name.items() if value}


def _default_emails(user: User) -> list[dict]:
    return [{"value": user.email, "type": "work", "primary": True}] if user.email else []


def _groups(user: User) -> list[Group]:
    # Groups are read through the user's own tenant, as everything in SCIM is.
    return list(
        Group.objects.filter(tenant_id=user.tenant_id, members=user).order_by("display_name")
    )


def users_groups(users: list[User]) -> dict[Any, list[Group]]:
    """Return each user's groups (by user pk) with one query for the whole list."""
    groups: dict[Any, list[Group]] = {user.pk: [] for user in users}
    memberships = (
        # Only groups of the user's own tenant, as everywhere in SCIM.
        Membership.objects.filter(user__in=users, group__tenant_id=F("user__tenant_id"))
        .select_related("group")
        .order_by("group__display_name")
    )
    for membership in memberships:
        groups[membership.user_id].append(membership.group)
    return groups


def _group_references(groups: list[Group]) -> list[dict[str, str]]:
    return [
        {
            "value": str(group.pk),
            "$ref": resource_location("/Groups", str(group.pk)),
            "display": group.display_name,
            "type": "direct",
        }
        for group in groups
    ]


@dataclass
class UserInput:
    """A validated User resource body, ready to be stored."""

    user_name: str
    email: str
    given_name: str = ""
    family_name: str = ""
    display_name: str = ""
    external_id: str = ""
    active: bool | None = None
    attributes: dict[str, Any] = field(default_factory=dict)


def user_input_from_resource(data: dict[str, Any]) -> UserInput:
    """Validate a POSTed, PUT or patched User body; read-only id, meta and groups are ignored."""
    values = lower_keys(data)
    user_name = as_string(values.get("username"), "userName", 254)
    if not user_name:
        raise invalid_value("userName is required.")

    name = lower_keys(as_object(values.get("name"), "name"))
    emails = _emails(values.get("emails"))
    attributes: dict[str, Any] = {}
    if emails:
        attributes["emails"] = emails
    name_extra = {
        part: as_string(name.get(part.lower()), f"name.{part}")
        for part in EXTRA_NAME_PARTS
        if name.get(part.lower())
    }
    if name_extra:
        attributes["name"] = name_extra
    for attribute in SIMPLE_ATTRIBUTES:
        value = as_string(values.get(attribute.lower()), attribute)
        if value:
            attributes[attribute] = value
    for list_name in PASS_THROUGH_LISTS:
        items = _typed_items(values.get(list_name.lower()), list_name)
        if items:
            attributes[list_name] = items
    enterprise = _enterprise(values.get(ENTERPRISE_USER_SCHEMA.lower()))
    if enterprise:
        attributes["enterprise"] = enterprise

    active = values.get("active")
    return UserInput(
        user_name=user_name,
        email=_sign_in_email(emails, user_name),
        given_name=as_string(name.get("givenname"), "name.givenName", 150),
        family_name=as_string(name.get("familyname"), "name.familyName", 150),
        display_name=as_string(values.get("displayname"), "displayName", 300),
        external_id=as_string(values.get("externalid"), "externalId"),
        active=None if active is None else as_boolean(active, "active"),
        attributes=attributes,
    )


def _emails(value: Any) -> list[dict]:
    """Return the emails with the primary one first, because filters read the first entry."""
    emails = []
    for item in as_object_list(value, "emails"):
        entry = lower_keys(item)
        email = {"value": as_string(entry.get("value"), "emails.value", 254)}
        if not email["value"]:
            continue
        if entry.get("type"):
            email["type"] = as_string(entry["type"], "emails.type", 50)
        if entry.get("display"):
            email["display"] = as_string(entry["display"], "emails.display", 254)
        if entry.get("primary") is not None:
            email["primary"] = as_boolean(entry["primary"], "emails.primary")
        emails.append(email)
    emails.sort(key=lambda email: not email.get("primary", False))
    return emails


def _typed_items(value: Any, list_name: str) -> list[dict]:
    """Keep the sub-attributes /Schemas publishes for the list, checking each one's type.

    Unknown sub-attributes are dropped (RFC 7644 section 3.3 lets a server ignore them), so what
    is stored always matches the published schema.
    """
    sub_types = SUB_ATTRIBUTE_TYPES[list_name]
    items = []
    for item in as_object_list(value, list_name):
        entry = lower_keys(item)
        typed: dict[str, Any] = {}
        for sub_name, sub_type in sub_types.items():
            sub_value = entry.get(sub_name.lower())
            if sub_value is None:
                continue
            label = f"{list_name}.{sub_name}"
            if sub_type == "boolean":
                typed[sub_name] = as_boolean(sub_value, label)
            else:
                typed[sub_name] = as_string(sub_value, label)
        if typed:
            items.append(typed)
    return items


def _sign_in_email(emails: list[dict], user_name: str) -> str:
    """Return the primary (or first) email, else userName when it is an email address."""
    candidates = [emails[0]["value"]] if emails else [user_name]
    for candidate in candidates:
        try:
            validate_email(candidate)
        except ValidationError:
            continue
        return candidate
    if emails:
        raise invalid_value("emails.value must be a valid email address.")
    raise invalid_value(
        "An email is required: send emails with a value, or an email address as userName."
    )


def _enterprise(value: Any) -> dict[str, Any]:
    values = lower_keys(as_object(value, ENTERPRISE_USER_SCHEMA))
    enterprise: dict[str, Any] = {}
    for attribute in ENTERPRISE_SIMPLE_ATTRIBUTES:
        text = as_string(values.get(attribute.lower()), attribute)
        if text:
            enterprise[attribute] = text
    manager = values.get("manager")
    if isinstance(manager, str | int) and not isinstance(manager, bool):
        # Entra sends the manager's id as a bare string in PATCH.
        manager = {"value": str(manager)}
    manager = lower_keys(as_object(manager, "manager"))
    if manager.get("value"):
        enterprise["manager"] = {"value": as_string(manager["value"], "manager.value")}
        if manager.get("$ref"):
            enterprise["manager"]["$ref"] = as_string(manager["$ref"], "manager.$ref", 500)
    return enterprise
