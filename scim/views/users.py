"""/Users endpoints (RFC 7644 section 3): list, search, create, read, replace, patch, delete."""

import logging

from django.db import transaction
from django.http import HttpRequest, HttpResponse

from accounts.services import user_delete
from scim.filters import USER_FILTER_FIELDS
from scim.listing import ListParams, filtered_page, list_params, query_params
from scim.patch import patch_operations, resource_patch
from scim.projection import resource_project, wants_attribute
from scim.responses import list_response, no_content, scim_response
from scim.schemas import ENTERPRISE_USER_ATTRIBUTES, ENTERPRISE_USER_SCHEMA, USER_ATTRIBUTES
from scim.user_writes import scim_user_create, scim_user_update
from scim.users import (
    resource_version,
    user_input_from_resource,
    user_resource,
    users_groups,
)
from scim.views.base import ScimView
from scim.views.common import check_if_match

logger = logging.getLogger("inone.scim")

PATCHABLE_USER_ATTRIBUTES = (
    {attribute["name"].lower() for attribute in USER_ATTRIBUTES}
    | {"externalid"}
    | {f"{ENTERPRISE_USER_SCHEMA}:{attribute['name']}".lower()
       for attribute in ENTERPRISE_USER_ATTRIBUTES}
)
EXTENSIONS = (ENTERPRISE_USER_SCHEMA,)


def user_list_response(view: ScimView, params: ListParams) -> HttpResponse:
    users, total = filtered_page(view.scope.users(), params, USER_FILTER_FIELDS, "date_joined")
    with_groups = wants_attribute("groups", params.attributes, params.excluded_attributes)
    groups = users_groups(users) if with_groups else {}
    resources = [
        resource_project(
            user_resource(user, with_groups=with_groups, groups=groups.get(user.pk)),
            params.attributes,
            params.excluded_attributes,
            EXTENSIONS,
        )
        for user in users
    ]
    return list_response(resources, total=total, start_index=params.start_index)


class UsersView(ScimView):
    def get(self, request: HttpRequest) -> HttpResponse:
        return user_list_response(self, query_params(request.GET))

    def post(self, request: HttpRequest) -> HttpResponse:
        data = user_input_from_resource(self.body)
        user = scim_user_create(self.scope, data)
        self.resource_ids.append(str(user.pk))
        resource = user_resource(user)
        return scim_response(resource, status=201, etag=resource["meta"]["version"])


class UsersSearchView(ScimView):
    def post(self, request: HttpRequest) -> HttpResponse:
        return user_list_response(self, list_params(self.body))


class UserView(ScimView):
    def get(self, request: HttpRequest, resource_id: str) -> HttpResponse:
        params = query_params(request.GET)
        user = self.scope.user(resource_id)
        self.resource_ids.append(str(user.pk))
        with_groups = wants_attribute("groups", params.attributes, params.excluded_attributes)
        resource = user_resource(user, with_groups=with_groups)
        version = resource["meta"]["version"]
        if request.headers.get("If-None-Match") == version:
            return HttpResponse(status=304)
        projected = resource_project(
            resource, params.attributes, params.excluded_attributes, EXTENSIONS
        )
        return scim_response(projected, etag=version)

    def put(self, request: HttpRequest, resource_id: str) -> HttpResponse:
        data = user_input_from_resource(self.body)
        with transaction.atomic():
            user = self.scope.user(resource_id, for_update=True)
            self.resource_ids.append(str(user.pk))
            check_if_match(request, resource_version(user.updated_at))
            scim_user_update(self.scope, user, data)
        resource = user_resource(user)
        return scim_response(resource, etag=resource["meta"]["version"])

    def patch(self, request: HttpRequest, resource_id: str) -> HttpResponse:
        operations = patch_operations(self.body)
        with transaction.atomic():
            user = self.scope.user(resource_id, for_update=True)
            self.resource_ids.append(str(user.pk))
            check_if_match(request, resource_version(user.updated_at))
            current = user_resource(user, with_groups=False)
            patched = resource_patch(current, operations, PATCHABLE_USER_ATTRIBUTES)
            scim_user_update(self.scope, user, user_input_from_resource(patched))
        resource = user_resource(user)
        return scim_response(resource, etag=resource["meta"]["version"])

    def delete(self, request: HttpRequest, resource_id: str) -> HttpResponse:
        with transaction.atomic():
            user = self.scope.user(resource_id, for_update=True)
            self.resource_ids.append(str(user.pk))
            check_if_match(request, resource_version(user.updated_at))
            # The accounts service keeps an audit record and ends the user's sessions.
            user_delete(user=user, actor=f"scim:{self.token.name}")
        logger.info(
            "scim.user.deleted",
            extra={"tenant": self.scope.tenant.hash, "user_id": resource_id},
        )
        return no_content()
