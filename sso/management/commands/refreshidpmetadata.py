from django.core.management.base import BaseCommand, CommandError, CommandParser

from sso import metadata_refresh
from sso.models import SamlConfiguration
from sso.services import InvalidMetadata


class Command(BaseCommand):
    help = (
        "Fetch IdP metadata from each tenant's metadata URL and import it. A failure keeps the "
        "last good metadata and is stored on the configuration. Exits 1 when any tenant failed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "tenant_hashes",
            nargs="*",
            metavar="HASH",
            help="Refresh only these tenants (default: every tenant with a metadata URL).",
        )

    def handle(self, *args, tenant_hashes: list[str], **options) -> None:
        configurations = SamlConfiguration.objects.select_related("tenant").exclude(
            metadata_url=""
        )
        if tenant_hashes:
            configurations = configurations.filter(tenant__hash__in=tenant_hashes)
        failures = 0
        for configuration in configurations:
            tenant_hash = configuration.tenant.hash
            try:
                summary = metadata_refresh.idp_metadata_refresh(configuration)
            except (metadata_refresh.MetadataFetchError, InvalidMetadata) as error:
                failures += 1
                self.stderr.write(f"{tenant_hash}: kept the last good metadata; {error}")
                continue
            self.stdout.write(
                f"{tenant_hash}: refreshed, IdP entity ID {summary.entity_id}, "
                f"{len(summary.certificates)} signing certificate(s)"
            )
        if failures:
            raise CommandError(f"{failures} tenant(s) could not be refreshed.")
