"""Breakdowns, example questions and help texts come from the catalog's roles and words."""

from __future__ import annotations

from assistant.core.answering.breakdowns import breakdown_dimensions, breakdown_phrase
from assistant.core.answering.examples import example_question, example_questions, help_text
from semantic_layer.catalog import Catalog, DimensionInfo, EntityInfo, MetricInfo
from semantic_layer.query import Grain
from tests.assistant.planning.retail_catalog import CATALOG as RETAIL


def _dim(name: str, label: str, role: str | None = None) -> DimensionInfo:
    entity = name.split("__")[0]
    return DimensionInfo(
        name=name, label=label, description="", synonyms=(), type="categorical", entity=entity, role=role
    )


def _metric(name: str, label: str, dims: tuple[str, ...], **kw: object) -> MetricInfo:
    return MetricInfo(
        name=name, label=label, description="", synonyms=(), type="simple", format=None, unit=None,
        dimensions=("metric_time", *dims), entities=(), grains=tuple(Grain), **kw,  # type: ignore[arg-type]
    )  # fmt: skip


DIMS = (
    _dim("lane__origin_region", "Origin region", "location"),
    _dim("lane__destination_region", "Destination region", "location"),
    _dim("shipment__service_level", "Service level", "product"),
    _dim("shipper__shipper_name", "Shipper", "customer"),
    _dim("shipper__segment", "Account segment"),
    _dim("shipment__is_dangerous", "Dangerous goods"),
)
LOGISTICS = Catalog(
    metrics=(
        _metric("active_shippers", "Active shippers", tuple(d.name for d in DIMS), role="count"),
        _metric("revenue", "Freight revenue", tuple(d.name for d in DIMS), role="money", default=True),
    ),
    dimensions=DIMS,
    entities=(EntityInfo(name="shipper", description=""), EntityInfo(name="lane", description="")),
)


def test_breakdowns_follow_the_roles_in_order_and_name_entities() -> None:
    metric = LOGISTICS.metric("revenue")
    got = [d.name for d in breakdown_dimensions(LOGISTICS, metric, per_role=2)]
    assert got == [  # catalog order within a role, the entity's name dimension first
        "lane__origin_region",
        "lane__destination_region",
        "shipment__service_level",
        "shipper__shipper_name",
    ]
    shipper = LOGISTICS.dimension("shipper__shipper_name")
    assert shipper is not None and breakdown_phrase(LOGISTICS, shipper) == "shipper"  # its name dimension
    assert breakdown_phrase(LOGISTICS, DIMS[0]) == "origin region"


def test_examples_and_help_speak_the_projects_words() -> None:
    examples = example_questions(LOGISTICS)
    assert examples[0] == "freight revenue last month"  # the declared default, not the first by name
    assert "freight revenue by origin region last month" in examples
    assert example_question(LOGISTICS) == "freight revenue by origin region last month"
    text = help_text(LOGISTICS)
    assert text.startswith("I answer questions about your business data — for example freight revenue, ")
    assert "store" not in text and "net sales" not in text


def test_a_catalog_without_roles_still_gets_breakdowns_but_no_flags() -> None:
    plain = LOGISTICS.model_copy(
        update={"dimensions": tuple(d.model_copy(update={"role": None}) for d in DIMS)}
    )
    got = [d.name for d in breakdown_dimensions(plain, plain.metric("revenue"), per_role=2)]
    assert got[0] == "shipper__shipper_name" and "shipment__is_dangerous" not in got


def test_the_retail_words_come_from_the_retail_catalog() -> None:
    assert example_question(RETAIL) == "net sales by store last month"


def test_labels_read_mid_sentence_and_keep_acronyms() -> None:
    from assistant.core.answering.breakdowns import in_sentence

    assert [in_sentence(x) for x in ("Room revenue", "ADR", "RevPAR", "F&B revenue", "E-mail open rate")] == [
        "room revenue",
        "ADR",
        "RevPAR",
        "F&B revenue",
        "e-mail open rate",
    ]
