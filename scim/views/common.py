"""Helpers shared by the resource views."""

from django.http import HttpRequest

from scim.errors import ScimError


def check_if_match(request: HttpRequest, version: str) -> None:
    """Raise 412 when If-Match names versions and the resource's version is not among them."""
    header = request.headers.get("If-Match")
    if not header or header.strip() == "*":
        return
    listed = {part.strip() for part in header.split(",")}
    # A strong form of our weak tag is accepted too, since some clients strip the W/ prefix.
    if version not in listed and version.removeprefix("W/") not in listed:
        raise ScimError(412, "The resource has changed since the version given in If-Match.")
