"""Settings > Security in a real browser: sign in from the IdP portal, upload, create a token."""

import html

import pytest

from accounts.models import Group
from accounts.roles import Role
from accounts.services import membership_add, tenant_create, user_create
from scim.services import token_authenticate
from sso.selectors import saml_configuration_get
from sso.services import idp_metadata_import
from tests.saml_idp import TestIdP

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def panel(live_server, settings):
    # The live server speaks plain HTTP on a random port: absolute URLs and cookies follow it.
    settings.INONE_BASE_URL = live_server.url
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.CSRF_TRUSTED_ORIGINS = [live_server.url]
    return live_server.url


def idp_portal_launch(page, tenant, idp: TestIdP, email: str, panel_url: str) -> None:
    """Do what an IdP's app tile does: auto-post a signed response to the tenant's ACS."""
    saml_response = idp.response(tenant, email=email, signing="both")
    acs = f"{panel_url}/sso/{tenant.hash}/acs"
    page.set_content(
        f'<form id="f" method="post" action="{html.escape(acs)}">'
        f'<input type="hidden" name="SAMLResponse" value="{html.escape(saml_response)}">'
        "</form><script>document.getElementById('f').submit()</script>"
    )
    page.wait_for_url(f"{panel_url}/")


def test_admin_uploads_metadata_and_creates_token(page, panel, tmp_path):
    tenant = tenant_create(name="Acme", tenant_hash="acme-browser")
    portal_idp = TestIdP(key_name="browser-portal")
    idp_metadata_import(tenant=tenant, xml=portal_idp.metadata_xml())
    admin = user_create(tenant=tenant, email="admin@acme.example")
    membership_add(group=Group.objects.get(tenant=tenant, role=Role.MANAGE_USERS), users=[admin])

    idp_portal_launch(page, tenant, portal_idp, "admin@acme.example", panel)
    assert page.locator("#primary-role").inner_text() == "Insider Manage Users"

    page.click("text=Settings > Security")
    page.wait_for_url(f"{panel}/settings/security/")
    sso_values = page.locator("#sso-values").inner_text()
    assert f"{panel}/sso/acme-browser/acs" in sso_values
    assert "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress" in sso_values

    rollover_idp = TestIdP(entity_id="https://idp.example.test/rollover", key_name="browser-new")
    metadata_file = tmp_path / "JumpCloud-acme-metadata.xml"
    metadata_file.write_bytes(rollover_idp.metadata_xml(post_only=True))
    page.set_input_files("#id_metadata", str(metadata_file))
    page.click("#metadata-form button[type=submit]")
    page.wait_for_selector("#notice")
    assert "https://idp.example.test/rollover" in page.locator("#notice").inner_text()
    assert saml_configuration_get(tenant).idp_entity_id == "https://idp.example.test/rollover"

    page.fill("#id_name", "jumpcloud")
    page.fill("#id_expires_days", "90")
    page.click("#token-form button[type=submit]")
    raw_token = page.locator("#new-token").inner_text()
    assert token_authenticate(raw_token).tenant == tenant
    page.screenshot(path=str(tmp_path / "security.png"), full_page=True)

    page.goto(f"{panel}/settings/security/")
    assert page.locator("#new-token").count() == 0
    assert "jumpcloud" in page.locator("#tokens").inner_text()


def test_user_without_role_sees_no_access(page, panel):
    tenant = tenant_create(name="Acme", tenant_hash="acme-norole")
    idp = TestIdP(key_name="browser-norole")
    idp_metadata_import(tenant=tenant, xml=idp.metadata_xml())
    user_create(tenant=tenant, email="newbie@acme.example")

    idp_portal_launch(page, tenant, idp, "newbie@acme.example", panel)

    assert page.locator("h1").inner_text() == "No access"
    assert "newbie@acme.example" in page.content()
