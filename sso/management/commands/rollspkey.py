from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.selectors import tenant_get_by_hash
from sso.keys import sp_key_pair_prepare_next, sp_key_pair_rollover


class Command(BaseCommand):
    help = (
        "Roll a tenant's SP key pair over in two steps: 'prepare' publishes a new key in the SP "
        "metadata beside the current one; once the IdP has the new metadata, 'activate' makes "
        "it the key that signs and decrypts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("tenant_hash", metavar="HASH", help="The tenant's hash.")
        parser.add_argument("step", choices=["prepare", "activate"], help="Rollover step.")

    def handle(self, *args, tenant_hash: str, step: str, **options) -> None:
        tenant = tenant_get_by_hash(tenant_hash)
        if tenant is None:
            raise CommandError(
                f"No tenant has the hash {tenant_hash!r}. Tenants are listed in Django admin."
            )
        if step == "prepare":
            key_pair = sp_key_pair_prepare_next(tenant)
            self.stdout.write(
                f"Published the next SP key (expires {key_pair.not_valid_after:%Y-%m-%d}). "
                f"Have the IdP load the SP metadata again, then run: "
                f"manage.py rollspkey {tenant.hash} activate"
            )
            return
        try:
            key_pair = sp_key_pair_rollover(tenant)
        except ValueError as error:
            raise CommandError(f"{error} Run: manage.py rollspkey {tenant.hash} prepare") from None
        self.stdout.write(
            f"The SP key that expires {key_pair.not_valid_after:%Y-%m-%d} is now current; the "
            "old key is retired."
        )
