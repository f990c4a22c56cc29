import secrets

from django.core.management.base import BaseCommand

from accounts.models import User
from accounts.selectors import tenant_get_by_hash
from accounts.services import tenant_create

DEMO_HASH = "demo"
DEMO_OPERATOR_EMAIL = "operator@demo.invalid"


class Command(BaseCommand):
    help = (
        "Create the demo tenant (hash 'demo') when missing, and give the demo operator account "
        "a new random password, printed once. For local demos only."
    )

    def handle(self, *args, **options) -> None:
        if tenant_get_by_hash(DEMO_HASH) is None:
            tenant_create(name="Demo Company", tenant_hash=DEMO_HASH)
            self.stdout.write("Created the demo tenant (hash 'demo') with the six role groups.")

        # A new password on every run, because the previous one was shown only once.
        password = secrets.token_urlsafe(12)
        operator = User.objects.filter(tenant__isnull=True, email=DEMO_OPERATOR_EMAIL).first()
        if operator is None:
            User.objects.create_superuser(DEMO_OPERATOR_EMAIL, password)
        else:
            operator.set_password(password)
            operator.save(update_fields=["password"])
        self.stdout.write(
            f"Demo operator for /admin/: {DEMO_OPERATOR_EMAIL} with password {password}"
        )
