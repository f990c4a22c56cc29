"""The ACS signs in pre-created accounts and rejects what must not start a session."""

import base64

import pytest
from django.test import Client

from accounts.services import user_create, user_set_active
from sso.selectors import sp_urls
from sso.services import idp_metadata_import
from tests.saml_idp import TestIdP
from tests.sso.conftest import assert_rejected, signed_in_user_id


@pytest.mark.django_db
@pytest.mark.parametrize("signing", ["assertion", "response", "both"])
def test_acs_accepts_each_signing_mode(browser, sso_tenant, ada, idp, acs_url, signing):
    saml_response = idp.response(sso_tenant, email=ada.email, signing=signing)

    r = browser.post(acs_url, {"SAMLResponse": saml_response})

    assert r.status_code == 302, r.content
    assert r["Location"] == "/"
    assert signed_in_user_id(browser) == str(ada.pk)


@pytest.mark.django_db
def test_acs_rejects_unsigned_response(browser, sso_tenant, ada, idp, acs_url):
    saml_response = idp.response(sso_tenant, email=ada.email, signing="none")

    r = browser.post(acs_url, {"SAMLResponse": saml_response})

    assert_rejected(r, browser)


@pytest.mark.django_db
def test_acs_matches_email_case_insensitively(browser, sso_tenant, ada, idp, acs_url):
    saml_response = idp.response(sso_tenant, email="ADA@Example.COM")

    r = browser.post(acs_url, {"SAMLResponse": saml_response})

    assert r.status_code == 302, r.content
    assert signed_in_user_id(browser) == str(ada.pk)


@pytest.mark.django_db
def test_idp_entity_id_as_sp_url_works(browser, tenant, acs_url):
    """JumpCloud admins often set the IdP entity ID to the SP's own metadata URL."""
    idp = TestIdP(entity_id=sp_urls(tenant)["metadata_url"])
    idp_metadata_import(tenant=tenant, xml=idp.metadata_xml())
    user = user_create(tenant=tenant, email="grace@example.com")

    r = browser.post(acs_url, {"SAMLResponse": idp.response(tenant, email=user.email)})

    assert r.status_code == 302, r.content
    assert signed_in_user_id(browser) == str(user.pk)


@pytest.mark.django_db
def test_tampered_assertion_is_rejected(browser, sso_tenant, ada, idp, acs_url):
    user_create(tenant=sso_tenant, email="mallory@example.com")
    xml = idp.response_xml(sso_tenant, email=ada.email, signing="both")
    tampered = xml.replace(b"ada@example.com", b"mallory@example.com")

    r = browser.post(acs_url, {"SAMLResponse": _b64(tampered)})

    assert_rejected(r, browser)


@pytest.mark.django_db
def test_other_tenants_response_rejected(
    browser, sso_tenant, ada, idp, other_tenant
):
    """Tenant B trusts the same IdP, but a response addressed to tenant A must not sign in at B."""
    idp_metadata_import(tenant=other_tenant, xml=idp.metadata_xml())
    user_create(tenant=other_tenant, email=ada.email)
    other_acs = sp_urls(other_tenant)["acs_url"].removeprefix("https://inone.useinsider.com")
    saml_response = idp.response(sso_tenant, email=ada.email, signing="both")

    r = browser.post(other_acs, {"SAMLResponse": saml_response})

    assert_rejected(r, browser)


@pytest.mark.django_db
def test_inactive_account_cannot_sign_in(browser, sso_tenant, ada, idp, acs_url):
    user_set_active(user=ada, active=False)

    r = browser.post(acs_url, {"SAMLResponse": idp.response(sso_tenant, email=ada.email)})

    assert_rejected(r, browser)


@pytest.mark.django_db
def test_scim_test_account_cannot_sign_in(browser, sso_tenant, idp, acs_url):
    test_user = user_create(tenant=sso_tenant, email=sso_tenant.scim_test_email)

    r = browser.post(acs_url, {"SAMLResponse": idp.response(sso_tenant, email=test_user.email)})

    assert_rejected(r, browser)


@pytest.mark.django_db
def test_unknown_account_cannot_sign_in(browser, sso_tenant, idp, acs_url):
    r = browser.post(acs_url, {"SAMLResponse": idp.response(sso_tenant, email="nobody@ex.com")})

    assert_rejected(r, browser)


@pytest.mark.django_db
def test_account_of_other_tenant_cannot_sign_in(browser, sso_tenant, idp, acs_url, other_tenant):
    user_create(tenant=other_tenant, email="ada@example.com")

    r = browser.post(acs_url, {"SAMLResponse": idp.response(sso_tenant, email="ada@example.com")})

    assert_rejected(r, browser)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("relay_state", "expected"),
    [
        ("/campaigns?id=7", "/campaigns?id=7"),
        ("https://evil.example/phish", "/"),
        ("//evil.example/phish", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("", "/"),
    ],
)
def test_relay_state_redirects_only_to_local_paths(
    browser, sso_tenant, ada, idp, acs_url, relay_state, expected
):
    saml_response = idp.response(sso_tenant, email=ada.email)

    r = browser.post(acs_url, {"SAMLResponse": saml_response, "RelayState": relay_state})

    assert r.status_code == 302, r.content
    assert r["Location"] == expected


@pytest.mark.django_db
def test_same_assertion_twice_is_rejected_as_replay(sso_tenant, ada, idp, acs_url):
    saml_response = idp.response(sso_tenant, email=ada.email)
    first, second = Client(secure=True), Client(secure=True)

    assert first.post(acs_url, {"SAMLResponse": saml_response}).status_code == 302
    r = second.post(acs_url, {"SAMLResponse": saml_response})

    assert_rejected(r, second)


@pytest.mark.django_db
def test_assertion_id_scoped_per_tenant(browser, sso_tenant, ada, idp, acs_url, other_tenant):
    idp_metadata_import(tenant=other_tenant, xml=idp.metadata_xml())
    other_user = user_create(tenant=other_tenant, email=ada.email)
    other_acs = sp_urls(other_tenant)["acs_url"].removeprefix("https://inone.useinsider.com")
    first = idp.response(sso_tenant, email=ada.email, assertion_id="_shared")
    same_id = idp.response(other_tenant, email=ada.email, assertion_id="_shared")
    assert browser.post(acs_url, {"SAMLResponse": first}).status_code == 302
    second = Client(secure=True)

    r = second.post(other_acs, {"SAMLResponse": same_id})

    assert r.status_code == 302, r.content
    assert signed_in_user_id(second) == str(other_user.pk)


@pytest.mark.django_db
def test_idp_initiated_off_rejects_unsolicited(browser, sso_tenant, ada, idp, acs_url):
    sso_tenant.saml_configuration.allow_idp_initiated = False
    sso_tenant.saml_configuration.save()

    r = browser.post(acs_url, {"SAMLResponse": idp.response(sso_tenant, email=ada.email)})

    assert_rejected(r, browser)


@pytest.mark.django_db
def test_acs_of_unknown_tenant_is_404(browser, idp, tenant):
    r = browser.post("/sso/no-such-tenant/acs", {"SAMLResponse": idp.response(tenant)})

    assert_rejected(r, browser, status=404)


@pytest.mark.django_db
def test_acs_of_tenant_without_idp_is_409(browser, tenant, idp):
    acs = sp_urls(tenant)["acs_url"].removeprefix("https://inone.useinsider.com")

    r = browser.post(acs, {"SAMLResponse": idp.response(tenant)})

    assert_rejected(r, browser, status=409)


@pytest.mark.django_db
def test_acs_get_shows_error_page(browser, acs_url):
    r = browser.get(acs_url)

    assert_rejected(r, browser, status=404)


@pytest.mark.django_db
def test_signed_in_user_reaches_panel_home(browser, sso_tenant, ada, idp, acs_url):
    """A role-less account authenticates and gets the "no access" page, not an error."""
    browser.post(acs_url, {"SAMLResponse": idp.response(sso_tenant, email=ada.email)})

    r = browser.get("/")

    assert r.status_code == 403
    assert b"No access" in r.content
    assert b"ada@example.com" in r.content


def _b64(xml: bytes) -> str:
    return base64.b64encode(xml).decode()


@pytest.mark.django_db
def test_same_idp_entity_id_other_key_rejected(browser, sso_tenant, ada, acs_url, other_tenant):
    """JumpCloud entity IDs collide across customers ("JumpCloud"), so only the key decides.

    Another customer's IdP, with the same entity ID and its own key, cannot sign users in here.
    """
    ours = TestIdP(entity_id="JumpCloud")
    theirs = TestIdP(entity_id="JumpCloud", key_name="other-customer-idp")
    idp_metadata_import(tenant=sso_tenant, xml=ours.metadata_xml())
    idp_metadata_import(tenant=other_tenant, xml=theirs.metadata_xml())

    r = browser.post(acs_url, {"SAMLResponse": theirs.response(sso_tenant, email=ada.email)})

    assert_rejected(r, browser)
