"""Parallel requests on PostgreSQL, each thread with its own connection and transaction."""

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client

from accounts.models import Group, Membership
from accounts.services import tenant_create, user_create
from scim.services import token_create
from tests.scim.conftest import SCIM, SCIM_CONTENT_TYPE

pytestmark = pytest.mark.django_db(transaction=True)
WORKERS = 8


def send(method: str, path: str, raw_token: str, body: str) -> int:
    try:
        response = Client().generic(
            method, SCIM + path, data=body, content_type=SCIM_CONTENT_TYPE,
            headers={"Authorization": f"Bearer {raw_token}"},
        )
        return response.status_code
    finally:
        connection.close()


def run_parallel(calls: list[tuple[str, str, str, str]]) -> list[int]:
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(lambda call: send(*call), calls))


@pytest.fixture
def tenant_token():
    tenant = tenant_create(name="Acme", tenant_hash="acme-hash")
    _, raw_token = token_create(tenant=tenant, name="okta")
    return tenant, raw_token


def test_parallel_same_user_name_posts(tenant_token):
    tenant, raw_token = tenant_token
    body = '{"userName": "racer@example.com"}'

    statuses = run_parallel([("POST", "/Users", raw_token, body)] * WORKERS)

    assert sorted(statuses) == [201] + [409] * (WORKERS - 1)
    assert tenant.users.filter(user_name__iexact="racer@example.com").count() == 1


def test_parallel_member_adds_lose_nothing(tenant_token):
    tenant, raw_token = tenant_token
    group = Group.objects.create(tenant=tenant, display_name="Engineering")
    users = [user_create(tenant=tenant, email=f"user{i}@example.com") for i in range(WORKERS * 2)]
    calls = [
        ("PATCH", f"/Groups/{group.pk}", raw_token, json.dumps({"Operations": [
            {"op": "add", "path": "members", "value": [{"value": str(user.pk)}]}]}))
        for user in users
    ]

    statuses = run_parallel(calls)

    assert statuses == [204] * len(users)
    assert Membership.objects.filter(group=group).count() == len(users)


def test_parallel_same_group_pushes(tenant_token):
    tenant, raw_token = tenant_token

    statuses = run_parallel([("POST", "/Groups", raw_token, '{"displayName": "Racers"}')] * WORKERS)

    assert statuses == [201] * WORKERS
    assert Group.objects.filter(tenant=tenant, display_name="Racers").count() == 1
