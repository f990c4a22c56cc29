"""PATCH operations (RFC 7644 section 3.5.2) on a resource held as a dict.

User PATCH applies the operations to the user's current representation and stores the result
as a PUT would, so every attribute a PUT accepts can be patched the same way. This module
accepts the shapes IdPs send: capitalised ops ("Replace"), no path with a value object whose
keys may be attribute paths ("name.givenName" or an extension URN), and value lists on remove.
"""

import re
from dataclasses import dataclass
from typing import Any

from scim2_filter_parser import ast

from scim.errors import ScimError, invalid_path, invalid_syntax, invalid_value
from scim.filters import filter_parse
from scim.schemas import CORE_GROUP_SCHEMA, CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA
from scim.values import as_object

OPERATIONS = ("add", "remove", "replace")
READ_ONLY_ATTRIBUTES = ("id", "meta", "groups", "schemas")
# Attributes an account always has, so a remove operation on them is refused.
REQUIRED_ATTRIBUTES = ("username", "active")
MAX_OPERATIONS = 1000
PATH_PATTERN = re.compile(
    r"^(?P<attr>[A-Za-z$][\w$-]*)(?:\[(?P<filter>.+)\])?(?:\.(?P<sub>[A-Za-z$][\w$-]*))?$"
)


@dataclass(frozen=True)
class PatchOperation:
    op: str
    path: str | None
    value: Any


@dataclass(frozen=True)
class ParsedPath:
    schema: str | None
    attr: str
    value_filter: str | None
    sub: str | None


def patch_operations(body: dict) -> list[PatchOperation]:
    """Validate a PatchOp body and return its operations with lower-case op names."""
    operations = next((v for k, v in body.items() if k.lower() == "operations"), None)
    if not isinstance(operations, list) or not operations:
        raise invalid_syntax("A PATCH body needs a non-empty Operations list.")
    if len(operations) > MAX_OPERATIONS:
        raise invalid_syntax(f"A PATCH body takes at most {MAX_OPERATIONS} operations.")

    parsed = []
    for operation in operations:
        if not isinstance(operation, dict):
            raise invalid_syntax("Each PATCH operation must be a JSON object.")
        fields = {str(key).lower(): value for key, value in operation.items()}
        op = fields.get("op")
        if not isinstance(op, str) or op.lower() not in OPERATIONS:
            raise invalid_syntax("Each PATCH operation needs op: add, remove or replace.")
        path = fields.get("path")
        if path is not None and (not isinstance(path, str) or not path.strip()):
            raise invalid_path("path must be a non-empty string.")
        path = path.strip() if path else None
        parsed.append(PatchOperation(op.lower(), path, fields.get("value")))
    return parsed


def path_parse(path: str) -> ParsedPath:
    """Split "urn:...:User:manager.value" or 'emails[type eq "work"].value' into its parts."""
    schema = None
    for urn in (ENTERPRISE_USER_SCHEMA, CORE_USER_SCHEMA, CORE_GROUP_SCHEMA):
        if path.lower().startswith(urn.lower() + ":"):
            schema = urn
            path = path[len(urn) + 1:]
            break
        if path.lower() == urn.lower():
            return ParsedPath(urn, "", None, None)
    match = PATH_PATTERN.match(path)
    if match is None:
        raise invalid_path(f"The PATCH path {path[:100]!r} is not a valid attribute path.")
    return ParsedPath(schema, match["attr"], match["filter"], match["sub"])


def resource_patch(
    resource: dict[str, Any], operations: list[PatchOperation], known: set[str]
) -> dict[str, Any]:
    """Apply the operations to the resource in order and return it.

    `known` contains the lower-case names of the attributes the resource type supports. A path
    outside it is 400 invalidPath, so a typo does not pass silently.
    """
    for operation in operations:
        if operation.path is None:
            _apply_without_path(resource, operation, known)
            continue
        path = path_parse(operation.path)
        if path.attr == "" and path.schema == ENTERPRISE_USER_SCHEMA:
            _apply_extension(resource, operation, known)
        elif path.attr == "":
            raise invalid_path("A path must name an attribute after the schema URN.")
        else:
            _apply_path(resource, operation.op, path, operation.value, known)
    return resource


def _apply_extension(resource: dict, operation: PatchOperation, known: set[str]) -> None:
    """Apply an operation whose path is the extension URN itself, to the whole extension."""
    if operation.op == "remove":
        key = _find_key(resource, ENTERPRISE_USER_SCHEMA)
        if key is not None:
            del resource[key]
        return
    if operation.op == "replace":
        key = _find_key(resource, ENTERPRISE_USER_SCHEMA)
        if key is not None:
            del resource[key]
    for sub_key, sub_value in as_object(operation.value, ENTERPRISE_USER_SCHEMA).items():
        if str(sub_key).lower() == "schemas":
            continue
        sub_path = path_parse(f"{ENTERPRISE_USER_SCHEMA}:{sub_key}")
        _apply_path(resource, operation.op, sub_path, sub_value, known)


def _apply_without_path(resource: dict, operation: PatchOperation, known: set[str]) -> None:
    if operation.op == "remove":
        raise ScimError(400, "A remove operation needs a path.", "noTarget")
    values = as_object(operation.value, "value")
    for key, value in values.items():
        if str(key).lower() in READ_ONLY_ATTRIBUTES:
            # Okta and Entra echo read-only attributes back, and RFC 7644 3.5.2 lets a server
            # ignore them.
            continue
        parsed = path_parse(str(key))
        if parsed.attr == "" and parsed.schema is not None:
            for sub_key, sub_value in as_object(value, parsed.schema).items():
                if str(sub_key).lower() == "schemas":
                    continue
                sub_path = path_parse(f"{parsed.schema}:{sub_key}")
                _apply_path(resource, operation.op, sub_path, sub_value, known)
            continue
        _apply_path(resource, operation.op, parsed, value, known)


def _container(resource: dict, schema: str | None, create: bool) -> dict | None:
    if schema != ENTERPRISE_USER_SCHEMA:
        return resource
    key = _find_key(resource, ENTERPRISE_USER_SCHEMA)
    if key is None:
        if not create:
            return None
        resource[ENTERPRISE_USER_SCHEMA] = {}
        key = ENTERPRISE_USER_SCHEMA
    return resource[key]


def _find_key(container: dict, name: str) -> str | None:
    return next((key for key in container if key.lower() == name.lower()), None)


def _apply_path(resource: dict, op: str, path: ParsedPath, value: Any, known: set[str]) -> None:
    full_name = f"{path.schema}:{path.attr}" if path.schema == ENTERPRISE_USER_SCHEMA else path.attr
    if path.attr.lower() in READ_ONLY_ATTRIBUTES and path.schema != ENTERPRISE_USER_SCHEMA:
        raise ScimError(400, f"{path.attr} is read-only.", "mutability")
    if full_name.lower() not in known:
        raise invalid_path(f"Unknown attribute {full_name[:150]!r}.")
    if op == "remove" and path.sub is None and path.value_filter is None \
            and full_name.lower() in REQUIRED_ATTRIBUTES:
        raise ScimError(400, f"{path.attr} is required and cannot be removed.", "mutability")

    container = _container(resource, path.schema, create=op != "remove")
    if container is None:
        return
    key = _find_key(container, path.attr) or path.attr

    if path.value_filter is not None:
        _apply_filtered(container, key, op, path, value)
    elif path.sub is not None:
        _apply_sub_attribute(container, key, op, path.sub, value)
    else:
        _apply_attribute(container, key, op, value)


def _apply_attribute(container: dict, key: str, op: str, value: Any) -> None:
    current = container.get(key)
    if op == "remove":
        if isinstance(current, list) and isinstance(value, list):
            # Entra and JumpCloud remove listed values from a multi-valued attribute.
            drop = {str(item.get("value")) for item in value if isinstance(item, dict)}
            container[key] = [
                item for item in current
                if not isinstance(item, dict) or str(item.get("value")) not in drop
            ]
        else:
            container.pop(key, None)
        return
    if isinstance(current, dict) and isinstance(value, dict):
        # RFC 7644 3.5.2.1 and 3.5.2.3: sub-attributes not given are left unchanged.
        merged = dict(current)
        merged.update(value)
        container[key] = merged
    elif op == "add" and isinstance(current, list):
        additions = value if isinstance(value, list) else [value]
        container[key] = current + [item for item in additions if item not in current]
    else:
        container[key] = value


def _apply_sub_attribute(container: dict, key: str, op: str, sub: str, value: Any) -> None:
    current = container.get(key)
    targets = current if isinstance(current, list) else None
    if targets is None:
        if not isinstance(current, dict):
            if op == "remove":
                return
            current = {}
            container[key] = current
        targets = [current]
    for target in targets:
        if not isinstance(target, dict):
            raise invalid_value(
                f"{key} contains a value that is not an object, so it has no {sub!r}."
            )
        sub_key = _find_key(target, sub) or sub
        if op == "remove":
            target.pop(sub_key, None)
        else:
            target[sub_key] = value


def _apply_filtered(container: dict, key: str, op: str, path: ParsedPath, value: Any) -> None:
    elements = container.get(key) or []
    if not isinstance(elements, list):
        raise invalid_path(f"{path.attr} is not multi-valued, so it takes no [filter].")
    tree = filter_parse(path.value_filter or "")
    matches = [element for element in elements if isinstance(element, dict)
               and element_matches(tree, element)]

    if op == "remove":
        if path.sub is None:
            container[key] = [element for element in elements if element not in matches]
        for element in matches if path.sub else []:
            element.pop(_find_key(element, path.sub) or path.sub, None)
        return

    if not matches:
        new_element = _element_from_filter(tree)
        if new_element is None:
            raise ScimError(400, f"No {path.attr} value matches the filter.", "noTarget")
        elements.append(new_element)
        container[key] = elements
        matches = [new_element]
    for element in matches:
        if path.sub is not None:
            element[_find_key(element, path.sub) or path.sub] = value
        elif isinstance(value, dict):
            element.update(value)
        else:
            raise invalid_value(f"The value for {path.attr}[...] must be a JSON object.")


def _element_from_filter(tree: ast.Filter) -> dict | None:
    """Return the element an `attr eq "x"` filter describes, so Entra can add a typed email."""
    node = tree.expr if isinstance(tree, ast.Filter) and not tree.negated else None
    if isinstance(node, ast.AttrExpr) and node.value.lower() == "eq" and node.comp_value:
        if isinstance(node.attr_path.attr_name, str) and node.attr_path.sub_attr is None:
            return {node.attr_path.attr_name: node.comp_value.value}
    return None


def element_matches(node: ast.AST, element: dict) -> bool:
    """Evaluate a value filter such as `type eq "work"` against one element of a list."""
    if isinstance(node, ast.Filter):
        result = element_matches(node.expr, element)
        return not result if node.negated else result
    if isinstance(node, ast.LogExpr):
        left = element_matches(node.expr1, element)
        right = element_matches(node.expr2, element)
        return left and right if node.op.lower() == "and" else left or right
    if isinstance(node, ast.AttrExpr) and isinstance(node.attr_path.attr_name, str):
        key = _find_key(element, node.attr_path.attr_name)
        actual = element.get(key) if key else None
        expected = node.comp_value.value if node.comp_value is not None else None
        return _value_matches(node.value.lower(), actual, expected)
    raise invalid_path("The value filter is not supported.")


def _value_matches(operator: str, actual: Any, expected: Any) -> bool:
    if operator == "pr":
        return actual not in (None, "", [], {})
    if actual is None:
        return operator == "ne"
    left = str(actual).lower()
    right = str(expected).lower()
    comparisons = {
        "eq": left == right,
        "ne": left != right,
        "co": right in left,
        "sw": left.startswith(right),
        "ew": left.endswith(right),
        "gt": left > right,
        "ge": left >= right,
        "lt": left < right,
        "le": left <= right,
    }
    if operator not in comparisons:
        raise invalid_path(f"Unknown filter operator {operator!r}.")
    return comparisons[operator]
