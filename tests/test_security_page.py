import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import Group
from accounts.roles import Role
from accounts.services import membership_add, user_create
from scim.models import ScimToken
from scim.services import token_authenticate, token_create
from sso.selectors import saml_configuration_get
from tests.saml_idp import TestIdP

PAGE = "/settings/security/"


def client_for(tenant, email: str, role: Role | None) -> Client:
    user = user_create(tenant=tenant, email=email)
    if role is not None:
        membership_add(group=Group.objects.get(tenant=tenant, role=role), users=[user])
    client = Client(secure=True)
    client.force_login(user, backend="accounts.backends.AccountBackend")
    return client


@pytest.fixture
def admin_client(tenant) -> Client:
    return client_for(tenant, "admin@acme.example", Role.MANAGE_USERS)


def test_page_shows_guide_values(admin_client):
    response = admin_client.get(PAGE)

    body = response.content.decode()
    assert response.status_code == 200
    assert "https://inone.useinsider.com/sso/acme-hash/metadata" in body
    assert "https://inone.useinsider.com/sso/acme-hash/acs" in body
    assert "https://inone.useinsider.com/scim/v2" in body
    assert "test@useinsiderscim.com" in body
    assert "Insider Change Campaign Status Only" in body
    assert "No IdP metadata uploaded yet" in body


@pytest.mark.parametrize("role", [Role.EDIT_AND_PUBLISH, Role.VIEW_ONLY, None])
def test_page_requires_manage_users(tenant, role):
    client = client_for(tenant, "editor@acme.example", role)

    response = client.get(PAGE)
    posted = client.post(PAGE, {"action": "create-token", "name": "sneaky"})

    assert response.status_code == 403
    assert posted.status_code == 403
    assert not ScimToken.objects.exists()


def test_page_redirects_anonymous_to_login(db):
    response = Client().get(PAGE)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_metadata_upload_imports_idp(admin_client, tenant):
    idp = TestIdP(key_name="security-page")
    upload = SimpleUploadedFile("JumpCloud-acme-metadata.xml", idp.metadata_xml(),
                                content_type="text/xml")

    response = admin_client.post(PAGE, {"action": "upload-metadata", "metadata": upload})

    assert response.status_code == 200, response.content
    body = response.content.decode()
    assert f"Imported the metadata of {idp.entity_id}." in body
    assert "expires" in body
    assert saml_configuration_get(tenant).idp_entity_id == idp.entity_id


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<html><body>not metadata</body></html>", "metadata"),
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', "DOCTYPE"),
        (b"\x89PNG\r\n", "XML"),
    ],
)
def test_metadata_upload_rejects_bad_file(admin_client, tenant, content, message):
    upload = SimpleUploadedFile("bad.xml", content, content_type="text/xml")

    response = admin_client.post(PAGE, {"action": "upload-metadata", "metadata": upload})

    assert response.status_code == 400
    assert message in response.content.decode()
    configuration = saml_configuration_get(tenant)
    assert configuration is None or not configuration.has_idp


def test_token_is_shown_once_and_works(admin_client, tenant):
    created = admin_client.post(PAGE, {"action": "create-token", "name": "jumpcloud",
                                       "expires_days": "30"})
    later = admin_client.get(PAGE)

    assert created.status_code == 200
    raw_token = created.content.decode().split('<code id="new-token">')[1].split("</code>")[0]
    assert token_authenticate(raw_token).tenant == tenant
    assert raw_token not in later.content.decode()
    assert "jumpcloud" in later.content.decode()


def test_token_create_rejects_bad_expiry(admin_client):
    response = admin_client.post(PAGE, {"action": "create-token", "name": "x",
                                        "expires_days": "0"})

    assert response.status_code == 400
    assert not ScimToken.objects.exists()


def test_revoke_token(admin_client, tenant):
    token, raw_token = token_create(tenant=tenant, name="okta")

    response = admin_client.post(PAGE, {"action": "revoke-token", "token_id": str(token.pk)})

    assert response.status_code == 302
    assert token_authenticate(raw_token) is None


def test_revoke_other_tenants_token_is_not_found(admin_client, other_tenant):
    token, raw_token = token_create(tenant=other_tenant, name="globex")

    response = admin_client.post(PAGE, {"action": "revoke-token", "token_id": str(token.pk)})

    assert response.status_code == 404
    assert token_authenticate(raw_token) is not None


def test_unknown_action_is_rejected(admin_client):
    response = admin_client.post(PAGE, {"action": "format-disk"})

    assert response.status_code == 400
    assert "Unknown action" in response.content.decode()
