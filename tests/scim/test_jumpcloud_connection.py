import pytest

from accounts.models import Group, User
from accounts.selectors import user_can_sign_in, user_roles
from tests.scim.conftest import fill, idp_request, scim_path

PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
TEST_GROUP = "JumpCloud Test Group"


def sequence_steps(test_email: str) -> list[dict]:
    steps = idp_request("jumpcloud/01_test_connection_sequence.json")["steps"]
    return fill(steps, **{"test-user-email": test_email, "?": "Test",
                          "jumpcloud-test-group-name": TEST_GROUP})


@pytest.mark.parametrize("group_update", ["PATCH", "PUT"])
def test_jumpcloud_test_connection_sequence(scim, group_update):
    test_email = scim.tenant.scim_test_email
    lookup, create_user, create_group, _, _, _ = sequence_steps(test_email)

    found = scim.get(scim_path(lookup["request"]["path"]))
    assert found.status_code == 200, found.content
    assert found.json()["totalResults"] == 0
    assert found.json()["Resources"] == []

    created = scim.post("/Users", create_user["request"]["body"])
    assert created.status_code == 201, created.content
    user_id = created.json()["id"]
    assert isinstance(user_id, str)
    user = User.objects.get(pk=user_id)
    assert user.is_scim_test_account
    assert not user_can_sign_in(user)

    group = scim.post("/Groups", create_group["request"]["body"])
    assert group.status_code == 201, group.content
    group_id = group.json()["id"]
    assert isinstance(group_id, str)

    if group_update == "PATCH":
        updated = scim.patch(f"/Groups/{group_id}", {"schemas": [PATCH_OP], "Operations": [
            {"op": "add", "path": "members", "value": [{"value": user_id}]},
            {"op": "replace", "path": "displayName", "value": TEST_GROUP + " 2"},
        ]})
    else:
        updated = scim.put(f"/Groups/{group_id}", {"displayName": TEST_GROUP + " 2",
                                                   "members": [{"value": user_id}]})
    assert updated.status_code in (200, 204), updated.content
    assert scim.get(f"/Groups/{group_id}").json()["displayName"] == TEST_GROUP + " 2"

    assert scim.delete(f"/Groups/{group_id}").status_code == 204
    assert scim.get(f"/Groups/{group_id}").status_code == 404
    assert scim.delete(f"/Users/{user_id}").status_code == 204
    assert scim.get(f"/Users/{user_id}").status_code == 404
    assert scim.get(scim_path(lookup["request"]["path"])).json()["totalResults"] == 0


def test_jumpcloud_test_connection_can_run_again(scim):
    test_email = scim.tenant.scim_test_email
    _, create_user, _, _, _, _ = sequence_steps(test_email)
    first = scim.post("/Users", create_user["request"]["body"]).json()
    assert scim.delete(f"/Users/{first['id']}").status_code == 204

    second = scim.post("/Users", create_user["request"]["body"])

    assert second.status_code == 201, second.content


def test_test_account_never_gets_a_role(scim):
    _, create_user, _, _, _, _ = sequence_steps(scim.tenant.scim_test_email)
    user_id = scim.post("/Users", create_user["request"]["body"]).json()["id"]
    role_group = scim.group_by_name("Insider Manage Users")

    response = scim.patch(f"/Groups/{role_group['id']}", {"schemas": [PATCH_OP], "Operations": [
        {"op": "add", "path": "members", "value": [{"value": user_id}]}]})

    assert response.status_code == 204, response.content
    assert Group.objects.get(pk=role_group["id"]).members.filter(pk=user_id).exists()
    assert user_roles(User.objects.get(pk=user_id)) == []


def test_jumpcloud_deactivate_fallback_for_test_user(scim):
    _, create_user, _, _, _, _ = sequence_steps(scim.tenant.scim_test_email)
    user_id = scim.post("/Users", create_user["request"]["body"]).json()["id"]
    body = idp_request("jumpcloud/03_deactivate_user_variants.json")["variants"][0]["body"]

    response = scim.patch(f"/Users/{user_id}", body)

    assert response.status_code == 200, response.content
    assert scim.get(f"/Users/{user_id}").json()["active"] is False
