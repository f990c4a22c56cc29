import pytest
from django.core.exceptions import ImproperlyConfigured

from sso.key_storage import seal, unseal
from sso.keys import sp_key_pair_current
from sso.models import SpKeyPair

PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQ...\n-----END PRIVATE KEY-----\n"


def test_seal_round_trip_hides_plaintext(settings):
    sealed = seal(PEM)

    assert "PRIVATE KEY" not in sealed
    assert unseal(sealed) == PEM


def test_fallback_secret_opens_old_key(settings):
    sealed = seal(PEM)
    previous = settings.SECRET_KEY

    settings.SECRET_KEY = "a-new-secret-after-rotation"
    settings.SECRET_KEY_FALLBACKS = [previous]

    assert unseal(sealed) == PEM


def test_unknown_secret_raises_configuration_error(settings):
    sealed = seal(PEM)

    settings.SECRET_KEY = "a-new-secret-after-rotation"
    settings.SECRET_KEY_FALLBACKS = []

    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY_FALLBACKS"):
        unseal(sealed)


def test_unsealed_value_is_rejected():
    with pytest.raises(ImproperlyConfigured, match="not sealed"):
        unseal(PEM)


@pytest.mark.django_db
def test_database_row_holds_no_plaintext_key(tenant):
    key_pair = sp_key_pair_current(tenant)

    stored = SpKeyPair.objects.filter(pk=key_pair.pk).values_list("private_key_sealed", flat=True)

    assert "PRIVATE KEY" not in stored.get()
    assert key_pair.private_key_pem.startswith("-----BEGIN PRIVATE KEY-----")
