"""Single Logout, SP-initiated and IdP-initiated over the Redirect and POST bindings."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from accounts.models import UserSession
from accounts.services import user_create
from sso.services import idp_metadata_import
from tests.saml_idp import SAML_NS, TestIdP
from tests.sso.conftest import signed_in_user_id

SLO = "/sso/acme-hash/slo"


@pytest.fixture
def signed_in(browser, sso_tenant, ada, idp, acs_url) -> Client:
    r = browser.post(acs_url, {"SAMLResponse": idp.response(sso_tenant, email=ada.email)})
    assert r.status_code == 302, r.content
    return browser


@pytest.mark.django_db
def test_sp_logout_sends_signed_request(signed_in, idp, ada):
    r = signed_in.post(SLO)

    assert r.status_code == 302, r.content
    assert r["Location"].startswith(idp.slo_url + "?")
    assert signed_in_user_id(signed_in) is None
    query = parse_qs(urlsplit(r["Location"]).query)
    assert query["SigAlg"] == ["http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"]
    request = TestIdP.saml_message_from_redirect(r["Location"])
    assert request.find(f"{{{SAML_NS}}}NameID").text == ada.email


@pytest.mark.django_db
def test_sp_logout_without_idp_slo_goes_to_login(browser, tenant, idp, acs_url):
    idp_metadata_import(tenant=tenant, xml=idp.metadata_xml(include_slo=False))
    user = user_create(tenant=tenant, email="ada@example.com")
    browser.post(acs_url, {"SAMLResponse": idp.response(tenant, email=user.email)})

    r = browser.post(SLO)

    assert r.status_code == 302
    assert r["Location"] == "/login/"
    assert signed_in_user_id(browser) is None


@pytest.mark.django_db
def test_idp_logout_response_lands_on_login(browser, sso_tenant):
    r = browser.get(SLO, {"SAMLResponse": "ignored"})

    assert r.status_code == 302
    assert r["Location"] == "/login/"


@pytest.mark.django_db
@pytest.mark.parametrize("binding", ["redirect", "post"])
def test_idp_logout_request_ends_user_sessions(signed_in, sso_tenant, ada, idp, binding):
    params = idp.logout_request(sso_tenant, email=ada.email, binding=binding, relay_state="rs1")
    idp_browser = Client(secure=True)
    send = idp_browser.get if binding == "redirect" else idp_browser.post

    r = send(SLO, params)

    assert r.status_code == 302, r.content
    assert r["Location"].startswith(idp.slo_url + "?")
    response = TestIdP.saml_message_from_redirect(r["Location"], "SAMLResponse")
    status = response.find(".//{urn:oasis:names:tc:SAML:2.0:protocol}StatusCode")
    assert status.get("Value") == "urn:oasis:names:tc:SAML:2.0:status:Success"
    assert not UserSession.objects.filter(user=ada).exists()
    assert signed_in.get("/api/me").status_code in (401, 403)


@pytest.mark.django_db
@pytest.mark.parametrize("binding", ["redirect", "post"])
def test_unsigned_idp_logout_request_is_rejected(signed_in, sso_tenant, ada, idp, binding):
    params = idp.logout_request(sso_tenant, email=ada.email, binding=binding, signed=False)
    idp_browser = Client(secure=True)
    send = idp_browser.get if binding == "redirect" else idp_browser.post

    r = send(SLO, params)

    assert r.status_code == 403
    assert b"Reference code" in r.content
    assert UserSession.objects.filter(user=ada).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("binding", ["redirect", "post"])
def test_logout_request_signed_by_other_key_is_rejected(signed_in, sso_tenant, ada, binding):
    impostor = TestIdP(key_name="impostor-idp")
    params = impostor.logout_request(sso_tenant, email=ada.email, binding=binding)
    idp_browser = Client(secure=True)
    send = idp_browser.get if binding == "redirect" else idp_browser.post

    r = send(SLO, params)

    assert r.status_code == 403
    assert UserSession.objects.filter(user=ada).exists()


@pytest.mark.django_db
def test_sp_logout_link_only_asks_to_confirm(signed_in, ada):
    r = signed_in.get(SLO)

    assert r.status_code == 200
    assert b"Sign out of Insider One" in r.content
    assert signed_in_user_id(signed_in) == str(ada.pk)


@pytest.mark.django_db
def test_sp_logout_post_from_another_site_is_rejected(sso_tenant, ada, idp, acs_url):
    browser = Client(secure=True, enforce_csrf_checks=True)
    browser.post(acs_url, {"SAMLResponse": idp.response(sso_tenant, email=ada.email)})

    r = browser.post(SLO)

    assert r.status_code == 400
    assert b"Reference code" in r.content
    assert signed_in_user_id(browser) == str(ada.pk)


@pytest.mark.django_db
def test_sp_logout_form_signs_out_with_csrf_token(sso_tenant, ada, idp, acs_url):
    browser = Client(secure=True, enforce_csrf_checks=True)
    browser.post(acs_url, {"SAMLResponse": idp.response(sso_tenant, email=ada.email)})
    browser.get(SLO)

    r = browser.post(SLO, {"csrfmiddlewaretoken": browser.cookies["csrftoken"].value})

    assert r.status_code == 302
    assert signed_in_user_id(browser) is None
