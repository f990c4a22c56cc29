import pytest

from accounts.models import User
from accounts.services import user_create
from scim.schemas import MAX_PAGE_SIZE
from tests.scim.conftest import idp_request

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


@pytest.fixture
def people(scim):
    """Three users with distinct attributes, created through SCIM."""
    ada = scim.create_user(
        "ada@example.com",
        name={"givenName": "Ada", "familyName": "Lovelace"},
        externalId="ext-ada",
        displayName="Ada Lovelace",
        emails=[{"value": "ada@example.com", "type": "work", "primary": True}],
        **{ENTERPRISE: {"employeeNumber": "701", "department": "Research"}},
    )
    grace = scim.create_user(
        "grace@example.com",
        name={"givenName": "Grace", "familyName": "Hopper"},
        externalId="ext-grace",
        emails=[{"value": "grace@navy.example", "type": "home", "primary": True}],
        active=False,
    )
    alan = scim.create_user(
        "alan@example.com",
        name={"givenName": "Alan", "familyName": "Turing"},
        **{ENTERPRISE: {"employeeNumber": "702", "department": "Codebreaking"}},
    )
    return {"ada": ada["id"], "grace": grace["id"], "alan": alan["id"]}


def names_for(scim, people, filter_text: str) -> set[str]:
    response = scim.get(f"/Users?filter={filter_text}")
    assert response.status_code == 200, response.content
    by_id = {value: key for key, value in people.items()}
    body = response.json()
    assert body["totalResults"] == len(body["Resources"])
    return {by_id[user["id"]] for user in body["Resources"]}


@pytest.mark.parametrize(
    ("filter_text", "expected"),
    [
        ('userName eq "ADA@example.com"', {"ada"}),
        ('userName ne "ada@example.com"', {"grace", "alan"}),
        ('userName co "ra"', {"grace"}),
        ('userName sw "a"', {"ada", "alan"}),
        ('userName ew "@example.com"', {"ada", "grace", "alan"}),
        ('userName gt "b"', {"grace"}),
        ('userName ge "alan@example.com"', {"alan", "grace"}),
        ('userName lt "alan@example.com"', {"ada"}),
        ('userName le "alan@example.com"', {"ada", "alan"}),
        ('displayName pr', {"ada"}),
        ('externalId eq "ext-grace"', {"grace"}),
        ('externalId eq "EXT-GRACE"', set()),
        ('name.familyName eq "Hopper"', {"grace"}),
        ('name.givenName sw "A"', {"ada", "alan"}),
        ('emails.value eq "grace@navy.example"', {"grace"}),
        ('emails co "navy"', {"grace"}),
        ('emails[type eq "work"].value eq "ada@example.com"', {"ada"}),
        ('emails[type eq "work"]', {"ada", "alan"}),
        ('emails[type eq "home" and value co "navy"]', {"grace"}),
        ('active eq false', {"grace"}),
        ('active eq true and name.familyName sw "T"', {"alan"}),
        ('userName eq "ada@example.com" or userName eq "alan@example.com"', {"ada", "alan"}),
        ('not (userName eq "ada@example.com")', {"grace", "alan"}),
        ('(userName sw "a" or userName sw "g") and active eq true', {"ada", "alan"}),
        ('meta.lastModified gt "2000-01-01T00:00:00Z"', {"ada", "grace", "alan"}),
        ('meta.created lt "2000-01-01T00:00:00Z"', set()),
        (f'{ENTERPRISE}:employeeNumber eq "702"', {"alan"}),
        (f'{ENTERPRISE}:department co "search"', {"ada"}),
        ('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "alan@example.com"', {"alan"}),
        ('id eq "not-a-uuid"', set()),
    ],
)
def test_user_filter(scim, people, filter_text, expected):
    assert names_for(scim, people, filter_text) == expected


def test_filter_by_id(scim, people):
    assert names_for(scim, people, f'id eq "{people["grace"]}"') == {"grace"}


def test_entra_external_id_filter(scim, people):
    """Entra looks users up by externalId; a 400 would stop its provisioning."""
    assert names_for(scim, people, 'externalId eq "ext-ada"') == {"ada"}


@pytest.mark.parametrize(
    "filter_text",
    [
        'userName eq',
        'userName equals "a"',
        'password eq "secret"',
        'active eq "maybe"',
        'meta.lastModified gt "yesterday"',
        'userName eq "a" and',
        '((userName eq "a")',
        'userName @ "a"',
        'active co "t"',
    ],
)
def test_invalid_filter_is_400(scim, people, filter_text):
    response = scim.get(f"/Users?filter={filter_text}")

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["scimType"] == "invalidFilter"
    assert body["status"] == "400"
    expected = idp_request("errors/error_400_invalid_filter.json")["response_body"]
    assert body["schemas"] == expected["schemas"]


def test_filter_over_length_limit_is_400(scim):
    response = scim.get("/Users?filter=" + " or ".join(['userName eq "a"'] * 400))

    assert response.status_code == 400, response.content
    assert response.json()["scimType"] == "invalidFilter"


def test_sort_by_family_name_descending(scim, people):
    response = scim.get("/Users?sortBy=name.familyName&sortOrder=descending")

    assert [user["name"]["familyName"] for user in response.json()["Resources"]] == [
        "Turing", "Lovelace", "Hopper",
    ]


def test_count_is_capped_at_maximum(scim):
    for index in range(MAX_PAGE_SIZE + 5):
        user_create(tenant=scim.tenant, email=f"user{index}@example.com")

    response = scim.get("/Users?count=100000")

    assert response.status_code == 200, response.content
    assert response.json()["totalResults"] == MAX_PAGE_SIZE + 5
    assert response.json()["itemsPerPage"] == MAX_PAGE_SIZE


def test_count_zero_returns_only_total(scim, people):
    body = scim.get("/Users?count=0").json()

    assert body["totalResults"] == 3
    assert body["Resources"] == []


def test_attributes_parameter_limits_response(scim, people):
    body = scim.get("/Users?attributes=userName,name.familyName").json()

    for resource in body["Resources"]:
        assert set(resource) == {"id", "schemas", "userName", "name"}
        assert set(resource["name"]) == {"familyName"}


def test_excluded_attributes_parameter(scim, people):
    resource = scim.get(f"/Users/{people['ada']}?excludedAttributes=emails,groups,name").json()

    assert "emails" not in resource
    assert "groups" not in resource
    assert "name" not in resource
    assert resource["userName"] == "ada@example.com"


def test_search_endpoint_takes_filter_body(scim, people):
    response = scim.post("/Users/.search", {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
        "filter": 'name.familyName sw "L"',
        "attributes": ["userName"],
        "startIndex": 1,
        "count": 10,
    })

    assert response.status_code == 200, response.content
    assert [user["userName"] for user in response.json()["Resources"]] == ["ada@example.com"]


def test_root_search_returns_users_then_groups(scim, people):
    filter_text = 'displayName sw "Ada" or displayName sw "Insider View"'

    response = scim.post("/.search", {"filter": filter_text})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["totalResults"] == 2
    assert [r.get("userName") or r["displayName"] for r in body["Resources"]] == [
        "ada@example.com", "Insider View Only",
    ]


def test_root_search_pages_across_types(scim, people):
    response = scim.post("/.search", {"startIndex": 3, "count": 2})

    body = response.json()
    assert body["totalResults"] == 9
    assert len(body["Resources"]) == 2
    assert "userName" in body["Resources"][0]
    assert body["Resources"][1]["displayName"].startswith("Insider")


def test_enterprise_extension_round_trips(scim, people):
    resource = scim.get(f"/Users/{people['ada']}").json()

    assert ENTERPRISE in resource["schemas"]
    assert resource[ENTERPRISE] == {"employeeNumber": "701", "department": "Research"}


def test_enterprise_manager_patch_with_bare_string(scim, people):
    response = scim.patch(f"/Users/{people['alan']}", {"Operations": [
        {"op": "Add", "path": f"{ENTERPRISE}:manager", "value": people["ada"]}]})

    assert response.status_code == 200, response.content
    stored = User.objects.get(pk=people["alan"]).attributes["enterprise"]
    assert stored["manager"] == {"value": people["ada"]}
    assert names_for(scim, people, f'{ENTERPRISE}:manager.value eq "{people["ada"]}"') == {"alan"}


@pytest.mark.parametrize(
    ("query", "has_groups"),
    [
        ("attributes=groups", True),
        ("attributes=urn:ietf:params:scim:schemas:core:2.0:User:groups", True),
        ("attributes=groups.display", True),
        ("attributes=userName", False),
        ("excludedAttributes=groups", False),
        ("excludedAttributes=urn:ietf:params:scim:schemas:core:2.0:User:groups", False),
        ("excludedAttributes=name", True),
    ],
)
def test_groups_attribute_selection(scim, people, query, has_groups):
    resource = scim.get(f"/Users/{people['ada']}?{query}").json()

    assert ("groups" in resource) is has_groups


def test_root_search_with_unknown_attribute_is_400(scim, people):
    response = scim.post("/.search", {"filter": 'password eq "x"'})

    assert response.status_code == 400, response.content
    assert response.json()["scimType"] == "invalidFilter"


def test_root_search_pages_into_groups(scim, people):
    body = scim.post("/.search", {"startIndex": 5, "count": 3}).json()

    assert body["totalResults"] == 9
    assert [resource["displayName"].startswith("Insider") for resource in body["Resources"]] == [
        True, True, True,
    ]
