"""Attribute mapping per tenant, JIT provisioning, and responses shaped like other IdPs'."""

import pytest

from accounts.roles import Role
from accounts.selectors import user_get_by_email, user_roles
from tests.sso.conftest import assert_rejected, signed_in_user_id

ENTRA_EMAIL = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"
ENTRA_GIVEN = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname"
ENTRA_SURNAME = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname"
ENTRA_GROUPS = "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups"
UNSPECIFIED = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
PERSISTENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"


def configure(tenant, **fields) -> None:
    configuration = tenant.saml_configuration
    for name, value in fields.items():
        setattr(configuration, name, value)
    configuration.save()


@pytest.mark.django_db
def test_jit_creates_account_with_names_and_roles(browser, sso_tenant, idp, acs_url):
    configure(sso_tenant, jit_provisioning=True)
    saml_response = idp.response(
        sso_tenant,
        email="new@example.com",
        groups=["Insider View Only", "Insider Collaborate", "Engineering"],
        attributes={"firstname": ["Nia"], "lastname": ["Okafor"]},
    )

    r = browser.post(acs_url, {"SAMLResponse": saml_response})

    assert r.status_code == 302, r.content
    user = user_get_by_email(tenant=sso_tenant, email="new@example.com")
    assert signed_in_user_id(browser) == str(user.pk)
    assert (user.given_name, user.family_name) == ("Nia", "Okafor")
    assert user_roles(user) == [Role.COLLABORATE, Role.VIEW_ONLY]


@pytest.mark.django_db
def test_jit_reads_groups_attribute_when_configured(browser, sso_tenant, idp, acs_url):
    configure(sso_tenant, jit_provisioning=True, group_attribute="groups")
    saml_response = idp.response(
        sso_tenant, email="new@example.com", groups=["Insider Manage Users"],
        group_attribute="groups",
    )

    browser.post(acs_url, {"SAMLResponse": saml_response})

    user = user_get_by_email(tenant=sso_tenant, email="new@example.com")
    assert user_roles(user) == [Role.MANAGE_USERS]


@pytest.mark.django_db
def test_no_account_is_created_without_jit(browser, sso_tenant, idp, acs_url):
    r = browser.post(acs_url, {"SAMLResponse": idp.response(sso_tenant, email="new@example.com")})

    assert_rejected(r, browser)
    assert user_get_by_email(tenant=sso_tenant, email="new@example.com") is None


@pytest.mark.django_db
def test_jit_never_creates_scim_test_account(browser, sso_tenant, idp, acs_url):
    configure(sso_tenant, jit_provisioning=True)
    email = sso_tenant.scim_test_email

    r = browser.post(acs_url, {"SAMLResponse": idp.response(sso_tenant, email=email)})

    assert_rejected(r, browser)
    assert user_get_by_email(tenant=sso_tenant, email=email) is None


@pytest.mark.django_db
def test_jit_does_not_change_existing_account_roles(browser, sso_tenant, ada, idp, acs_url):
    configure(sso_tenant, jit_provisioning=True)
    saml_response = idp.response(sso_tenant, email=ada.email, groups=["Insider Manage Users"])

    browser.post(acs_url, {"SAMLResponse": saml_response})

    assert user_roles(ada) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("settings", "response_options"),
    [
        pytest.param(
            {},
            {"signing": "both", "name_id_format": UNSPECIFIED,
             "attributes": {"firstName": ["Ada"], "lastName": ["Lovelace"]}},
            id="okta",
        ),
        pytest.param(
            {"email_attribute": ENTRA_EMAIL, "first_name_attribute": ENTRA_GIVEN,
             "last_name_attribute": ENTRA_SURNAME, "group_attribute": ENTRA_GROUPS},
            {"signing": "assertion", "name_id_format": PERSISTENT,
             "name_id": "AAAAAAAAAAAAAAAAAAAAAE0pZ1gkz7mDl0dqrX8HQ6M",
             "attributes": {ENTRA_EMAIL: ["ada@example.com"], ENTRA_GIVEN: ["Ada"]}},
            id="entra",
        ),
        pytest.param(
            {"email_attribute": "User.email"},
            {"signing": "response", "name_id_format": UNSPECIFIED,
             "attributes": {"User.email": ["ada@example.com"], "User.FirstName": ["Ada"]}},
            id="onelogin",
        ),
    ],
)
def test_other_idp_shapes_sign_in(
    browser, sso_tenant, ada, idp, acs_url, settings, response_options
):
    configure(sso_tenant, **settings)
    saml_response = idp.response(sso_tenant, email=ada.email, **response_options)

    r = browser.post(acs_url, {"SAMLResponse": saml_response})

    assert r.status_code == 302, r.content
    assert signed_in_user_id(browser) == str(ada.pk)


@pytest.mark.django_db
def test_persistent_name_id_without_email_attribute_is_rejected(
    browser, sso_tenant, ada, idp, acs_url, caplog
):
    configure(sso_tenant, email_attribute="")
    saml_response = idp.response(
        sso_tenant, email=ada.email, name_id_format=PERSISTENT, name_id="opaque-id-123"
    )

    r = browser.post(acs_url, {"SAMLResponse": saml_response})

    assert_rejected(r, browser, caplog=caplog, reason="names no valid email")
