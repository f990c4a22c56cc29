import pytest
from django.contrib.sessions.models import Session

from accounts.models import User, UserDeletion, UserSession
from tests.scim.conftest import ERROR_SCHEMA, SCIM_CONTENT_TYPE, fill, idp_request, scim_path

CREATE_REQUESTS = [
    "okta/02_create_user.json",
    "entra/03_create_user.json",
    "jumpcloud/02_create_user_default_mapping.json",
]


def recorded_create_body(name: str) -> dict:
    body = idp_request(name)["request"]["body"]
    return fill(body, **{"jumpcloud username OR email, per app mapping": "user1@example.com"})


@pytest.mark.parametrize("name", CREATE_REQUESTS)
def test_create_user_from_idp_request(scim, name):
    body = recorded_create_body(name)

    response = scim.post("/Users", body)

    assert response.status_code == 201, response.content
    assert response["Content-Type"] == SCIM_CONTENT_TYPE
    created = response.json()
    assert isinstance(created["id"], str)
    assert created["userName"] == body["userName"]
    assert created["active"] is True
    assert response["Location"].endswith(f"/scim/v2/Users/{created['id']}")
    fetched = scim.get(f"/Users/{created['id']}").json()
    assert fetched["userName"] == body["userName"]
    assert fetched["emails"][0]["value"] == "user1@example.com"
    assert fetched["name"]["givenName"] == body["name"]["givenName"]
    user = User.objects.get(pk=created["id"])
    assert user.tenant == scim.tenant
    assert user.email == "user1@example.com"


def test_create_user_keeps_external_id_and_locale(scim):
    body = recorded_create_body("okta/02_create_user.json")

    created = scim.post("/Users", body).json()

    assert created["externalId"] == "00ujl29u0le5T6Aj10h7"
    assert created["locale"] == "en-US"
    assert "password" not in created


def test_create_user_uses_user_name_when_no_emails(scim):
    response = scim.post("/Users", {"userName": "Plain@Example.com"})

    assert response.status_code == 201, response.content
    assert User.objects.get(pk=response.json()["id"]).email == "Plain@example.com"


def test_create_user_without_any_email_is_400(scim):
    response = scim.post("/Users", {"userName": "not-an-email"})

    assert response.status_code == 400, response.content
    assert response.json()["scimType"] == "invalidValue"
    assert response.json()["status"] == "400"


def test_create_user_without_user_name_is_400(scim):
    response = scim.post("/Users", {"emails": [{"value": "a@example.com"}]})

    assert response.status_code == 400, response.content
    assert response.json()["scimType"] == "invalidValue"


def test_create_user_twice_is_409_uniqueness(scim):
    body = recorded_create_body("okta/02_create_user.json")
    assert scim.post("/Users", body).status_code == 201

    response = scim.post("/Users", body)

    assert response.status_code == 409, response.content
    assert response.json() == {
        "schemas": [ERROR_SCHEMA],
        "status": "409",
        "scimType": "uniqueness",
        "detail": "A user with this userName already exists in this tenant.",
    }


def test_user_name_uniqueness_ignores_case(scim):
    scim.create_user("user1@example.com")

    response = scim.post("/Users", {"userName": "USER1@example.com"})

    assert response.status_code == 409, response.content
    assert response.json()["scimType"] == "uniqueness"


def test_same_user_name_in_two_tenants_is_allowed(scim, other_scim):
    scim.create_user("user1@example.com")

    other_scim.create_user("user1@example.com")

    assert User.objects.filter(user_name="user1@example.com").count() == 2


def test_lookup_by_user_name_filter_is_case_insensitive(scim):
    created = scim.create_user("user1@example.com")

    recorded = idp_request("okta/01_lookup_user_by_filter.json")["request"]["path"]
    path = scim_path(recorded).replace("user1%40example.com", "USER1%40Example.com")

    response = scim.get(path)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["totalResults"] == 1
    assert body["Resources"][0]["id"] == created["id"]


def test_lookup_of_unknown_user_is_empty_list(scim):
    request = idp_request("okta/01_lookup_user_by_filter.json")

    response = scim.get(scim_path(request["request"]["path"]))

    assert response.status_code == 200, response.content
    assert response.json() == request["expected"]["body"]


def test_put_user_ignores_read_only_attributes(scim):
    created = scim.create_user("user1@example.com")
    body = fill(idp_request("okta/05_put_user_update.json")["request"]["body"])
    body["id"] = "11111111-2222-4333-8444-555555555555"

    response = scim.put(f"/Users/{created['id']}", body)

    assert response.status_code == 200, response.content
    fetched = scim.get(f"/Users/{created['id']}").json()
    assert fetched["id"] == created["id"]
    assert fetched["name"]["givenName"] == "Another"
    assert fetched["name"]["middleName"] == "Excited"


def test_put_user_with_active_false_deactivates(scim, sign_in):
    created = scim.create_user("user1@example.com")
    session_key = sign_in(User.objects.get(pk=created["id"]))
    body = {**created, "active": False}

    response = scim.put(f"/Users/{created['id']}", body)

    assert response.status_code == 200, response.content
    assert scim.get(f"/Users/{created['id']}").json()["active"] is False
    assert not Session.objects.filter(session_key=session_key).exists()


JUMPCLOUD_DEACTIVATE = idp_request("jumpcloud/03_deactivate_user_variants.json")["variants"]
DEACTIVATE_BODIES = {
    "jumpcloud-path-active": JUMPCLOUD_DEACTIVATE[0]["body"],
    "jumpcloud-value-object": JUMPCLOUD_DEACTIVATE[1]["body"],
    "okta-no-path": idp_request("okta/06_patch_deactivate_no_path.json")["request"]["body"],
    "entra-string-False":
        idp_request("entra/07_disable_user_default_string_False.json")["request"]["body"],
}


@pytest.mark.parametrize("shape", DEACTIVATE_BODIES)
def test_patch_active_false_ends_sessions(scim, sign_in, shape):
    created = scim.create_user("user1@example.com")
    user = User.objects.get(pk=created["id"])
    session_key = sign_in(user)
    assert Session.objects.filter(session_key=session_key).exists()

    response = scim.patch(f"/Users/{created['id']}", DEACTIVATE_BODIES[shape])

    assert response.status_code == 200, response.content
    assert response.json()["active"] is False
    assert scim.get(f"/Users/{created['id']}").json()["active"] is False
    assert not Session.objects.filter(session_key=session_key).exists()
    assert not UserSession.objects.filter(user=user).exists()


def test_patch_active_true_reactivates(scim):
    created = scim.create_user("user1@example.com", active=False)
    body = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "Replace", "path": "active", "value": "True"}]}

    response = scim.patch(f"/Users/{created['id']}", body)

    assert response.status_code == 200, response.content
    assert scim.get(f"/Users/{created['id']}").json()["active"] is True


def test_patch_entra_add_nick_name(scim):
    created = scim.create_user("user1@example.com")

    body = idp_request("entra/09_add_single_value_default.json")["request"]["body"]

    response = scim.patch(f"/Users/{created['id']}", body)

    assert response.status_code == 200, response.content
    assert scim.get(f"/Users/{created['id']}").json()["nickName"] == "Babs"


@pytest.mark.parametrize(
    ("operation", "field", "expected"),
    [
        ({"op": "replace", "path": "name.familyName", "value": "Newname"}, "family_name",
         "Newname"),
        ({"op": "Replace", "value": {"name.givenName": "Entra"}}, "given_name", "Entra"),
        ({"op": "replace", "value": {"name": {"givenName": "Okta"}}}, "given_name", "Okta"),
        ({"op": "replace", "path": "userName", "value": "renamed@example.com"}, "user_name",
         "renamed@example.com"),
        ({"op": "replace", "path": 'emails[type eq "work"].value', "value": "new@example.com"},
         "email", "new@example.com"),
        ({"op": "add", "path": "externalId", "value": "ext-1"}, "external_id", "ext-1"),
        ({"op": "replace", "path": "displayName", "value": "Shown Name"}, "display_name",
         "Shown Name"),
    ],
)
def test_patch_user_attribute(scim, operation, field, expected):
    created = scim.create_user("user1@example.com")
    body = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [operation]}

    response = scim.patch(f"/Users/{created['id']}", body)

    assert response.status_code == 200, response.content
    assert getattr(User.objects.get(pk=created["id"]), field) == expected


@pytest.mark.parametrize(
    ("operation", "scim_type"),
    [
        ({"op": "move", "path": "active", "value": False}, "invalidSyntax"),
        ({"op": "replace", "path": "noSuchAttribute", "value": "x"}, "invalidPath"),
        ({"op": "replace", "path": "id", "value": "x"}, "mutability"),
        ({"op": "remove"}, "noTarget"),
        ({"op": "replace", "path": "active", "value": "maybe"}, "invalidValue"),
        ({"op": "replace", "path": 'emails[type eq', "value": "x"}, "invalidPath"),
    ],
)
def test_patch_user_rejects_bad_operation(scim, operation, scim_type):
    created = scim.create_user("user1@example.com")
    body = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [operation]}

    response = scim.patch(f"/Users/{created['id']}", body)

    assert response.status_code == 400, response.content
    assert response.json()["scimType"] == scim_type
    assert User.objects.get(pk=created["id"]).is_active is True


def test_patch_to_taken_user_name_is_409(scim):
    scim.create_user("first@example.com")
    second = scim.create_user("second@example.com")
    body = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "replace", "path": "userName", "value": "FIRST@example.com"}]}

    response = scim.patch(f"/Users/{second['id']}", body)

    assert response.status_code == 409, response.content
    assert response.json()["scimType"] == "uniqueness"


def test_delete_user_keeps_audit_record_and_ends_sessions(scim, sign_in):
    created = scim.create_user("user1@example.com")
    session_key = sign_in(User.objects.get(pk=created["id"]))

    response = scim.delete(f"/Users/{created['id']}")

    assert response.status_code == 204, response.content
    assert response.content == b""
    assert "Content-Type" not in response.headers
    assert scim.get(f"/Users/{created['id']}").status_code == 404
    record = UserDeletion.objects.get(user_id=created["id"])
    assert record.actor == "scim:okta"
    assert record.tenant == scim.tenant
    assert not Session.objects.filter(session_key=session_key).exists()


def test_get_unknown_user_is_scim_404(scim):
    response = scim.get("/Users/00919288221112222")

    assert response.status_code == 404, response.content
    assert response.json() == {
        "schemas": [ERROR_SCHEMA],
        "status": "404",
        "detail": "User 00919288221112222 not found.",
    }


def test_user_list_pages(scim):
    for index in range(5):
        scim.create_user(f"user{index}@example.com")

    response = scim.get("/Users?startIndex=2&count=2")

    body = response.json()
    assert body["totalResults"] == 5
    assert body["startIndex"] == 2
    assert body["itemsPerPage"] == 2
    assert [user["userName"] for user in body["Resources"]] == [
        "user1@example.com", "user2@example.com",
    ]


def test_user_shows_group_membership(scim):
    created = scim.create_user("user1@example.com")
    group = scim.group_by_name("Insider View Only")
    scim.patch(f"/Groups/{group['id']}", {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "add", "path": "members", "value": [{"value": created["id"]}]}],
    })

    groups = scim.get(f"/Users/{created['id']}").json()["groups"]

    assert [(g["value"], g["display"]) for g in groups] == [(group["id"], "Insider View Only")]


def test_user_list_loads_groups_in_one_query(scim, django_assert_max_num_queries):
    group = scim.group_by_name("Insider View Only")
    users = [scim.create_user(f"user{index}@example.com") for index in range(10)]
    scim.patch(f"/Groups/{group['id']}", {"Operations": [
        {"op": "add", "path": "members", "value": [{"value": user["id"]} for user in users]}]})

    # Token look-up, count, page, memberships and the request log: the same for any page size.
    with django_assert_max_num_queries(6):
        response = scim.get("/Users?count=10")

    resources = response.json()["Resources"]
    assert len(resources) == 10
    for user in resources:
        assert [group["display"] for group in user["groups"]] == ["Insider View Only"]


@pytest.mark.parametrize(
    ("operation", "attribute", "expected"),
    [
        ({"op": "Add", "path": 'addresses[type eq "work"].streetAddress', "value": "1 Main St"},
         "addresses", [{"type": "work", "streetAddress": "1 Main St"}]),
        ({"op": "Add", "path": 'phoneNumbers[type eq "mobile"].value', "value": "+1 555 0100"},
         "phoneNumbers", [{"type": "mobile", "value": "+1 555 0100"}]),
        ({"op": "Replace", "path": "title", "value": "Engineer"}, "title", "Engineer"),
        ({"op": "Replace", "path": "preferredLanguage", "value": "en-US"},
         "preferredLanguage", "en-US"),
        ({"op": "Add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:"
          "department", "value": "Sales"},
         "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", {"department": "Sales"}),
    ],
)
def test_patch_entra_default_mapping_attributes(scim, operation, attribute, expected):
    created = scim.create_user("user1@example.com")

    response = scim.patch(f"/Users/{created['id']}", {"Operations": [operation]})

    assert response.status_code == 200, response.content
    assert scim.get(f"/Users/{created['id']}").json()[attribute] == expected


def test_pass_through_lists_keep_published_sub_attributes(scim):
    created = scim.create_user(
        "user1@example.com",
        phoneNumbers=[{"value": "+1 555 0100", "type": "work", "primary": "true", "extra": 1}],
        addresses=[{"streetAddress": "1 Main St", "Country": "DE", "unknown": {"a": 1}}],
    )

    fetched = scim.get(f"/Users/{created['id']}").json()

    phone = {"value": "+1 555 0100", "type": "work", "primary": True}
    assert fetched["phoneNumbers"] == [phone]
    assert fetched["addresses"] == [{"streetAddress": "1 Main St", "country": "DE"}]


@pytest.mark.parametrize(
    "field",
    [{"phoneNumbers": [{"value": 5.5}]}, {"addresses": [{"primary": "often"}]},
     {"phoneNumbers": ["+1 555 0100"]}],
)
def test_pass_through_lists_reject_wrong_types(scim, field):
    response = scim.post("/Users", {"userName": "user1@example.com", **field})

    assert response.status_code == 400, response.content
    assert response.json()["scimType"] == "invalidValue"
