"""The values a tenant admin pastes into the IdP: the customer setup guide's tables, filled in."""

from dataclasses import dataclass

from django.conf import settings

from accounts.models import Tenant
from accounts.roles import ROLE_GROUP_ORDER
from inone.paths import SCIM_BASE_PATH
from sso.selectors import sp_urls

NAME_ID_FORMAT_EMAIL = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"


@dataclass(frozen=True)
class SetupTable:
    title: str
    headers: tuple[str, str]
    rows: list[tuple[str, str]]


def setup_tables(tenant: Tenant) -> list[SetupTable]:
    urls = sp_urls(tenant)
    sso = SetupTable(
        title="SSO",
        headers=("Field", "Value"),
        rows=[
            # The customer setup guide sets JumpCloud's IdP Entity ID to the SP's metadata URL.
            ("IdP Entity ID", urls["entity_id"]),
            ("SP Entity ID", urls["entity_id"]),
            ("ACS URLs/Default URL", urls["acs_url"]),
            ("SAMLSubject NameID", "email"),
            ("SAMLSubject NameID Format", NAME_ID_FORMAT_EMAIL),
            ("Signature Algorithm", "RSA-SHA256"),
            ("Login URL", urls["login_url"]),
        ],
    )
    groups = SetupTable(
        title="User groups",
        headers=("Role", "Description"),
        rows=[(role.group_name, role.description) for role in ROLE_GROUP_ORDER],
    )
    scim = SetupTable(
        title="SCIM",
        headers=("Field", "Value"),
        rows=[
            ("SCIM Version", "SCIM 2.0"),
            ("Base URL", scim_base_url()),
            ("Token Key", "Create one on Inone Settings > Security, or with "
                          f"manage.py createscimtoken {tenant.hash}"),
            ("Test User Email", tenant.scim_test_email),
        ],
    )
    return [sso, groups, scim]


def scim_base_url() -> str:
    return settings.INONE_BASE_URL + SCIM_BASE_PATH


def format_table(table: SetupTable) -> str:
    """Render a table as Markdown, the shape the setup guide prints."""
    lines = [f"| {table.headers[0]} | {table.headers[1]} |", "|---|---|"]
    lines += [f"| {name} | {value} |" for name, value in table.rows]
    return "\n".join(lines)
