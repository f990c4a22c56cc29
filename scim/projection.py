"""The attributes and excludedAttributes parameters (RFC 7644 section 3.9)."""

from typing import Any

# Always returned, whatever the client asks for (RFC 7643 section 3.1 and 7644 section 3.9).
ALWAYS_RETURNED = ("id", "schemas")


def _split(name: str, extension_urns: tuple[str, ...]) -> tuple[str | None, str, str | None]:
    """Split an attribute name into (extension urn, attribute, sub-attribute)."""
    urn = None
    for candidate in extension_urns:
        if name.lower().startswith(candidate.lower() + ":"):
            urn, name = candidate, name[len(candidate) + 1:]
            break
    for core_prefix in ("urn:ietf:params:scim:schemas:core:2.0:user:",
                        "urn:ietf:params:scim:schemas:core:2.0:group:"):
        if name.lower().startswith(core_prefix):
            name = name[len(core_prefix):]
    attr, _, sub = name.partition(".")
    return urn, attr, sub or None


def _lookup(container: dict, name: str) -> str | None:
    return next((key for key in container if key.lower() == name.lower()), None)


def resource_project(
    resource: dict[str, Any],
    attributes: list[str],
    excluded: list[str],
    extension_urns: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Return the resource reduced to `attributes`, or without `excluded` ones."""
    if attributes:
        return _keep(resource, attributes, extension_urns)
    if excluded:
        return _drop(resource, excluded, extension_urns)
    return resource


def _keep(resource: dict, attributes: list[str], extension_urns: tuple[str, ...]) -> dict:
    result = {key: resource[key] for key in ALWAYS_RETURNED if key in resource}
    for name in attributes:
        urn, attr, sub = _split(name, extension_urns)
        source, target = resource, result
        if urn is not None:
            if urn not in resource:
                continue
            source = resource[urn]
            target = result.setdefault(urn, {})
        key = _lookup(source, attr)
        if key is None:
            continue
        if sub is None or not isinstance(source[key], dict | list):
            target[key] = source[key]
        elif isinstance(source[key], dict):
            sub_key = _lookup(source[key], sub)
            if sub_key is not None:
                target.setdefault(key, {})[sub_key] = source[key][sub_key]
        else:
            target[key] = [
                {k: v for k, v in item.items() if k.lower() == sub.lower()}
                for item in source[key] if isinstance(item, dict)
            ]
    return result


def _drop(resource: dict, excluded: list[str], extension_urns: tuple[str, ...]) -> dict:
    result = dict(resource)
    for name in excluded:
        urn, attr, sub = _split(name, extension_urns)
        target = result
        if urn is not None:
            if urn not in result:
                continue
            target = result[urn] = dict(result[urn])
        key = _lookup(target, attr)
        if key is None or key in ALWAYS_RETURNED:
            continue
        if sub is None:
            del target[key]
        elif isinstance(target[key], dict):
            target[key] = {k: v for k, v in target[key].items() if k.lower() != sub.lower()}
    return result


def wants_attribute(name: str, attributes: list[str], excluded: list[str]) -> bool:
    """Return whether the response includes the attribute, so costly ones can be skipped."""
    lowered = name.lower()
    if attributes:
        return any(_split(part, ())[1].lower() == lowered for part in attributes)
    return all(
        _split(part, ())[1].lower() != lowered or _split(part, ())[2] is not None
        for part in excluded
    )
