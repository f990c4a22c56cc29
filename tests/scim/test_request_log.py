from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from scim.models import ScimRequestLog, ScimTenantSettings
from tests.scim.conftest import SCIM, idp_request


def test_every_request_is_logged_without_secrets(scim):
    created = scim.create_user("user1@example.com")
    scim.get('/Users?filter=userName eq "user1@example.com"')
    scim.post("/Users", {"userName": "user1@example.com"})

    entries = list(ScimRequestLog.objects.order_by("created_at"))

    assert [(e.method, e.path, e.status) for e in entries] == [
        ("POST", "/scim/v2/Users", 201),
        ("GET", "/scim/v2/Users", 200),
        ("POST", "/scim/v2/Users", 409),
    ]
    assert entries[0].resource_ids == [created["id"]]
    assert all(entry.tenant == scim.tenant for entry in entries)
    assert all(entry.token_name == "okta" for entry in entries)
    assert entries[2].error == "A user with this userName already exists in this tenant."
    for entry in entries:
        stored = f"{entry.path} {entry.error} {entry.resource_ids}"
        assert "user1@example.com" not in stored
        assert scim.raw_token not in stored
        assert entry.query_string == ""
        assert entry.request_body is None
        assert entry.response_body is None


def test_tenant_switch_stores_bodies_without_passwords(scim):
    ScimTenantSettings.objects.create(tenant=scim.tenant, log_bodies=True)
    okta_create = {**idp_request("okta/02_create_user.json")["request"]["body"],
                   "password": "correct horse battery staple"}

    created = scim.post("/Users", okta_create).json()
    scim.patch(f"/Users/{created['id']}", {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": "password", "value": "new secret 123"}],
    })
    scim.get('/Users?filter=userName eq "user1@example.com"')

    create_entry, patch_entry, lookup_entry = ScimRequestLog.objects.order_by("created_at")
    assert create_entry.request_body["userName"] == "user1@example.com"
    assert create_entry.request_body["password"] == "(removed)"
    assert create_entry.response_body["id"] == created["id"]
    assert patch_entry.request_body["Operations"][0]["value"] == "(removed)"
    assert "user1%40example.com" in lookup_entry.query_string or (
        "user1@example.com" in lookup_entry.query_string
    )
    stored = str([create_entry.request_body, patch_entry.request_body])
    assert "correct horse" not in stored
    assert "new secret" not in stored
    assert scim.raw_token not in stored


def test_rejected_token_is_logged_without_tenant(client: Client, db):
    client.get(f"{SCIM}/Users", headers={"Authorization": "Bearer inone_scim_guess"})

    entry = ScimRequestLog.objects.get()
    assert entry.status == 401
    assert entry.tenant is None
    assert entry.token_name == ""
    assert "guess" not in entry.error


def test_log_is_read_only_in_admin(admin_client, scim):
    scim.create_user("user1@example.com")
    entry = ScimRequestLog.objects.get()

    listing = admin_client.get("/admin/scim/scimrequestlog/")
    detail = admin_client.get(f"/admin/scim/scimrequestlog/{entry.pk}/change/")
    add = admin_client.get("/admin/scim/scimrequestlog/add/")

    assert listing.status_code == 200
    assert b"/scim/v2/Users" in listing.content
    assert detail.status_code == 200
    assert b'name="_save"' not in detail.content
    assert add.status_code == 403


def test_prune_command_deletes_old_entries(scim):
    scim.get("/Users")
    scim.get("/Groups")
    old = ScimRequestLog.objects.get(path="/scim/v2/Users")
    ScimRequestLog.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=91))
    output = StringIO()

    call_command("prunescimrequests", stdout=output)

    assert list(ScimRequestLog.objects.values_list("path", flat=True)) == ["/scim/v2/Groups"]
    assert "Deleted 1 " in output.getvalue()
