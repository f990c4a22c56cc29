import pytest

from accounts.models import Group, Membership, User
from accounts.roles import Role
from accounts.selectors import user_roles
from tests.conftest import ROLE_GROUP_NAMES
from tests.scim.conftest import fill, idp_request, scim_path

PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def patch_body(*operations: dict) -> dict:
    return {"schemas": [PATCH_OP], "Operations": list(operations)}


def member_ids(scim, group_id: str) -> set[str]:
    response = scim.get(f"/Groups/{group_id}")
    assert response.status_code == 200, response.content
    return {member["value"] for member in response.json().get("members", [])}


def test_group_list_shows_six_role_groups(scim):
    response = scim.get("/Groups")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["totalResults"] == 6
    assert sorted(group["displayName"] for group in body["Resources"]) == sorted(ROLE_GROUP_NAMES)
    assert all(isinstance(group["id"], str) for group in body["Resources"])


@pytest.mark.parametrize("name", ROLE_GROUP_NAMES)
def test_group_filter_by_display_name(scim, name):
    response = scim.get(f'/Groups?filter=displayName eq "{name.upper()}"')

    assert response.status_code == 200, response.content
    resources = response.json()["Resources"]
    assert [group["displayName"] for group in resources] == [name]


def test_group_push_creates_group_without_role(scim):
    body = idp_request("okta/10_create_group_push.json")["request"]["body"]

    response = scim.post("/Groups", body)

    assert response.status_code == 201, response.content
    created = response.json()
    assert created["displayName"] == "Test SCIMv2"
    assert created["members"] == []
    assert Group.objects.get(pk=created["id"]).role == ""
    assert scim.get(f"/Groups/{created['id']}").json()["displayName"] == "Test SCIMv2"


def test_group_push_keeps_posted_members(scim):
    user = scim.create_user("user1@example.com")

    created = scim.create_group("Engineering", members=[user["id"]])

    assert member_ids(scim, created["id"]) == {user["id"]}


def test_group_push_takes_over_existing_group(scim):
    existing = scim.create_group("Engineering")
    lookup = idp_request("jumpcloud/04_group_push_takeover.json")["steps"]
    listed = scim.get(scim_path(lookup[0]["request"]["path"])).json()
    assert [group["id"] for group in listed["Resources"]] == [existing["id"]]

    response = scim.post("/Groups", lookup[1]["request"]["body"])

    assert response.status_code == 201, response.content
    assert response.json()["id"] == existing["id"]
    assert Group.objects.filter(tenant=scim.tenant, display_name="Engineering").count() == 1


def test_group_push_takes_over_role_group(scim):
    user = scim.create_user("user1@example.com")
    role_group = scim.group_by_name("Insider Manage Users")

    response = scim.post("/Groups", {"displayName": "insider manage users",
                                     "members": [{"value": user["id"]}]})

    assert response.status_code == 201, response.content
    assert response.json()["id"] == role_group["id"]
    assert response.json()["displayName"] == "Insider Manage Users"
    assert user_roles(User.objects.get(pk=user["id"])) == [Role.MANAGE_USERS]


ADD_REQUESTS = [
    ("jumpcloud", idp_request("jumpcloud/05_group_members_add_value_list.json")),
    ("entra", idp_request("entra/24_patch_group_add_members.json")),
]


@pytest.mark.parametrize(("idp", "recorded"), ADD_REQUESTS)
def test_patch_group_add_members_is_idempotent(scim, idp, recorded):
    user = scim.create_user("user1@example.com")
    group = scim.create_group("Engineering")
    body = fill(recorded["request"]["body"], **{"scim-user-id": user["id"]})
    body["Operations"][0]["value"][0]["value"] = user["id"]

    first = scim.patch(f"/Groups/{group['id']}", body)
    second = scim.patch(f"/Groups/{group['id']}", body)

    assert first.status_code == 204, first.content
    assert second.status_code == 204, second.content
    assert member_ids(scim, group["id"]) == {user["id"]}
    assert Membership.objects.filter(group_id=group["id"]).count() == 1


REMOVE_REQUESTS = [
    ("jumpcloud", idp_request("jumpcloud/06_group_members_remove_value_list.json")),
    ("entra", idp_request("entra/25_patch_group_remove_members_default.json")),
]


@pytest.mark.parametrize(("idp", "recorded"), REMOVE_REQUESTS)
def test_patch_group_remove_value_list_removes_only_listed(scim, idp, recorded):
    leaving = scim.create_user("leaving@example.com")
    staying = scim.create_user("staying@example.com")
    group = scim.create_group("Engineering", members=[leaving["id"], staying["id"]])
    body = fill(recorded["request"]["body"])
    body["Operations"][0]["value"][0]["value"] = leaving["id"]

    response = scim.patch(f"/Groups/{group['id']}", body)

    assert response.status_code == 204, response.content
    assert member_ids(scim, group["id"]) == {staying["id"]}


def test_patch_group_okta_remove_filter_and_add(scim):
    leaving = scim.create_user("leaving@example.com")
    staying = scim.create_user("staying@example.com")
    joining = scim.create_user("joining@example.com")
    group = scim.create_group("Engineering", members=[leaving["id"], staying["id"]])
    body = idp_request("okta/12_patch_group_members_remove_filter_and_add.json")["request"]["body"]
    body["Operations"][0]["path"] = f'members[value eq "{leaving["id"]}"]'
    body["Operations"][1]["value"][0]["value"] = joining["id"]

    response = scim.patch(f"/Groups/{group['id']}", body)

    assert response.status_code == 204, response.content
    assert member_ids(scim, group["id"]) == {staying["id"], joining["id"]}


def test_patch_group_okta_replace_all_members(scim):
    old = scim.create_user("old@example.com")
    first = scim.create_user("first@example.com")
    second = scim.create_user("second@example.com")
    group = scim.create_group("Engineering", members=[old["id"]])
    body = idp_request("okta/13_patch_group_members_replace_all.json")["request"]["body"]
    body["Operations"][0]["value"][0]["value"] = first["id"]
    body["Operations"][0]["value"][1]["value"] = second["id"]

    response = scim.patch(f"/Groups/{group['id']}", body)

    assert response.status_code == 204, response.content
    assert member_ids(scim, group["id"]) == {first["id"], second["id"]}


def test_patch_group_replace_members_with_empty_list(scim):
    user = scim.create_user("user1@example.com")
    group = scim.create_group("Engineering", members=[user["id"]])

    response = scim.patch(f"/Groups/{group['id']}",
                          patch_body({"op": "replace", "path": "members", "value": []}))

    assert response.status_code == 204, response.content
    assert member_ids(scim, group["id"]) == set()


def test_patch_group_remove_members_without_value_empties_group(scim):
    user = scim.create_user("user1@example.com")
    group = scim.create_group("Engineering", members=[user["id"]])

    response = scim.patch(f"/Groups/{group['id']}", patch_body({"op": "remove", "path": "members"}))

    assert response.status_code == 204, response.content
    assert member_ids(scim, group["id"]) == set()


@pytest.mark.parametrize(
    "operation",
    [
        {"op": "replace", "path": "displayName", "value": "Platform"},
        {"op": "Replace", "value": {"displayName": "Platform"}},
    ],
)
def test_patch_group_display_name(scim, operation):
    group = scim.create_group("Engineering")

    response = scim.patch(f"/Groups/{group['id']}", patch_body(operation))

    assert response.status_code == 204, response.content
    assert scim.get(f"/Groups/{group['id']}").json()["displayName"] == "Platform"


def test_group_rename_to_taken_name(scim):
    group = scim.create_group("Engineering")

    response = scim.patch(f"/Groups/{group['id']}", patch_body(
        {"op": "replace", "path": "displayName", "value": "Insider Outsource"}))

    assert response.status_code == 409, response.content
    assert response.json()["scimType"] == "uniqueness"


def test_role_group_keeps_its_name(scim):
    group = scim.group_by_name("Insider Collaborate")

    response = scim.patch(f"/Groups/{group['id']}", patch_body(
        {"op": "replace", "path": "displayName", "value": "Collaborators"}))

    assert response.status_code == 400, response.content
    assert response.json()["scimType"] == "mutability"
    assert Group.objects.get(pk=group["id"]).display_name == "Insider Collaborate"


def test_put_group_replaces_name_and_members(scim):
    old = scim.create_user("old@example.com")
    new = scim.create_user("new@example.com")
    group = scim.create_group("Engineering", members=[old["id"]])

    response = scim.put(f"/Groups/{group['id']}", {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "id": group["id"],
        "displayName": "Platform",
        "members": [{"value": new["id"]}],
    })

    assert response.status_code == 200, response.content
    fetched = scim.get(f"/Groups/{group['id']}").json()
    assert fetched["displayName"] == "Platform"
    assert {member["value"] for member in fetched["members"]} == {new["id"]}


def test_delete_pushed_group(scim):
    group = scim.create_group("Engineering")

    response = scim.delete(f"/Groups/{group['id']}")

    assert response.status_code == 204, response.content
    assert scim.get(f"/Groups/{group['id']}").status_code == 404


def test_delete_role_group_empties_it(scim):
    user = scim.create_user("user1@example.com")
    group = scim.group_by_name("Insider Edit and Publish")
    scim.patch(f"/Groups/{group['id']}", patch_body(
        {"op": "add", "path": "members", "value": [{"value": user["id"]}]}))
    assert user_roles(User.objects.get(pk=user["id"])) == [Role.EDIT_AND_PUBLISH]

    response = scim.delete(f"/Groups/{group['id']}")

    assert response.status_code == 204, response.content
    assert user_roles(User.objects.get(pk=user["id"])) == []
    role_group = Group.objects.get(pk=group["id"])
    assert role_group.role == Role.EDIT_AND_PUBLISH
    assert scim.get("/Groups").json()["totalResults"] == 6


def test_add_member_of_other_tenant_is_rejected(scim, other_scim):
    stranger = other_scim.create_user("stranger@example.com")
    group = scim.create_group("Engineering")

    response = scim.patch(f"/Groups/{group['id']}", patch_body(
        {"op": "add", "path": "members", "value": [{"value": stranger["id"]}]}))

    assert response.status_code == 400, response.content
    assert response.json()["scimType"] == "invalidValue"
    assert member_ids(scim, group["id"]) == set()


def test_post_group_foreign_member_rejected(scim, other_scim):
    stranger = other_scim.create_user("stranger@example.com")

    response = scim.post("/Groups", {"displayName": "Engineering",
                                     "members": [{"value": stranger["id"]}]})

    assert response.status_code == 400, response.content
    assert not Group.objects.filter(display_name="Engineering").exists()


def test_add_unknown_member_rolls_back_whole_patch(scim):
    user = scim.create_user("user1@example.com")
    group = scim.create_group("Engineering")

    response = scim.patch(f"/Groups/{group['id']}", patch_body(
        {"op": "add", "path": "members", "value": [{"value": user["id"]}]},
        {"op": "add", "path": "members", "value": [{"value": "not-a-user"}]},
    ))

    assert response.status_code == 400, response.content
    assert member_ids(scim, group["id"]) == set()


def test_excluded_members_are_not_returned(scim):
    user = scim.create_user("user1@example.com")
    scim.create_group("Engineering", members=[user["id"]])

    response = scim.get('/Groups?filter=displayName eq "Engineering"&excludedAttributes=members')

    resource = response.json()["Resources"][0]
    assert "members" not in resource
    assert resource["displayName"] == "Engineering"


def test_group_filter_by_member_value(scim):
    user = scim.create_user("user1@example.com")
    group = scim.create_group("Engineering", members=[user["id"]])

    response = scim.get(f'/Groups?filter=members.value eq "{user["id"]}"')

    assert [resource["id"] for resource in response.json()["Resources"]] == [group["id"]]


@pytest.mark.parametrize(("query", "max_queries"), [("", 6), ("&excludedAttributes=members", 5)])
def test_group_list_query_count(scim, django_assert_max_num_queries, query, max_queries):
    users = [scim.create_user(f"user{index}@example.com") for index in range(3)]
    for index in range(4):
        scim.create_group(f"Team {index}", members=[user["id"] for user in users])

    # Token look-up, count, page, (members) and the request log, whatever the page size.
    with django_assert_max_num_queries(max_queries):
        response = scim.get(f"/Groups?count=20{query}")

    resources = response.json()["Resources"]
    assert len(resources) == 10
    teams = [group for group in resources if group["displayName"].startswith("Team")]
    if query:
        assert all("members" not in group for group in resources)
    else:
        assert all(len(group["members"]) == 3 for group in teams)


def test_role_group_put_with_other_case_keeps_name(scim):
    user = scim.create_user("user1@example.com")
    group = scim.group_by_name("Insider Outsource")

    response = scim.put(f"/Groups/{group['id']}", {"displayName": "INSIDER OUTSOURCE",
                                                   "members": [{"value": user["id"]}]})

    assert response.status_code == 200, response.content
    assert response.json()["displayName"] == "Insider Outsource"
    assert user_roles(User.objects.get(pk=user["id"])) == [Role.OUTSOURCE]


def test_patch_group_with_attributes_returns_group(scim):
    user = scim.create_user("user1@example.com")
    group = scim.create_group("Engineering")

    response = scim.patch(f"/Groups/{group['id']}?excludedAttributes=members", patch_body(
        {"op": "add", "path": "members", "value": [{"value": user["id"]}]}))

    assert response.status_code == 200, response.content
    assert response.json()["displayName"] == "Engineering"
    assert "members" not in response.json()
    assert member_ids(scim, group["id"]) == {user["id"]}


def test_patch_group_etag_changes_with_members(scim):
    user = scim.create_user("user1@example.com")
    group = scim.create_group("Engineering")

    response = scim.patch(f"/Groups/{group['id']}", patch_body(
        {"op": "add", "path": "members", "value": [{"value": user["id"]}]}))

    assert response.status_code == 204, response.content
    assert response["ETag"] != group["meta"]["version"]
    assert response["ETag"] == scim.get(f"/Groups/{group['id']}").json()["meta"]["version"]
