"""Comparison edge cases a scorer gets wrong silently: ties, NULLs, rounding, percentages."""

from __future__ import annotations

from eval.compare import compare_results


def test_tied_rows_inside_a_top_n_may_come_in_either_order() -> None:
    gold = [("A", 10.0), ("B", 5.0), ("C", 5.0)]
    assert compare_results(gold, ["s", "v"], [("A", 10.0), ("C", 5.0), ("B", 5.0)], ordered=True).match
    assert not compare_results(gold, ["s", "v"], [("B", 5.0), ("A", 10.0), ("C", 5.0)], ordered=True).match


def test_a_tie_at_the_cut_off_picked_differently_is_a_miss() -> None:
    """Top 2 where 2nd and 3rd tie: the harness cannot know the unseen row, so it is strict."""
    verdict = compare_results([("A", 10.0), ("B", 5.0)], ["s", "v"], [("A", 10.0), ("C", 5.0)], ordered=True)
    assert not verdict.match


def test_null_groups_compare_as_values_and_nan_is_null() -> None:
    gold = [(None, 3.0), ("online", 2.0)]
    assert compare_results(gold, ["c", "v"], [("online", 2.0), (None, 3.0)]).match
    assert compare_results([(None, float("nan"))], ["a"], []).match  # all-NULL row: no data
    assert not compare_results(gold, ["c", "v"], [("online", 2.0), ("", 3.0)]).match


def test_rounding_to_cents_passes_but_a_cent_and_a_half_does_not() -> None:
    assert compare_results([(1234.567,)], ["v"], [(1234.57,)]).match
    assert not compare_results([(1234.567,)], ["v"], [(1234.552,)]).match


def test_a_percentage_as_12_is_not_the_fraction_0_12() -> None:
    """The contract carries fractions (formatting makes '12 %'); 12 for 0.12 is 100× wrong."""
    assert compare_results([(0.12,)], ["rate"], [(0.1200000001,)]).match
    assert not compare_results([(0.12,)], ["rate"], [(12.0,)]).match
    assert not compare_results([(0.12,)], ["rate"], [(0.13,)]).match
