"""Discovery endpoints (RFC 7644 section 4): ServiceProviderConfig, ResourceTypes, Schemas."""

from typing import Any

from django.http import HttpRequest, HttpResponse

from scim.errors import not_found
from scim.responses import list_response, resource_location, scim_base_url, scim_response
from scim.schemas import (
    MAX_PAGE_SIZE,
    RESOURCE_TYPE_DEFINITIONS,
    RESOURCE_TYPE_SCHEMA,
    SCHEMA_DEFINITIONS,
    SCHEMA_SCHEMA,
    SERVICE_PROVIDER_CONFIG_SCHEMA,
)
from scim.views.base import ScimView


def service_provider_config() -> dict[str, Any]:
    return {
        "schemas": [SERVICE_PROVIDER_CONFIG_SCHEMA],
        "patch": {"supported": True},
        "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": True, "maxResults": MAX_PAGE_SIZE},
        "changePassword": {"supported": False},
        "sort": {"supported": True},
        "etag": {"supported": True},
        "authenticationSchemes": [
            {
                "type": "oauthbearertoken",
                "name": "Bearer token",
                "description": "A token created for the tenant, sent as Authorization: Bearer.",
                "primary": True,
            }
        ],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": f"{scim_base_url()}/ServiceProviderConfig",
        },
    }


def resource_type_document(definition: dict[str, Any]) -> dict[str, Any]:
    return {
        "schemas": [RESOURCE_TYPE_SCHEMA],
        **definition,
        "meta": {
            "resourceType": "ResourceType",
            "location": resource_location("/ResourceTypes", definition["id"]),
        },
    }


def schema_document(definition: dict[str, Any]) -> dict[str, Any]:
    return {
        "schemas": [SCHEMA_SCHEMA],
        **definition,
        "meta": {
            "resourceType": "Schema",
            "location": resource_location("/Schemas", definition["id"]),
        },
    }


class ServiceProviderConfigView(ScimView):
    def get(self, request: HttpRequest) -> HttpResponse:
        return scim_response(service_provider_config())


class ResourceTypesView(ScimView):
    def get(self, request: HttpRequest, resource_id: str | None = None) -> HttpResponse:
        documents = [resource_type_document(item) for item in RESOURCE_TYPE_DEFINITIONS]
        return _list_or_one(documents, resource_id, "ResourceType")


class SchemasView(ScimView):
    def get(self, request: HttpRequest, resource_id: str | None = None) -> HttpResponse:
        documents = [schema_document(item) for item in SCHEMA_DEFINITIONS]
        return _list_or_one(documents, resource_id, "Schema")


def _list_or_one(documents: list[dict], resource_id: str | None, kind: str) -> HttpResponse:
    if resource_id is None:
        return list_response(documents, total=len(documents), start_index=1)
    for document in documents:
        if document["id"] == resource_id:
            return scim_response(document)
    raise not_found(kind, resource_id)
