from __future__ import annotations

import json

from semantic_layer.catalog import Catalog
from semantic_layer.query import Grain


def test_metrics_carry_their_words_and_formats(catalog: Catalog) -> None:
    names = {m.name for m in catalog.metrics}
    assert names == {
        "mrr",
        "active_subscriptions",
        "new_subscriptions",
        "churned_subscriptions",
        "invoice_revenue",
        "invoices",
        "new_accounts",
        "churn_rate",
    }
    mrr = catalog.metric("mrr")
    assert mrr is not None
    assert mrr.label == "Monthly recurring revenue"
    assert "recurring revenue" in mrr.synonyms
    assert (mrr.format, mrr.unit, mrr.type) == ("currency", "EUR", "simple")
    rate = catalog.metric("churn_rate")
    assert rate is not None and rate.type == "ratio" and rate.format == "percent"


def test_each_metric_lists_only_the_dimensions_it_reaches(catalog: Catalog) -> None:
    accounts = catalog.metric("new_accounts")
    revenue = catalog.metric("invoice_revenue")
    assert accounts is not None and revenue is not None
    assert "account__country" in accounts.dimensions and "metric_time" in accounts.dimensions
    assert "subscription__plan" not in accounts.dimensions
    assert {"subscription__plan", "subscription__billing_period", "account__country"} <= set(
        revenue.dimensions
    )
    assert "subscription" in revenue.entities


def test_grains_follow_the_data(catalog: Catalog) -> None:
    mrr, revenue, rate = (catalog.metric(n) for n in ("mrr", "invoice_revenue", "churn_rate"))
    assert mrr is not None and revenue is not None and rate is not None
    assert mrr.grains == (Grain.MONTH, Grain.QUARTER, Grain.YEAR)
    assert revenue.grains == tuple(Grain)
    assert rate.grains == (Grain.MONTH, Grain.QUARTER, Grain.YEAR)  # its denominator is monthly
    assert "metric_time" in rate.dimensions


def test_dimensions_have_labels_synonyms_and_types(catalog: Catalog) -> None:
    country = catalog.dimension("account__country")
    started = catalog.dimension("subscription__started_on")
    assert country is not None and started is not None
    assert (country.label, country.type, country.entity) == ("Country", "categorical", "account")
    assert "market" in country.synonyms
    assert started.type == "time" and started.grain == Grain.DAY
    assert {e.name for e in catalog.entities} >= {"account", "subscription", "invoice"}


def test_catalog_round_trips_through_json(catalog: Catalog) -> None:
    data = json.loads(catalog.to_json())
    assert {m["name"] for m in data["metrics"]} == {m.name for m in catalog.metrics}
    assert Catalog.model_validate(data) == catalog
