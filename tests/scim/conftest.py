import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.test import Client, RequestFactory

from accounts.models import Tenant, User
from accounts.services import session_start
from scim.services import token_create

SCIM = "/scim/v2"
IDP_REQUESTS = Path(__file__).parent / "idp_requests"
SCIM_CONTENT_TYPE = "application/scim+json"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"


def idp_request(name: str) -> dict[str, Any]:
    """Load a recorded IdP request shape, such as "okta/02_create_user.json"."""
    return json.loads((IDP_REQUESTS / name).read_text())


def scim_path(path: str, **placeholders: str) -> str:
    """Turn a recorded path ("/scim/Users/<id>", "/Users") into this server's path."""
    for prefix in ("/scim/v2", "/scim"):
        if path.startswith(prefix + "/"):
            path = path[len(prefix):]
            break
    for name, value in placeholders.items():
        path = path.replace(f"<{name}>", value)
    return SCIM + path


def fill(value: Any, **placeholders: str) -> Any:
    """Replace <name> placeholders in every string of a recorded body."""
    text = json.dumps(value)
    for name, replacement in placeholders.items():
        text = text.replace(f"<{name}>", replacement)
    return json.loads(text)


class ScimClient:
    """Django's test client with a tenant's bearer token on every request."""

    def __init__(self, client: Client, raw_token: str, tenant: Tenant) -> None:
        self.client = client
        self.raw_token = raw_token
        self.tenant = tenant

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        content_type: str = SCIM_CONTENT_TYPE,
        headers: dict[str, str] | None = None,
    ) -> HttpResponse:
        all_headers = {"Authorization": f"Bearer {self.raw_token}", **(headers or {})}
        data = json.dumps(body) if body is not None else ""
        if not path.startswith(SCIM):
            path = SCIM + path
        return self.client.generic(
            method, path, data=data, content_type=content_type, headers=all_headers
        )

    def get(self, path: str, **kwargs) -> HttpResponse:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, body: Any, **kwargs) -> HttpResponse:
        return self.request("POST", path, body, **kwargs)

    def put(self, path: str, body: Any, **kwargs) -> HttpResponse:
        return self.request("PUT", path, body, **kwargs)

    def patch(self, path: str, body: Any, **kwargs) -> HttpResponse:
        return self.request("PATCH", path, body, **kwargs)

    def delete(self, path: str, **kwargs) -> HttpResponse:
        return self.request("DELETE", path, **kwargs)

    def create_user(self, user_name: str, **fields: Any) -> dict:
        body = {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": user_name,
            "name": {"givenName": "Given", "familyName": "Family"},
            "emails": [{"value": user_name, "type": "work", "primary": True}],
            "active": True,
            **fields,
        }
        response = self.post("/Users", body)
        assert response.status_code == 201, response.content
        return response.json()

    def create_group(self, display_name: str, members: list[str] | None = None) -> dict:
        body = {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            "displayName": display_name,
            "members": [{"value": member} for member in members or []],
        }
        response = self.post("/Groups", body)
        assert response.status_code == 201, response.content
        return response.json()

    def group_by_name(self, display_name: str) -> dict:
        response = self.get(f'/Groups?filter=displayName eq "{display_name}"')
        assert response.status_code == 200, response.content
        resources = response.json()["Resources"]
        assert len(resources) == 1, resources
        return resources[0]


@pytest.fixture
def scim(client: Client, tenant: Tenant) -> ScimClient:
    _, raw_token = token_create(tenant=tenant, name="okta")
    return ScimClient(client, raw_token, tenant)


@pytest.fixture
def other_scim(client: Client, other_tenant: Tenant) -> ScimClient:
    _, raw_token = token_create(tenant=other_tenant, name="globex-okta")
    return ScimClient(client, raw_token, other_tenant)


@pytest.fixture
def sign_in():
    """Return a function that gives a user a real database session and returns its key."""

    def start(user: User) -> str:
        request = RequestFactory().get("/")
        SessionMiddleware(lambda r: HttpResponse()).process_request(request)
        session_start(request, user)
        request.session.save()
        return request.session.session_key

    return start
