"""`/graphql` over real HTTP: the tenant's catalog and semantic queries, the same auth and guard as
REST, tenant isolation (no argument can name another tenant) and clear errors for bad input."""

from __future__ import annotations

from typing import Any

from tests.assistant.api.conftest import ALPIN, NORDWIND, Api

CATALOG = "{ metrics { name dimensions } dimensions { name values } }"
BY_STORE = """
query($filters: [FilterInput!]) {
  query(metrics: ["net_sales"], groupBy: ["store__store_name"], grain: "month",
        filters: $filters, orderBy: [{name: "net_sales", descending: true}], limit: 50) {
    columns rows truncated sql
  }
}"""


def _gql(api: Api, token: str | None, query: str, variables: dict[str, Any] | None = None) -> Any:
    with api.server.client(token) as client:
        return client.post("/graphql", json={"query": query, "variables": variables or {}})


def _stores(api: Api, tenant: str) -> set[str]:
    r = _gql(api, api.key(tenant), CATALOG)
    assert r.status_code == 200, r.text
    dims = r.json()["data"]["dimensions"]
    return {v for d in dims if d["name"] == "store__store_name" for v in d["values"]}


def test_catalog_lists_metrics_and_the_tenants_own_dimension_values(api: Api) -> None:
    r = _gql(api, api.key(NORDWIND), CATALOG)
    metrics = {m["name"] for m in r.json()["data"]["metrics"]}
    assert {"net_sales", "orders", "gross_margin"} <= metrics
    nordwind, alpin = _stores(api, NORDWIND), _stores(api, ALPIN)
    assert nordwind and alpin and not (nordwind & alpin)


def test_query_returns_columns_and_rows_of_the_callers_tenant_only(api: Api) -> None:
    r = _gql(api, api.key(NORDWIND), BY_STORE)
    assert r.status_code == 200 and "errors" not in r.json(), r.text
    result = r.json()["data"]["query"]
    assert "net_sales" in result["columns"] and "store__store_name" in result["columns"]
    col = result["columns"].index("store__store_name")
    seen = {row[col] for row in result["rows"]}
    assert seen and seen <= _stores(api, NORDWIND)
    assert not seen & _stores(api, ALPIN)
    same = _gql(api, api.key(NORDWIND), '{ query(metrics: ["net_sales"]) { rows } }').json()
    with api.server.client(api.key(NORDWIND)) as client:
        rest = client.post("/v1/query", json={"metrics": ["net_sales"]}).json()
    assert same["data"]["query"]["rows"] == rest["rows"]  # one road to the data


def test_another_tenants_values_in_a_filter_or_a_tenant_argument_get_nothing(api: Api) -> None:
    alpin_store = sorted(_stores(api, ALPIN))[0]
    filters = [{"dimension": "store__store_name", "operator": "=", "values": [alpin_store]}]
    r = _gql(api, api.key(NORDWIND), BY_STORE, {"filters": filters})
    assert r.status_code == 200 and r.json()["data"]["query"]["rows"] == []
    smuggled = _gql(
        api, api.key(NORDWIND), f'{{ query(metrics: ["net_sales"], tenant: "{ALPIN}") {{ rows }} }}'
    )
    body = smuggled.json()
    assert body.get("data") is None and "tenant" in body["errors"][0]["message"]


def test_auth_and_roles_are_the_same_as_rest(api: Api) -> None:
    anonymous = _gql(api, None, CATALOG)
    assert anonymous.status_code == 401 and anonymous.json()["error"]["code"] == "missing_credentials"
    viewer = _gql(api, api.key(NORDWIND, "viewer"), CATALOG)
    assert viewer.status_code == 403 and viewer.json()["error"]["code"] == "forbidden_role"
    forged = _gql(api, "mk_forged.secret", CATALOG)
    assert forged.status_code == 401


def test_bad_input_gets_a_clear_error_with_a_stable_code(api: Api) -> None:
    key = api.key(NORDWIND)
    unknown = _gql(api, key, '{ query(metrics: ["no_such_metric"]) { rows } }').json()
    assert unknown["data"] is None and unknown["errors"][0]["extensions"]["code"]
    assert "no_such_metric" in unknown["errors"][0]["message"]
    grain = _gql(api, key, '{ query(metrics: ["net_sales"], grain: "fortnight") { rows } }').json()
    assert grain["errors"][0]["extensions"]["code"] == "invalid_request"
    reversed_range = _gql(
        api,
        key,
        '{ query(metrics: ["net_sales"], timeRange: {start: "2026-10-01", end: "2026-01-01"}) { rows } }',
    ).json()
    assert reversed_range["errors"][0]["extensions"]["code"] == "invalid_request"
    too_many = _gql(api, key, '{ query(metrics: ["net_sales"], limit: 0) { rows } }').json()
    assert too_many["errors"][0]["extensions"]["code"] == "invalid_request"
    syntax = _gql(api, key, "{ query(metrics: ")
    assert syntax.json()["errors"] and syntax.json().get("data") is None
    with api.server.client(key) as client:
        malformed = client.post(
            "/graphql", content=b"{not json", headers={"Content-Type": "application/json"}
        )
        assert malformed.status_code == 400
        assert client.get("/graphql", params={"query": CATALOG}).status_code in (400, 405)  # POST only
