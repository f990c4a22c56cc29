from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from scim.models import ScimRequestLog


class Command(BaseCommand):
    help = "Delete SCIM request log entries older than --days (default 90) and print the count."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days", type=int, default=90, help="Keep entries of this many days (default: 90)."
        )

    def handle(self, *args, days: int, **options) -> None:
        if days < 1:
            raise CommandError("--days must be 1 or more.")
        cutoff = timezone.now() - timedelta(days=days)
        deleted, _ = ScimRequestLog.objects.filter(created_at__lt=cutoff).delete()
        self.stdout.write(f"Deleted {deleted} SCIM request log entries older than {days} days.")
