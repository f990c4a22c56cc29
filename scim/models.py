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


class ScimRequestLog(models.Model):
    """One SCIM request: who made it and how it ended, without bodies, tokens or query strings.

    The query string is left out because filters carry user names and emails.
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
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "SCIM request"

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.status}"
