"""Responses the ACS must reject: each case is a 4xx error page, no session, a logged reason."""

import base64
import copy
from datetime import UTC, datetime, timedelta

import pytest
from lxml import etree

from accounts.services import user_create
from sso.selectors import sp_urls
from sso.services import idp_metadata_import
from tests.saml_idp import DS_NS, SAML_NS, SAMLP_NS, TestIdP, key_pair, new_id
from tests.sso.conftest import assert_rejected, signed_in_user_id

NOW = datetime.now(UTC)


def b64(xml: bytes) -> str:
    return base64.b64encode(xml).decode()


def post(browser, acs_url, xml: bytes):
    return browser.post(acs_url, {"SAMLResponse": b64(xml)})


@pytest.mark.django_db
@pytest.mark.parametrize("signing", ["assertion", "response"])
def test_stripped_signature_is_rejected(browser, sso_tenant, ada, idp, acs_url, caplog, signing):
    root = etree.fromstring(idp.response_xml(sso_tenant, email=ada.email, signing=signing))
    for signature in root.iter(f"{{{DS_NS}}}Signature"):
        signature.getparent().remove(signature)

    r = post(browser, acs_url, etree.tostring(root))

    assert_rejected(r, browser, caplog=caplog, reason="Neither the response nor the assertions")


@pytest.mark.django_db
def test_key_outside_metadata_rejected(browser, sso_tenant, ada, idp, acs_url, caplog):
    """The attacker's own certificate in KeyInfo must not be trusted."""
    attacker = key_pair("attacker-idp")
    xml = idp.response_xml(
        sso_tenant, email=ada.email, signing_keys=attacker, key_info_certificate=attacker
    )

    r = post(browser, acs_url, xml)

    assert_rejected(r, browser, caplog=caplog, reason="SignatureError")


@pytest.mark.django_db
def test_signature_without_key_info_accepted(browser, sso_tenant, ada, idp, acs_url):
    xml = idp.response_xml(sso_tenant, email=ada.email, key_info_certificate=None)

    r = post(browser, acs_url, xml)

    assert r.status_code == 302, r.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("options", "reason"),
    [
        ({"signature_algorithm": "hmac-sha256"}, "Signature algorithm"),
        ({"signature_algorithm": "rsa-sha1", "digest_algorithm": "sha1"}, "Signature algorithm"),
        ({"digest_algorithm": "sha1"}, "Digest algorithm"),
        ({"transforms": ("enveloped", "c14n")}, "Transform"),
        ({"reference_uri": ""}, "does not point at the element"),
    ],
)
def test_weak_or_unusual_signatures_are_rejected(
    browser, sso_tenant, ada, idp, acs_url, caplog, options, reason
):
    xml = idp.response_xml(sso_tenant, email=ada.email, **options)

    r = post(browser, acs_url, xml)

    assert_rejected(r, browser, caplog=caplog, reason=reason)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "algorithm",
    ["http://www.w3.org/TR/1999/REC-xpath-19991116", "http://www.w3.org/TR/1999/REC-xslt-19991116"],
)
def test_xpath_and_xslt_transforms_are_rejected(
    browser, sso_tenant, ada, idp, acs_url, caplog, algorithm
):
    """libxmlsec1 needs a body for these transforms to sign, so one is added after signing."""
    root = etree.fromstring(idp.response_xml(sso_tenant, email=ada.email))
    transforms = root.find(f".//{{{DS_NS}}}Transforms")
    etree.SubElement(transforms, f"{{{DS_NS}}}Transform", Algorithm=algorithm)

    r = post(browser, acs_url, etree.tostring(root))

    assert_rejected(r, browser, caplog=caplog, reason="Transform")


@pytest.mark.django_db
def test_reference_outside_document_is_rejected(browser, sso_tenant, ada, idp, acs_url, caplog):
    xml = idp.response_xml(sso_tenant, email=ada.email)
    xml = xml.replace(b'URI="#', b'URI="https://evil.example/doc.xml#')

    r = post(browser, acs_url, xml)

    assert_rejected(r, browser, caplog=caplog, reason="does not point at the element")


@pytest.mark.django_db
def test_sha1_is_accepted_only_when_tenant_allows_it(browser, sso_tenant, ada, idp, acs_url):
    configuration = sso_tenant.saml_configuration
    configuration.allow_sha1 = True
    configuration.save()
    xml = idp.response_xml(
        sso_tenant, email=ada.email, signature_algorithm="rsa-sha1", digest_algorithm="sha1"
    )

    r = post(browser, acs_url, xml)

    assert r.status_code == 302, r.content


@pytest.mark.django_db
def test_required_assertion_signature_enforced(
    browser, sso_tenant, ada, idp, acs_url
):
    configuration = sso_tenant.saml_configuration
    configuration.want_assertions_signed = True
    configuration.save()

    response_signed = idp.response_xml(sso_tenant, email=ada.email, signing="response")
    assertion_signed = idp.response_xml(sso_tenant, email=ada.email, signing="assertion")

    rejected = post(browser, acs_url, response_signed)
    accepted = post(browser, acs_url, assertion_signed)

    assert rejected.status_code == 403
    assert accepted.status_code == 302, accepted.content


@pytest.mark.django_db
def test_second_idp_certificate_is_trusted_for_rollover(browser, tenant, acs_url):
    old, new = TestIdP(key_name="idp-old-key"), TestIdP(key_name="idp-new-key")
    idp_metadata_import(tenant=tenant, xml=old.metadata_xml(extra_certificates=[new.keys]))
    user = user_create(tenant=tenant, email="ada@example.com")

    r = post(browser, acs_url, new.response_xml(tenant, email=user.email))

    assert r.status_code == 302, r.content


# --- XML Signature Wrapping ----------------------------------------------------------------


def _evil_assertion(original: etree._Element, email: str) -> etree._Element:
    evil = copy.deepcopy(original)
    evil.set("ID", new_id())
    for signature in evil.findall(f"{{{DS_NS}}}Signature"):
        evil.remove(signature)
    evil.find(f"{{{SAML_NS}}}Subject/{{{SAML_NS}}}NameID").text = email
    for value in evil.iter(f"{{{SAML_NS}}}AttributeValue"):
        value.text = email
    return evil


def xsw1(root, email):
    """Evil Response wraps the signed Response inside its Signature."""
    signed = copy.deepcopy(root)
    evil = root
    evil.set("ID", new_id())
    _evil_replace_assertion(evil, email)
    signature = evil.find(f"{{{DS_NS}}}Signature")
    signature.append(signed)
    return evil


def xsw2(root, email):
    """Evil Response contains the signed Response as a sibling before its detached Signature."""
    signed = copy.deepcopy(root)
    signature = signed.find(f"{{{DS_NS}}}Signature")
    signed.remove(signature)
    evil = root
    evil.set("ID", new_id())
    _evil_replace_assertion(evil, email)
    evil_signature = evil.find(f"{{{DS_NS}}}Signature")
    evil_signature.addprevious(signed)
    return evil


def _evil_replace_assertion(response, email):
    assertion = response.find(f"{{{SAML_NS}}}Assertion")
    response.replace(assertion, _evil_assertion(assertion, email))


def xsw3(root, email):
    """Evil assertion inserted before the signed one."""
    assertion = root.find(f"{{{SAML_NS}}}Assertion")
    assertion.addprevious(_evil_assertion(assertion, email))
    return root


def xsw4(root, email):
    """Evil assertion wraps the signed one."""
    assertion = root.find(f"{{{SAML_NS}}}Assertion")
    evil = _evil_assertion(assertion, email)
    root.replace(assertion, evil)
    evil.append(assertion)
    return root


def xsw5(root, email):
    """Signature moved onto the evil assertion; the signed one appended at the end."""
    assertion = root.find(f"{{{SAML_NS}}}Assertion")
    evil = _evil_assertion(assertion, email)
    evil.insert(1, copy.deepcopy(assertion.find(f"{{{DS_NS}}}Signature")))
    original = copy.deepcopy(assertion)
    original.remove(original.find(f"{{{DS_NS}}}Signature"))
    root.replace(assertion, evil)
    root.append(original)
    return root


def xsw6(root, email):
    """Signed assertion tucked inside the evil assertion's copied Signature."""
    assertion = root.find(f"{{{SAML_NS}}}Assertion")
    evil = _evil_assertion(assertion, email)
    signature = copy.deepcopy(assertion.find(f"{{{DS_NS}}}Signature"))
    evil.insert(1, signature)
    original = copy.deepcopy(assertion)
    original.remove(original.find(f"{{{DS_NS}}}Signature"))
    signature.append(original)
    root.replace(assertion, evil)
    return root


def xsw7(root, email):
    """Signed assertion hidden in an Extensions element; the evil one is read."""
    assertion = root.find(f"{{{SAML_NS}}}Assertion")
    extensions = etree.Element(f"{{{SAMLP_NS}}}Extensions")
    root.insert(1, extensions)
    root.replace(assertion, _evil_assertion(assertion, email))
    extensions.append(assertion)
    return root


def xsw8(root, email):
    """Evil assertion keeps a Signature whose Object contains the signed assertion."""
    assertion = root.find(f"{{{SAML_NS}}}Assertion")
    evil = _evil_assertion(assertion, email)
    signature = copy.deepcopy(assertion.find(f"{{{DS_NS}}}Signature"))
    evil.insert(1, signature)
    holder = etree.SubElement(signature, f"{{{DS_NS}}}Object")
    original = copy.deepcopy(assertion)
    original.remove(original.find(f"{{{DS_NS}}}Signature"))
    holder.append(original)
    root.replace(assertion, evil)
    return root


def second_unsigned_assertion(root, email):
    assertion = root.find(f"{{{SAML_NS}}}Assertion")
    root.append(_evil_assertion(assertion, email))
    return root


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("attack", "signing"),
    [
        (xsw1, "response"),
        (xsw2, "response"),
        (xsw3, "assertion"),
        (xsw4, "assertion"),
        (xsw5, "assertion"),
        (xsw6, "assertion"),
        (xsw7, "assertion"),
        (xsw8, "assertion"),
        (second_unsigned_assertion, "assertion"),
        (second_unsigned_assertion, "response"),
    ],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_signature_wrapping_is_rejected(browser, sso_tenant, ada, idp, acs_url, attack, signing):
    mallory = user_create(tenant=sso_tenant, email="mallory@example.com")
    root = etree.fromstring(idp.response_xml(sso_tenant, email=ada.email, signing=signing))

    r = post(browser, acs_url, etree.tostring(attack(root, mallory.email)))

    assert_rejected(r, browser)


@pytest.mark.django_db
def test_comment_in_name_id_keeps_identity(browser, sso_tenant, ada, idp, acs_url, caplog):
    """Exclusive c14n drops comments, so the signature still verifies; the whole text counts."""
    xml = idp.response_xml(sso_tenant, email="ada@example.com.evil.test")
    xml = xml.replace(b"ada@example.com.evil.test</saml:NameID>",
                      b"ada@example.com<!---->.evil.test</saml:NameID>")
    xml = xml.replace(b"<saml:AttributeValue>ada@example.com.evil.test",
                      b"<saml:AttributeValue>ada@example.com<!---->.evil.test")
    assert b"<!---->" in xml

    r = post(browser, acs_url, xml)

    assert_rejected(r, browser, caplog=caplog, reason="No account with the asserted email")
    assert signed_in_user_id(browser) != str(ada.pk)


# --- conditions and addressing -------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "options",
    [
        pytest.param({"not_on_or_after": NOW - timedelta(minutes=10)}, id="expired"),
        pytest.param(
            {"subject_not_on_or_after": NOW - timedelta(minutes=10)}, id="subject-expired"
        ),
        pytest.param({"not_before": NOW + timedelta(minutes=10)}, id="not-yet-valid"),
        pytest.param({"issue_instant": NOW + timedelta(minutes=10)}, id="issued-in-future"),
        pytest.param({"issuer": "https://evil.example/idp"}, id="wrong-issuer"),
        pytest.param({"assertion_issuer": "https://evil.example/idp"}, id="wrong-assertion-issuer"),
        pytest.param({"audience": "https://other.example/sp"}, id="wrong-audience"),
        pytest.param({"destination": "https://inone.useinsider.com/sso/x/acs"}, id="destination"),
        pytest.param({"recipient": "https://inone.useinsider.com/sso/x/acs"}, id="recipient"),
        pytest.param(
            {"status_code": "urn:oasis:names:tc:SAML:2.0:status:Requester"}, id="status-failure"
        ),
    ],
)
def test_invalid_conditions_are_rejected(browser, sso_tenant, ada, idp, acs_url, options):
    xml = idp.response_xml(sso_tenant, email=ada.email, signing="both", **options)

    r = post(browser, acs_url, xml)

    assert_rejected(r, browser)


@pytest.mark.django_db
def test_audience_of_other_tenant_is_rejected(browser, sso_tenant, ada, idp, acs_url, other_tenant):
    audience = sp_urls(other_tenant)["entity_id"]
    xml = idp.response_xml(sso_tenant, email=ada.email, audience=audience)

    r = post(browser, acs_url, xml)

    assert_rejected(r, browser)


@pytest.mark.django_db
@pytest.mark.parametrize(("skew", "accepted"), [(60, False), (180, True)])
def test_clock_skew_is_per_tenant(browser, sso_tenant, ada, idp, acs_url, skew, accepted):
    """An IdP clock two minutes ahead passes only with a skew above two minutes."""
    configuration = sso_tenant.saml_configuration
    configuration.clock_skew_seconds = skew
    configuration.save()
    ahead = NOW + timedelta(minutes=2)
    xml = idp.response_xml(
        sso_tenant, email=ada.email, issue_instant=ahead, not_before=ahead,
        not_on_or_after=ahead + timedelta(minutes=5),
    )

    r = post(browser, acs_url, xml)

    assert (r.status_code == 302) is accepted, r.content


# --- transport -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_doctype_in_response_is_rejected(browser, sso_tenant, ada, idp, acs_url, caplog):
    xml = idp.response_xml(sso_tenant, email=ada.email)
    xml = xml.replace(b"?>", b'?><!DOCTYPE r [<!ENTITY e "x">]>', 1)

    r = post(browser, acs_url, xml)

    assert_rejected(r, browser, caplog=caplog, reason="DOCTYPE")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("not base64 at all!", "not valid base64"),
        ("", "no SAMLResponse"),
        (b64(b"<notxml"), "not well-formed"),
        (b64(b"<a>plain</a>"), "not {urn:oasis:names:tc:SAML:2.0:protocol}Response"),
        ("A" * (256 * 1024 + 4), "more than the"),
    ],
)
def test_malformed_transport_is_400(browser, sso_tenant, acs_url, caplog, value, reason):
    r = browser.post(acs_url, {"SAMLResponse": value})

    assert_rejected(r, browser, status=400, caplog=caplog, reason=reason)


@pytest.mark.django_db
def test_body_over_upload_limit_is_400(browser, sso_tenant, acs_url, caplog):
    r = browser.post(acs_url, {"SAMLResponse": "A" * (3 * 1024 * 1024)})

    assert_rejected(r, browser, status=400, caplog=caplog, reason="DATA_UPLOAD_MAX_MEMORY_SIZE")
