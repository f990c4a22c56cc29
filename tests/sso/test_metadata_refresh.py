"""Metadata refresh from the tenant's HTTPS URL keeps the last good copy on failure."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sso import metadata_refresh
from sso.metadata_refresh import MetadataFetchError, fetch_https, idp_metadata_refresh
from sso.services import InvalidMetadata
from tests.saml_idp import TestIdP

URL = "https://idp.example.test/metadata.xml"


@pytest.fixture
def with_url(sso_tenant):
    configuration = sso_tenant.saml_configuration
    configuration.metadata_url = URL
    configuration.save()
    return configuration


@pytest.mark.django_db
def test_refresh_imports_new_certificate(with_url, browser, ada, acs_url):
    rotated = TestIdP(key_name="rotated-idp-key")
    fetched = []

    def fetch(url: str) -> bytes:
        fetched.append(url)
        return rotated.metadata_xml()

    idp_metadata_refresh(with_url, fetch=fetch)

    assert fetched == [URL]
    with_url.refresh_from_db()
    assert with_url.metadata_refreshed_at is not None
    assert with_url.metadata_refresh_error == ""
    r = browser.post(acs_url, {"SAMLResponse": rotated.response(with_url.tenant, email=ada.email)})
    assert r.status_code == 302, r.content


@pytest.mark.django_db
def test_invalid_fetched_metadata_keeps_last_good_copy(with_url, browser, idp, ada, acs_url):
    stored = with_url.idp_metadata_xml

    with pytest.raises(InvalidMetadata):
        idp_metadata_refresh(with_url, fetch=lambda url: b"<html>maintenance</html>")

    with_url.refresh_from_db()
    assert with_url.idp_metadata_xml == stored
    assert "not a SAML 2.0 metadata EntityDescriptor" in with_url.metadata_refresh_error
    r = browser.post(acs_url, {"SAMLResponse": idp.response(with_url.tenant, email=ada.email)})
    assert r.status_code == 302, r.content


@pytest.mark.django_db
def test_fetch_error_is_recorded(with_url):
    def fail(url: str) -> bytes:
        raise MetadataFetchError("Fetching failed: connection refused")

    with pytest.raises(MetadataFetchError):
        idp_metadata_refresh(with_url, fetch=fail)

    with_url.refresh_from_db()
    assert "connection refused" in with_url.metadata_refresh_error


def test_fetch_refuses_plain_http():
    with pytest.raises(MetadataFetchError, match="does not use https"):
        fetch_https("http://127.0.0.1:9/metadata.xml")


@pytest.mark.django_db
def test_refresh_command_reports_each_tenant(with_url, monkeypatch):
    monkeypatch.setattr(metadata_refresh, "fetch_https", lambda url: TestIdP().metadata_xml())
    out = StringIO()

    call_command("refreshidpmetadata", stdout=out)

    assert out.getvalue().startswith("acme-hash: refreshed, IdP entity ID ")


@pytest.mark.django_db
def test_refresh_command_exits_1_on_failure(with_url, monkeypatch):
    monkeypatch.setattr(metadata_refresh, "fetch_https", lambda url: b"nope")
    err = StringIO()

    with pytest.raises(CommandError, match="1 tenant"):
        call_command("refreshidpmetadata", "acme-hash", stderr=err)

    assert "kept the last good metadata" in err.getvalue()
