"""The per-tenant pysaml2 configuration: tenant settings, cache invalidation, key files."""

import os
import stat
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from sso.config import sp_config
from sso.keys import sp_key_pair_current
from sso.models import SeenAssertion
from sso.services import idp_metadata_import
from tests.saml_idp import TestIdP
from tests.sso.conftest import signed_in_user_id


@pytest.mark.django_db
def test_config_follows_tenant_settings(sso_tenant):
    configuration = sso_tenant.saml_configuration
    configuration.clock_skew_seconds = 120
    configuration.allow_idp_initiated = False
    configuration.want_assertions_signed = True
    configuration.save()

    config = sp_config(configuration)

    assert config.accepted_time_diff == 120
    assert config.getattr("allow_unsolicited", "sp") is False
    assert config.getattr("want_assertions_signed", "sp") is True
    assert config.getattr("want_response_signed", "sp") is False
    assert config.getattr("want_assertions_or_response_signed", "sp") is True
    assert config.entityid == "https://inone.useinsider.com/sso/acme-hash/metadata"


@pytest.mark.django_db
def test_config_is_cached_until_configuration_changes(sso_tenant):
    configuration = sso_tenant.saml_configuration

    first = sp_config(configuration)
    again = sp_config(configuration)
    configuration.clock_skew_seconds = 30
    configuration.save()
    changed = sp_config(configuration)

    assert again is first
    assert changed is not first
    assert changed.accepted_time_diff == 30


@pytest.mark.django_db
def test_new_idp_certificate_is_used_without_restart(browser, sso_tenant, ada, idp, acs_url):
    assert browser.post(
        acs_url, {"SAMLResponse": idp.response(sso_tenant, email=ada.email)}
    ).status_code == 302
    replacement = TestIdP(key_name="replacement-idp-key")
    idp_metadata_import(tenant=sso_tenant, xml=replacement.metadata_xml())
    old_key, new_key = Client(secure=True), Client(secure=True)

    rejected = old_key.post(acs_url, {"SAMLResponse": idp.response(sso_tenant, email=ada.email)})
    accepted = new_key.post(
        acs_url, {"SAMLResponse": replacement.response(sso_tenant, email=ada.email)}
    )

    assert rejected.status_code == 403
    assert accepted.status_code == 302, accepted.content


@pytest.mark.django_db
def test_sp_private_key_file_is_private(sso_tenant):
    config = sp_config(sso_tenant.saml_configuration)

    mode = stat.S_IMODE(os.stat(config.key_file).st_mode)
    directory_mode = stat.S_IMODE(os.stat(os.path.dirname(config.key_file)).st_mode)

    assert mode == 0o600
    assert directory_mode == 0o700
    with open(config.key_file) as handle:
        assert handle.read() == sp_key_pair_current(sso_tenant).private_key_pem


@pytest.mark.django_db(transaction=True)
def test_concurrent_replay_is_accepted_once(sso_tenant, ada, idp, acs_url):
    """Two workers, each with its own database connection, receive the same response."""
    saml_response = idp.response(sso_tenant, email=ada.email)
    statuses: list[int] = []
    barrier = threading.Barrier(2)

    def worker() -> None:
        try:
            client = Client(secure=True)
            barrier.wait()
            statuses.append(client.post(acs_url, {"SAMLResponse": saml_response}).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [302, 403]
    assert SeenAssertion.objects.filter(tenant=sso_tenant).count() == 1


@pytest.mark.django_db
def test_expired_replay_entries_are_purged(browser, sso_tenant, ada, idp, acs_url):
    SeenAssertion.objects.create(
        tenant=sso_tenant, assertion_id="_old", expires_at=timezone.now() - timedelta(hours=1)
    )

    browser.post(acs_url, {"SAMLResponse": idp.response(sso_tenant, email=ada.email)})

    assert signed_in_user_id(browser) == str(ada.pk)
    assert not SeenAssertion.objects.filter(assertion_id="_old").exists()
