"""Schema URNs and the discovery documents of RFC 7643 sections 5 to 7.

The attribute lists below are what this server stores and returns, so the discovery endpoints
describe the real behaviour and a client that reads them sends only what round-trips.
"""

from typing import Any

CORE_USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
CORE_GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE_USER_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema"
RESOURCE_TYPE_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
SERVICE_PROVIDER_CONFIG_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"

# The largest page a list or search returns, whatever `count` a client asks for.
MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 100


def attribute(
    name: str,
    type_: str = "string",
    *,
    multi: bool = False,
    required: bool = False,
    case_exact: bool = False,
    mutability: str = "readWrite",
    returned: str = "default",
    uniqueness: str = "none",
    sub: list[dict[str, Any]] | None = None,
    reference_types: list[str] | None = None,
    description: str = "",
) -> dict[str, Any]:
    """Return one attribute definition in the RFC 7643 section 7 shape."""
    definition: dict[str, Any] = {
        "name": name,
        "type": type_,
        "multiValued": multi,
        "description": description or name,
        "required": required,
        "caseExact": case_exact,
        "mutability": mutability,
        "returned": returned,
        "uniqueness": uniqueness,
    }
    if sub is not None:
        definition["subAttributes"] = sub
    if reference_types is not None:
        definition["referenceTypes"] = reference_types
    return definition


def _multi_valued_strings(
    *, with_display: bool = False, value_required: bool = False
) -> list[dict[str, Any]]:
    parts = [
        attribute("value", required=value_required),
        attribute("type"),
        attribute("primary", "boolean"),
    ]
    if with_display:
        parts.append(attribute("display"))
    return parts


USER_ATTRIBUTES = [
    attribute(
        "userName", required=True, uniqueness="server",
        description="Unique per tenant, compared case-insensitively.",
    ),
    attribute(
        "name",
        "complex",
        sub=[
            attribute("formatted"),
            attribute("familyName"),
            attribute("givenName"),
            attribute("middleName"),
            attribute("honorificPrefix"),
            attribute("honorificSuffix"),
        ],
    ),
    attribute("displayName"),
    attribute("nickName"),
    attribute("title"),
    attribute("userType"),
    attribute("preferredLanguage"),
    attribute("locale"),
    attribute("timezone"),
    # Required so that removing it is refused: an account is always active or not.
    attribute("active", "boolean", required=True),
    # Every account needs an email (the sign-in identity), so emails is required here even
    # though RFC 7643 makes it optional. A userName that is an email address is accepted in
    # its place.
    attribute(
        "emails", "complex", multi=True, required=True,
        sub=_multi_valued_strings(with_display=True, value_required=True),
        description="The primary email, or the first, is the account's sign-in email.",
    ),
    attribute("phoneNumbers", "complex", multi=True, sub=_multi_valued_strings()),
    attribute(
        "addresses",
        "complex",
        multi=True,
        sub=[
            attribute("formatted"),
            attribute("streetAddress"),
            attribute("locality"),
            attribute("region"),
            attribute("postalCode"),
            attribute("country"),
            attribute("type"),
            attribute("primary", "boolean"),
        ],
    ),
    attribute(
        "groups",
        "complex",
        multi=True,
        mutability="readOnly",
        sub=[
            attribute("value", mutability="readOnly"),
            attribute("$ref", "reference", mutability="readOnly", reference_types=["Group"]),
            attribute("display", mutability="readOnly"),
            attribute("type", mutability="readOnly"),
        ],
    ),
]

ENTERPRISE_USER_ATTRIBUTES = [
    attribute("employeeNumber"),
    attribute("costCenter"),
    attribute("organization"),
    attribute("division"),
    attribute("department"),
    attribute(
        "manager",
        "complex",
        sub=[
            attribute("value"),
            attribute("$ref", "reference", reference_types=["User"]),
        ],
    ),
]

GROUP_ATTRIBUTES = [
    attribute("displayName", required=True, uniqueness="server"),
    attribute(
        "members",
        "complex",
        multi=True,
        sub=[
            attribute("value", mutability="immutable"),
            attribute("$ref", "reference", mutability="immutable", reference_types=["User"]),
        ],
    ),
]

SCHEMA_DEFINITIONS: list[dict[str, Any]] = [
    {"id": CORE_USER_SCHEMA, "name": "User", "description": "User account",
     "attributes": USER_ATTRIBUTES},
    {"id": ENTERPRISE_USER_SCHEMA, "name": "EnterpriseUser", "description": "Enterprise user",
     "attributes": ENTERPRISE_USER_ATTRIBUTES},
    {"id": CORE_GROUP_SCHEMA, "name": "Group", "description": "Group",
     "attributes": GROUP_ATTRIBUTES},
]

RESOURCE_TYPE_DEFINITIONS: list[dict[str, Any]] = [
    {
        "id": "User",
        "name": "User",
        "endpoint": "/Users",
        "description": "User Account",
        "schema": CORE_USER_SCHEMA,
        "schemaExtensions": [{"schema": ENTERPRISE_USER_SCHEMA, "required": False}],
    },
    {
        "id": "Group",
        "name": "Group",
        "endpoint": "/Groups",
        "description": "Group",
        "schema": CORE_GROUP_SCHEMA,
        "schemaExtensions": [],
    },
]
