"""Encryption at rest of SP private keys, with a key derived from DJANGO_SECRET_KEY.

A database dump alone then does not reveal the keys that sign AuthnRequests and decrypt
assertions. Keys sealed under a previous secret still open while that secret is listed in
DJANGO_SECRET_KEY_FALLBACKS, so the secret can be rotated.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SEALED_PREFIX = "fernet:"


def seal(private_key_pem: str) -> str:
    """Encrypt a PEM private key for storage."""
    token = _fernet_for(settings.SECRET_KEY).encrypt(private_key_pem.encode())
    return SEALED_PREFIX + token.decode()


def unseal(stored: str) -> str:
    """Decrypt a stored private key; raise ImproperlyConfigured when no known secret opens it."""
    if not stored.startswith(SEALED_PREFIX):
        raise ImproperlyConfigured("A stored SP private key is not sealed; it cannot be used.")
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    keys = MultiFernet([_fernet_for(secret) for secret in secrets])
    try:
        return keys.decrypt(stored.removeprefix(SEALED_PREFIX).encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "An SP private key was sealed under another DJANGO_SECRET_KEY. Put the previous "
            "secret into DJANGO_SECRET_KEY_FALLBACKS, or roll the tenant's SP key over."
        ) from None


def _fernet_for(secret: str) -> Fernet:
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"inone.sso.sp-private-key", info=b"fernet"
    ).derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(derived))
