"""The price and discount detector's measures, on cells with known answers."""

from __future__ import annotations

import pytest

from assistant.core.insights.pricing import Cell, discount_gaps, price_index

CATEGORIES = {"Womenswear": 4000.0, "Menswear": 1500.0, "Shoes": 1000.0, "Kids": 800.0, "Bags": 600.0}


def week(rates: dict[str, float], key: tuple[str, ...] = ()) -> dict[tuple[str, ...], Cell]:
    return {(*key, c, f"{c} article"): Cell(g, g / 50, g * rates.get(c, 0.05)) for c, g in CATEGORIES.items()}


def trailing() -> dict[tuple[str, ...], Cell]:
    out: dict[tuple[str, ...], Cell] = {}
    for n in range(8):
        out |= week({}, (f"2026-0{n + 1}-05",))
    return out


def test_one_big_category_on_promotion_moves_only_its_own_gap() -> None:
    now = week({"Womenswear": 0.30})  # a quarter off Womenswear, the largest category
    gaps = discount_gaps(now, trailing())
    rate, gap, usual, _ = gaps["Womenswear"]
    assert rate == pytest.approx(0.30) and gap - usual == pytest.approx(0.25)
    for other in ("Menswear", "Shoes", "Kids", "Bags"):
        assert gaps[other][1] - gaps[other][2] == pytest.approx(0.0)  # not "less discount than usual"


def test_a_repriced_category_moves_its_index_a_mix_shift_does_not() -> None:
    before = {
        (w, "Shoes", a): Cell(price * 10, 10, 0.0)
        for w in ("2026-01-05", "2026-01-12")
        for a, price in (("boot", 100.0), ("sneaker", 60.0), ("sandal", 40.0))
    }
    repriced = {
        ("Shoes", a): Cell(price * 1.2 * 10, 10, 0.0)
        for a, price in (("boot", 100.0), ("sneaker", 60.0), ("sandal", 40.0))
    }
    mix = {("Shoes", "boot"): Cell(100.0 * 30, 30, 0.0), ("Shoes", "sandal"): Cell(40.0 * 2, 2, 0.0)}
    assert price_index(repriced, before)["Shoes"] == (pytest.approx(1.2), 3)
    assert price_index(mix, before)["Shoes"] == (pytest.approx(1.0), 2)
