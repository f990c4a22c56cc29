"""A tenant set up exactly as the JumpCloud setup guide instructs a customer, end to end.

The test plays JumpCloud. The operator creates the tenant and imports the IdP metadata with the
command-line tools. JumpCloud runs its SCIM Test Connection and provisions a user into
"Insider Edit and Publish". Then the user launches the app from the JumpCloud portal, which posts
an unsolicited response signed by the test IdP's own key to the ACS.
"""

import base64
import io
import json
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import Tenant
from tests.saml_idp import TestIdP

BASE_URL = "https://inone.useinsider.com"
SCIM_JSON = "application/scim+json"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"


def run_command(*args: str) -> list[str]:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip().splitlines()


class JumpCloudScim:
    """JumpCloud's SCIM client: bearer token, application/scim+json bodies."""

    def __init__(self, token: str) -> None:
        self.client = Client(secure=True)
        self.headers = {"Authorization": f"Bearer {token}"}

    def send(self, method: str, path: str, body: dict | None = None):
        data = json.dumps(body) if body is not None else None
        return getattr(self.client, method.lower())(
            "/scim/v2" + path,
            data=data,
            content_type=SCIM_JSON,
            headers=self.headers,
        )


def set_up_tenant(tmp_path, tenant_hash: str) -> tuple[Tenant, TestIdP, str]:
    """Create the tenant, import its IdP metadata and a SCIM token with the command-line tools."""
    created = run_command("createtenant", "Acme Marketing", "--hash", tenant_hash)
    assert created[-1] == tenant_hash
    tenant = Tenant.objects.get(hash=tenant_hash)

    # The guide sets JumpCloud's IdP Entity ID to the SP's own metadata URL.
    idp = TestIdP(entity_id=f"{BASE_URL}/sso/{tenant_hash}/metadata", key_name=tenant_hash)
    metadata_file = tmp_path / f"JumpCloud-{tenant_hash}-metadata.xml"
    metadata_file.write_bytes(idp.metadata_xml())
    imported = "\n".join(run_command("importidpmetadata", tenant_hash, str(metadata_file)))
    assert idp.entity_id in imported

    token = run_command("createscimtoken", tenant_hash, "--name", "jumpcloud")[-1]
    return tenant, idp, token


def run_test_connection(scim: JumpCloudScim, test_email: str) -> None:
    """Replay JumpCloud's Test Connection: look up, create user and group, update, delete."""
    lookup = scim.send("GET", "/Users?filter=" + quote(f'userName eq "{test_email}"'))
    assert lookup.status_code == 200, lookup.content
    assert lookup.json()["totalResults"] == 0

    created = scim.send("POST", "/Users", {
        "schemas": [USER_SCHEMA],
        "userName": test_email,
        "emails": [{"value": test_email, "type": "work", "primary": True}],
        "name": {"givenName": "Test", "familyName": "User"},
        "active": True,
    })
    assert created.status_code == 201, created.content
    user_id = created.json()["id"]
    assert isinstance(user_id, str)

    group = scim.send("POST", "/Groups", {"schemas": [GROUP_SCHEMA],
                                          "displayName": "JumpCloud Test Group"})
    assert group.status_code == 201, group.content
    group_id = group.json()["id"]
    assert isinstance(group_id, str)

    renamed = scim.send("PATCH", f"/Groups/{group_id}", {
        "schemas": [PATCH_SCHEMA],
        "Operations": [{"op": "replace", "path": "displayName",
                        "value": "JumpCloud Test Group 2"}],
    })
    assert renamed.status_code in (200, 204), renamed.content
    assert scim.send("DELETE", f"/Groups/{group_id}").status_code == 204
    assert scim.send("DELETE", f"/Users/{user_id}").status_code == 204
    assert scim.send("GET", f"/Users/{user_id}").status_code == 404


def provision_editor(scim: JumpCloudScim, email: str) -> str:
    """Create the user and push "Insider Edit and Publish" with the user as its member."""
    created = scim.send("POST", "/Users", {
        "schemas": [USER_SCHEMA],
        "userName": email,
        "name": {"givenName": "Grace", "familyName": "Hopper"},
        "displayName": "Grace Hopper",
        "emails": [{"value": email, "type": "work", "primary": True}],
        "active": True,
    })
    assert created.status_code == 201, created.content
    user_id = created.json()["id"]

    # JumpCloud takes over an existing group whose name matches the one it pushes.
    found = scim.send("GET", "/Groups?filter=" + quote('displayName eq "Insider Edit and Publish"'))
    assert found.status_code == 200, found.content
    assert found.json()["totalResults"] == 1
    group_id = found.json()["Resources"][0]["id"]

    added = scim.send("PATCH", f"/Groups/{group_id}", {
        "schemas": [PATCH_SCHEMA],
        "Operations": [{"op": "add", "path": "members", "value": [{"value": user_id}]}],
    })
    assert added.status_code in (200, 204), added.content
    members = scim.send("GET", f"/Groups/{group_id}").json()["members"]
    assert [member["value"] for member in members] == [user_id]
    return user_id


@pytest.mark.parametrize("signing", ["assertion", "response", "both"])
def test_jumpcloud_tenant_signs_in_with_role(db, tmp_path, signing):
    tenant, idp, token = set_up_tenant(tmp_path, "acme-jc")
    scim = JumpCloudScim(token)
    run_test_connection(scim, tenant.scim_test_email)
    provision_editor(scim, "grace@acme.example")
    browser = Client(secure=True)

    saml_response = idp.response(tenant, email="grace@acme.example", signing=signing,
                                 groups=["Insider Edit and Publish"])
    landed = browser.post("/sso/acme-jc/acs", {"SAMLResponse": saml_response})

    assert landed.status_code == 302, landed.content
    assert landed["Location"] == "/"
    home = browser.get("/")
    assert home.status_code == 200
    assert b"grace@acme.example" in home.content
    assert b"Insider Edit and Publish" in home.content
    me = browser.get("/api/me").json()
    assert me == {
        "email": "grace@acme.example",
        "tenant": "acme-jc",
        "roles": ["Insider Edit and Publish"],
        "primary_role": "Insider Edit and Publish",
    }


def test_response_posted_to_other_tenant_is_rejected(db, tmp_path):
    tenant, idp, token = set_up_tenant(tmp_path, "acme-jc")
    other, _other_idp, _other_token = set_up_tenant(tmp_path, "globex-jc")
    provision_editor(JumpCloudScim(token), "grace@acme.example")
    browser = Client(secure=True)

    saml_response = idp.response(tenant, email="grace@acme.example", signing="both")
    rejected = browser.post("/sso/globex-jc/acs", {"SAMLResponse": saml_response})

    assert 400 <= rejected.status_code < 500, rejected.content
    assert b"Reference code" in rejected.content
    assert "_auth_user_id" not in browser.session
    assert browser.get("/api/me").status_code in (401, 403)


@pytest.mark.parametrize("signing", ["none", "tampered"])
def test_unsigned_or_tampered_response_is_rejected(db, tmp_path, signing):
    tenant, idp, token = set_up_tenant(tmp_path, "acme-jc")
    provision_editor(JumpCloudScim(token), "grace@acme.example")
    JumpCloudScim(token).send("POST", "/Users", {
        "schemas": [USER_SCHEMA], "userName": "mallory@acme.example", "active": True,
        "emails": [{"value": "mallory@acme.example", "primary": True}],
    })
    browser = Client(secure=True)

    if signing == "none":
        xml = idp.response_xml(tenant, email="grace@acme.example", signing="none")
    else:
        signed = idp.response_xml(tenant, email="mallory@acme.example", signing="both")
        xml = signed.replace(b"mallory@acme.example", b"grace@acme.example")

    rejected = browser.post("/sso/acme-jc/acs", {"SAMLResponse": base64.b64encode(xml).decode()})

    assert rejected.status_code == 403, rejected.content
    assert b"Reference code" in rejected.content
    assert "_auth_user_id" not in browser.session


def test_scim_token_of_one_tenant_cannot_reach_another(db, tmp_path):
    _tenant, _idp, acme_token = set_up_tenant(tmp_path, "acme-jc")
    _other, _other_idp, globex_token = set_up_tenant(tmp_path, "globex-jc")
    globex_user = provision_editor(JumpCloudScim(globex_token), "grace@globex.example")
    acme = JumpCloudScim(acme_token)

    listing = acme.send("GET", "/Users")
    fetched = acme.send("GET", f"/Users/{globex_user}")
    patched = acme.send("PATCH", f"/Users/{globex_user}", {
        "schemas": [PATCH_SCHEMA],
        "Operations": [{"op": "replace", "path": "active", "value": False}],
    })
    deleted = acme.send("DELETE", f"/Users/{globex_user}")

    assert listing.json()["totalResults"] == 0
    assert fetched.status_code == 404
    assert patched.status_code == 404
    assert deleted.status_code == 404
    still_there = JumpCloudScim(globex_token).send("GET", f"/Users/{globex_user}")
    assert still_there.status_code == 200
    assert still_there.json()["active"] is True


def test_tenantsetup_prints_guide_values(db, tmp_path):
    set_up_tenant(tmp_path, "acme-jc")

    output = "\n".join(run_command("tenantsetup", "acme-jc"))

    assert f"| IdP Entity ID | {BASE_URL}/sso/acme-jc/metadata |" in output
    assert f"| SP Entity ID | {BASE_URL}/sso/acme-jc/metadata |" in output
    assert f"| ACS URLs/Default URL | {BASE_URL}/sso/acme-jc/acs |" in output
    assert ("| SAMLSubject NameID Format | "
            "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress |") in output
    assert "| Signature Algorithm | RSA-SHA256 |" in output
    assert f"| Login URL | {BASE_URL}/sso/acme-jc/login |" in output
    assert f"| Base URL | {BASE_URL}/scim/v2 |" in output
    assert "| Test User Email | test@useinsiderscim.com |" in output
    assert ("| Insider Change Campaign Status Only | "
            "Change Campaign Status Only role for Insider One |") in output
