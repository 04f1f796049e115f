"""A figure per another with a qualifier between them (`offline/ratios._without_qualifiers`,
`_figure_before_its_qualifier`, `labels_apart`), end to end on the non-retail fixtures.

- 'room revenue for OTA bookings per occupied room night' was Bookings ÷ occupied room-nights (the
  qualifier's noun 'bookings' read as the numerator); 'freight revenue for express shipments per
  delivered shipment' was Shipments ÷ delivered shipments.
- 'Logisumsatz über Online-Reisebüros … pro belegter Zimmernacht', 'room revenue from OTA per occupied
  room night': a value between the figure and its 'per' left both figures side by side, undivided.
- 'claims filed for express per 1000 shipments': the value inside the label said apart was dropped
  (every service's rate).
"""

from __future__ import annotations

import pytest

from tests.byo_projects import Project, filters_of, query


def _derived(answer: dict[str, object]) -> tuple[str, str]:
    plan = answer["plan"]
    assert isinstance(plan, dict)
    derived = plan["derived"]
    assert isinstance(derived, dict), plan
    return str(derived["numerator"]), str(derived["denominator"])


def _filtered_on(answer: dict[str, object]) -> set[str]:
    return {str(f["dimension"]).split("__")[-1] for f in filters_of(answer)}


@pytest.mark.parametrize(
    ("project", "question", "ratio", "filtered"),
    [
        ("hotels", "room revenue for OTA bookings per occupied room night last quarter",
         ("room_revenue", "occupied_room_nights"), "channel_group"),
        ("hotels", "room revenue from OTA per occupied room night last month",
         ("room_revenue", "occupied_room_nights"), "channel_group"),
        ("hotels", "Logisumsatz über Online-Reisebüros im letzten Quartal pro belegter Zimmernacht",
         ("room_revenue", "occupied_room_nights"), "channel"),
        ("freight", "freight revenue for express shipments per delivered shipment last month",
         ("freight_revenue", "delivered_shipments"), "service_code"),
        ("freight", "Frachtumsatz mit Expresssendungen pro Sendung im September",
         ("freight_revenue", "shipments"), "service_code"),
    ],
)  # fmt: skip
def test_the_figure_before_its_qualifier_is_divided(
    project: str, question: str, ratio: tuple[str, str], filtered: str, request: pytest.FixtureRequest
) -> None:
    answer = request.getfixturevalue(project).ask(question)
    assert answer["kind"] == "data", answer["answer"]
    assert _derived(answer) == ratio
    assert filtered in _filtered_on(answer)


@pytest.mark.parametrize(
    "question",
    [
        "claims filed for express per 1000 shipments last year",
        "claims filed for express shipments per 1000 shipments last year",
        "Reklamationen bei Expresssendungen pro 1000 Sendungen im letzten Jahr",
    ],
)
def test_a_value_inside_a_label_said_apart_filters(freight: Project, question: str) -> None:
    answer = freight.ask(question)
    assert answer["kind"] == "data", answer["answer"]
    assert query(answer)["metrics"] == ["claims_per_1000_shipments"]
    assert "service_code" in _filtered_on(answer)
