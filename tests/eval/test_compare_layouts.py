"""Two layouts of one answer are judged equal, and nothing else is: a comparison of two periods
as one row (`<m>`, `<m>__comparison`, change columns) against the gold's row per period, and an
answer's rows of nothing (every figure 0/NULL) that the gold's GROUP BY leaves out. A swapped
period, a wrong value, a missing period or group, a zero where the gold has a figure all fail."""

from __future__ import annotations

from eval.compare import compare_results

CMP = ["gross_margin_pct", "gross_margin_pct__comparison", "gross_margin_pct__change",
       "gross_margin_pct__change_pct"]  # fmt: skip


def _row(cur: float, prev: float) -> tuple[float, float, float, float]:
    return (cur, prev, cur - prev, (cur - prev) / prev)


def test_a_comparison_row_meets_the_gold_row_per_year() -> None:
    gold = [(2025, 0.44284), (2026, 0.419778)]
    verdict = compare_results(gold, CMP, [_row(0.419778, 0.44284)])
    assert verdict.match and "unpivoted" in verdict.reason


def test_the_strict_judge_keeps_the_layouts_apart() -> None:
    gold = [(2025, 0.44284), (2026, 0.419778)]
    assert not compare_results(gold, CMP, [_row(0.419778, 0.44284)], equivalent_layouts=False).match


def test_swapped_periods_fail() -> None:
    gold = [(2025, 0.44284), (2026, 0.419778)]
    assert not compare_results(gold, CMP, [_row(0.44284, 0.419778)]).match


def test_a_wrong_value_in_either_period_fails() -> None:
    gold = [(2024, 645.49), (2025, 2697.04)]
    cols = [
        "discount_amount",
        "discount_amount__comparison",
        "discount_amount__change",
        "discount_amount__change_pct",
    ]
    assert compare_results(gold, cols, [_row(2697.04, 645.49)]).match
    assert not compare_results(gold, cols, [_row(2697.04, 645.0)]).match
    assert not compare_results(gold, cols, [_row(2690.0, 645.49)]).match


def test_period_labels_as_dates_or_words_with_a_year_are_read_in_order() -> None:
    cols = ["ancillary_revenue", "ancillary_revenue__comparison", "ancillary_revenue__change",
            "ancillary_revenue__change_pct"]  # fmt: skip
    by_date = [("2025-11-24", 2697.04), ("2024-11-24", 645.49)]
    assert compare_results(by_date, cols, [_row(2697.04, 645.49)]).match
    by_words = [("Black Friday week 2024", 645.49), ("Black Friday week 2025", 2697.04)]
    assert compare_results(by_words, cols, [_row(2697.04, 645.49)]).match
    assert not compare_results(by_words, cols, [_row(645.49, 2697.04)]).match


def test_a_gold_without_period_names_needs_only_both_values() -> None:
    cols = ["shipments", "shipments__comparison", "shipments__change", "shipments__change_pct"]
    assert compare_results([(1200,), (1100,)], cols, [_row(1200, 1100)]).match


def test_a_comparison_per_group_unpivots_per_group() -> None:
    gold = [("Lisboa", 2025, 100.0), ("Lisboa", 2026, 120.0), ("Porto", 2025, 80.0), ("Porto", 2026, 70.0)]
    cols = ["property__property_name", "adr", "adr__comparison", "adr__change", "adr__change_pct"]
    pred = [("Lisboa", *_row(120.0, 100.0)), ("Porto", *_row(70.0, 80.0))]
    assert compare_results(gold, cols, pred).match
    # the periods of one group swapped, the other group right: still a wrong answer
    assert not compare_results(
        gold, cols, [("Lisboa", *_row(120.0, 100.0)), ("Porto", *_row(80.0, 70.0))]
    ).match
    # the values paired with the wrong group
    assert not compare_results(
        gold, cols, [("Lisboa", *_row(70.0, 80.0)), ("Porto", *_row(120.0, 100.0))]
    ).match


def test_a_missing_group_or_period_fails() -> None:
    gold = [("Lisboa", 2025, 100.0), ("Lisboa", 2026, 120.0), ("Porto", 2025, 80.0), ("Porto", 2026, 70.0)]
    cols = ["property__property_name", "adr", "adr__comparison", "adr__change", "adr__change_pct"]
    assert not compare_results(gold, cols, [("Lisboa", *_row(120.0, 100.0))]).match
    three_years = [(2024, 90.0), (2025, 100.0), (2026, 120.0)]
    assert not compare_results(three_years, cols[1:], [_row(120.0, 100.0)]).match
    # the gold asks for one period only; a comparison row holds it (extra columns) — still fine
    assert compare_results([(120.0,)], cols[1:], [_row(120.0, 100.0)]).match


def test_several_compared_metrics_unpivot_together() -> None:
    cols = ["freight_revenue_per_shipment", "freight_revenue_per_shipment__comparison",
            "freight_revenue_per_shipment__change", "freight_revenue_per_shipment__change_pct",
            "shipments", "shipments__comparison", "shipments__change", "shipments__change_pct"]  # fmt: skip
    pred = [(*_row(25.39, 27.79), *_row(3000.0, 2900.0))]
    assert compare_results([(2025, 27.79), (2026, 25.39)], cols, pred).match
    assert compare_results([(2025, 27.79, 2900.0), (2026, 25.39, 3000.0)], cols, pred).match
    assert not compare_results([(2025, 27.79, 3000.0), (2026, 25.39, 2900.0)], cols, pred).match


def test_groups_with_nothing_that_the_gold_leaves_out_are_equivalent() -> None:
    gold = [("Sevilla", 1), ("Lisboa", 4), ("Copenhagen", 2)]
    pred = [("Lisboa", 4), ("Copenhagen", 2), ("Sevilla", 1), ("Porto", 0), ("Madrid", None)]
    verdict = compare_results(gold, ["property__property_name", "no_shows"], pred)
    assert verdict.match and "nothing" in verdict.reason
    ordered = compare_results(gold[1:2] + gold[2:] + gold[:1], ["property__property_name", "no_shows"],
                              pred, ordered=True)  # fmt: skip
    assert ordered.match


def test_a_zero_where_the_gold_has_a_figure_still_fails() -> None:
    gold = [("Sevilla", 1), ("Lisboa", 4), ("Copenhagen", 2)]
    pred = [("Lisboa", 4), ("Copenhagen", 2), ("Sevilla", 0), ("Porto", 0)]
    assert not compare_results(gold, ["property__property_name", "no_shows"], pred).match


def test_zeros_the_gold_lists_are_part_of_its_answer() -> None:
    """'Which stores sold nothing': the stores with zero are the answer, none may go missing."""
    gold = [("Köln", 0), ("Bonn", 0)]
    pred = [("Köln", 0), ("Bonn", 0), ("Essen", 0)]
    assert not compare_results(gold, ["store__store_name", "units_sold"], pred).match
    assert not compare_results(gold, ["store__store_name", "units_sold"], [("Essen", 0), ("Ulm", 0)]).match


def test_a_single_figure_of_zero_is_not_dropped_for_an_empty_gold() -> None:
    assert not compare_results([(5,)], ["orders"], [(0,)]).match


def test_a_city_for_its_one_store_meets_the_gold_store_names() -> None:
    gold = [("Casa Living Zürich", 76146.1), ("Casa Living Basel", 72583.6)]
    verdict = compare_results(gold, ["store__city", "net_sales"], [("Zürich", 76146.1), ("Basel", 72583.6)])
    assert verdict.match and "gold's names" in verdict.reason
    # and the other way round: stores answered where the gold names the cities
    assert compare_results(
        [("Zürich", 76146.1), ("Basel", 72583.6)], ["store__store_name", "net_sales"], gold
    ).match


def test_renamed_groups_with_swapped_figures_fail() -> None:
    gold = [("Casa Living Zürich", 76146.1), ("Casa Living Basel", 72583.6)]
    assert not compare_results(
        gold, ["store__city", "net_sales"], [("Zürich", 72583.6), ("Basel", 76146.1)]
    ).match


def test_a_name_inside_two_gold_names_is_no_pairing() -> None:
    # a city with two stores: its one row cannot stand for either store's row
    gold = [("Nordwind Berlin Mitte", 100.0), ("Nordwind Berlin Spandau", 50.0)]
    assert not compare_results(gold, ["store__city", "net_sales"], [("Berlin", 150.0)]).match
    assert not compare_results(
        gold, ["store__city", "net_sales"], [("Berlin", 100.0), ("Berlin", 50.0)]
    ).match


def test_a_part_of_a_word_is_no_name() -> None:
    gold = [("Hamburger Hafen", 10.0)]
    assert not compare_results(gold, ["store__city", "net_sales"], [("Hamburg", 10.0)]).match


def test_a_share_as_a_fraction_meets_the_gold_in_percent() -> None:
    gold = [("EDI", 13315.9, 49.0195), ("API", 6287.4, 23.1457)]
    cols = ["shipment__booking_channel", "freight_revenue", "freight_revenue__share"]
    pred = [("EDI", 13315.9, 0.490195), ("API", 6287.4, 0.231457)]
    verdict = compare_results(gold, cols, pred)
    assert verdict.match and "percent" in verdict.reason
    assert not compare_results(gold, cols, pred, equivalent_layouts=False).match


def test_a_rate_metric_as_a_fraction_meets_the_gold_in_percent() -> None:
    assert compare_results([(91.25,)], ["on_time_delivery_rate"], [(0.9125,)]).match


def test_a_wrong_share_still_fails_in_percent() -> None:
    gold = [("EDI", 13315.9, 49.0195), ("API", 6287.4, 23.1457)]
    cols = ["shipment__booking_channel", "freight_revenue", "freight_revenue__share"]
    assert not compare_results(gold, cols, [("EDI", 13315.9, 0.48), ("API", 6287.4, 0.231457)]).match
    # the shares of each other's rows: the right values, paired to the wrong groups
    assert not compare_results(gold, cols, [("EDI", 13315.9, 0.231457), ("API", 6287.4, 0.490195)]).match


def test_a_figure_above_one_is_no_fraction() -> None:
    # an average of 1.5 nights is not 150 % of anything
    assert not compare_results([(150.0,)], ["average_length_of_stay"], [(1.5,)]).match


QUARTERLY = ["sale_line__channel", "metric_time__quarter", "net_sales", "net_sales__share"]
ONLINE_2025 = [
    ("online", "2025-01-01", 37590.99, 0.305254),
    ("online", "2025-04-01", 33587.0, 0.299876),
    ("online", "2025-07-01", 24745.45, 0.285410),
    ("online", "2025-10-01", 48827.14, 0.300252),
]


def test_quarters_by_their_first_day_meet_the_gold_quarter_numbers() -> None:
    gold = [(1, 0.305254), (2, 0.299876), (3, 0.285410), (4, 0.300252)]
    verdict = compare_results(gold, QUARTERLY, ONLINE_2025)
    assert verdict.match and "periods by number" in verdict.reason
    assert not compare_results(gold, QUARTERLY, ONLINE_2025, equivalent_layouts=False).match


def test_a_quarter_paired_with_another_quarters_figure_fails() -> None:
    shifted = [(2, 0.305254), (3, 0.299876), (4, 0.285410), (1, 0.300252)]
    assert not compare_results(shifted, QUARTERLY, ONLINE_2025).match


def test_months_meet_year_and_month_numbers_or_year_month_text() -> None:
    cols = ["metric_time__month", "units_sold"]
    rows = [("2025-11-01", 120.0), ("2025-12-01", 180.0), ("2026-01-01", 90.0)]
    assert compare_results([(2025, 11, 120), (2025, 12, 180), (2026, 1, 90)], cols, rows).match
    assert compare_results([("2025-11", 120), ("2025-12", 180), ("2026-01", 90)], cols, rows).match
    # the same month numbers in another year are another answer
    assert not compare_results([(2024, 11, 120), (2024, 12, 180), (2025, 1, 90)], cols, rows).match


def test_a_day_column_without_a_grain_in_its_name_gets_no_numbers() -> None:
    cols = ["order__order_date", "orders"]
    rows = [("2025-04-01", 3.0), ("2025-07-01", 5.0)]
    assert not compare_results([(2, 3), (3, 5)], cols, rows).match


def test_weeks_meet_their_iso_week_numbers() -> None:
    cols = ["metric_time__week", "visits"]
    rows = [("2026-09-28", 410.0), ("2026-10-05", 388.0)]
    assert compare_results([(40, 410), (41, 388)], cols, rows).match
    assert not compare_results([(39, 410), (40, 388)], cols, rows).match


WEEKEND = ["room_night__is_weekend_night", "adr"]


def test_a_yes_no_group_meets_the_gold_names_that_say_which_side() -> None:
    pred = [(False, 227.968), (True, 227.592)]
    verdict = compare_results([("Weekday", 227.968), ("Weekend (Fri/Sat)", 227.592)], WEEKEND, pred)
    assert verdict.match and "yes/no" in verdict.reason
    assert not compare_results(
        [("Weekday", 227.968), ("Weekend (Fri/Sat)", 227.592)], WEEKEND, pred, equivalent_layouts=False
    ).match


def test_a_yes_no_group_with_the_sides_swapped_fails() -> None:
    pred = [(False, 227.968), (True, 227.592)]
    assert not compare_results([("Weekday", 227.592), ("Weekend", 227.968)], WEEKEND, pred).match


def test_gold_names_that_both_or_neither_hold_the_flag_word_give_no_pairing() -> None:
    pred = [(False, 10.0), (True, 20.0)]
    assert not compare_results([("not weekend", 10.0), ("weekend", 20.0)], WEEKEND, pred).match
    assert not compare_results([("Mo-Fr", 10.0), ("Sa-So", 20.0)], WEEKEND, pred).match


def test_a_word_both_gold_names_share_does_not_decide_the_side() -> None:
    pred = [(False, 10.0), (True, 20.0)]
    assert compare_results([("weekday night", 10.0), ("weekend night", 20.0)], WEEKEND, pred).match
    assert not compare_results([("weekday night", 20.0), ("weekend night", 10.0)], WEEKEND, pred).match
