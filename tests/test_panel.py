import pytest
from django.test import Client

from accounts.models import Group
from accounts.roles import Role
from accounts.services import membership_add, session_start, user_create, user_set_active


def signed_in_client(user) -> Client:
    client = Client()
    client.force_login(user, backend="accounts.backends.AccountBackend")
    return client


def give_role(user, role: Role) -> None:
    membership_add(group=Group.objects.get(tenant=user.tenant, role=role), users=[user])


def test_home_shows_email_tenant_and_roles(tenant):
    user = user_create(tenant=tenant, email="ann@example.com")
    give_role(user, Role.EDIT_AND_PUBLISH)
    give_role(user, Role.VIEW_ONLY)

    response = signed_in_client(user).get("/")

    assert response.status_code == 200
    body = response.content.decode()
    assert "ann@example.com" in body
    assert "acme-hash" in body
    assert "Insider Edit and Publish, Insider View Only" in body


def test_home_without_role_shows_no_access(tenant):
    user = user_create(tenant=tenant, email="ann@example.com")

    response = signed_in_client(user).get("/")

    assert response.status_code == 403
    assert "No access" in response.content.decode()


def test_home_redirects_anonymous_to_login(db):
    response = Client().get("/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_api_me_returns_identity(tenant):
    user = user_create(tenant=tenant, email="ann@example.com")
    give_role(user, Role.VIEW_ONLY)
    give_role(user, Role.CHANGE_CAMPAIGN_STATUS_ONLY)

    response = signed_in_client(user).get("/api/me")

    assert response.status_code == 200
    assert response.json() == {
        "email": "ann@example.com",
        "tenant": "acme-hash",
        "roles": ["Insider Change Campaign Status Only", "Insider View Only"],
        "primary_role": "Insider Change Campaign Status Only",
    }


def test_api_me_rejects_anonymous(db):
    response = Client().get("/api/me")

    assert response.status_code in (401, 403)
    assert "email" not in response.json()


def test_deactivation_ends_session_at_once(tenant, rf):
    user = user_create(tenant=tenant, email="ann@example.com")
    give_role(user, Role.VIEW_ONLY)
    client = Client()
    client.get("/login/")
    request = rf.get("/")
    request.session = client.session
    session_start(request, user)
    request.session.save()
    client.cookies["sessionid"] = request.session.session_key
    assert client.get("/api/me").status_code == 200

    user_set_active(user=user, active=False)

    assert client.get("/api/me").status_code in (401, 403)


def test_scim_test_account_cannot_start_session(tenant, rf):
    user = user_create(tenant=tenant, email="test@useinsiderscim.com")
    request = rf.get("/")
    request.session = Client().session

    with pytest.raises(PermissionError):
        session_start(request, user)


def test_login_page_sends_known_tenant_to_sso(tenant):
    response = Client().post("/login/", {"tenant": "acme-hash", "next": "/settings/security/"})

    assert response.status_code == 302
    assert response["Location"] == "/sso/acme-hash/login?next=/settings/security/"


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", "javascript:x"])
def test_login_page_drops_offsite_next(tenant, next_url):
    response = Client().post("/login/", {"tenant": "acme-hash", "next": next_url})

    assert response["Location"] == "/sso/acme-hash/login?next=/"


def test_login_page_rejects_unknown_tenant(db):
    response = Client().post("/login/", {"tenant": "nope"})

    assert response.status_code == 400
    assert "No company matches" in response.content.decode()


def test_healthz_checks_database(db):
    response = Client().get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
