"""Run the scim2-tester conformance checks against a live server with a real socket."""

import pytest
from django.db import connections
from scim2_tester import Status, check_server

from accounts.services import tenant_create
from scim.services import token_create
from tests.scim.scim2_http import RequestsSCIMClient

pytestmark = pytest.mark.django_db(transaction=True)


def test_scim2_tester_reports_no_failures(live_server, monkeypatch):
    # Server threads must not keep their connections, or the test database cannot be dropped.
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
    # 127.0.0.1 rather than live_server.url's "localhost", which may first try ::1 and wait.
    base_url = live_server.url.replace("localhost", "127.0.0.1") + "/scim/v2"
    tenant = tenant_create(name="Conformance", tenant_hash="conformance-hash")
    _, raw_token = token_create(tenant=tenant, name="scim2-tester")
    client = RequestsSCIMClient(
        base_url, headers={"Authorization": f"Bearer {raw_token}"}
    )

    results = check_server(client)

    failures = [
        f"{result.resource_type or '-'} {result.title}: {result.reason}"
        for result in results
        if result.status not in (Status.SUCCESS, Status.SKIPPED)
    ]
    assert failures == []
    assert sum(result.status == Status.SUCCESS for result in results) > 20
