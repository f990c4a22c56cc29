"""SCIM error responses in the RFC 7644 section 3.12 shape.

Every error a client can cause goes through ScimError, so all error bodies have one shape: the
Error schema, `status` as a string, `scimType` where RFC 7644 defines one, and a detail written
here, never exception text.
"""

from http import HTTPStatus

from django.http import JsonResponse

ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
SCIM_CONTENT_TYPE = "application/scim+json"


class ScimError(Exception):
    def __init__(self, status: int, detail: str, scim_type: str | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.scim_type = scim_type


def not_found(resource_type: str, resource_id: str) -> ScimError:
    # The id is echoed only up to a bounded length, because it is client input.
    return ScimError(404, f"{resource_type} {resource_id[:64]} not found.")


def invalid_value(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidValue")


def invalid_filter(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidFilter")


def invalid_syntax(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidSyntax")


def invalid_path(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidPath")


def uniqueness(detail: str) -> ScimError:
    return ScimError(409, detail, "uniqueness")


def error_response(error: ScimError) -> JsonResponse:
    body: dict = {"schemas": [ERROR_SCHEMA], "status": str(error.status), "detail": error.detail}
    if error.scim_type:
        body["scimType"] = error.scim_type
    response = JsonResponse(body, status=error.status, content_type=SCIM_CONTENT_TYPE)
    if error.status == HTTPStatus.UNAUTHORIZED:
        response["WWW-Authenticate"] = 'Bearer realm="SCIM"'
    return response
