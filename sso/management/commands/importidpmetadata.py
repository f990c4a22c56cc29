from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.selectors import tenant_get_by_hash
from sso.metadata_import import IdpMetadataSummary
from sso.services import InvalidMetadata, idp_metadata_import


class Command(BaseCommand):
    help = (
        "Validate an IdP metadata XML file and make it the tenant's trusted IdP. Prints the IdP "
        "entity ID, SSO URLs and signing certificates with their expiry."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("tenant_hash", help="Hash of the tenant, as in its SSO URLs.")
        parser.add_argument("file", type=Path, help="Path of the IdP metadata XML file.")

    def handle(self, *args, tenant_hash: str, file: Path, **options) -> None:
        tenant = tenant_get_by_hash(tenant_hash)
        if tenant is None:
            raise CommandError(f"No tenant has the hash {tenant_hash!r}.")
        try:
            xml = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        try:
            summary = idp_metadata_import(tenant=tenant, xml=xml)
        except InvalidMetadata as error:
            raise CommandError(f"Invalid IdP metadata in {file}: {error}") from None
        self.write_summary(summary)

    def write_summary(self, summary: IdpMetadataSummary) -> None:
        self.stdout.write(f"IdP entity ID: {summary.entity_id}")
        for endpoint in summary.sso_services:
            binding = endpoint.binding.rsplit(":", 1)[-1]
            self.stdout.write(f"SSO URL ({binding}): {endpoint.location}")
        for certificate in summary.certificates:
            state = "EXPIRED" if certificate.expired else "valid"
            self.stdout.write(
                f"Signing certificate: {certificate.subject}; SHA-256 "
                f"{certificate.sha256_fingerprint}; expires "
                f"{certificate.not_valid_after:%Y-%m-%d %H:%M} UTC ({state})"
            )
