from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from lxml import etree

from sso.keys import sp_key_pair_current
from sso.models import SpKeyPair

DS = "http://www.w3.org/2000/09/xmldsig#"


def published_certificates(browser, tenant) -> list[str]:
    metadata = etree.fromstring(browser.get(f"/sso/{tenant.hash}/metadata").content)
    return sorted({node.text for node in metadata.iter(f"{{{DS}}}X509Certificate")})


def run(*args: str) -> str:
    out = StringIO()
    call_command("rollspkey", *args, stdout=out)
    return out.getvalue()


def test_rollover_publishes_then_activates_next_key(sso_tenant, browser):
    old = sp_key_pair_current(sso_tenant)

    prepared = run(sso_tenant.hash, "prepare")
    during = published_certificates(browser, sso_tenant)
    activated = run(sso_tenant.hash, "activate")
    after = published_certificates(browser, sso_tenant)

    assert "activate" in prepared
    assert len(during) == 2
    assert "now current" in activated
    assert len(after) == 1
    assert after[0] in during
    old.refresh_from_db()
    assert old.status == SpKeyPair.Status.RETIRED


def test_activate_without_prepare_fails(sso_tenant):
    sp_key_pair_current(sso_tenant)

    with pytest.raises(CommandError, match="prepare"):
        run(sso_tenant.hash, "activate")


def test_unknown_tenant_fails(db):
    with pytest.raises(CommandError, match="No tenant has the hash"):
        run("nope", "prepare")
