from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.selectors import tenant_get_by_hash
from inone.setup_values import format_table, setup_tables


class Command(BaseCommand):
    help = "Print the values to paste into the tenant's IdP: SSO, user groups and SCIM."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("tenant_hash", metavar="HASH", help="The tenant's hash.")

    def handle(self, *args, tenant_hash: str, **options) -> None:
        tenant = tenant_get_by_hash(tenant_hash)
        if tenant is None:
            raise CommandError(
                f"No tenant has the hash {tenant_hash!r}. Tenants are listed in Django admin."
            )
        self.stdout.write(f"IdP setup values for {tenant.name} ({tenant.hash})")
        for table in setup_tables(tenant):
            self.stdout.write("")
            self.stdout.write(table.title)
            self.stdout.write(format_table(table))
