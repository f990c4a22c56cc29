"""POST /.search (RFC 7644 section 3.4.3): one search over users and then groups."""

from django.http import HttpRequest, HttpResponse

from scim.errors import ScimError
from scim.filters import GROUP_FILTER_FIELDS, USER_FILTER_FIELDS
from scim.groups import group_resource
from scim.listing import ListParams, filtered_page, list_params
from scim.projection import resource_project, wants_attribute
from scim.responses import list_response
from scim.schemas import ENTERPRISE_USER_SCHEMA
from scim.users import user_resource
from scim.views.base import ScimView


class RootSearchView(ScimView):
    def post(self, request: HttpRequest) -> HttpResponse:
        params = list_params(self.body)
        user_params, group_params = self._split_paging(params)
        failures: list[ScimError] = []

        users, user_total = self._page(self.scope.users(), user_params, USER_FILTER_FIELDS,
                                       "date_joined", failures)
        groups, group_total = self._page(self.scope.groups(), group_params,
                                         GROUP_FILTER_FIELDS, "created_at", failures)
        if len(failures) == 2:
            # The filter names an attribute of neither resource type.
            raise failures[0]

        # Users come first; the group page starts where the user results end.
        if user_total >= params.start_index - 1 + params.count:
            groups = []
        else:
            offset = max(0, params.start_index - 1 - user_total)
            groups_params = ListParams(**{**vars(group_params), "start_index": offset + 1,
                                          "count": params.count - len(users)})
            groups, group_total = self._page(self.scope.groups(), groups_params,
                                             GROUP_FILTER_FIELDS, "created_at", [])
        resources = [
            resource_project(
                user_resource(user, with_groups=wants_attribute(
                    "groups", params.attributes, params.excluded_attributes)),
                params.attributes, params.excluded_attributes, (ENTERPRISE_USER_SCHEMA,),
            )
            for user in users
        ] + [
            resource_project(
                group_resource(group, with_members=wants_attribute(
                    "members", params.attributes, params.excluded_attributes)),
                params.attributes, params.excluded_attributes,
            )
            for group in groups
        ]
        return list_response(
            resources, total=user_total + group_total, start_index=params.start_index
        )

    @staticmethod
    def _split_paging(params: ListParams) -> tuple[ListParams, ListParams]:
        user_params = ListParams(**vars(params))
        group_params = ListParams(**{**vars(params), "start_index": 1, "count": 0})
        return user_params, group_params

    @staticmethod
    def _page(queryset, params: ListParams, fields, order: str, failures: list) -> tuple[list, int]:
        try:
            return filtered_page(queryset, params, fields, order)
        except ScimError as error:
            failures.append(error)
            return [], 0
