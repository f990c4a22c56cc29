"""Tenants, their user accounts and groups.

Every row below a tenant carries a tenant foreign key, and uniqueness of emails, SCIM userNames
and group names is per tenant, compared case-insensitively: the same person in two tenants has
two unrelated accounts.
"""

import secrets
import uuid

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts.roles import Role

DEFAULT_SCIM_TEST_EMAIL = "test@useinsiderscim.com"


def generate_tenant_hash() -> str:
    """Return 16 random URL-safe characters (96 bits), the tenant's public identifier."""
    return secrets.token_urlsafe(12)


class Tenant(models.Model):
    name = models.CharField(max_length=200)
    hash = models.SlugField(
        max_length=64,
        unique=True,
        default=generate_tenant_hash,
        help_text="Public identifier used in the tenant's SSO URLs.",
    )
    scim_test_email = models.EmailField(
        "SCIM test email",
        default=DEFAULT_SCIM_TEST_EMAIL,
        help_text="Email the IdP uses for its SCIM connection test. That account never gets "
        "a role and can never sign in.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hash})"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        email = self.normalize_email(email)
        fields.setdefault("user_name", email)
        user = self.model(email=email, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        """Create an operator: no tenant, staff and superuser, signs in with a password."""
        fields.update(is_staff=True, is_superuser=True, tenant=None)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username: str) -> "User":
        # Natural keys are only used for operators (password sign-in, createsuperuser).
        return self.get(tenant__isnull=True, email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """An account: a tenant user, or an operator when tenant is empty."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey(
        Tenant, null=True, blank=True, on_delete=models.CASCADE, related_name="users"
    )
    email = models.EmailField(max_length=254)
    user_name = models.CharField(
        max_length=254, help_text="SCIM userName; the email for accounts made at sign-in."
    )
    external_id = models.CharField(max_length=255, blank=True, db_index=True)
    given_name = models.CharField(max_length=150, blank=True)
    family_name = models.CharField(max_length=150, blank=True)
    display_name = models.CharField(max_length=300, blank=True)
    # Other SCIM attributes the IdP sends (nickName, locale, enterprise extension), kept so that
    # what an IdP writes it can read back.
    attributes = models.JSONField(default=dict, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    # Changing this value invalidates every session of the user at once, on every worker,
    # because it is part of the session auth hash that Django checks on each request.
    session_generation = models.PositiveIntegerField(default=0)
    date_joined = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"), "tenant", name="user_email_unique_per_tenant"
            ),
            models.UniqueConstraint(
                Lower("user_name"), "tenant", name="user_name_unique_per_tenant"
            ),
            models.UniqueConstraint(
                Lower("email"),
                condition=models.Q(tenant__isnull=True),
                name="operator_email_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_scim_test_account(self) -> bool:
        return self.tenant is not None and self.email.lower() == self.tenant.scim_test_email.lower()

    def get_session_auth_hash(self) -> str:
        key_salt = "accounts.User.get_session_auth_hash"
        value = f"{self.password}:{self.session_generation}"
        return salted_hmac(key_salt, value, algorithm="sha256").hexdigest()


class Group(models.Model):
    """A group of a tenant: one of the six role groups, or a group an IdP pushed.

    A pushed group whose name is not a role group's carries no role until an operator maps it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="groups")
    display_name = models.CharField(max_length=255)
    external_id = models.CharField(max_length=255, blank=True, db_index=True)
    role = models.CharField(max_length=40, choices=Role.choices, blank=True)
    members = models.ManyToManyField(User, through="Membership", related_name="memberships")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["display_name"]
        constraints = [
            models.UniqueConstraint(
                Lower("display_name"), "tenant", name="group_name_unique_per_tenant"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name


class Membership(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE)
    user = models.ForeignKey(User, on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.group}"

    def clean(self) -> None:
        # Forms (the admin's membership inlines) run this; services check it themselves.
        if self.user_id and self.group_id and self.user.tenant_id != self.group.tenant_id:
            raise ValidationError(
                f"{self.user} belongs to another tenant than the group {self.group}; a group "
                "only takes members of its own tenant."
            )


class UserDeletion(models.Model):
    """Audit record of a deleted account, kept after the account row is gone."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="user_deletions")
    user_id = models.UUIDField()
    user_name = models.CharField(max_length=254)
    email = models.EmailField(max_length=254)
    external_id = models.CharField(max_length=255, blank=True)
    actor = models.CharField(max_length=200, help_text="Who deleted it, such as 'scim:okta-token'.")
    deleted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-deleted_at"]

    def __str__(self) -> str:
        return f"{self.email} deleted by {self.actor}"


class UserSession(models.Model):
    """A session key of a signed-in tenant user, so that all of the user's sessions can be ended."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="session_records")
    session_key = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "session_key"], name="user_session_unique"),
        ]

    def __str__(self) -> str:
        return f"session of {self.user}"
