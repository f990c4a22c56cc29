"""IdP metadata is validated with operator-actionable messages, in the service, the command
and the admin."""

from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User
from sso.models import SamlConfiguration
from sso.services import InvalidMetadata, idp_metadata_import
from tests.saml_idp import TestIdP, key_pair

# Metadata in the shape JumpCloud exports, with a locally generated test certificate.
REFERENCE = Path(__file__).resolve().parent / "data"
JUMPCLOUD_SSO_URL = "https://sso.jumpcloud.com/saml2/example-app"
REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"

NO_SIGNING_CERT = b"""<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
  entityID="JumpCloud"><md:IDPSSODescriptor
  protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
  <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
   Location="https://sso.jumpcloud.com/saml2/x"/></md:IDPSSODescriptor></md:EntityDescriptor>"""
SP_ONLY = b"""<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
  entityID="https://sp.example"><md:SPSSODescriptor
  protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>"""
DOCTYPE = b"""<?xml version="1.0"?><!DOCTYPE md [<!ENTITY big "lots">]>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="&big;"/>"""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("filename", "bindings"),
    [
        ("jumpcloud_idp_metadata_reconstructed.xml", [REDIRECT, POST]),
        ("jumpcloud_idp_metadata_reconstructed_post_only.xml", [POST]),
    ],
)
def test_jumpcloud_reference_metadata_is_accepted(tenant, filename, bindings):
    summary = idp_metadata_import(tenant=tenant, xml=(REFERENCE / filename).read_bytes())

    assert summary.entity_id == "JumpCloud"
    assert [e.binding for e in summary.sso_services] == bindings
    assert {e.location for e in summary.sso_services} == {JUMPCLOUD_SSO_URL}
    assert len(summary.certificates) == 1
    assert summary.certificates[0].not_valid_after.year == 2036
    configuration = SamlConfiguration.objects.get(tenant=tenant)
    assert configuration.idp_entity_id == "JumpCloud"
    assert configuration.certificates.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("xml", "message"),
    [
        (b"<html><body>Sign in</body></html>", "not a SAML 2.0 metadata EntityDescriptor"),
        (b"this is not xml", "not well-formed XML"),
        (DOCTYPE, "DOCTYPE or entity declaration"),
        (SP_ONLY, "has no IDPSSODescriptor"),
        (NO_SIGNING_CERT, "contains no signing certificate"),
    ],
)
def test_invalid_metadata_is_rejected_with_reason(tenant, xml, message):
    with pytest.raises(InvalidMetadata) as error:
        idp_metadata_import(tenant=tenant, xml=xml)

    assert message in str(error.value)
    assert not SamlConfiguration.objects.filter(tenant=tenant).exclude(idp_entity_id="").exists()


@pytest.mark.django_db
def test_metadata_with_several_certificates_keeps_all(tenant):
    idp = TestIdP()
    xml = idp.metadata_xml(extra_certificates=[key_pair("rollover-idp")])

    summary = idp_metadata_import(tenant=tenant, xml=xml)

    assert len(summary.certificates) == 2


@pytest.mark.django_db
def test_import_command_prints_summary(tenant):
    out = StringIO()

    call_command(
        "importidpmetadata",
        "acme-hash",
        str(REFERENCE / "jumpcloud_idp_metadata_reconstructed.xml"),
        stdout=out,
    )

    lines = out.getvalue().splitlines()
    assert lines[0] == "IdP entity ID: JumpCloud"
    assert f"SSO URL (HTTP-Redirect): {JUMPCLOUD_SSO_URL}" in lines
    assert f"SSO URL (HTTP-POST): {JUMPCLOUD_SSO_URL}" in lines
    assert any(
        line.startswith("Signing certificate: CN=jumpcloud-test-idp.example.invalid")
        and "expires 2036-12-01" in line
        for line in lines
    ), lines


@pytest.mark.django_db
def test_import_command_fails_on_invalid_file(tenant, tmp_path):
    path = tmp_path / "bad.xml"
    path.write_bytes(NO_SIGNING_CERT)

    with pytest.raises(CommandError) as error:
        call_command("importidpmetadata", "acme-hash", str(path))

    assert "contains no signing certificate" in str(error.value)


@pytest.mark.django_db
def test_import_command_fails_on_unknown_tenant(tmp_path):
    with pytest.raises(CommandError, match="No tenant has the hash"):
        call_command("importidpmetadata", "nope", str(tmp_path / "x.xml"))


@pytest.fixture
def operator_client(client, db):
    operator = User.objects.create_superuser("ops@insider.example", "pw-for-tests-only-1")
    client.force_login(operator)
    return client


@pytest.mark.django_db
def test_admin_upload_imports_metadata_and_shows_expiry(operator_client, tenant):
    upload = SimpleUploadedFile(
        "idp.xml", (REFERENCE / "jumpcloud_idp_metadata_reconstructed.xml").read_bytes()
    )

    r = operator_client.post(
        "/admin/sso/samlconfiguration/add/",
        {
            "tenant": tenant.pk,
            "metadata_file": upload,
            "clock_skew_seconds": 60,
            "allow_idp_initiated": "on",
            "email_attribute": "email",
            "group_attribute": "memberOf",
            "certificates-TOTAL_FORMS": 0,
            "certificates-INITIAL_FORMS": 0,
        },
    )

    assert r.status_code == 302, r.content
    configuration = SamlConfiguration.objects.get(tenant=tenant)
    assert configuration.idp_entity_id == "JumpCloud"
    page = operator_client.get(f"/admin/sso/samlconfiguration/{configuration.pk}/change/")
    assert b"Dec. 1, 2036" in page.content


@pytest.mark.django_db
def test_admin_upload_rejects_invalid_metadata(operator_client, tenant):
    r = operator_client.post(
        "/admin/sso/samlconfiguration/add/",
        {
            "tenant": tenant.pk,
            "metadata_file": SimpleUploadedFile("idp.xml", NO_SIGNING_CERT),
            "clock_skew_seconds": 60,
            "certificates-TOTAL_FORMS": 0,
            "certificates-INITIAL_FORMS": 0,
        },
    )

    assert r.status_code == 200
    assert b"contains no signing certificate" in r.content
    assert not SamlConfiguration.objects.filter(tenant=tenant).exists()


@pytest.mark.django_db
def test_clock_skew_above_limit_is_invalid(operator_client, tenant):
    r = operator_client.post(
        "/admin/sso/samlconfiguration/add/",
        {"tenant": tenant.pk, "clock_skew_seconds": 301,
         "certificates-TOTAL_FORMS": 0, "certificates-INITIAL_FORMS": 0},
    )

    assert r.status_code == 200
    assert b"less than or equal to 300" in r.content


@pytest.mark.django_db
def test_metadata_url_must_be_https(operator_client, tenant):
    r = operator_client.post(
        "/admin/sso/samlconfiguration/add/",
        {"tenant": tenant.pk, "clock_skew_seconds": 60,
         "metadata_url": "http://idp.example.test/metadata",
         "certificates-TOTAL_FORMS": 0, "certificates-INITIAL_FORMS": 0},
    )

    assert r.status_code == 200
    assert b"must use https" in r.content


@pytest.mark.django_db
def test_expired_metadata_is_rejected(tenant):
    xml = TestIdP().metadata_xml(valid_until=datetime.now(UTC) - timedelta(days=1))

    with pytest.raises(InvalidMetadata, match="validUntil date has passed"):
        idp_metadata_import(tenant=tenant, xml=xml)


@pytest.mark.django_db
def test_metadata_expiring_after_import_shows_error_page(browser, tenant):
    idp = TestIdP()
    soon = datetime.now(UTC) + timedelta(days=1)
    idp_metadata_import(tenant=tenant, xml=idp.metadata_xml(valid_until=soon))
    expired = idp.metadata_xml(valid_until=datetime.now(UTC) - timedelta(days=1))
    # The stored copy passes its validUntil date while in use.
    SamlConfiguration.objects.filter(tenant=tenant).update(idp_metadata_xml=expired.decode())

    login = browser.get("/sso/acme-hash/login")
    metadata = browser.get("/sso/acme-hash/metadata")

    assert login.status_code == 409
    assert b"Reference code" in login.content
    assert metadata.status_code == 200


def aggregate(*entities: bytes) -> bytes:
    body = b"".join(entity.split(b"?>", 1)[-1] for entity in entities)
    return (b'<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">'
            + body + b"</md:EntitiesDescriptor>")


@pytest.mark.django_db
def test_aggregate_with_only_the_idp_is_accepted(tenant):
    idp = TestIdP(entity_id="https://idp.example.test/only")

    summary = idp_metadata_import(tenant=tenant, xml=aggregate(idp.metadata_xml()))

    assert summary.entity_id == "https://idp.example.test/only"


@pytest.mark.django_db
def test_aggregate_with_another_entity_is_rejected(tenant):
    idp = TestIdP(entity_id="https://idp.example.test/one")
    other = TestIdP(entity_id="https://other.example.test/", key_name="aggregate-other")
    other_sp = other.metadata_xml().replace(b"IDPSSODescriptor", b"SPSSODescriptor")

    with pytest.raises(InvalidMetadata, match="contains 2 entities"):
        idp_metadata_import(tenant=tenant, xml=aggregate(idp.metadata_xml(), other_sp))
