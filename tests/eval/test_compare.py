"""Execution accuracy judges answers, not SQL: what may differ (names, order, extra columns, number
noise, date types) and what may not (the values, their pairing into rows, a ranking's order)."""

from __future__ import annotations

import datetime as dt
import decimal

from eval.compare import Tolerance, compare_results, normalise, plan_matches

STORES = [("Berlin", 300.0), ("Hamburg", 200.0), ("Köln", 100.0)]


def test_row_order_does_not_matter_unless_the_question_ranks() -> None:
    shuffled = [STORES[2], STORES[0], STORES[1]]
    assert compare_results(STORES, ["store", "net_sales"], shuffled).match
    verdict = compare_results(STORES, ["store", "net_sales"], shuffled, ordered=True)
    assert not verdict.match and verdict.reason == "right rows, wrong order"
    assert compare_results(STORES, ["store", "net_sales"], STORES, ordered=True).match


def test_a_ranking_may_list_tied_rows_in_either_order() -> None:
    gold = [("Berlin", 300.0), ("Hamburg", 200.0), ("Köln", 200.0)]
    pred = [("Berlin", 300.0), ("Köln", 200.0), ("Hamburg", 200.0)]
    assert compare_results(gold, ["s", "v"], pred, ordered=True).match
    assert not compare_results(gold, ["s", "v"], [pred[1], pred[0], pred[2]], ordered=True).match


def test_column_names_order_and_extra_columns_are_ignored() -> None:
    pred = [(v, name, v / 600.0) for name, v in STORES]  # metric first, plus a share column
    assert compare_results(STORES, ["net_sales", "store__store_name", "net_sales__share"], pred).match


def test_a_missing_gold_column_is_a_miss() -> None:
    verdict = compare_results(STORES, ["store"], [(name,) for name, _ in STORES])
    assert not verdict.match and "gold column 2" in verdict.reason


def test_values_paired_into_the_wrong_rows_are_a_miss() -> None:
    pred = [("Berlin", 100.0), ("Hamburg", 200.0), ("Köln", 300.0)]  # every value present, wrong store
    verdict = compare_results(STORES, ["s", "v"], pred)
    assert not verdict.match and "paired" in verdict.reason


def test_row_count_must_match() -> None:
    verdict = compare_results(STORES, ["s", "v"], STORES[:2])
    assert not verdict.match and verdict.reason == "2 rows, expected 3"


def test_amounts_meet_within_a_cent_and_large_numbers_within_relative_noise() -> None:
    assert compare_results([(1234.567,)], ["v"], [(1234.57,)]).match
    assert not compare_results([(1234.56,)], ["v"], [(1234.58,)]).match
    assert compare_results([(9_876_543_210.0,)], ["v"], [(9_876_543_215.0,)]).match
    assert compare_results([(decimal.Decimal("12.30"),)], ["v"], [(12.3,)]).match


def test_rates_do_not_get_the_cent_tolerance() -> None:
    """0.01 on a return rate is a whole percentage point: a different answer."""
    assert not compare_results([(0.0537,)], ["v"], [(0.0447,)]).match
    assert compare_results([(0.0537,)], ["v"], [(0.0537 + 1e-12,)]).match
    assert Tolerance().close(0.5, 0.5000001)


def test_dates_meet_whatever_their_type() -> None:
    gold = [(dt.date(2026, 9, 1), 10.0), (dt.date(2026, 10, 1), 20.0)]
    as_timestamps = [(dt.datetime(2026, 9, 1), 10.0), (dt.datetime(2026, 10, 1), 20.0)]
    as_text = [("2026-09-01T00:00:00", 10.0), ("2026-10-01", 20.0)]
    assert compare_results(gold, ["m", "v"], as_timestamps).match
    assert compare_results(gold, ["m", "v"], as_text).match
    assert not compare_results(gold, ["m", "v"], [("2026-09-02", 10.0), ("2026-10-01", 20.0)]).match
    assert normalise(dt.datetime(2026, 9, 1, 13, 30)) == "2026-09-01 13:30:00"


def test_null_is_only_equal_to_null_and_an_all_null_row_means_no_data() -> None:
    assert compare_results([("Online", None)], ["s", "v"], [("Online", None)]).match
    assert not compare_results([("Online", None)], ["s", "v"], [("Online", 0.0)]).match
    assert compare_results([(None,)], ["v"], []).match
    assert compare_results([], ["v"], [(None, None)]).match
    assert not compare_results([(0.0,)], ["v"], []).match


def test_columns_with_equal_values_are_assigned_consistently() -> None:
    """Comparison answers: current and previous may coincide in one row, not in all."""
    gold = [("A", 5.0, 5.0), ("B", 7.0, 3.0)]
    pred = [("B", 7.0, 3.0, 4.0), ("A", 5.0, 5.0, 0.0)]
    assert compare_results(gold, ["s", "m", "m__comparison", "m__change"], pred).match
    # names are ignored: the same numbers under swapped names are the same answer …
    assert compare_results(gold, ["s", "m__comparison", "m"], [("B", 3.0, 7.0), ("A", 5.0, 5.0)]).match
    # … but previous values attached to the wrong rows are not
    assert not compare_results(gold, ["s", "m", "m__comparison"], [("B", 7.0, 5.0), ("A", 5.0, 3.0)]).match


def test_plan_match_is_partial_and_unordered_where_lists_are_sets() -> None:
    plan = {
        "kind": "metric",
        "query": {"metrics": ["net_sales"], "group_by": ["store__store_name", "metric_time"], "limit": 3},
        "period": {"start": "2026-09-01", "end": "2026-09-30"},
    }
    assert plan_matches({"query": {"metrics": ["net_sales"], "limit": 3}}, plan)
    assert plan_matches({"query": {"group_by": ["metric_time", "store__store_name"]}}, plan)
    assert plan_matches({"period": {"start": dt.date(2026, 9, 1)}}, plan)
    assert not plan_matches({"query": {"limit": 5}}, plan)
    assert not plan_matches({"query": {"group_by": ["store__store_name"]}}, plan)
    assert not plan_matches({"comparison": "previous_period"}, plan)
