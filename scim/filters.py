"""Translate SCIM filters (RFC 7644 section 3.4.2.2) into Django Q objects.

scim2-filter-parser parses the filter. Each attribute a filter may name maps to a column, or to a
key of User.attributes, in FilterField tables per resource type, so counting, sorting and paging
happen in the database. An attribute outside the table or a syntax error is 400 invalidFilter.
The Q object is applied to a TenantScope queryset, never in place of it.
"""

import uuid
from dataclasses import dataclass
from typing import Literal

from django.db.models import Q
from django.utils.dateparse import parse_datetime
from scim2_filter_parser import ast
from scim2_filter_parser.lexer import SCIMLexer
from scim2_filter_parser.parser import SCIMParser, SCIMParserError

from scim.errors import invalid_filter
from scim.schemas import CORE_GROUP_SCHEMA, CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA

MAX_FILTER_LENGTH = 4096
SYNTAX_ERROR = "The filter is not valid SCIM filter syntax (RFC 7644 section 3.4.2.2)."

FieldKind = Literal["string", "exact", "json", "bool", "datetime", "uuid"]


@dataclass(frozen=True)
class FilterField:
    """The database lookup behind a SCIM attribute path, and how its values compare."""

    lookup: str
    kind: FieldKind
    # Joins through a many-to-many relation, so the queryset needs .distinct().
    multi_row: bool = False


def _enterprise(name: str) -> str:
    return f"{ENTERPRISE_USER_SCHEMA}:{name}".lower()


# Keys are lower-case attribute paths: "name.familyname", or "<schema urn>:<attr>[.<sub>]".
USER_FILTER_FIELDS: dict[str, FilterField] = {
    "id": FilterField("pk", "uuid"),
    "username": FilterField("user_name", "string"),
    "externalid": FilterField("external_id", "exact"),
    "displayname": FilterField("display_name", "string"),
    "name.givenname": FilterField("given_name", "string"),
    "name.familyname": FilterField("family_name", "string"),
    "name.formatted": FilterField("display_name", "string"),
    "emails": FilterField("email", "string"),
    "emails.value": FilterField("email", "string"),
    # NOTE: emails[...] filters see the primary email only, which is stored first.
    "emails.type": FilterField("attributes__emails__0__type", "json"),
    "active": FilterField("is_active", "bool"),
    "nickname": FilterField("attributes__nickName", "json"),
    "title": FilterField("attributes__title", "json"),
    "usertype": FilterField("attributes__userType", "json"),
    "locale": FilterField("attributes__locale", "json"),
    "preferredlanguage": FilterField("attributes__preferredLanguage", "json"),
    "timezone": FilterField("attributes__timezone", "json"),
    "meta.created": FilterField("date_joined", "datetime"),
    "meta.lastmodified": FilterField("updated_at", "datetime"),
    "groups": FilterField("memberships__id", "uuid", multi_row=True),
    "groups.value": FilterField("memberships__id", "uuid", multi_row=True),
    _enterprise("employeeNumber"): FilterField("attributes__enterprise__employeeNumber", "json"),
    _enterprise("costCenter"): FilterField("attributes__enterprise__costCenter", "json"),
    _enterprise("organization"): FilterField("attributes__enterprise__organization", "json"),
    _enterprise("division"): FilterField("attributes__enterprise__division", "json"),
    _enterprise("department"): FilterField("attributes__enterprise__department", "json"),
    _enterprise("manager"): FilterField("attributes__enterprise__manager__value", "json"),
    _enterprise("manager.value"): FilterField("attributes__enterprise__manager__value", "json"),
}

GROUP_FILTER_FIELDS: dict[str, FilterField] = {
    "id": FilterField("pk", "uuid"),
    "displayname": FilterField("display_name", "string"),
    "externalid": FilterField("external_id", "exact"),
    "members": FilterField("members__id", "uuid", multi_row=True),
    "members.value": FilterField("members__id", "uuid", multi_row=True),
    "meta.created": FilterField("created_at", "datetime"),
    "meta.lastmodified": FilterField("updated_at", "datetime"),
}

CORE_SCHEMA_PREFIXES = (CORE_USER_SCHEMA.lower() + ":", CORE_GROUP_SCHEMA.lower() + ":")

STRING_LOOKUPS = {"eq": "iexact", "co": "icontains", "sw": "istartswith", "ew": "iendswith"}
EXACT_LOOKUPS = {"eq": "exact", "co": "contains", "sw": "startswith", "ew": "endswith"}
ORDER_LOOKUPS = {"gt": "gt", "ge": "gte", "lt": "lt", "le": "lte"}


@dataclass
class TranslatedFilter:
    q: Q
    multi_row: bool


def filter_parse(text: str) -> ast.Filter:
    if len(text) > MAX_FILTER_LENGTH:
        raise invalid_filter(f"The filter is longer than {MAX_FILTER_LENGTH} characters.")
    if "\x00" in text:
        raise invalid_filter("The filter must not contain the NUL character (U+0000).")
    try:
        return SCIMParser().parse(SCIMLexer().tokenize(text))
    except (SCIMParserError, ValueError, TypeError, AttributeError):
        raise invalid_filter(SYNTAX_ERROR) from None


def filter_to_q(text: str, fields: dict[str, FilterField]) -> TranslatedFilter:
    """Parse a SCIM filter and return its Q object for a queryset of the resource type."""
    tree = filter_parse(text)
    translator = _Translator(fields)
    try:
        q = translator.filter(tree, namespace=None)
    except RecursionError:
        raise invalid_filter("The filter is nested too deeply.") from None
    return TranslatedFilter(q=q, multi_row=translator.multi_row)


def field_for_path(path: str, fields: dict[str, FilterField]) -> FilterField | None:
    """Return the field of an attribute path such as "name.familyName", case-insensitively."""
    key = path.lower()
    for prefix in CORE_SCHEMA_PREFIXES:
        if key.startswith(prefix):
            key = key[len(prefix):]
    return fields.get(key)


class _Translator:
    def __init__(self, fields: dict[str, FilterField]) -> None:
        self.fields = fields
        self.multi_row = False

    def filter(self, node: ast.AST, namespace: str | None) -> Q:
        if isinstance(node, ast.Filter):
            if node.namespace is not None:
                # emails[type eq "work"]: the inner filter applies to the emails attribute.
                namespace = self.namespace_name(node.namespace)
            q = self.filter(node.expr, namespace)
            return ~q if node.negated else q
        if isinstance(node, ast.LogExpr):
            left = self.filter(node.expr1, namespace)
            right = self.filter(node.expr2, namespace)
            return left & right if node.op.lower() == "and" else left | right
        if isinstance(node, ast.AttrExpr):
            return self.comparison(node, namespace)
        raise invalid_filter(SYNTAX_ERROR)

    def namespace_name(self, attr_path: ast.AttrPath) -> str:
        name = attr_path.attr_name
        if not isinstance(name, str):
            raise invalid_filter("Nested attribute filters are not supported.")
        return f"{attr_path.uri}:{name}" if attr_path.uri else name

    def path_name(self, attr_path: ast.AttrPath, namespace: str | None) -> str:
        name = attr_path.attr_name
        if not isinstance(name, str):
            raise invalid_filter("Nested attribute filters are not supported.")
        if attr_path.sub_attr is not None:
            name = f"{name}.{attr_path.sub_attr.value}"
        if namespace:
            name = f"{namespace}.{name}"
        if attr_path.uri:
            name = f"{attr_path.uri}:{name}"
        return name

    def comparison(self, node: ast.AttrExpr, namespace: str | None) -> Q:
        attr_path = node.attr_path
        extra = Q()
        if isinstance(attr_path.attr_name, ast.Filter):
            # emails[type eq "work"].value eq "x": both parts must hold.
            value_filter = attr_path.attr_name
            extra = self.filter(value_filter, namespace)
            attr_path = value_filter.namespace
        path = self.path_name(attr_path, namespace)
        field = field_for_path(path, self.fields)
        if field is None:
            raise invalid_filter(f"Filtering on the attribute {path[:100]!r} is not supported.")
        self.multi_row = self.multi_row or field.multi_row
        operator = node.value.lower()
        value = node.comp_value.value if node.comp_value is not None else None
        return extra & _compare(field, operator, value, path)


def _compare(field: FilterField, operator: str, value, path: str) -> Q:
    if operator == "pr":
        return _present(field)
    if value is None:
        raise invalid_filter(f"The operator {operator!r} needs a value.")
    if operator == "ne":
        return ~_compare(field, "eq", value, path)

    if field.kind in ("string", "json", "exact"):
        return _compare_string(field, operator, str(value), path)
    if operator not in ("eq", *ORDER_LOOKUPS):
        raise invalid_filter(f"The operator {operator!r} does not apply to {path[:100]!r}.")
    typed = _typed_value(field, str(value), path)
    if typed is None:
        # A value that no row can have, such as an id that is not a UUID.
        return Q(pk__in=[])
    if operator == "eq":
        return Q(**{field.lookup: typed})
    if field.kind != "datetime":
        raise invalid_filter(f"The operator {operator!r} does not apply to {path[:100]!r}.")
    return Q(**{f"{field.lookup}__{ORDER_LOOKUPS[operator]}": typed})


def _compare_string(field: FilterField, operator: str, value: str, path: str) -> Q:
    lookups = EXACT_LOOKUPS if field.kind == "exact" else STRING_LOOKUPS
    if operator in lookups:
        return Q(**{f"{field.lookup}__{lookups[operator]}": value})
    if operator in ORDER_LOOKUPS:
        return Q(**{f"{field.lookup}__{ORDER_LOOKUPS[operator]}": value})
    raise invalid_filter(
        f"Unknown filter operator {operator!r}; use eq, ne, co, sw, ew, pr, gt, ge, lt or le."
    )


def _present(field: FilterField) -> Q:
    q = Q(**{f"{field.lookup}__isnull": False})
    if field.kind in ("string", "exact", "json"):
        q &= ~Q(**{field.lookup: ""})
    return q


def _typed_value(field: FilterField, value: str, path: str):
    if field.kind == "bool":
        if value.lower() not in ("true", "false"):
            raise invalid_filter(f"{path[:100]!r} takes true or false.")
        return value.lower() == "true"
    if field.kind == "datetime":
        try:
            parsed = parse_datetime(value)
        except ValueError:
            parsed = None
        if parsed is None:
            raise invalid_filter(f"{path[:100]!r} takes an RFC 3339 date-time.")
        return parsed
    try:
        return uuid.UUID(value)
    except ValueError:
        return None
