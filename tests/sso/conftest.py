import pytest
from django.test import Client

from accounts.models import Tenant, User
from accounts.services import user_create
from sso.selectors import sp_urls
from sso.services import idp_metadata_import
from tests.saml_idp import TestIdP


@pytest.fixture
def idp() -> TestIdP:
    return TestIdP()


@pytest.fixture
def sso_tenant(tenant: Tenant, idp: TestIdP) -> Tenant:
    """The `tenant` fixture, trusting the test IdP."""
    idp_metadata_import(tenant=tenant, xml=idp.metadata_xml())
    return tenant


@pytest.fixture
def ada(sso_tenant: Tenant) -> User:
    """An account created ahead of sign-in, as SCIM provisioning does."""
    return user_create(tenant=sso_tenant, email="ada@example.com", given_name="Ada")


@pytest.fixture
def acs_url(sso_tenant: Tenant) -> str:
    return sp_urls(sso_tenant)["acs_url"].removeprefix("https://inone.useinsider.com")


@pytest.fixture
def browser() -> Client:
    """A test client that talks to the app as the browser would, over HTTPS."""
    return Client(secure=True)


def signed_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def assert_rejected(
    response,
    client: Client,
    status: int = 403,
    *,
    caplog: pytest.LogCaptureFixture | None = None,
    reason: str | None = None,
) -> None:
    """Check the plain error page: the status, a reference code, no session started and, when
    given, that the logged reason contains `reason`."""
    assert response.status_code == status, response.content
    assert b"Reference code" in response.content
    assert signed_in_user_id(client) is None
    if reason is not None:
        reasons = [getattr(record, "reason", "") for record in caplog.records]
        assert any(reason in logged for logged in reasons), reasons
