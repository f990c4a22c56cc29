from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import Tenant
from accounts.services import tenant_create


class Command(BaseCommand):
    help = "Create a tenant with its six role groups and print its hash on the last line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="Display name of the customer, such as 'Acme Inc'.")
        parser.add_argument(
            "--hash",
            dest="tenant_hash",
            help="Use this URL-safe hash instead of a random one (letters, digits, - and _).",
        )

    def handle(self, *args, name: str, tenant_hash: str | None, **options) -> None:
        if tenant_hash and Tenant.objects.filter(hash=tenant_hash).exists():
            raise CommandError(f"A tenant with hash {tenant_hash!r} already exists.")
        try:
            tenant = tenant_create(name=name, tenant_hash=tenant_hash)
        except ValidationError as error:
            messages = "; ".join(f"{field}: {' '.join(errs)}" for field, errs in
                                 error.message_dict.items())
            raise CommandError(f"Invalid tenant: {messages}") from None
        self.stdout.write(f"Created tenant {tenant.name!r} with the six Insider role groups.")
        self.stdout.write(tenant.hash)
