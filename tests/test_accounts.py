import pytest
from django.db import IntegrityError, transaction

from accounts.models import Group
from accounts.roles import Role
from accounts.selectors import user_primary_role, user_roles
from accounts.services import membership_add, tenant_create, user_create
from tests.conftest import ROLE_GROUP_NAMES


def test_tenant_create_makes_six_role_groups(db):
    tenant = tenant_create(name="Acme")

    names = sorted(Group.objects.filter(tenant=tenant).values_list("display_name", flat=True))

    assert names == sorted(ROLE_GROUP_NAMES)
    assert len(tenant.hash) >= 16


def test_tenant_hashes_are_random_and_url_safe(db):
    hashes = {tenant_create(name=f"T{i}").hash for i in range(5)}

    assert len(hashes) == 5
    assert all(h.replace("-", "").replace("_", "").isalnum() for h in hashes)


def test_email_unique_per_tenant_case_insensitive(tenant, other_tenant):
    user_create(tenant=tenant, email="Ann@Example.com")

    with pytest.raises(IntegrityError), transaction.atomic():
        user_create(tenant=tenant, email="ann@example.COM", user_name="other-name")
    same_person_elsewhere = user_create(tenant=other_tenant, email="ann@example.com")

    assert same_person_elsewhere.tenant == other_tenant


@pytest.mark.parametrize(
    ("groups", "expected_primary"),
    [
        (["Insider Outsource", "Insider View Only"], Role.VIEW_ONLY),
        (["Insider View Only", "Insider Change Campaign Status Only"],
         Role.CHANGE_CAMPAIGN_STATUS_ONLY),
        (["Insider Collaborate", "Insider Edit and Publish"], Role.EDIT_AND_PUBLISH),
        (ROLE_GROUP_NAMES, Role.MANAGE_USERS),
        ([], None),
    ],
)
def test_primary_role_follows_precedence(tenant, groups, expected_primary):
    user = user_create(tenant=tenant, email="ann@example.com")
    for name in groups:
        membership_add(group=Group.objects.get(tenant=tenant, display_name=name), users=[user])

    assert user_primary_role(user) == expected_primary
    assert len(user_roles(user)) == len(groups)


def test_unmapped_group_gives_no_role(tenant):
    user = user_create(tenant=tenant, email="ann@example.com")
    engineering = Group.objects.create(tenant=tenant, display_name="Engineering")
    membership_add(group=engineering, users=[user])

    assert user_roles(user) == []


def test_scim_test_account_never_has_a_role(tenant):
    user = user_create(tenant=tenant, email="test@useinsiderscim.com")
    manage = Group.objects.get(tenant=tenant, role=Role.MANAGE_USERS)
    membership_add(group=manage, users=[user])

    assert user_roles(user) == []


def test_membership_add_rejects_other_tenant_user(tenant, other_tenant):
    stranger = user_create(tenant=other_tenant, email="eve@example.com")
    group = Group.objects.get(tenant=tenant, role=Role.VIEW_ONLY)

    with pytest.raises(ValueError):
        membership_add(group=group, users=[stranger])
