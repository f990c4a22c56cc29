"""SCIM success responses and resource locations."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse

from scim.errors import SCIM_CONTENT_TYPE

LIST_RESPONSE_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"


def scim_base_url() -> str:
    # Built from INONE_BASE_URL, not from the Host header, so locations are right behind a proxy.
    return f"{settings.INONE_BASE_URL}/scim/v2"


def resource_location(endpoint: str, resource_id: str) -> str:
    return f"{scim_base_url()}{endpoint}/{resource_id}"


def scim_response(body: dict, status: int = 200, etag: str | None = None) -> JsonResponse:
    response = JsonResponse(body, status=status, content_type=SCIM_CONTENT_TYPE)
    if etag:
        response["ETag"] = etag
    if status == 201 and "meta" in body and "location" in body["meta"]:
        response["Location"] = body["meta"]["location"]
    return response


def no_content() -> HttpResponse:
    """Return 204 with no Content-Type, since there is no body to describe."""
    response = HttpResponse(status=204)
    del response["Content-Type"]
    return response


def list_response(resources: list[dict], *, total: int, start_index: int) -> JsonResponse:
    return scim_response(
        {
            "schemas": [LIST_RESPONSE_SCHEMA],
            "totalResults": total,
            "startIndex": start_index,
            "itemsPerPage": len(resources),
            "Resources": resources,
        }
    )
