"""Query parameters of list and search requests (RFC 7644 sections 3.4.2 and 3.4.3)."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict

from scim.errors import invalid_value
from scim.filters import FilterField, field_for_path, filter_to_q
from scim.schemas import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from scim.values import lower_keys

MAX_START_INDEX = 2**62


@dataclass
class ListParams:
    filter: str | None = None
    start_index: int = 1
    count: int = DEFAULT_PAGE_SIZE
    sort_by: str | None = None
    descending: bool = False
    attributes: list[str] = field(default_factory=list)
    excluded_attributes: list[str] = field(default_factory=list)


def _integer(value: Any, name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise invalid_value(f"{name} must be an integer.") from None


def _names(value: Any, name: str) -> list[str]:
    """Accept "a,b" (query string) or ["a", "b"] (search body)."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list) and all(isinstance(part, str) for part in value):
        return [part.strip() for part in value if part.strip()]
    raise invalid_value(f"{name} must be a list of attribute names.")


def list_params(values: dict[str, Any]) -> ListParams:
    """Build ListParams from query parameters or a SearchRequest body (names case-insensitive).

    startIndex below 1 is read as 1 and count is capped at MAX_PAGE_SIZE, as RFC 7644 3.4.2.4
    allows; a negative count is read as 0.
    """
    values = lower_keys(values)
    filter_text = values.get("filter")
    if filter_text is not None and not isinstance(filter_text, str):
        raise invalid_value("filter must be a string.")
    params = ListParams(filter=filter_text or None)
    if values.get("startindex") not in (None, ""):
        start_index = _integer(values["startindex"], "startIndex")
        # Capped so the database OFFSET stays within a 64-bit integer.
        params.start_index = min(MAX_START_INDEX, max(1, start_index))
    if values.get("count") not in (None, ""):
        params.count = min(MAX_PAGE_SIZE, max(0, _integer(values["count"], "count")))
    if values.get("sortby"):
        params.sort_by = str(values["sortby"])
    sort_order = str(values.get("sortorder") or "ascending").lower()
    if sort_order not in ("ascending", "descending"):
        raise invalid_value("sortOrder must be ascending or descending.")
    params.descending = sort_order == "descending"
    params.attributes = _names(values.get("attributes"), "attributes")
    params.excluded_attributes = _names(values.get("excludedattributes"), "excludedAttributes")
    return params


def query_params(query: QueryDict) -> ListParams:
    return list_params({key: query.get(key) for key in query})


def filtered_queryset(
    queryset: QuerySet, params: ListParams, fields: dict[str, FilterField], default_order: str
) -> QuerySet:
    """Return the queryset narrowed by the filter and ordered by sortBy (or default_order)."""
    if params.filter:
        translated = filter_to_q(params.filter, fields)
        queryset = queryset.filter(translated.q)
        if translated.multi_row:
            queryset = queryset.distinct()

    order = default_order
    if params.sort_by:
        sort_field = field_for_path(params.sort_by, fields)
        if sort_field is None or sort_field.multi_row:
            raise invalid_value(f"Sorting by {params.sort_by[:100]!r} is not supported.")
        order = sort_field.lookup
    return queryset.order_by(f"-{order}" if params.descending else order, "pk")


def filtered_page(
    queryset: QuerySet, params: ListParams, fields: dict[str, FilterField], default_order: str
) -> tuple[list, int]:
    """Return one page of the queryset and the total count, both computed in the database."""
    queryset = filtered_queryset(queryset, params, fields, default_order)
    total = queryset.count()
    offset = params.start_index - 1
    return list(queryset[offset:offset + params.count]), total
