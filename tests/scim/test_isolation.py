"""A token of one tenant can neither see nor change anything of another tenant."""

import pytest

from accounts.models import Group, Membership, User

PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


@pytest.fixture
def foreign(other_scim):
    """A user and a group of the other tenant, the user being a member of the group."""
    user = other_scim.create_user("stranger@example.com")
    group = other_scim.create_group("Globex Engineering", members=[user["id"]])
    return {"user": user["id"], "group": group["id"]}


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/Users/{user}", None),
        ("PUT", "/Users/{user}", {"userName": "taken@example.com", "active": False}),
        ("PATCH", "/Users/{user}", {"schemas": [PATCH_OP], "Operations": [
            {"op": "replace", "path": "active", "value": False}]}),
        ("DELETE", "/Users/{user}", None),
        ("GET", "/Groups/{group}", None),
        ("PUT", "/Groups/{group}", {"displayName": "Taken", "members": []}),
        ("PATCH", "/Groups/{group}", {"schemas": [PATCH_OP], "Operations": [
            {"op": "remove", "path": "members"}]}),
        ("DELETE", "/Groups/{group}", None),
    ],
)
def test_resource_of_other_tenant_is_404(scim, foreign, method, path, body):
    response = scim.request(method, path.format(**foreign), body)

    assert response.status_code == 404, response.content
    user = User.objects.get(pk=foreign["user"])
    assert user.is_active
    assert user.user_name == "stranger@example.com"
    group = Group.objects.get(pk=foreign["group"])
    assert group.display_name == "Globex Engineering"
    assert Membership.objects.filter(group=group, user=user).exists()


@pytest.mark.parametrize(
    "filter_text",
    [
        'userName eq "stranger@example.com"',
        'userName eq "nobody" or userName eq "stranger@example.com"',
        'userName pr or active eq true',
        'not (userName eq "nobody")',
        'emails.value co "stranger"',
    ],
)
def test_user_filters_never_reach_other_tenant(scim, foreign, filter_text):
    response = scim.get(f"/Users?filter={filter_text}")

    assert response.status_code == 200, response.content
    assert response.json()["totalResults"] == 0
    assert response.json()["Resources"] == []


@pytest.mark.parametrize(
    "filter_text",
    [
        'displayName eq "Globex Engineering"',
        'displayName eq "nobody" or displayName sw "Globex"',
        'displayName pr',
    ],
)
def test_group_filters_never_reach_other_tenant(scim, foreign, filter_text):
    response = scim.get(f"/Groups?filter={filter_text}")

    assert response.status_code == 200, response.content
    ids = {group["id"] for group in response.json()["Resources"]}
    assert foreign["group"] not in ids
    assert all(Group.objects.get(pk=pk).tenant == scim.tenant for pk in ids)


@pytest.mark.parametrize(
    ("path", "filter_text"),
    [
        ("/Users/.search", 'userName pr or active eq true'),
        ("/Groups/.search", 'displayName pr or externalId pr'),
        ("/.search", 'displayName pr or id pr'),
    ],
)
def test_search_never_reaches_other_tenant(scim, foreign, path, filter_text):
    response = scim.post(path, {"filter": filter_text, "count": 200})

    assert response.status_code == 200, response.content
    ids = {resource["id"] for resource in response.json()["Resources"]}
    assert foreign["user"] not in ids
    assert foreign["group"] not in ids


def test_group_list_shows_only_own_groups(scim, foreign):
    body = scim.get("/Groups?count=200").json()

    assert body["totalResults"] == 6
    assert foreign["group"] not in {group["id"] for group in body["Resources"]}


def test_user_list_shows_only_own_users(scim, foreign):
    own = scim.create_user("own@example.com")

    body = scim.get("/Users").json()

    assert body["totalResults"] == 1
    assert [user["id"] for user in body["Resources"]] == [own["id"]]


def test_groups_filter_by_foreign_member_finds_nothing(scim, foreign):
    response = scim.get(f'/Groups?filter=members.value eq "{foreign["user"]}"')

    assert response.json()["totalResults"] == 0


def test_own_group_cannot_take_foreign_member_by_put(scim, foreign):
    group = scim.create_group("Engineering")

    response = scim.put(f"/Groups/{group['id']}", {"displayName": "Engineering",
                                                   "members": [{"value": foreign["user"]}]})

    assert response.status_code == 400, response.content
    assert not Membership.objects.filter(group_id=group["id"]).exists()
