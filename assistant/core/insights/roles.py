"""What the insights read, found by role in the project's catalog — never by name.

A dbt project tells the insights which metric is which with `meta: {mercurios: {kpi: …}}` on a
metric (one metric a kpi), and which dimensions to break findings down by with the dimension roles
the planner reads too (`role: location | product | channel`, `primary: true`):

- `sales`: the headline money figure, summed over groups and days (every insight; required)
- `purchases`: how many purchases — receipts, orders, bookings (headline, changes, anomalies)
- `basket`: money per purchase; `margin_rate`: margin as a share of sales (headline, changes)
- `units`: units sold, summed (changes, stock-outs, prices, forecast)
- `return_share`: the share of what was sold that came back (headline)
- `sales_before_discount`, `discount`: sales at list price and the discount given (prices)
- `stock_on_hand`, `recent_units`, `stock_cover`: units on hand at a stock count, units sold in
  the weeks to it, the weeks the stock lasts (stock risks)
- `margin`: the margin in money (the planner's list of key metrics; insights do not read it)

Dimensions: the *location* (the first `location` dimension the sales metric reaches: the primary
one, else the one naming its entity — a retailer's store), the *group* (the primary `product`
dimension: a category) and the *item* (the name dimension of the group's entity: a product), the
*channel* (the first `channel` dimension). An insight whose roles a project lacks is not computed,
and the report says which were not and why (`InsightReport.unavailable`); without a `sales` metric
there is no report at all (`InsightsUnavailableError`), never a guessed metric.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.core.answering.breakdowns import breakdown_phrase
from assistant.core.insights.errors import InsightsUnavailableError
from assistant.core.planning.offline.lexicon import entity_name_dimension
from semantic_layer.catalog import Catalog, DimensionInfo, MetricInfo

KPIS = (
    "sales",
    "purchases",
    "basket",
    "units",
    "margin_rate",
    "return_share",
    "sales_before_discount",
    "discount",
    "stock_on_hand",
    "recent_units",
    "stock_cover",
    "margin",
)
DIMENSION_ROLES = ("location", "group", "item", "channel")


@dataclass(frozen=True)
class MetricRole:
    """A metric as the insights use it: its name, how a reader calls it and how it is shown."""

    kpi: str
    name: str
    label: str  # "Net sales"
    short_label: str  # for the headline block: "Average basket" (else the label)
    format: str  # currency | percent | integer | number
    additive: bool
    dimensions: tuple[str, ...]  # what it can be grouped by

    @property
    def noun(self) -> str:
        """Mid-sentence: 'net sales', 'room nights'."""
        return self.label[:1].lower() + self.label[1:] if self.label[1:2].islower() else self.label


@dataclass(frozen=True)
class DimensionRole:
    """A dimension as the insights use it: its name and what one of its values is ('store')."""

    name: str
    noun: str  # "store", "category", "channel"


MONEY_KPIS = frozenset(("sales", "basket", "sales_before_discount", "discount", "margin"))
SHARE_KPIS = frozenset(("margin_rate", "return_share"))


def _format(kpi: str, metric: MetricInfo) -> str:
    """How a figure is shown: what the kpi is (money, a share) decides, whatever the metric's
    own `format` says or leaves out; else its format, a whole number for counts and sums."""
    if kpi in MONEY_KPIS:
        return "currency"
    if kpi in SHARE_KPIS:
        return "percent"
    if metric.format in ("currency", "percent"):
        return metric.format
    if metric.additive or metric.role in ("count", "quantity") or metric.counts:
        return "integer"
    return "number"


def _metric_role(kpi: str, metric: MetricInfo) -> MetricRole:
    return MetricRole(
        kpi=kpi,
        name=metric.name,
        label=metric.label,
        short_label=metric.short_label or metric.label,
        format=_format(kpi, metric),
        additive=metric.additive,
        dimensions=metric.dimensions,
    )


def _dimension_role(catalog: Catalog, dim: DimensionInfo) -> DimensionRole:
    return DimensionRole(
        name=dim.name, noun=dim.short_label.lower() if dim.short_label else breakdown_phrase(catalog, dim)
    )


def _first(catalog: Catalog, role: str, reachable: tuple[str, ...]) -> DimensionInfo | None:
    """The dimension of `role` people break the sales down by first: the primary one, else the one
    naming its entity ('by store' = the store's name), else the first in catalog order."""
    dims = catalog.dimensions_with_role(role, reachable=reachable)
    names = {entity_name_dimension(catalog, d.entity) for d in dims if d.entity}
    ranked = sorted(dims, key=lambda d: (not d.primary, d.name not in names, catalog.dimensions.index(d)))
    return ranked[0] if ranked else None


@dataclass(frozen=True)
class InsightRoles:
    metrics: dict[str, MetricRole]  # kpi → metric
    location: DimensionRole | None
    group: DimensionRole | None
    item: DimensionRole | None
    channel: DimensionRole | None

    def has(self, *kpis: str) -> bool:
        return all(k in self.metrics for k in kpis)

    def reaches(self, kpi: str, *dimensions: DimensionRole | None) -> bool:
        """Whether the project declares `kpi` and its metric can be grouped by each dimension."""
        metric = self.metrics.get(kpi)
        return metric is not None and all(d is not None and d.name in metric.dimensions for d in dimensions)

    def metric(self, kpi: str) -> MetricRole:
        return self.metrics[kpi]

    def name(self, kpi: str) -> str:
        return self.metrics[kpi].name

    @property
    def sales(self) -> MetricRole:
        return self.metrics["sales"]

    @property
    def activity(self) -> MetricRole:
        """What shows whether anything happened on a day: the transactions, else the sales."""
        return self.metrics.get("purchases") or self.sales

    def dimensions(self) -> tuple[DimensionRole, ...]:
        return tuple(d for d in (self.location, self.group, self.item, self.channel) if d is not None)

    def missing(self, kpis: tuple[str, ...] = (), dimensions: tuple[str, ...] = ()) -> tuple[str, ...]:
        """What of these the project does not declare: `kpi: units`, `role: location` …"""
        return (
            *(f"kpi: {k}" for k in kpis if k not in self.metrics),
            *(_DIMENSION_DECLARATION[d] for d in dimensions if getattr(self, d) is None),
        )


_DIMENSION_DECLARATION = {
    "location": "role: location",
    "group": "role: product, primary: true",
    "item": "a name dimension on the product entity",
    "channel": "role: channel",
}


def insight_roles(catalog: Catalog) -> InsightRoles:
    """The insights' metrics and dimensions of this project; `InsightsUnavailableError` when it
    declares no `sales` metric (nothing to report on)."""
    metrics = {k: _metric_role(k, m) for k in KPIS if (m := catalog.metric_for(k)) is not None}
    if "sales" not in metrics:
        raise InsightsUnavailableError(
            "insights and digests are not available for this dbt project: no metric declares "
            "`meta: {mercurios: {kpi: sales}}` (the money figure a report is about; see README "
            "'Make it yours'); ask and sl work on any project"
        )
    sales = catalog.metric(metrics["sales"].name)
    assert sales is not None
    reachable = sales.dimensions
    location = _first(catalog, "location", reachable)
    group = _first(catalog, "product", reachable)
    group = group if group is not None and group.primary else None
    item_name = entity_name_dimension(catalog, group.entity) if group is not None and group.entity else None
    item = catalog.dimension(item_name) if item_name and item_name in reachable else None
    channel = _first(catalog, "channel", reachable)
    return InsightRoles(
        metrics=metrics,
        location=_dimension_role(catalog, location) if location else None,
        group=_dimension_role(catalog, group) if group else None,
        item=_dimension_role(catalog, item) if item else None,
        channel=_dimension_role(catalog, channel) if channel else None,
    )
