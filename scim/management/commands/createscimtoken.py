from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.selectors import tenant_get_by_hash
from scim.services import token_create


class Command(BaseCommand):
    help = (
        "Create a SCIM bearer token for a tenant and print it, alone on the last line. "
        "The token is shown only this once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("tenant_hash", metavar="HASH", help="The tenant's hash.")
        parser.add_argument("--name", default="scim", help="Label of the token (default: scim).")
        parser.add_argument(
            "--expires-days",
            type=int,
            default=None,
            help="Days until the token expires (default: never).",
        )

    def handle(self, *args, tenant_hash: str, name: str, expires_days: int | None, **options):
        tenant = tenant_get_by_hash(tenant_hash)
        if tenant is None:
            raise CommandError(f"No tenant has the hash {tenant_hash!r}.")
        if expires_days is not None and expires_days < 1:
            raise CommandError("--expires-days must be 1 or more.")
        name = name.strip()
        if not name or len(name) > 100:
            raise CommandError("--name must be 1 to 100 characters.")

        token, raw_token = token_create(tenant=tenant, name=name, expires_days=expires_days)
        expiry = token.expires_at.isoformat() if token.expires_at else "never"
        self.stdout.write(
            f"Created SCIM token {token.name!r} for tenant {tenant.hash} (expires: {expiry}). "
            "Copy it now; it cannot be shown again."
        )
        self.stdout.write(raw_token)
