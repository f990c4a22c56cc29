"""Authentication backend for sessions and operator passwords.

Tenant users have no password: they are signed in by the SAML views through
accounts.services.session_start. Only operators (accounts without a tenant) authenticate with a
password here, which keeps a tenant email from ever matching an operator account.
"""

from django.contrib.auth.backends import BaseBackend
from django.http import HttpRequest

from accounts.models import User
from accounts.selectors import user_can_sign_in


class AccountBackend(BaseBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs,
    ) -> User | None:
        if not username or not password:
            return None
        user = User.objects.filter(tenant__isnull=True, email__iexact=username).first()
        if user is None:
            # Run the hasher once anyway so that timing does not reveal which emails exist.
            User().set_password(password)
            return None
        if user.check_password(password) and user.is_active:
            return user
        return None

    def get_user(self, user_id) -> User | None:
        user = User.objects.select_related("tenant").filter(pk=user_id).first()
        if user is None or not user_can_sign_in(user):
            return None
        return user

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        return user_obj.is_active and user_obj.is_superuser
