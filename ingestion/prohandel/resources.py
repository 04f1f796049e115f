"""The ProHandel API v2 resources as the connector reads them: API field -> raw column, with types.

One table of facts drives the client (paths), the validator (types, required fields, ranges,
references), the landing (raw table, natural key) and the simulator (which shape to serve), so a
new field is one line here. Field names are the API's camelCase; columns are the raw contract's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ingestion.raw_schema import RAW_TABLES_BY_NAME, RawTable

FieldKind = Literal["str", "int", "decimal", "float", "date", "timestamp"]
Reference = Literal["branch", "article"]

SOURCE = "prohandel"
CHANGED_AT = "changedAt"  # every API record carries the time it last changed (UTC)


@dataclass(frozen=True)
class ApiField:
    api_name: str
    column: str
    kind: FieldKind
    required: bool = True
    # Names the API has used for this field in other versions: accepted and reported as drift.
    aliases: tuple[str, ...] = ()
    min_value: float | None = None
    choices: tuple[str, ...] = ()
    references: Reference | None = None


@dataclass(frozen=True)
class ChildSpec:
    """Records nested in a parent record (receipt lines in a receipt), landed in their own table."""

    api_name: str  # the list field in the parent, e.g. "lines"
    table: str
    parent_key_column: str  # the child column that carries the parent's key
    fields: tuple[ApiField, ...]
    key: tuple[str, ...]  # columns, unique per tenant


@dataclass(frozen=True)
class Resource:
    name: str  # path segment under /api/v2 and the name in watermarks and load logs
    table: str
    fields: tuple[ApiField, ...]
    key: tuple[str, ...]  # raw columns, unique per tenant together with tenant_id
    child: ChildSpec | None = None

    @property
    def known_api_names(self) -> frozenset[str]:
        names = {CHANGED_AT, *(f.api_name for f in self.fields), *(a for f in self.fields for a in f.aliases)}
        if self.child is not None:
            names.add(self.child.api_name)
        return frozenset(names)


def _s(api: str, col: str, required: bool = True, **kw: object) -> ApiField:
    return ApiField(api, col, "str", required, **kw)  # type: ignore[arg-type]


BRANCH_TYPES = ("store", "outlet", "online")
RECEIPT_TYPES = ("sale", "return")
LOYALTY_TIERS = ("bronze", "silver", "gold", "platinum")

COMPANY = Resource(
    "company",
    "tenants",
    (
        _s("name", "tenant_name"),
        _s("currency", "currency"),
        _s("timezone", "timezone"),
        _s("country", "country"),
        _s("locale", "locale"),
    ),
    (),
)
BRANCHES = Resource(
    "branches",
    "prohandel_branches",
    (
        _s("id", "branch_id"),
        ApiField("number", "branch_number", "int", min_value=0),
        _s("name", "name"),
        _s("city", "city", False),
        _s("region", "region", False),
        _s("country", "country"),
        _s("type", "branch_type", choices=BRANCH_TYPES),
        ApiField("openingDate", "opening_date", "date"),
        ApiField("salesArea", "sales_area_sqm", "float", required=False, min_value=0),
    ),
    ("branch_id",),
)
CATEGORIES = Resource(
    "categories",
    "prohandel_categories",
    (_s("id", "category_id"), _s("name", "name"), _s("parentId", "parent_id", False)),
    ("category_id",),
)
SUPPLIERS = Resource(
    "suppliers",
    "prohandel_suppliers",
    (_s("id", "supplier_id"), _s("name", "name")),
    ("supplier_id",),
)
ARTICLES = Resource(
    "articles",
    "prohandel_articles",
    (
        _s("id", "article_id"),
        _s("number", "article_number"),
        _s("description", "description"),
        _s("category", "category"),
        _s("subcategory", "subcategory"),
        _s("brand", "brand"),
        _s("color", "color", False),
        _s("season", "season", False),
        ApiField("retailPrice", "retail_price", "decimal", aliases=("salesPrice",), min_value=0),
        ApiField("purchasePrice", "purchase_price", "decimal", min_value=0),
    ),
    ("article_id",),
)
CUSTOMERS = Resource(
    "customers",
    "prohandel_customers",
    (
        _s("id", "customer_id"),
        _s("city", "city", False),
        _s("loyaltyTier", "loyalty_tier", choices=LOYALTY_TIERS),
        ApiField("registeredOn", "registered_on", "date"),
        _s("homeBranchId", "home_branch_id", False, references="branch"),
    ),
    ("customer_id",),
)
RECEIPTS = Resource(
    "receipts",
    "prohandel_receipts",
    (
        _s("id", "receipt_id"),
        _s("branchId", "branch_id", references="branch"),
        _s("customerId", "customer_id", False),
        ApiField("bookedAt", "booked_at", "timestamp"),
        _s("type", "receipt_type", choices=RECEIPT_TYPES),
    ),
    ("receipt_id",),
    child=ChildSpec(
        "lines",
        "prohandel_receipt_lines",
        "receipt_id",
        (
            ApiField("lineNumber", "line_number", "int", min_value=1),
            _s("articleId", "article_id", references="article"),
            ApiField("quantity", "quantity", "int"),
            ApiField("unitPrice", "unit_price", "decimal", min_value=0),
            ApiField("grossAmount", "gross_amount", "decimal"),
            ApiField("discountAmount", "discount_amount", "decimal"),
            ApiField("netAmount", "net_amount", "decimal"),
            ApiField("costAmount", "cost_amount", "decimal"),
        ),
        ("receipt_id", "line_number"),
    ),
)
INVENTORY = Resource(
    "inventory",
    "prohandel_inventory",
    (
        ApiField("date", "snapshot_date", "date"),
        _s("branchId", "branch_id", references="branch"),
        _s("articleId", "article_id", references="article"),
        ApiField("onHand", "on_hand", "int", min_value=0),
        ApiField("onOrder", "on_order", "int", min_value=0),
    ),
    ("snapshot_date", "branch_id", "article_id"),
)

# Load order matters: referential checks look up branches and articles landed before.
RESOURCES: tuple[Resource, ...] = (
    COMPANY,
    BRANCHES,
    CATEGORIES,
    SUPPLIERS,
    ARTICLES,
    CUSTOMERS,
    RECEIPTS,
    INVENTORY,
)
RESOURCES_BY_NAME = {r.name: r for r in RESOURCES}

_META = (("_loaded_at", "TIMESTAMP NOT NULL"),)

# Resources the API serves that the raw contract (ingestion/raw_schema.py) has no table for yet:
# the connector lands them beside the contract's tables; dbt does not read them (yet).
CONNECTOR_TABLES: tuple[RawTable, ...] = (
    RawTable(
        "prohandel_categories",
        (
            ("tenant_id", "VARCHAR NOT NULL"),
            ("category_id", "VARCHAR NOT NULL"),
            ("name", "VARCHAR NOT NULL"),
            ("parent_id", "VARCHAR"),
            *_META,
        ),
        ("category_id",),
    ),
    RawTable(
        "prohandel_suppliers",
        (
            ("tenant_id", "VARCHAR NOT NULL"),
            ("supplier_id", "VARCHAR NOT NULL"),
            ("name", "VARCHAR NOT NULL"),
            *_META,
        ),
        ("supplier_id",),
    ),
)


def table_spec(name: str) -> RawTable:
    """The raw table definition, from the contract or the connector's own tables."""
    if name in RAW_TABLES_BY_NAME:
        return RAW_TABLES_BY_NAME[name]
    return next(t for t in CONNECTOR_TABLES if t.name == name)
