"""Assertions encrypted to the SP certificate published in the SP metadata are decrypted."""

import base64

import pytest

from sso.keys import sp_key_pair_current
from tests.sso.conftest import assert_rejected, signed_in_user_id


@pytest.mark.django_db
@pytest.mark.parametrize("signing", ["assertion", "response", "both"])
def test_encrypted_assertion_signs_in(browser, sso_tenant, ada, idp, acs_url, signing):
    sp_certificate = sp_key_pair_current(sso_tenant).certificate_pem.encode()
    xml = idp.response_xml(sso_tenant, email=ada.email, signing=signing, encrypt_for=sp_certificate)
    assert b"EncryptedAssertion" in xml
    assert b"ada@example.com" not in xml

    r = browser.post(acs_url, {"SAMLResponse": base64.b64encode(xml).decode()})

    assert r.status_code == 302, r.content
    assert signed_in_user_id(browser) == str(ada.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("options", "reason"),
    [
        ({"signature_algorithm": "rsa-sha1", "digest_algorithm": "sha1"}, "Signature algorithm"),
        ({"digest_algorithm": "sha1"}, "Digest algorithm"),
        # pysaml2 rejects this one too, with its own reason.
        ({"transforms": ("enveloped", "c14n")}, None),
    ],
)
def test_weak_signature_inside_encryption_is_rejected(
    browser, sso_tenant, ada, idp, acs_url, caplog, options, reason
):
    sp_certificate = sp_key_pair_current(sso_tenant).certificate_pem.encode()
    xml = idp.response_xml(
        sso_tenant, email=ada.email, signing="assertion", encrypt_for=sp_certificate, **options
    )

    r = browser.post(acs_url, {"SAMLResponse": base64.b64encode(xml).decode()})

    assert_rejected(r, browser, caplog=caplog, reason=reason)
