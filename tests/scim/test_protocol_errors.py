import pytest
from django.test import Client

from scim.services import token_create, token_revoke
from tests.scim.conftest import ERROR_SCHEMA, SCIM, SCIM_CONTENT_TYPE, idp_request

pytestmark = pytest.mark.django_db

UNAUTHORIZED = idp_request("errors/error_401_bad_token.json")["response_body"]


@pytest.mark.parametrize(
    "authorization",
    [None, "non-token", "Bearer", "Bearer wrong", "Basic dXNlcjpwYXNz", "Bearer inone_scim_wrong"],
)
def test_bad_token_is_401_scim_error(client: Client, tenant, authorization):
    headers = {"Authorization": authorization} if authorization else {}

    response = client.get(f"{SCIM}/Users", headers=headers)

    assert response.status_code == 401, response.content
    assert response["Content-Type"] == SCIM_CONTENT_TYPE
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json() == {**UNAUTHORIZED, "detail": "Invalid or missing bearer token."}


def test_revoked_token_is_401(client: Client, tenant):
    token, raw_token = token_create(tenant=tenant, name="old")
    token_revoke(token)

    response = client.get(f"{SCIM}/Users", headers={"Authorization": f"Bearer {raw_token}"})

    assert response.status_code == 401, response.content


def test_bearer_scheme_is_case_insensitive(client: Client, tenant):
    _, raw_token = token_create(tenant=tenant, name="okta")

    response = client.get(f"{SCIM}/Users", headers={"Authorization": f"bearer {raw_token}"})

    assert response.status_code == 200, response.content


@pytest.mark.parametrize(
    "path",
    ["/Unknown", "/Users/1/extra", "", "/", "/users/.search/more"],
)
def test_unknown_path_is_scim_404(scim, path):
    response = scim.get(path)

    assert response.status_code == 404, response.content
    assert response["Content-Type"] == SCIM_CONTENT_TYPE
    assert response.json()["schemas"] == [ERROR_SCHEMA]
    assert response.json()["status"] == "404"


def test_unknown_path_without_token_is_scim_404(client: Client):
    response = client.get(f"{SCIM}/Nothing")

    assert response.status_code == 404, response.content
    assert response.json()["status"] == "404"


@pytest.mark.parametrize("path", [
    "/Users", "/Users/11111111-2222-4333-8444-555555555555", "/Groups",
    "/Groups/11111111-2222-4333-8444-555555555555", "/ServiceProviderConfig", "/ResourceTypes",
    "/Schemas", "/Users/.search", "/Groups/.search", "/.search",
])
def test_every_endpoint_requires_token(client: Client, path):
    response = client.get(SCIM + path)

    assert response.status_code == 401, response.content
    assert response.json()["status"] == "401"


def test_application_json_is_accepted(scim):
    response = scim.post("/Users", {"userName": "user1@example.com"},
                         content_type="application/json")

    assert response.status_code == 201, response.content
    assert response["Content-Type"] == SCIM_CONTENT_TYPE


def test_other_content_type_is_415(scim):
    response = scim.post("/Users", {"userName": "user1@example.com"}, content_type="text/plain")

    assert response.status_code == 415, response.content
    assert response.json()["status"] == "415"


@pytest.mark.parametrize("raw_body", ["{not json", "[1, 2]", "\"text\"", "\xff"])
def test_malformed_body_is_400_invalid_syntax(scim, raw_body):
    response = scim.client.generic(
        "POST", f"{SCIM}/Users", data=raw_body.encode("latin-1"),
        content_type=SCIM_CONTENT_TYPE,
        headers={"Authorization": f"Bearer {scim.raw_token}"},
    )

    assert response.status_code == 400, response.content
    assert response.json()["scimType"] == "invalidSyntax"
    assert response.json()["status"] == "400"


@pytest.mark.parametrize(
    "body",
    [
        {"userName": 12.5},
        {"userName": ["a"]},
        {"userName": "a@example.com", "active": "perhaps"},
        {"userName": "a@example.com", "emails": "a@example.com"},
        {"userName": "a@example.com", "emails": [{"value": "not-an-email"}]},
        {"userName": "a@example.com", "name": "Given Family"},
        {"userName": "x" * 300 + "@example.com"},
        {"userName": "a@example.com",
         "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": "x"},
    ],
)
def test_invalid_user_values_are_400(scim, body):
    response = scim.post("/Users", body)

    assert response.status_code == 400, response.content
    assert response.json()["scimType"] == "invalidValue"
    assert "Traceback" not in response.content.decode()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"displayName": ""},
        {"displayName": "Team", "members": [{"display": "no value"}]},
        {"displayName": "Team", "members": "everyone"},
    ],
)
def test_invalid_group_values_are_400(scim, body):
    response = scim.post("/Groups", body)

    assert response.status_code == 400, response.content
    assert response.json()["scimType"] == "invalidValue"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"Operations": []},
        {"Operations": "replace"},
        {"Operations": [["op"]]},
        {"Operations": [{"path": "active", "value": False}]},
        {"Operations": [{"op": "replace", "path": 5, "value": False}]},
    ],
)
def test_malformed_patch_is_400(scim, body):
    user = scim.create_user("user1@example.com")

    response = scim.patch(f"/Users/{user['id']}", body)

    assert response.status_code == 400, response.content
    assert response.json()["scimType"] in ("invalidSyntax", "invalidPath")


def test_method_not_allowed_is_scim_405(scim):
    response = scim.delete("/Users")

    assert response.status_code == 405, response.content
    assert response.json()["status"] == "405"


@pytest.mark.parametrize("query", ["startIndex=abc", "count=ten", "sortOrder=sideways",
                                   "sortBy=password"])
def test_bad_list_parameters_are_400(scim, query):
    response = scim.get(f"/Users?{query}")

    assert response.status_code == 400, response.content
    assert response.json()["scimType"] == "invalidValue"


def test_if_match_with_old_version_is_412(scim):
    user = scim.create_user("user1@example.com")
    old_version = user["meta"]["version"]
    scim.patch(f"/Users/{user['id']}", {"Operations": [
        {"op": "replace", "path": "displayName", "value": "Changed"}]})

    response = scim.put(f"/Users/{user['id']}", {"userName": "user1@example.com"},
                        headers={"If-Match": old_version})

    assert response.status_code == 412, response.content
    assert response.json()["status"] == "412"


def test_if_match_with_current_version_succeeds(scim):
    user = scim.create_user("user1@example.com")
    current = scim.get(f"/Users/{user['id']}")

    response = scim.put(f"/Users/{user['id']}", {"userName": "user1@example.com"},
                        headers={"If-Match": current["ETag"]})

    assert response.status_code == 200, response.content
    assert response["ETag"] != current["ETag"]


@pytest.mark.parametrize(
    "raw_body",
    [
        '{"userName": "a\\u0000@example.com"}',
        '{"userName": "a@example.com", "phoneNumbers": [{"value": "\\u0000"}]}',
        "[" * 100000 + "]" * 100000,
    ],
)
def test_body_the_database_cannot_store_is_400(scim, raw_body):
    response = scim.client.generic(
        "POST", f"{SCIM}/Users", data=raw_body, content_type=SCIM_CONTENT_TYPE,
        headers={"Authorization": f"Bearer {scim.raw_token}"},
    )

    assert response.status_code == 400, response.content
    assert response.json()["status"] == "400"


def test_filter_with_nul_is_400(scim):
    response = scim.get("/Users?filter=userName%20eq%20%22a%00b%22")

    assert response.status_code == 400, response.content
    assert response.json()["scimType"] == "invalidFilter"


def test_oversized_body_is_413(scim, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = scim.post("/Users", {"userName": "a@example.com", "title": "x" * 2000})

    assert response.status_code == 413, response.content
    assert response.json()["status"] == "413"


def test_huge_start_index_is_empty_page(scim):
    response = scim.get(f"/Users?startIndex={10**30}")

    assert response.status_code == 200, response.content
    assert response.json()["Resources"] == []


@pytest.mark.parametrize(
    "operations",
    [
        [{"op": "add", "path": "emails", "value": "x"},
         {"op": "remove", "path": "emails", "value": [{"value": "y"}]}],
        [{"op": "replace", "path": "emails", "value": ["a"]},
         {"op": "replace", "path": "emails.value", "value": "b@example.com"}],
    ],
)
def test_patch_on_malformed_list_items_is_400(scim, operations):
    created = scim.create_user("user1@example.com")

    response = scim.patch(f"/Users/{created['id']}", {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": operations,
    })

    assert response.status_code == 400, response.content
    assert response.json()["status"] == "400"


def test_deeply_nested_body_is_400(scim):
    nested: list = []
    for _ in range(900):
        nested = [nested]

    response = scim.post("/Users", {"userName": "deep@example.com", "x": nested})

    assert response.status_code == 400, response.content
    assert response.json()["scimType"] == "invalidSyntax"


@pytest.mark.parametrize("path", ["/Users%0A", "/Groups/%0Ax", "/%0A"])
def test_path_with_newline_is_scim_404(scim, path):
    response = scim.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/scim+json"


def test_path_with_nul_is_logged(scim):
    from scim.models import ScimRequestLog

    response = scim.get("/Users/%00")

    assert response.status_code == 404
    assert ScimRequestLog.objects.get().path == "/scim/v2/Users/\\x00"
