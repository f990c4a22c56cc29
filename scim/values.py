"""Checks for single values of client JSON, raising 400 invalidValue with the attribute name."""

from typing import Any

from scim.errors import invalid_value


def lower_keys(data: dict) -> dict[str, Any]:
    """Return the dict with lower-case keys, because SCIM attribute names are case-insensitive."""
    return {str(key).lower(): value for key, value in data.items()}


def as_string(value: Any, name: str, max_length: int = 255) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise invalid_value(f"{name} must be a string.")
    text = str(value).strip()
    if len(text) > max_length:
        raise invalid_value(f"{name} must be at most {max_length} characters.")
    return text


def as_boolean(value: Any, name: str) -> bool:
    """Accept JSON booleans and the strings "true"/"false" in any case, which Entra sends."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise invalid_value(f"{name} must be true or false.")


def as_object(value: Any, name: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise invalid_value(f"{name} must be a JSON object.")
    return value


def as_object_list(value: Any, name: str) -> list[dict]:
    if value is None:
        return []
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise invalid_value(f"{name} must be a list of JSON objects.")
    return value
