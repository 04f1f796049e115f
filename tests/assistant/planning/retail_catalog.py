"""A small hand-made retail catalog for planner unit tests (no dbt, no warehouse)."""

from __future__ import annotations

from semantic_layer.catalog import Catalog, DimensionInfo, EntityInfo, MetricInfo
from semantic_layer.query import Grain

SALES_DIMS = (
    "metric_time",
    "store__store_name",
    "store__city",
    "product__category",
    "product__brand",
    "customer__loyalty_tier",
    "sale_line__channel",
)
GRAINS = tuple(Grain)


def _metric(
    name: str,
    label: str,
    synonyms: tuple[str, ...],
    dims: tuple[str, ...] = SALES_DIMS,
    fmt: str = "currency",
    **meta: object,
) -> MetricInfo:
    return MetricInfo(
        name=name,
        label=label,
        description="",
        synonyms=synonyms,
        type="simple",
        format=fmt,
        unit=None,
        dimensions=dims,
        entities=("store", "product", "customer"),
        grains=GRAINS,
        **meta,  # type: ignore[arg-type]
    )


def _dim(name: str, label: str, synonyms: tuple[str, ...] = ()) -> DimensionInfo:
    return DimensionInfo(
        name=name,
        label=label,
        description="",
        synonyms=synonyms,
        type="time" if name == "metric_time" else "categorical",
        entity=name.split("__")[0] if "__" in name else None,
    )


CATALOG = Catalog(
    metrics=(
        # the roles the retail demo declares in its dbt YAML (meta.mercurios)
        _metric(
            "net_sales",
            "Net sales",
            ("revenue", "turnover", "sales", "takings", "Umsatz"),
            default=True,
            kpi="sales",
        ),
        _metric("gross_sales", "Gross sales", ("gross revenue",), kpi="sales_before_discount"),
        _metric("gross_margin", "Gross margin", ("margin", "profit", "Marge"), kpi="margin"),
        _metric("orders", "Orders", ("transactions", "receipts", "baskets"), fmt="number", kpi="purchases"),
        _metric("units_sold", "Units sold", ("units", "quantity", "pieces"), fmt="number", kpi="units"),
        _metric(
            "return_rate", "Return rate", ("returns rate", "Retourenquote"), fmt="percent", kpi="return_share"
        ),
        _metric(
            "sessions",
            "Web sessions",
            ("visits", "traffic"),
            ("metric_time", "web_session__source"),
            "number",
        ),
    ),
    dimensions=(
        _dim("metric_time", "Time"),
        _dim("store__store_name", "Store", ("branch", "shop", "Filiale")),
        _dim("store__city", "Store city", ("city", "location", "Stadt")),
        _dim("product__category", "Category", ("department", "Warengruppe", "product group")),
        _dim("product__brand", "Brand", ("label", "Marke")),
        _dim("customer__loyalty_tier", "Loyalty tier", ("tier", "loyalty level")),
        _dim("sale_line__channel", "Channel", ("sales channel",)),
        _dim("web_session__source", "Traffic source", ("source",)),
    ),
    entities=(EntityInfo(name="store", description=""), EntityInfo(name="product", description="")),
)

VALUES = {
    "store__city": ("Berlin", "Hamburg", "München", "Köln", "Düsseldorf"),
    "store__store_name": ("Nordwind Berlin", "Nordwind Hamburg", "Nordwind München", "Nordwind Online"),
    "product__category": ("Womenswear", "Menswear", "Kids", "Shoes", "Accessories"),
    "product__brand": ("Nordwind", "Levi's", "Marc O'Polo"),
    "customer__loyalty_tier": ("bronze", "silver", "gold", "platinum"),
    "sale_line__channel": ("store", "online"),
}
