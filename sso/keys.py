"""SP key pairs: created when first needed, rolled over with a published "next" pair."""

import logging
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.db import IntegrityError, transaction

from accounts.models import Tenant
from sso.key_storage import seal
from sso.models import SpKeyPair

logger = logging.getLogger("inone.sso")

KEY_SIZE_BITS = 2048
CERTIFICATE_LIFETIME = timedelta(days=5 * 365)


def sp_key_pair_current(tenant: Tenant) -> SpKeyPair:
    """Return the tenant's current SP key pair, creating it on first use."""
    existing = SpKeyPair.objects.filter(tenant=tenant, status=SpKeyPair.Status.CURRENT).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return _key_pair_create(tenant, SpKeyPair.Status.CURRENT)
    except IntegrityError:
        # Another worker created it at the same moment; the unique constraint kept one.
        return SpKeyPair.objects.get(tenant=tenant, status=SpKeyPair.Status.CURRENT)


def sp_key_pairs_published(tenant: Tenant) -> list[SpKeyPair]:
    """Return the key pairs to publish in SP metadata: the current one, then the next one."""
    current = sp_key_pair_current(tenant)
    upcoming = SpKeyPair.objects.filter(tenant=tenant, status=SpKeyPair.Status.NEXT).first()
    return [current] if upcoming is None else [current, upcoming]


@transaction.atomic
def sp_key_pair_prepare_next(tenant: Tenant) -> SpKeyPair:
    """Create the next key pair, published beside the current one until the rollover."""
    SpKeyPair.objects.filter(tenant=tenant, status=SpKeyPair.Status.NEXT).update(
        status=SpKeyPair.Status.RETIRED
    )
    return _key_pair_create(tenant, SpKeyPair.Status.NEXT)


@transaction.atomic
def sp_key_pair_rollover(tenant: Tenant) -> SpKeyPair:
    """Make the next key pair current and retire the current one."""
    upcoming = SpKeyPair.objects.select_for_update().filter(
        tenant=tenant, status=SpKeyPair.Status.NEXT
    ).first()
    if upcoming is None:
        raise ValueError("There is no next key pair; prepare one first.")
    SpKeyPair.objects.filter(tenant=tenant, status=SpKeyPair.Status.CURRENT).update(
        status=SpKeyPair.Status.RETIRED
    )
    upcoming.status = SpKeyPair.Status.CURRENT
    upcoming.save(update_fields=["status"])
    logger.info("sso.sp-key.rolled-over", extra={"tenant": tenant.hash})
    return upcoming


def _key_pair_create(tenant: Tenant, status: str) -> SpKeyPair:
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE_BITS)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"inone-sp-{tenant.hash}")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + CERTIFICATE_LIFETIME)
        .sign(private_key, hashes.SHA256())
    )
    key_pair = SpKeyPair.objects.create(
        tenant=tenant,
        status=status,
        private_key_sealed=seal(
            private_key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            ).decode()
        ),
        certificate_pem=certificate.public_bytes(serialization.Encoding.PEM).decode(),
        not_valid_after=certificate.not_valid_after_utc,
    )
    logger.info("sso.sp-key.created", extra={"tenant": tenant.hash, "status": status})
    return key_pair
