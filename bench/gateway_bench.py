"""Measure the gateway's hot paths: ACS sign-in, SP config building, SCIM writes and reads.

Runs the real views through Django's test client against a throw-away database created the way the
test suite creates one (test_<name> next to DATABASE_URL's database), signs every response with the
test IdP's own key, and prints a Markdown table. Usage:

    bash bench/run.sh [--sign-ins N] [--users N]
"""

import argparse
import json
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inone.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from accounts.models import Group  # noqa: E402
from accounts.roles import Role  # noqa: E402
from accounts.services import membership_add, tenant_create, user_create  # noqa: E402
from scim.services import token_create  # noqa: E402
from sso.config import sp_config, sp_config_drop  # noqa: E402
from sso.services import idp_metadata_import, saml_configuration_ensure  # noqa: E402
from tests.saml_idp import TestIdP  # noqa: E402

SCIM_JSON = "application/scim+json"


def timed(count: int, action: Callable[[int], object]) -> list[float]:
    """Run action(i) count times and return each run's duration in milliseconds."""
    durations = []
    for index in range(count):
        started = time.perf_counter()
        action(index)
        durations.append((time.perf_counter() - started) * 1000)
    return durations


def summary(name: str, durations: list[float]) -> str:
    ordered = sorted(durations)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return (f"| {name} | {len(ordered)} | {statistics.median(ordered):.1f} | {p95:.1f} | "
            f"{1000 / statistics.mean(ordered):.0f} |")


def bench_sign_in(count: int) -> list[str]:
    tenant = tenant_create(name="Bench SSO", tenant_hash="bench-sso")
    idp = TestIdP(key_name="bench")
    idp_metadata_import(tenant=tenant, xml=idp.metadata_xml())
    user = user_create(tenant=tenant, email="bench@example.com")
    membership_add(group=Group.objects.get(tenant=tenant, role=Role.VIEW_ONLY), users=[user])
    rows = []
    for signing in ("assertion", "response", "both"):
        # Each response is built before the clock starts: only the ACS is measured.
        responses = [idp.response(tenant, email="bench@example.com", signing=signing)
                     for _ in range(count)]

        def sign_in(index: int, responses: list[str] = responses) -> None:
            result = Client(secure=True).post("/sso/bench-sso/acs",
                                              {"SAMLResponse": responses[index]})
            if result.status_code != 302:
                raise RuntimeError(f"sign-in failed with {result.status_code}")

        rows.append(summary(f"ACS sign-in, signed {signing}", timed(count, sign_in)))

    configuration = saml_configuration_ensure(tenant)

    def build_config(_index: int) -> None:
        sp_config_drop(tenant.pk)
        sp_config(configuration)

    rows.append(summary("SP config build (cache dropped)", timed(20, build_config)))
    rows.append(summary("SP config lookup (cached)",
                        timed(200, lambda _index: sp_config(configuration))))
    return rows


def bench_scim(count: int) -> list[str]:
    tenant = tenant_create(name="Bench SCIM", tenant_hash="bench-scim")
    _token, raw_token = token_create(tenant=tenant, name="bench")
    client = Client(secure=True, headers={"Authorization": f"Bearer {raw_token}"})
    user_ids: list[str] = []

    def create(index: int) -> None:
        body = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                "userName": f"user{index}@example.com", "active": True,
                "name": {"givenName": "Bench", "familyName": f"User {index}"},
                "emails": [{"value": f"user{index}@example.com", "primary": True}]}
        result = client.post("/scim/v2/Users", json.dumps(body), content_type=SCIM_JSON)
        if result.status_code != 201:
            raise RuntimeError(f"create failed with {result.status_code}")
        user_ids.append(result.json()["id"])

    def lookup(index: int) -> None:
        query = quote(f'userName eq "USER{index}@example.com"')
        result = client.get(f"/scim/v2/Users?filter={query}")
        if result.json()["totalResults"] != 1:
            raise RuntimeError("lookup found no user")

    group_id = str(Group.objects.get(tenant=tenant, role=Role.COLLABORATE).pk)

    def add_member(index: int) -> None:
        body = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{"op": "add", "path": "members",
                                "value": [{"value": user_ids[index]}]}]}
        result = client.patch(f"/scim/v2/Groups/{group_id}", json.dumps(body),
                              content_type=SCIM_JSON)
        if result.status_code not in (200, 204):
            raise RuntimeError(f"member add failed with {result.status_code}")

    def list_page(_index: int) -> None:
        client.get("/scim/v2/Users?startIndex=1&count=100")

    return [
        summary("SCIM POST /Users", timed(count, create)),
        summary("SCIM GET /Users?filter=userName eq", timed(count, lookup)),
        summary("SCIM PATCH /Groups add one member", timed(count, add_member)),
        summary("SCIM GET /Users, page of 100", timed(50, list_page)),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sign-ins", type=int, default=100, help="ACS sign-ins per signing mode")
    parser.add_argument("--users", type=int, default=300, help="SCIM users to create")
    args = parser.parse_args()

    setup_test_environment()
    database = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        rows = bench_sign_in(args.sign_ins) + bench_scim(args.users)
    finally:
        connection.creation.destroy_test_db(database, verbosity=0)

    peak_rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"database: {connection.vendor}; python {sys.version.split()[0]}; "
          f"{os.cpu_count()} cores; peak RSS {peak_rss_mib:.0f} MiB")
    print()
    print("| operation | runs | median ms | p95 ms | per second (one client) |")
    print("|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
