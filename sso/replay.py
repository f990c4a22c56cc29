"""The replay cache: an assertion ID is accepted once per tenant, across all workers."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Tenant
from sso.errors import SsoRejected
from sso.models import SeenAssertion


def assertion_accept_once(*, tenant: Tenant, assertion_id: str, expires_at: datetime) -> None:
    """Record the assertion ID, or raise SsoRejected when it was accepted before.

    The unique constraint on (tenant, assertion_id) decides, so two workers that receive the
    same assertion at once cannot both accept it. An entry is kept until the assertion itself
    expires, after which pysaml2's time checks reject the assertion anyway.
    """
    SeenAssertion.objects.filter(tenant=tenant, expires_at__lt=timezone.now()).delete()
    try:
        with transaction.atomic():
            SeenAssertion.objects.create(
                tenant=tenant, assertion_id=assertion_id, expires_at=expires_at
            )
    except IntegrityError:
        raise SsoRejected("The assertion ID was accepted before (replay).") from None
