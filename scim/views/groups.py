"""/Groups endpoints (RFC 7644 section 3): list, search, create, read, replace, patch, delete."""

from django.db import transaction
from django.http import HttpRequest, HttpResponse

from accounts.models import Group
from scim.errors import ScimError, invalid_path
from scim.filters import GROUP_FILTER_FIELDS, filter_parse
from scim.groups import (
    display_name_from,
    group_create_or_take_over,
    group_delete,
    group_members_add,
    group_members_remove,
    group_members_set,
    group_rename,
    group_resource,
    group_save,
    groups_member_pks,
    member_ids,
)
from scim.listing import ListParams, filtered_page, list_params, query_params
from scim.patch import PatchOperation, element_matches, patch_operations, path_parse
from scim.projection import resource_project, wants_attribute
from scim.responses import list_response, no_content, scim_response
from scim.users import resource_version
from scim.values import as_object, as_string, lower_keys
from scim.views.base import ScimView
from scim.views.common import check_if_match


def group_list_response(view: ScimView, params: ListParams) -> HttpResponse:
    groups, total = filtered_page(view.scope.groups(), params, GROUP_FILTER_FIELDS, "created_at")
    # excludedAttributes=members skips the member query entirely, for groups of any size.
    with_members = wants_attribute("members", params.attributes, params.excluded_attributes)
    member_pks = groups_member_pks(groups) if with_members else {}
    resources = [
        resource_project(
            group_resource(group, with_members=with_members, member_pks=member_pks.get(group.pk)),
            params.attributes,
            params.excluded_attributes,
        )
        for group in groups
    ]
    return list_response(resources, total=total, start_index=params.start_index)


class GroupsView(ScimView):
    def get(self, request: HttpRequest) -> HttpResponse:
        return group_list_response(self, query_params(request.GET))

    def post(self, request: HttpRequest) -> HttpResponse:
        values = lower_keys(self.body)
        group = group_create_or_take_over(
            self.scope,
            display_name_from(values.get("displayname")),
            as_string(values.get("externalid"), "externalId"),
            member_ids(values.get("members")),
        )
        self.resource_ids.append(str(group.pk))
        resource = group_resource(group)
        return scim_response(resource, status=201, etag=resource["meta"]["version"])


class GroupsSearchView(ScimView):
    def post(self, request: HttpRequest) -> HttpResponse:
        return group_list_response(self, list_params(self.body))


class GroupView(ScimView):
    def get(self, request: HttpRequest, resource_id: str) -> HttpResponse:
        params = query_params(request.GET)
        group = self.scope.group(resource_id)
        self.resource_ids.append(str(group.pk))
        with_members = wants_attribute("members", params.attributes, params.excluded_attributes)
        resource = group_resource(group, with_members=with_members)
        projected = resource_project(resource, params.attributes, params.excluded_attributes)
        return scim_response(projected, etag=resource["meta"]["version"])

    def put(self, request: HttpRequest, resource_id: str) -> HttpResponse:
        values = lower_keys(self.body)
        display_name = display_name_from(values.get("displayname"))
        with transaction.atomic():
            group = self._locked_group(request, resource_id)
            group_rename(self.scope, group, display_name)
            group.external_id = as_string(values.get("externalid"), "externalId")
            group_save(group)
            group_members_set(self.scope, group, member_ids(values.get("members")))
        resource = group_resource(group)
        return scim_response(resource, etag=resource["meta"]["version"])

    def patch(self, request: HttpRequest, resource_id: str) -> HttpResponse:
        operations = patch_operations(self.body)
        with transaction.atomic():
            group = self._locked_group(request, resource_id)
            for operation in operations:
                self._dispatch_operation(group, operation)
            # Saving also moves updated_at, so meta.version changes with membership.
            group_save(group)

        params = query_params(request.GET)
        if not params.attributes and not params.excluded_attributes:
            # RFC 7644 3.5.2 allows 204. Returning the group would load every member on each
            # member change, which for a large role group is most of the request's cost.
            response = no_content()
            response["ETag"] = resource_version(group.updated_at)
            return response
        with_members = wants_attribute("members", params.attributes, params.excluded_attributes)
        resource = group_resource(group, with_members=with_members)
        projected = resource_project(resource, params.attributes, params.excluded_attributes)
        return scim_response(projected, etag=resource["meta"]["version"])

    def delete(self, request: HttpRequest, resource_id: str) -> HttpResponse:
        with transaction.atomic():
            group = self._locked_group(request, resource_id)
            group_delete(group)
        return no_content()

    def _locked_group(self, request: HttpRequest, resource_id: str) -> Group:
        group = self.scope.group(resource_id, for_update=True)
        self.resource_ids.append(str(group.pk))
        check_if_match(request, resource_version(group.updated_at))
        return group

    def _dispatch_operation(self, group: Group, operation: PatchOperation) -> None:
        if operation.path is None:
            self._patch_without_path(group, operation)
            return
        path = path_parse(operation.path)
        attr = path.attr.lower()
        if attr == "members" and path.value_filter is not None:
            self._patch_filtered_members(group, operation, path.value_filter)
        elif attr == "members" and path.sub is None:
            self._patch_members(group, operation.op, operation.value)
        elif attr == "displayname" and path.sub is None and path.value_filter is None:
            self._patch_display_name(group, operation)
        elif attr == "externalid" and path.sub is None and path.value_filter is None:
            value = "" if operation.op == "remove" else as_string(operation.value, "externalId")
            group.external_id = value
        else:
            raise invalid_path(
                f"Unsupported Group PATCH path {operation.path[:100]!r}; "
                "use members, members[value eq \"<id>\"], displayName or externalId."
            )

    def _patch_without_path(self, group: Group, operation: PatchOperation) -> None:
        if operation.op == "remove":
            raise ScimError(400, "A remove operation needs a path.", "noTarget")
        for key, value in as_object(operation.value, "value").items():
            name = str(key).lower()
            if name == "members":
                self._patch_members(group, operation.op, value)
            elif name == "displayname":
                self._patch_display_name(group, PatchOperation(operation.op, key, value))
            elif name == "externalid":
                group.external_id = as_string(value, "externalId")
            elif name not in ("id", "schemas", "meta"):
                raise invalid_path(f"Unknown Group attribute {str(key)[:100]!r}.")

    def _patch_members(self, group: Group, op: str, value) -> None:
        if op == "add":
            group_members_add(self.scope, group, member_ids(value))
        elif op == "replace":
            group_members_set(self.scope, group, member_ids(value))
        elif value is None:
            # RFC 7644 3.5.2.2: remove with path "members" and no value empties the group.
            group_members_set(self.scope, group, [])
        else:
            # Entra and JumpCloud send the members to remove as a value list.
            group_members_remove(self.scope, group, member_ids(value))

    def _patch_filtered_members(self, group: Group, operation: PatchOperation, text: str) -> None:
        if operation.op != "remove":
            raise invalid_path("A members[...] path is supported with op remove only.")
        tree = filter_parse(text)
        member_pks = group.members.filter(tenant_id=group.tenant_id).values_list("pk", flat=True)
        current = [{"value": str(pk)} for pk in member_pks]
        matching = [member["value"] for member in current if element_matches(tree, member)]
        group_members_remove(self.scope, group, matching)

    def _patch_display_name(self, group: Group, operation: PatchOperation) -> None:
        if operation.op == "remove":
            raise ScimError(400, "displayName is required and cannot be removed.", "mutability")
        group_rename(self.scope, group, display_name_from(operation.value))
