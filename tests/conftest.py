import pytest

from accounts.models import Tenant
from accounts.services import tenant_create


@pytest.fixture
def tenant(db) -> Tenant:
    return tenant_create(name="Acme", tenant_hash="acme-hash")


@pytest.fixture
def other_tenant(db) -> Tenant:
    return tenant_create(name="Globex", tenant_hash="globex-hash")
