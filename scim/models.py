"""SCIM bearer tokens and the provisioning request log."""

from django.db import models
from django.utils import timezone

from accounts.models import Tenant


class ScimToken(models.Model):
    """A bearer token an IdP uses to provision one tenant.

    Only the SHA-256 digest of the token is stored, so a database leak does not hand out working
    tokens. The prefix is the token's first characters, kept so an operator can tell tokens apart.
    """

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="scim_tokens")
    name = models.CharField(max_length=100, help_text="Label such as 'jumpcloud' or 'okta-2026'.")
    prefix = models.CharField(max_length=16, db_index=True, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["tenant__name", "-created_at"]
        verbose_name = "SCIM token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > now


class ScimTenantSettings(models.Model):
    """Per-tenant SCIM options an operator sets in the admin."""

    tenant = models.OneToOneField(Tenant, on_delete=models.CASCADE, related_name="scim_settings")
    log_bodies = models.BooleanField(
        "log request and response bodies",
        default=False,
        help_text="Store the query string and the JSON bodies of this tenant's SCIM requests in "
        "the request log, with passwords removed. They contain personal data: turn this on only "
        "while debugging an IdP connection, then off again.",
    )

    class Meta:
        verbose_name = "SCIM tenant settings"
        verbose_name_plural = "SCIM tenant settings"

    def __str__(self) -> str:
        return f"SCIM settings of {self.tenant}"


class ScimRequestLog(models.Model):
    """One SCIM request: who made it and how it ended, without tokens.

    The query string and the bodies are stored only for tenants whose ScimTenantSettings turn
    body logging on, because filters and bodies carry names and emails.
    """

    tenant = models.ForeignKey(
        Tenant, null=True, blank=True, on_delete=models.CASCADE, related_name="scim_requests"
    )
    token_name = models.CharField(max_length=100, blank=True)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=300)
    status = models.PositiveSmallIntegerField()
    duration_ms = models.PositiveIntegerField()
    resource_ids = models.JSONField(default=list, blank=True)
    error = models.CharField(max_length=300, blank=True)
    query_string = models.TextField(blank=True)
    request_body = models.JSONField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "SCIM request"

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.status}"
