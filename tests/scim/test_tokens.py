import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from scim.models import ScimToken
from scim.services import token_authenticate, token_create, token_revoke


def test_token_is_stored_as_digest_with_prefix(tenant):
    token, raw_token = token_create(tenant=tenant, name="okta")

    assert token.digest == hashlib.sha256(raw_token.encode()).hexdigest()
    assert raw_token.startswith(token.prefix)
    assert raw_token not in {token.digest, token.prefix, token.name}
    assert len(raw_token) > 40


def test_token_authenticate_returns_token_and_records_use(tenant):
    token, raw_token = token_create(tenant=tenant, name="okta")

    found = token_authenticate(raw_token)

    assert found == token
    assert found.tenant == tenant
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("mangle", [
    lambda raw: raw[:-1] + ("A" if raw[-1] != "A" else "B"),
    lambda raw: raw[:20],
    lambda raw: "",
    lambda raw: raw.upper(),
])
def test_token_authenticate_rejects_other_values(tenant, mangle):
    _, raw_token = token_create(tenant=tenant, name="okta")

    assert token_authenticate(mangle(raw_token)) is None


def test_revoked_token_is_rejected(tenant):
    token, raw_token = token_create(tenant=tenant, name="okta")

    token_revoke(token)

    assert token_authenticate(raw_token) is None


def test_expired_token_is_rejected(tenant):
    token, raw_token = token_create(tenant=tenant, name="okta", expires_days=1)
    assert token_authenticate(raw_token) == token

    ScimToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert token_authenticate(raw_token) is None


def test_tenant_can_hold_several_tokens(tenant):
    _, first = token_create(tenant=tenant, name="jumpcloud")
    _, second = token_create(tenant=tenant, name="jumpcloud-rotated")

    assert token_authenticate(first).name == "jumpcloud"
    assert token_authenticate(second).name == "jumpcloud-rotated"


def test_createscimtoken_prints_token_on_last_line(tenant):
    output = StringIO()

    call_command("createscimtoken", tenant.hash, "--name", "jumpcloud", "--expires-days", "30",
                 stdout=output)

    raw_token = output.getvalue().strip().splitlines()[-1]
    token = token_authenticate(raw_token)
    assert token is not None
    assert token.name == "jumpcloud"
    assert token.tenant == tenant
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["no-such-hash"], "No tenant"),
        (["acme-hash", "--expires-days", "0"], "--expires-days"),
        (["acme-hash", "--name", " "], "--name"),
    ],
)
def test_createscimtoken_rejects_bad_arguments(tenant, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("createscimtoken", *arguments, stdout=StringIO())
