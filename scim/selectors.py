"""Read-only queries of SCIM tokens, for other apps (the panel's Settings > Security page)."""

from django.db.models import QuerySet

from accounts.models import Tenant
from scim.models import ScimToken


def tenant_tokens(tenant: Tenant) -> QuerySet[ScimToken]:
    """Return the tenant's tokens, newest first, revoked ones included."""
    return ScimToken.objects.filter(tenant=tenant).order_by("-created_at")


def tenant_token_get(tenant: Tenant, token_id: int) -> ScimToken | None:
    """Return one of the tenant's tokens; another tenant's token id finds nothing."""
    return ScimToken.objects.filter(tenant=tenant, pk=token_id).select_related("tenant").first()
