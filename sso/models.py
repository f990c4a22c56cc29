"""Per-tenant SAML configuration, SP key pairs, outstanding AuthnRequests and the replay cache.

Workers are stateless: everything a later request needs (the request IDs a browser is waiting
for, the assertion IDs already accepted) lives in these tables, so any worker can serve the ACS.
"""

import hashlib

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from accounts.models import Tenant
from sso.key_storage import unseal

MAX_CLOCK_SKEW_SECONDS = 300


class SamlConfiguration(models.Model):
    """A tenant's trust in its IdP and the rules its responses are checked against."""

    tenant = models.OneToOneField(
        Tenant, on_delete=models.CASCADE, related_name="saml_configuration"
    )
    idp_metadata_xml = models.TextField(
        "IdP metadata XML",
        blank=True, help_text="The IdP metadata XML last imported, as uploaded or fetched."
    )
    idp_entity_id = models.CharField("IdP entity ID", max_length=1024, blank=True, editable=False)
    # Lists of {"binding": <binding URN>, "location": <URL>} parsed from the metadata.
    idp_sso_services = models.JSONField(
        "IdP SSO services", default=list, blank=True, editable=False
    )
    idp_slo_services = models.JSONField(
        "IdP SLO services", default=list, blank=True, editable=False
    )
    idp_wants_authn_requests_signed = models.BooleanField(
        "IdP wants signed AuthnRequests", default=False, editable=False
    )

    metadata_url = models.URLField(
        "metadata URL",
        max_length=1024,
        blank=True,
        help_text="HTTPS URL the IdP publishes its metadata at; refreshidpmetadata fetches it.",
    )
    metadata_refreshed_at = models.DateTimeField(null=True, blank=True, editable=False)
    metadata_refresh_error = models.TextField(blank=True, editable=False)

    allow_idp_initiated = models.BooleanField(
        "allow IdP-initiated sign-in",
        default=True,
        help_text="Accept responses the IdP sends without a request from this service, "
        "such as a JumpCloud user portal launch.",
    )
    clock_skew_seconds = models.PositiveSmallIntegerField(
        default=60,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_CLOCK_SKEW_SECONDS)],
        help_text=f"Seconds of clock difference allowed in time checks, 0 to "
        f"{MAX_CLOCK_SKEW_SECONDS}.",
    )
    want_assertions_signed = models.BooleanField(
        default=False,
        help_text="Require a signature on the Assertion itself; a signed Response alone is then "
        "not enough.",
    )
    allow_sha1 = models.BooleanField(
        "allow SHA-1",
        default=False, help_text="Accept RSA-SHA1 signatures and SHA-1 digests (weak; avoid)."
    )
    jit_provisioning = models.BooleanField(
        "JIT provisioning",
        default=False,
        help_text="Create an account at first sign-in when none exists for the email.",
    )
    email_attribute = models.CharField(
        max_length=200,
        default="email",
        blank=True,
        help_text="Attribute with the email; when empty or absent the NameID is used.",
    )
    first_name_attribute = models.CharField(max_length=200, default="firstname", blank=True)
    last_name_attribute = models.CharField(max_length=200, default="lastname", blank=True)
    group_attribute = models.CharField(
        max_length=200,
        default="memberOf",
        blank=True,
        help_text="Attribute with the user's group names, such as memberOf or groups. "
        "Used only with JIT provisioning.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "SAML configuration"

    def __str__(self) -> str:
        return f"SAML configuration of {self.tenant}"

    @property
    def has_idp(self) -> bool:
        return bool(self.idp_metadata_xml and self.idp_entity_id)


class IdpSigningCertificate(models.Model):
    """A signing certificate from the tenant's IdP metadata; a response signed by any is trusted."""

    configuration = models.ForeignKey(
        SamlConfiguration, on_delete=models.CASCADE, related_name="certificates"
    )
    certificate_pem = models.TextField()
    sha256_fingerprint = models.CharField("SHA-256 fingerprint", max_length=95)
    subject = models.CharField(max_length=1024, blank=True)
    not_valid_before = models.DateTimeField()
    not_valid_after = models.DateTimeField()

    class Meta:
        verbose_name = "IdP signing certificate"
        ordering = ["not_valid_after"]

    def __str__(self) -> str:
        return f"{self.subject} (expires {self.not_valid_after:%Y-%m-%d})"


class SpKeyPair(models.Model):
    """A key pair this service signs AuthnRequests and decrypts assertions with.

    The current pair is in use. A next pair is published in the SP metadata beside it, so the IdP
    can trust it before the rollover makes it current.
    """

    class Status(models.TextChoices):
        CURRENT = "current", "Current"
        NEXT = "next", "Next (published, not yet used)"
        RETIRED = "retired", "Retired"

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="sp_key_pairs")
    status = models.CharField(max_length=10, choices=Status.choices)
    private_key_sealed = models.TextField(
        help_text="PKCS#8 PEM private key, encrypted with a key derived from DJANGO_SECRET_KEY."
    )
    certificate_pem = models.TextField()
    not_valid_after = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "SP key pair"
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant"],
                condition=models.Q(status="current"),
                name="sp_key_pair_one_current_per_tenant",
            ),
            models.UniqueConstraint(
                fields=["tenant"],
                condition=models.Q(status="next"),
                name="sp_key_pair_one_next_per_tenant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tenant.hash} {self.status} key (expires {self.not_valid_after:%Y-%m-%d})"

    @property
    def private_key_pem(self) -> str:
        return unseal(self.private_key_sealed)


class OutstandingRequest(models.Model):
    """An AuthnRequest this service sent and whose response has not arrived yet.

    browser_key_hash is the SHA-256 of a random cookie value set on the browser that started the
    login, so a response is accepted as solicited only in the browser that asked for it.
    """

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    request_id = models.CharField(max_length=256)
    browser_key_hash = models.CharField(max_length=64, db_index=True)
    next_path = models.CharField(max_length=2000, default="/")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "request_id"], name="outstanding_request_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.request_id

    @staticmethod
    def hash_browser_key(browser_key: str) -> str:
        return hashlib.sha256(browser_key.encode()).hexdigest()


class SeenAssertion(models.Model):
    """An assertion ID already accepted for a tenant; the unique constraint rejects a replay."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    assertion_id = models.CharField(max_length=256)
    accepted_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "assertion_id"], name="seen_assertion_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.assertion_id
