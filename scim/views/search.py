"""POST /.search (RFC 7644 section 3.4.3): one search over users and then groups."""

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from scim.errors import ScimError
from scim.filters import GROUP_FILTER_FIELDS, USER_FILTER_FIELDS, FilterField
from scim.groups import group_resource, groups_member_pks
from scim.listing import ListParams, filtered_queryset, list_params
from scim.projection import resource_project, wants_attribute
from scim.responses import list_response
from scim.schemas import ENTERPRISE_USER_SCHEMA
from scim.users import user_resource, users_groups
from scim.views.base import ScimView


class RootSearchView(ScimView):
    """Search both resource types; users come first and the page runs on into the groups.

    A filter or sortBy attribute that only one type has matches nothing of the other type. When
    neither type accepts it, the error of the user search is returned.
    """

    def post(self, request: HttpRequest) -> HttpResponse:
        params = list_params(self.body)
        errors: list[ScimError] = []
        users = self._matching(self.scope.users(), params, USER_FILTER_FIELDS, "date_joined",
                               errors)
        groups = self._matching(self.scope.groups(), params, GROUP_FILTER_FIELDS, "created_at",
                                errors)
        if users is None and groups is None:
            raise errors[0]

        user_total = users.count() if users is not None else 0
        group_total = groups.count() if groups is not None else 0
        offset = params.start_index - 1
        user_page = list(users[offset:offset + params.count]) if users is not None else []
        group_offset = max(0, offset - user_total)
        group_count = params.count - len(user_page)
        group_page = (
            list(groups[group_offset:group_offset + group_count])
            if groups is not None and group_count > 0
            else []
        )

        resources = self._user_resources(user_page, params) + self._group_resources(
            group_page, params
        )
        return list_response(
            resources, total=user_total + group_total, start_index=params.start_index
        )

    @staticmethod
    def _matching(
        queryset: QuerySet,
        params: ListParams,
        fields: dict[str, FilterField],
        order: str,
        errors: list[ScimError],
    ) -> QuerySet | None:
        try:
            return filtered_queryset(queryset, params, fields, order)
        except ScimError as error:
            errors.append(error)
            return None

    @staticmethod
    def _user_resources(users: list, params: ListParams) -> list[dict]:
        with_groups = wants_attribute("groups", params.attributes, params.excluded_attributes)
        groups = users_groups(users) if with_groups else {}
        return [
            resource_project(
                user_resource(user, with_groups=with_groups, groups=groups.get(user.pk)),
                params.attributes,
                params.excluded_attributes,
                (ENTERPRISE_USER_SCHEMA,),
            )
            for user in users
        ]

    @staticmethod
    def _group_resources(groups: list, params: ListParams) -> list[dict]:
        with_members = wants_attribute("members", params.attributes, params.excluded_attributes)
        member_pks = groups_member_pks(groups) if with_members else {}
        return [
            resource_project(
                group_resource(group, with_members=with_members,
                               member_pks=member_pks.get(group.pk)),
                params.attributes,
                params.excluded_attributes,
            )
            for group in groups
        ]
