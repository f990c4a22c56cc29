"""Run the `scim2 test` command of scim2-cli, as an IdP developer would, against a live server."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connections

from accounts.services import tenant_create
from scim.services import token_create

pytestmark = pytest.mark.django_db(transaction=True)

# scim2-cli prints one line per check: its status in capitals, then the check's name.
CHECK_LINE = re.compile(r"^([A-Z_]+) (\w+)$", re.MULTILINE)


def scim2_command() -> str:
    beside_python = Path(sys.executable).with_name("scim2")
    found = str(beside_python) if beside_python.exists() else shutil.which("scim2")
    if found is None:
        pytest.fail("The scim2 command of scim2-cli is missing; run scripts/venv.sh.")
    return found


def test_scim2_cli_reports_every_check_success(live_server, monkeypatch):
    # Server threads must not keep their connections, or the test database cannot be dropped.
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
    base_url = live_server.url.replace("localhost", "127.0.0.1") + "/scim/v2"
    tenant = tenant_create(name="Conformance", tenant_hash="conformance-cli")
    _, raw_token = token_create(tenant=tenant, name="scim2-cli")
    # The token goes through the environment, not the command line, which other users can read.
    environment = {**os.environ, "SCIM_CLI_HEADERS": f"Authorization: Bearer {raw_token}",
                   "NO_PROXY": "127.0.0.1", "NO_COLOR": "1"}

    result = subprocess.run(
        [scim2_command(), "--url", base_url, "test"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )

    output = result.stdout + result.stderr
    checks = CHECK_LINE.findall(output)
    assert result.returncode == 0, output[-3000:]
    assert [check for check in checks if check[0] != "SUCCESS"] == [], output[-3000:]
    assert len(checks) > 100, output[-3000:]
