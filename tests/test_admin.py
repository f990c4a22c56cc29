import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from accounts.models import Group, User
from accounts.roles import Role
from accounts.services import membership_add, user_create


@pytest.fixture
def operator_client(db) -> Client:
    User.objects.create_superuser("ops@inone.example", "a-long-operator-password")
    client = Client(secure=True)
    assert client.login(username="ops@inone.example", password="a-long-operator-password")
    return client


def test_every_admin_page_renders(operator_client, tenant):
    for model in admin.site._registry:
        meta = model._meta
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")

        response = operator_client.get(changelist)

        assert response.status_code == 200, changelist


def test_user_page_shows_roles_and_no_password(operator_client, tenant):
    user = user_create(tenant=tenant, email="ann@acme.example")
    membership_add(group=Group.objects.get(tenant=tenant, role=Role.COLLABORATE), users=[user])

    response = operator_client.get(reverse("admin:accounts_user_change", args=[user.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Insider Collaborate" in body
    assert 'name="password"' not in body
    assert "Set password" not in body


def test_operator_sign_in_ignores_tenant_accounts(db, tenant):
    user_create(tenant=tenant, email="ops@inone.example")

    assert not Client().login(username="ops@inone.example", password="anything")


def test_django_permission_groups_are_not_listed(operator_client):
    response = operator_client.get(reverse("admin:index"))

    assert "/admin/auth/group/" not in response.content.decode()


def test_saml_admin_post_without_row_id(operator_client, tenant):
    from sso.services import idp_metadata_import, saml_configuration_ensure
    from tests.saml_idp import TestIdP

    idp_metadata_import(tenant=tenant, xml=TestIdP().metadata_xml())
    configuration = saml_configuration_ensure(tenant)
    url = reverse("admin:sso_samlconfiguration_change", args=[configuration.pk])

    # The management form reports one certificate row, but the row's id field is missing.
    response = operator_client.post(url, {
        "tenant": str(tenant.pk),
        "clock_skew_seconds": "60",
        "certificates-TOTAL_FORMS": "1",
        "certificates-INITIAL_FORMS": "1",
    })

    assert response.status_code in (200, 302), response.content[:500]


def test_admin_rejects_member_of_another_tenant(operator_client, tenant, other_tenant):
    from accounts.models import Membership

    stranger = user_create(tenant=other_tenant, email="eve@globex.example")
    group = Group.objects.get(tenant=tenant, role=Role.MANAGE_USERS)
    url = reverse("admin:accounts_group_change", args=[group.pk])

    response = operator_client.post(url, {
        "tenant": str(tenant.pk),
        "display_name": group.display_name,
        "external_id": "",
        "role": group.role,
        "membership_set-TOTAL_FORMS": "1",
        "membership_set-INITIAL_FORMS": "0",
        "membership_set-0-user": str(stranger.pk),
        "membership_set-0-group": str(group.pk),
    })

    assert response.status_code == 200
    assert "only takes members of its own tenant" in response.content.decode()
    assert not Membership.objects.filter(user=stranger).exists()
