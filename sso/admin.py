"""Operator admin for SAML configurations: upload IdP metadata, see certificate expiry."""

from django import forms
from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from sso import metadata_refresh
from sso.models import IdpSigningCertificate, SamlConfiguration, SpKeyPair
from sso.services import InvalidMetadata, idp_metadata_check, idp_metadata_import


class SamlConfigurationForm(forms.ModelForm):
    metadata_file = forms.FileField(
        required=False,
        help_text="IdP metadata XML as the IdP exports it (JumpCloud: SSO tab, Export Metadata). "
        "Replaces the trusted IdP and its certificates.",
    )

    metadata_url = forms.URLField(
        required=False,
        assume_scheme="https",
        max_length=1024,
        help_text="HTTPS URL the IdP publishes its metadata at. It is fetched when saved, and "
        "again by the refreshidpmetadata command (run it from cron).",
    )

    class Meta:
        model = SamlConfiguration
        fields = [
            "tenant",
            "metadata_file",
            "metadata_url",
            "allow_idp_initiated",
            "clock_skew_seconds",
            "want_assertions_signed",
            "allow_sha1",
            "jit_provisioning",
            "email_attribute",
            "first_name_attribute",
            "last_name_attribute",
            "group_attribute",
        ]

    def clean_metadata_url(self) -> str:
        url = self.cleaned_data.get("metadata_url") or ""
        if url and not url.startswith("https://"):
            raise forms.ValidationError("The metadata URL must use https, so it cannot be altered "
                                        "on the way.")
        return url

    def clean(self) -> dict:
        """Fetch a new or changed metadata URL now, so a bad URL is reported on this form.

        An uploaded file wins over the URL; the URL is then only kept for later refreshes.
        """
        cleaned = super().clean()
        url = cleaned.get("metadata_url")
        if not url or cleaned.get("metadata_file") or "metadata_url" not in self.changed_data:
            return cleaned
        try:
            xml = metadata_refresh.fetch_https(url)
            idp_metadata_check(xml)
        except (metadata_refresh.MetadataFetchError, InvalidMetadata) as error:
            self.add_error("metadata_url", str(error))
            return cleaned
        cleaned["metadata_file"] = xml
        return cleaned

    def clean_metadata_file(self) -> bytes | None:
        upload = self.cleaned_data.get("metadata_file")
        if upload is None:
            return None
        xml = upload.read()
        try:
            idp_metadata_check(xml)
        except InvalidMetadata as error:
            raise forms.ValidationError(str(error)) from None
        return xml


class IdpSigningCertificateInline(admin.TabularInline):
    model = IdpSigningCertificate
    extra = 0
    can_delete = False
    fields = ["subject", "sha256_fingerprint", "not_valid_before", "not_valid_after", "state"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description="State")
    def state(self, certificate: IdpSigningCertificate) -> str:
        if certificate.not_valid_after is None:
            return ""
        return "expired" if certificate.not_valid_after <= timezone.now() else "valid"


@admin.register(SamlConfiguration)
class SamlConfigurationAdmin(admin.ModelAdmin):
    form = SamlConfigurationForm
    inlines = [IdpSigningCertificateInline]
    list_display = ["tenant", "idp_entity_id", "allow_idp_initiated", "jit_provisioning",
                    "updated_at"]
    search_fields = ["tenant__name", "tenant__hash", "idp_entity_id"]
    readonly_fields = [
        "idp_entity_id",
        "idp_sso_services",
        "idp_slo_services",
        "idp_wants_authn_requests_signed",
        "metadata_refreshed_at",
        "metadata_refresh_error",
        "updated_at",
    ]

    def save_model(self, request: HttpRequest, obj: SamlConfiguration, form, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            xml = form.cleaned_data.get("metadata_file")
            if xml:
                idp_metadata_import(tenant=obj.tenant, xml=xml)


@admin.register(SpKeyPair)
class SpKeyPairAdmin(admin.ModelAdmin):
    list_display = ["tenant", "status", "not_valid_after", "created_at"]
    list_filter = ["status"]
    fields = ["tenant", "status", "certificate_pem", "not_valid_after", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
