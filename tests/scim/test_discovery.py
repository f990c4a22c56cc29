import pytest

from tests.scim.conftest import SCIM_CONTENT_TYPE

LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def test_service_provider_config(scim):
    response = scim.get("/ServiceProviderConfig")

    assert response.status_code == 200, response.content
    assert response["Content-Type"] == SCIM_CONTENT_TYPE
    body = response.json()
    assert body["patch"] == {"supported": True}
    assert body["bulk"]["supported"] is False
    assert body["filter"] == {"supported": True, "maxResults": 200}
    assert body["sort"] == {"supported": True}
    assert body["etag"] == {"supported": True}
    assert body["authenticationSchemes"][0]["type"] == "oauthbearertoken"


def test_resource_types_list_relative_endpoints(scim):
    body = scim.get("/ResourceTypes").json()

    assert body["schemas"] == [LIST_SCHEMA]
    assert body["totalResults"] == 2
    assert {(r["id"], r["endpoint"]) for r in body["Resources"]} == {
        ("User", "/Users"), ("Group", "/Groups"),
    }


@pytest.mark.parametrize("resource_type", ["User", "Group"])
def test_resource_type_schemas_are_served(scim, resource_type):
    resource = scim.get(f"/ResourceTypes/{resource_type}").json()

    schema_ids = [resource["schema"]] + [e["schema"] for e in resource["schemaExtensions"]]
    for schema_id in schema_ids:
        response = scim.get(f"/Schemas/{schema_id}")
        assert response.status_code == 200, response.content
        assert response.json()["id"] == schema_id


def test_schemas_list_is_consistent(scim):
    body = scim.get("/Schemas").json()

    assert body["totalResults"] == len(body["Resources"]) == 3
    ids = {schema["id"] for schema in body["Resources"]}
    assert ENTERPRISE in ids
    user = next(s for s in body["Resources"] if s["name"] == "User")
    names = {attribute["name"] for attribute in user["attributes"]}
    assert {"userName", "name", "emails", "active", "groups"} <= names
    assert all(s["meta"]["location"].endswith(f"/Schemas/{s['id']}") for s in body["Resources"])


def test_unknown_schema_is_404(scim):
    response = scim.get("/Schemas/urn:nothing")

    assert response.status_code == 404, response.content
    assert response.json()["status"] == "404"
