import secrets

from django.core.management.base import BaseCommand

from accounts.models import User
from accounts.selectors import tenant_get_by_hash
from accounts.services import tenant_create

DEMO_HASH = "demo"
DEMO_OPERATOR_EMAIL = "operator@demo.invalid"


class Command(BaseCommand):
    help = "Create the demo tenant (hash 'demo') and a demo operator account when missing."

    def handle(self, *args, **options) -> None:
        if tenant_get_by_hash(DEMO_HASH) is None:
            tenant_create(name="Demo Company", tenant_hash=DEMO_HASH)
            self.stdout.write("Created the demo tenant (hash 'demo') with the six role groups.")

        operator = User.objects.filter(tenant__isnull=True, email=DEMO_OPERATOR_EMAIL).first()
        if operator is None:
            password = secrets.token_urlsafe(12)
            User.objects.create_superuser(DEMO_OPERATOR_EMAIL, password)
            self.stdout.write(
                f"Created the demo operator {DEMO_OPERATOR_EMAIL} with password {password} "
                "for /admin/ (shown once)."
            )
        else:
            self.stdout.write(f"Demo operator for /admin/: {DEMO_OPERATOR_EMAIL}")
