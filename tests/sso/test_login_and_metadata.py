"""SP metadata carries the setup guide's values; login sends a correct AuthnRequest."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.utils import timezone
from lxml import etree

from sso.keys import sp_key_pair_prepare_next
from sso.models import OutstandingRequest
from sso.outstanding import BROWSER_COOKIE
from sso.services import idp_metadata_import
from tests.saml_idp import TestIdP
from tests.sso.conftest import signed_in_user_id

BASE = "https://inone.useinsider.com"
MD = "{urn:oasis:names:tc:SAML:2.0:metadata}"
DS = "{http://www.w3.org/2000/09/xmldsig#}"
POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
EMAIL_FORMAT = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"


@pytest.mark.django_db
def test_sp_metadata_has_setup_guide_values(browser, tenant):
    r = browser.get("/sso/acme-hash/metadata")

    assert r.status_code == 200, r.content
    assert r["Content-Type"] == "application/samlmetadata+xml"
    root = etree.fromstring(r.content)
    assert root.get("entityID") == f"{BASE}/sso/acme-hash/metadata"
    acs = root.find(f"{MD}SPSSODescriptor/{MD}AssertionConsumerService")
    assert acs.get("Location") == f"{BASE}/sso/acme-hash/acs"
    assert acs.get("Binding") == POST
    formats = [e.text for e in root.iter(f"{MD}NameIDFormat")]
    assert formats == [EMAIL_FORMAT]
    slo = {e.get("Location") for e in root.iter(f"{MD}SingleLogoutService")}
    assert slo == {f"{BASE}/sso/acme-hash/slo"}


@pytest.mark.django_db
def test_sp_metadata_ignores_host_header(tenant):
    client = Client(secure=True, HTTP_HOST="127.0.0.1")

    r = client.get("/sso/acme-hash/metadata")

    assert etree.fromstring(r.content).get("entityID").startswith(BASE + "/")


@pytest.mark.django_db
def test_sp_metadata_publishes_current_and_next_keys(browser, tenant):
    first = browser.get("/sso/acme-hash/metadata").content
    sp_key_pair_prepare_next(tenant)

    second = browser.get("/sso/acme-hash/metadata").content

    def signing_certs(xml: bytes) -> list[str]:
        root = etree.fromstring(xml)
        return [
            kd.find(f".//{DS}X509Certificate").text
            for kd in root.iter(f"{MD}KeyDescriptor")
            if kd.get("use") == "signing"
        ]

    assert len(signing_certs(first)) == 1
    assert len(signing_certs(second)) == 2
    assert signing_certs(second)[0] == signing_certs(first)[0]


@pytest.mark.django_db
def test_sp_metadata_of_unknown_tenant_is_404(browser):
    r = browser.get("/sso/nope/metadata")

    assert r.status_code == 404
    assert b"Reference code" in r.content


@pytest.mark.django_db
def test_login_redirects_to_idp_with_authn_request(browser, sso_tenant, idp):
    r = browser.get("/sso/acme-hash/login?next=/reports")

    assert r.status_code == 302, r.content
    location = r["Location"]
    assert location.startswith(idp.sso_url + "?")
    assert parse_qs(urlsplit(location).query)["RelayState"] == ["/reports"]
    request = TestIdP.authn_request_from_redirect(location)
    assert request.get("Destination") == idp.sso_url
    assert request.get("AssertionConsumerServiceURL") == f"{BASE}/sso/acme-hash/acs"
    assert request.find("{urn:oasis:names:tc:SAML:2.0:assertion}Issuer").text == (
        f"{BASE}/sso/acme-hash/metadata"
    )
    cookie = r.cookies[BROWSER_COOKIE]
    assert cookie["samesite"] == "None"
    assert cookie["secure"]
    assert cookie["httponly"]


@pytest.mark.django_db
def test_login_posts_when_idp_offers_only_post(browser, tenant, idp):
    idp_metadata_import(tenant=tenant, xml=idp.metadata_xml(post_only=True))

    r = browser.get("/sso/acme-hash/login")

    assert r.status_code == 200, r.content
    page = etree.fromstring(r.content, etree.HTMLParser())
    form = page.find(".//form")
    assert form.get("action") == idp.sso_url
    fields = {i.get("name"): i.get("value") for i in form.iter("input")}
    request = TestIdP.authn_request_from_post(fields["SAMLRequest"])
    assert request.get("Destination") == idp.sso_url
    assert fields["RelayState"] == "/"


@pytest.mark.django_db
def test_login_signs_request_when_idp_wants_it(browser, tenant, idp):
    idp_metadata_import(tenant=tenant, xml=idp.metadata_xml(want_authn_requests_signed=True))

    r = browser.get("/sso/acme-hash/login")

    query = parse_qs(urlsplit(r["Location"]).query)
    assert query["SigAlg"] == ["http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"]
    assert query["Signature"][0]


@pytest.mark.django_db
def test_login_drops_offsite_next(browser, sso_tenant):
    r = browser.get("/sso/acme-hash/login?next=https://evil.example/")

    assert parse_qs(urlsplit(r["Location"]).query)["RelayState"] == ["/"]


@pytest.mark.django_db
def test_login_without_idp_metadata_is_409(browser, tenant):
    r = browser.get("/sso/acme-hash/login")

    assert r.status_code == 409
    assert b"Reference code" in r.content


def _request_id(location: str) -> str:
    return TestIdP.authn_request_from_redirect(location).get("ID")


@pytest.mark.django_db
def test_sp_initiated_login_returns_to_next(browser, sso_tenant, ada, idp, acs_url):
    request_id = _request_id(browser.get("/sso/acme-hash/login?next=/reports")["Location"])
    saml_response = idp.response(sso_tenant, email=ada.email, in_response_to=request_id)

    r = browser.post(acs_url, {"SAMLResponse": saml_response, "RelayState": "/ignored"})

    assert r.status_code == 302, r.content
    assert r["Location"] == "/reports"
    assert signed_in_user_id(browser) == str(ada.pk)


@pytest.mark.django_db
def test_response_to_other_browsers_request_is_rejected(sso_tenant, ada, idp, acs_url, caplog):
    victim, attacker = Client(secure=True), Client(secure=True)
    request_id = _request_id(victim.get("/sso/acme-hash/login")["Location"])
    saml_response = idp.response(sso_tenant, email=ada.email, in_response_to=request_id)

    r = attacker.post(acs_url, {"SAMLResponse": saml_response})

    assert r.status_code == 403
    assert signed_in_user_id(attacker) is None
    reasons = [getattr(record, "reason", "") for record in caplog.records]
    assert any("InResponseTo matches no outstanding request" in reason for reason in reasons)


@pytest.mark.django_db
def test_answered_request_cannot_be_answered_again(browser, sso_tenant, ada, idp, acs_url):
    request_id = _request_id(browser.get("/sso/acme-hash/login")["Location"])
    first = idp.response(sso_tenant, email=ada.email, in_response_to=request_id)
    second = idp.response(sso_tenant, email=ada.email, in_response_to=request_id)
    assert browser.post(acs_url, {"SAMLResponse": first}).status_code == 302
    browser.logout()

    r = browser.post(acs_url, {"SAMLResponse": second})

    assert r.status_code == 403
    assert signed_in_user_id(browser) is None


@pytest.mark.django_db
def test_sp_initiated_works_with_idp_initiated_off(browser, sso_tenant, ada, idp, acs_url):
    sso_tenant.saml_configuration.allow_idp_initiated = False
    sso_tenant.saml_configuration.save()
    request_id = _request_id(browser.get("/sso/acme-hash/login")["Location"])

    r = browser.post(
        acs_url,
        {"SAMLResponse": idp.response(sso_tenant, email=ada.email, in_response_to=request_id)},
    )

    assert r.status_code == 302, r.content


@pytest.mark.django_db
def test_expired_outstanding_request_is_rejected(browser, sso_tenant, ada, idp, acs_url):
    request_id = _request_id(browser.get("/sso/acme-hash/login")["Location"])
    OutstandingRequest.objects.filter(request_id=request_id).update(expires_at=timezone.now())
    saml_response = idp.response(sso_tenant, email=ada.email, in_response_to=request_id)

    r = browser.post(acs_url, {"SAMLResponse": saml_response})

    assert r.status_code == 403
    assert signed_in_user_id(browser) is None


def test_sp_metadata_advertises_only_accepted_algorithms(sso_tenant, browser):
    response = browser.get(f"/sso/{sso_tenant.hash}/metadata")
    root = etree.fromstring(response.content)
    namespace = {"alg": "urn:oasis:names:tc:SAML:metadata:algsupport"}

    digests = {node.get("Algorithm") for node in root.iterfind(".//alg:DigestMethod", namespace)}
    signing = {node.get("Algorithm") for node in root.iterfind(".//alg:SigningMethod", namespace)}

    assert digests == {
        "http://www.w3.org/2001/04/xmlenc#sha256",
        "http://www.w3.org/2001/04/xmldsig-more#sha384",
        "http://www.w3.org/2001/04/xmlenc#sha512",
    }
    assert signing == {
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
    }
