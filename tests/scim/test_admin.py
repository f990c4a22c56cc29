import re

from scim.models import ScimToken
from scim.services import token_authenticate, token_create

# A whole token; the admin's own messages show only the short prefix.
TOKEN_PATTERN = re.compile(r"inone_scim_[A-Za-z0-9_-]{40,}")


def test_admin_creates_token_and_shows_it_once(admin_client, tenant):
    response = admin_client.post(
        "/admin/scim/scimtoken/add/",
        {"tenant": tenant.pk, "name": "jumpcloud", "expires_days": "90"},
        follow=True,
    )

    assert response.status_code == 200
    messages = [str(message) for message in response.context["messages"]]
    tokens = [match for message in messages for match in TOKEN_PATTERN.findall(message)]
    assert len(tokens) == 1
    token = token_authenticate(tokens[0])
    assert token is not None
    assert token.name == "jumpcloud"
    assert token.expires_at is not None

    detail = admin_client.get(f"/admin/scim/scimtoken/{token.pk}/change/")
    assert tokens[0].encode() not in detail.content
    assert token.digest.encode() not in detail.content


def test_admin_revoke_action(admin_client, tenant):
    token, raw_token = token_create(tenant=tenant, name="okta")

    response = admin_client.post(
        "/admin/scim/scimtoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert ScimToken.objects.get(pk=token.pk).revoked_at is not None
    assert token_authenticate(raw_token) is None
