"""Assembly: the steps of `OfflinePlanner._assemble`, in the order they run (`_ASSEMBLY`), and
the draft they fill in (`_Draft`): resolving readings to dimensions, choosing the group-bys, building
the filters, checking what the figures reach, the period and the comparison (and a period on
another date than the figure's own), the grain, ordering and limit — and `_metric_plan`, which
turns the finished draft into the query, its period and the lines saying how it was understood.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from assistant.core.answering.asking_back import share_of_what, top_what
from assistant.core.planning.offline import intents
from assistant.core.planning.offline.clarifications import _dimension_options
from assistant.core.planning.offline.entity_sides import dimension_of_sides, sides_set_against
from assistant.core.planning.offline.groups import (
    _contrasted_dimensions,
    _coordinated_flags,
    _filters,
    _names_groups,
    _reaching_reading,
    _set_against,
    _singular_subject,
    _the_set_asked_about,
    _value_qualified,
)
from assistant.core.planning.offline.inputs import PlannerInput
from assistant.core.planning.offline.lexicon import entity_name_dimension
from assistant.core.planning.offline.linking import Mention
from assistant.core.planning.offline.paths import lemmas
from assistant.core.planning.offline.roles import (
    _all_of,
    _channel_reading,
    _column,
    _describe_filter,
    _figures_of_the_online_one,
    _included,
    _label,
    _labels,
    _names_entity,
    _path,
    _qualified,
    _reachable_reading,
    _replaced_by,
    _resolve_paths,
    _role,
    _role_words,
    _unique,
    _whose,
    listed_by,
    says_by,
    says_by_any,
)
from assistant.core.planning.offline.signals import RANKING_WORDS, Ranking, Signals
from assistant.core.planning.offline.text import Token, fold, phrase_key
from assistant.core.planning.offline.text import singular as singular_of
from assistant.core.planning.plans import ClarificationPlan, Comparison, DerivedRatio, MetricPlan, Period
from assistant.core.planning.time_range import DateRange, full_period, shift, shift_range
from assistant.core.planning.time_words import period_after
from semantic_layer.catalog import Catalog, MetricInfo
from semantic_layer.comparisons import CHANGE_SUFFIX, comparison_range
from semantic_layer.query import Filter, Grain, OrderBy, SemanticQuery, TimeRange
from semantic_layer.validation import CHANGE_SUFFIXES

_DEFAULT_TOP_N = 5


@dataclass
class _Draft:
    """What `OfflinePlanner._assemble` has decided so far; each step reads it and fills in its part."""

    inp: PlannerInput
    sig: Signals
    metrics: list[str]
    dims: list[Mention]
    values: list[Mention]
    base: MetricPlan | None = None
    spans: Sequence[Mention] = ()
    ratio: tuple[str, str] | None = None
    tokens: Sequence[Token] = ()
    percent: bool = False
    infos: list[MetricInfo] = dataclasses.field(default_factory=list)
    channel_by: str | None = None
    channel_note: str | None = None
    explicit_by: set[str] = dataclasses.field(default_factory=set)
    flags: list[Mention] = dataclasses.field(default_factory=list)
    group_by: list[str] = dataclasses.field(default_factory=list)
    filters: list[Filter] = dataclasses.field(default_factory=list)
    focus: tuple[str, ...] = ()
    focus_only: bool = False
    time_range: DateRange | None = None
    comparison: Comparison | None = None
    grain: Grain | None = None
    order_by: list[OrderBy] = dataclasses.field(default_factory=list)
    limit: int | None = None
    derived: DerivedRatio | None = None
    period_on: str | None = None  # the date dimension the period is on, when not the figure's own


def _resolve_readings(draft: _Draft) -> ClarificationPlan | None:
    """The dimension and value mentions read for the figures asked about, with their join paths."""
    inp, metrics, spans, tokens = draft.inp, draft.metrics, draft.spans, draft.tokens
    catalog = inp.catalog
    infos = [m for m in (catalog.metric(n) for n in metrics) if m is not None]
    # "(inkl. Onlineshop)", "including online": named to be included, so no filter
    dims = [d for d in draft.dims if not _included(inp.question, d)]
    values = [v for v in draft.values if not _included(inp.question, v)]
    metrics = _figures_of_the_online_one(catalog, metrics, spans, [*dims, *values])
    infos = [m for m in (catalog.metric(n) for n in metrics) if m is not None]
    draft.metrics = metrics
    dims, values, channel_by, channel_note = _channel_reading(inp, metrics, dims, values)
    dims = [_reachable_reading(d, infos, inp.lexicon) for d in dims if not _all_of(inp.question, d)]
    words = _role_words(inp.question, [*dims, *values, *(spans or [])], catalog)
    covered = frozenset(
        k
        for m in [*dims, *values, *spans]
        if m.entry.source != "entity" and not _names_entity(catalog, m.text)
        for k in range(max(m.start, 0), m.end)
    )
    draft.infos, draft.channel_by, draft.channel_note = infos, channel_by, channel_note
    resolved = _resolve_paths(catalog, dims, infos, words, inp.lexicon.value_counts, tokens, covered)
    if isinstance(resolved, ClarificationPlan):
        return resolved
    draft.dims = resolved
    # a name looked up beyond the lexicon's cap, under several roles: the roles whose facts hold it
    held = inp.values_beyond_cap().held if any(v.entry.source == "value" for v in values) else {}
    resolved = _resolve_paths(
        catalog, values, infos, words, inp.lexicon.value_counts, tokens, covered, held=held
    )
    if isinstance(resolved, ClarificationPlan):
        return resolved
    # a value read as the yes/no dimension it names (see `_flag_of_the_value`) filters as one
    draft.values = [v for v in resolved if v.entry.kind == "value"]
    draft.dims = [*draft.dims, *(v for v in resolved if v.entry.kind != "value")]
    return None


def _counted_per(
    catalog: Catalog, d: Mention, spans: Sequence[Mention], tokens: Sequence[Token]
) -> ClarificationPlan | None:
    """'items per receipt', 'products per basket': an entity's word right before 'per'/'pro'/'je' and
    a figure ('receipt': orders) is what is counted for each of those — never that figure broken
    down by item (orders per product was the answer). Asked, offering the figures divided by it."""
    if not (0 <= d.end < len(tokens) - 1) or fold(tokens[d.end].text) not in ("per", "pro", "je"):
        return None
    after = next((m for m in spans if m.entry.kind == "metric" and m.start == d.end + 1), None)
    if after is None:
        return None
    options = [m.label for m in catalog.metrics if m.denominator == after.entry.target][:4]
    said = " ".join(t.original for t in tokens[d.start : after.end])
    return ClarificationPlan(
        question=f"'{said}' counts {d.text} for each {after.text}, not {after.text} by {d.text}. "
        + (f"Which figure do you mean: {' or '.join(options)}?" if options else "Which figure do you mean?"),
        options=tuple(options),
    )


def _choose_group_by(draft: _Draft) -> ClarificationPlan | None:
    """Which dimensions break the figures down (the others filter them)."""
    inp, sig, dims, values, base = draft.inp, draft.sig, draft.dims, draft.values, draft.base
    catalog, infos, spans, channel_by = inp.catalog, draft.infos, draft.spans, draft.channel_by
    group_by: list[str] = []
    explicit_by = {d.entry.target for d in dims}
    value_columns = {_column(catalog, v.entry.target) for v in values}
    value_entities = {e for v in values for e in _path(catalog, v.entry.target)}
    flags = [d for d in dims if d.entry.is_flag and not says_by(inp.question, d)]
    stacked = _coordinated_flags(inp.question, flags)
    if stacked is not None:
        return stacked
    sides = sides_set_against(inp.question, dims) if not base else []
    if sides:  # 'claims filed by consignees vs shippers': the side each row was on, or asked
        side_by = dimension_of_sides(sides, inp.lexicon, catalog)
        if isinstance(side_by, ClarificationPlan):
            return side_by
        group_by.append(side_by)
    for d in dims:
        if d in sides:
            continue
        # "stores in Hamburg": the value explains the dimension word — a filter, not a group-by;
        # "consignees in France": the entity word says whose country, it is no breakdown
        explained = _column(catalog, d.entry.target) in value_columns or (
            d.entry.source == "entity" and bool(set(_path(catalog, d.entry.target)) & value_entities)
        )
        qualifier = d.entry.source == "entity" and bool(
            set(_path(catalog, d.entry.target)) & _qualified(catalog, d, dims)
        )
        if d in flags or qualifier or (explained and not says_by(inp.question, d)):
            continue
        if _whose(catalog, d, dims, draft.tokens):
            continue  # 'by region of the destination depot': whose region, no breakdown by depot
        if (per := _counted_per(catalog, d, spans, draft.tokens)) is not None:
            return per  # 'items per receipt': what is counted per receipt, no breakdown by item
        if d.entry.source == "entity" and not (sig.ranking or sig.order or _names_groups(inp.question, d)):
            continue  # 'went back to the shipper': an entity named in passing is no breakdown
        if _the_set_asked_about(inp.question, catalog, d, sig, infos, spans):
            continue  # 'October mailings: recipients, opens and clicks': those mailings together
        if _value_qualified(catalog, d, values) and not says_by(inp.question, d):
            continue  # 'Portuguese hotels': the hotels in Portugal, not each hotel
        group_by.append(d.entry.target)
    contrasted_flags = [f for f in flags if _set_against(inp.question, f)]
    # 'subcontracted linehaul vs our own fleet': the yes/no set against its other side — both shown
    group_by += [f.entry.target for f in contrasted_flags]
    flags = [f for f in flags if f not in contrasted_flags]
    group_by = _unique(group_by)
    if len([g for g in group_by if g != "metric_time"]) > 2:
        labels = [_label(catalog, g) for g in group_by if g != "metric_time"]
        return ClarificationPlan(
            question=f"Broken down by which: {', '.join(labels)}? (Three at once make a table too big.)",
            options=tuple(labels),
        )
    if base is not None and not explicit_by and not channel_by:
        group_by = [g for g in base.query.group_by if g != "metric_time"]
    elif base is not None:
        group_by = _unique([*group_by])
    if channel_by:
        group_by = _unique([channel_by, *group_by])
    draft.group_by, draft.explicit_by, draft.flags = group_by, explicit_by, flags
    return None


def _build_filters(draft: _Draft) -> ClarificationPlan | None:
    """The values and yes/no words as filters; a share's focus; a follow-up's filters kept."""
    inp, sig, dims, values, base = draft.inp, draft.sig, draft.dims, draft.values, draft.base
    catalog, infos, group_by, flags = inp.catalog, draft.infos, draft.group_by, draft.flags
    filters = _filters(values, inp.lexicon)
    filters += [Filter(dimension=d.entry.target, operator="=", values=(not d.negated,)) for d in flags]
    if draft.ratio is not None:
        filters = [f for f in filters if not _says_the_numerator(catalog, f, draft.ratio)]
    if not [g for g in group_by if g != "metric_time"] and not sig.share:
        in_filters = {f.dimension for f in filters if f.operator == "in"}
        group_by += [d for d in _contrasted_dimensions(inp.question, values) if d in in_filters]
    focus: tuple[str, ...] = ()
    focus_only = False
    if sig.share:
        # "what share of sales is online": group by the named value's dimension, keep it in focus
        share_dims = _share_dimensions(values, draft.spans)
        if share_dims:
            focus = tuple(v.entry.value or "" for v in values if v.entry.target == share_dims[0])
            # the share asked about is the answer, with the whole it is of (engine `_focused`) — of
            # two values too ('what share came from the online shop': not the stores' row beside
            # it), and per period ('the online share in each quarter'); 'by channel' shows every row
            focus_only = not says_by_any(inp.question, dims)
            filters = [f for f in filters if f.dimension != share_dims[0]]
            group_by = _unique([share_dims[0], *group_by])
        elif len(flags) == 1 and not [g for g in group_by if g != "metric_time"]:
            # 'what share of the occupied room nights were complimentary', 'Anteil der verspäteten
            # Zustellungen': the figure with the yes/no over the figure without it — the yes (or
            # no) row of the breakdown by that flag, alone
            flag = flags[0]
            focus, focus_only = (str(not flag.negated).lower(),), True
            filters = [f for f in filters if f.dimension != flag.entry.target]
            group_by = _unique([flag.entry.target, *group_by])
        if not group_by:
            return ClarificationPlan(
                question=share_of_what(catalog, infos[0] if infos else None),
                options=_dimension_options(catalog, infos),
            )
    if base is not None:
        kept = [
            f
            for f in base.query.filters
            if not _replaced_by(f, filters, catalog) and f.operator != "is not null"  # a ranking's, re-added
        ]
        filters = [*kept, *filters]
    draft.filters, draft.group_by, draft.focus, draft.focus_only = filters, group_by, focus, focus_only
    return None


def _says_the_numerator(catalog: Catalog, f: Filter, ratio: tuple[str, str]) -> bool:
    """'Wie viele Buchungen wurden storniert, und wie hoch ist die Stornoquote?': the value
    'Cancelled' says the numerator of 'cancelled bookings per booking' again. Filtering the whole
    ratio by it filters the denominator too (a rate of 1): a value whose words all stand in the
    numerator's label and not in the denominator's is the numerator, no filter."""
    if f.operator not in ("=", "in") or len(f.values) != 1 or not isinstance(f.values[0], str):
        return False
    numerator, denominator = catalog.metric(ratio[0]), catalog.metric(ratio[1])
    if numerator is None or denominator is None:
        return False
    said = {singular_of(fold(w)) for w in re.findall(r"\w+", f.values[0])}
    top = {singular_of(fold(w)) for w in re.findall(r"\w+", numerator.label)}
    bottom = {singular_of(fold(w)) for w in re.findall(r"\w+", denominator.label)}
    return bool(said) and said <= top and not said & bottom


def _share_dimensions(values: list[Mention], spans: Sequence[Mention]) -> list[str]:
    """The dimensions of the values a share is asked of, the part first. 'What share of the OTA
    bookings were cancelled': a value standing right before the figure qualifies the whole (the OTA
    bookings, a filter); the part is the value said apart from it (cancelled) — not the OTA share
    of the cancellations. Otherwise the first value named is the part ('share of net sales was
    online in Hamburg', 'Anteil Online am Umsatz in Hamburg')."""
    said = [v for v in values if not v.negated]
    dims = _unique(v.entry.target for v in said)
    starts = {m.start for m in spans if m.start >= 0}
    qualifying = _unique(v.entry.target for v in said if v.end in starts)
    parts = [d for d in dims if d not in qualifying]
    if qualifying and len(parts) == 1:
        return [parts[0], *qualifying]
    return dims


def _reread_for_reach(draft: _Draft) -> ClarificationPlan | None:
    """A figure re-read as the one that reaches what the breakdown and filters need."""
    inp, sig, dims, values, base = draft.inp, draft.sig, draft.dims, draft.values, draft.base
    catalog, infos, spans = inp.catalog, draft.infos, draft.spans
    group_by, filters = draft.group_by, draft.filters
    needed = {*group_by, *(f.dimension for f in filters)}
    said_values = {v.entry.target: lemmas(v.text) for v in values if v.start >= 0}
    swapped = [_reaching_reading(catalog, i, spans, needed, said_values) for i in infos]
    if any(s is not None for s in swapped) and base is None:
        # 'revenue the newsletter campaigns brought in': the campaigns' revenue, not the shop's;
        # 'email campaign revenue': 'email' named the figure, it is no traffic medium filter
        infos = [s[0] if s else i for s, i in zip(swapped, infos, strict=True)]
        draft.infos, draft.metrics = infos, [i.name for i in infos]
        named_by_figure = {d for s in swapped if s for d in s[1]}
        # 'web revenue vs online net sales': the value word a figure's own name holds ('online
        # revenue') still narrows another figure that takes it — kept, so that one is not answered
        # for every channel (the figure that cannot take it is then asked about)
        named_by_figure -= {
            d
            for s, i in zip(swapped, infos, strict=True)
            for d in named_by_figure
            if d in i.dimensions and not (s and d in s[1])
        }
        draft.filters = [f for f in filters if f.dimension not in named_by_figure]
        sets = {d.entry.target for d in dims if _the_set_asked_about(inp.question, catalog, d, sig, infos)}
        draft.group_by = [g for g in group_by if g not in sets]
    return None


def _check_reachable(draft: _Draft) -> ClarificationPlan | None:
    """Every figure can be broken down and filtered as asked, or the question says by what it can."""
    catalog = draft.inp.catalog
    for info in draft.infos:
        unreachable = [g for g in draft.group_by if g not in info.dimensions]
        unreachable += [f.dimension for f in draft.filters if f.dimension not in info.dimensions]
        if unreachable:
            dim = catalog.dimension(unreachable[0])
            label = dim.label if dim else unreachable[0]
            return ClarificationPlan(
                question=f"{info.label} cannot be broken down or filtered by {label.lower()}. "
                f"It can be by: {', '.join(_labels(catalog, info.dimensions)[:8])}.",
                options=tuple(_labels(catalog, info.dimensions)[:8]),
            )
    return None


def _period_and_comparison(draft: _Draft) -> ClarificationPlan | None:
    """The period (a follow-up's, moved; year to date for a comparison without one) and the comparison."""
    inp, sig, base = draft.inp, draft.sig, draft.base
    time_range = sig.time or (_period_range(base.period) if base is not None else None)
    if sig.shift is not None and sig.time is None:
        moved = _shifted_period(time_range, sig, inp.as_of, base)
        if moved is None:
            return ClarificationPlan(
                question=f"'{sig.shift.phrase.strip()}' moves the previous answer's period, but that "
                "answer covered no fixed period (or the moved one has not begun). Which period?",
            )
        time_range = moved
    comparison = sig.comparison or (base.comparison if base is not None and not sig.time else None)
    if sig.compare_to is not None and time_range is not None and comparison is None:
        comparison = _comparison_between(time_range, sig.compare_to)
        if comparison is None:
            return ClarificationPlan(
                question=f"I can compare {time_range.label} with the period just before it or with the "
                f"same period a year earlier, but not with {sig.compare_to.label}. Which would you like?",
                options=("the period before", "the same period last year"),
            )
    if comparison is None and sig.change_words and not sig.share and (time_range or sig.ranking):
        comparison = "same_period_last_year"
    if comparison is not None and time_range is None:
        ytd_start = date(inp.as_of.year, 1, 1)
        time_range = DateRange(ytd_start, inp.as_of, f"year to date ({ytd_start} to {inp.as_of})")
    draft.time_range, draft.comparison = time_range, comparison
    return None


def _is_date(catalog: Catalog, name: str) -> bool:
    dim = catalog.dimension(name)
    return name != "metric_time" and dim is not None and dim.type == "time"


def _period_on_a_named_date(draft: _Draft) -> ClarificationPlan | None:
    """'bookings for arrival dates in November', 'Buchungen mit Anreisedatum im November': the
    period is on the date the question names when that is not the figure's own (its metric_time):
    a `between` filter on that date, and the answer says on which date. A follow-up keeps the date
    its previous answer's period was on. The figure's own date named ('booked in November') stays."""
    inp, base, catalog = draft.inp, draft.base, draft.inp.catalog
    named = _unique(
        d.entry.target
        for d in draft.dims
        if _is_date(catalog, d.entry.target) and period_after(d.text).search(inp.question)
    )
    kept = [f for f in draft.filters if f.operator == "between" and _is_date(catalog, f.dimension)]
    if base is not None and not named:
        named = _unique(f.dimension for f in base.query.filters if f in kept)
    own = {i.time_dimension for i in draft.infos}
    other = [n for n in named if n not in own]
    if draft.time_range is not None:
        # 'for arrival dates this year' of a figure dated by arrival: its own period, no breakdown
        said = [d for d in draft.dims if d.entry.target in named and d.entry.target in own]
        unsaid = {
            d.entry.target for d in said if not says_by(inp.question, d) and not listed_by(inp.question, d)
        }
        draft.group_by = [g for g in draft.group_by if g not in unsaid]
    if not other or draft.time_range is None:
        return None
    if len(other) > 1:
        labels = _labels(catalog, other)
        return ClarificationPlan(
            question=f"On which date is the period: {' or '.join(labels)}?", options=tuple(labels)
        )
    date_dim, rng = other[0], draft.time_range
    if draft.comparison is not None:
        mine = ", ".join(_label(catalog, t).lower() for t in own if t) or "its own date"
        return ClarificationPlan(
            question=f"I can compare {', '.join(i.label for i in draft.infos)} between periods of its "
            f"{mine} only, not of the {_label(catalog, date_dim).lower()}. Compare on the "
            f"{mine}, or show {rng.label} by {_label(catalog, date_dim).lower()} without a comparison?",
        )
    start = rng.start or inp.first_data_date or date(1970, 1, 1)
    end = rng.end or inp.as_of
    draft.filters = [f for f in draft.filters if f.dimension != date_dim or f.operator != "between"]
    draft.filters.append(Filter(dimension=date_dim, operator="between", values=(start, end)))
    said = [d for d in draft.dims if d.entry.target == date_dim]
    if date_dim in draft.group_by and not any(says_by(inp.question, d) for d in said):
        draft.group_by = [g for g in draft.group_by if g != date_dim]  # the period's date, no breakdown
    draft.period_on = date_dim
    return None


def _choose_grain(draft: _Draft) -> ClarificationPlan | None:
    """The time grain: asked for, a follow-up's, or a trend's; never finer than the figure's finest."""
    sig, base, infos = draft.sig, draft.base, draft.infos
    grain = sig.grain or (base.query.time_grain if base and "metric_time" in base.query.group_by else None)
    if sig.trend and grain is None:
        grain = _trend_grain(draft.time_range, draft.inp)
    if grain is not None:
        finest = infos[0].grains[0] if infos and infos[0].grains else Grain.DAY
        if grain.rank < finest.rank:
            grain = finest
        draft.group_by = [*draft.group_by, "metric_time"]
    draft.grain = grain
    return None


_WHICH_OR_TOP = re.compile(r"\b(?:which|what|welche[rsnm]?|top(?:\s+\d{1,3})?)\s+$", re.IGNORECASE)


def _members_ranked(draft: _Draft) -> tuple[str, bool] | None:
    """'Which subcontractor carried the most …', 'top 3 subcontractors': a value named right after
    'which' or 'top N' asks for the members holding it, ranked — the name breakdown of the entity
    the value was read under (its filter kept), and whether the value was said in the singular
    (one member asked for). None when no such value or no name dimension."""
    tokens = draft.tokens
    for v in draft.values:
        if v.start <= 0 or v.start >= len(tokens):
            continue
        before = draft.inp.question[: tokens[v.start].start]
        dim = draft.inp.catalog.dimension(v.entry.target)
        if dim is None or dim.entity is None or not _WHICH_OR_TOP.search(before):
            continue
        name = entity_name_dimension(draft.inp.catalog, dim.entity)
        prefix = v.entry.target[: -len(dim.name.split("__")[-1])]
        candidate = f"{prefix}{name.split('__')[-1]}" if name else None
        if candidate and all(candidate in i.dimensions for i in draft.infos):
            return candidate, singular_of(fold(v.text)) == fold(v.text)
    return None


def _ranked_figure(draft: _Draft, metrics: list[str]) -> str:
    """Of several figures asked, the one the ranking words govern: the first named after them
    ('which brands brought the most revenue, and how many pieces' ranks by revenue; 'sold the most
    pieces … and what revenue' by the units). A unit word names the quantity figure."""
    if len(metrics) < 2:
        return metrics[0]
    question = draft.inp.question
    starts = [m.end() for pattern in RANKING_WORDS if (m := pattern.search(question)) is not None]
    if not starts:
        return metrics[0]
    at = min(starts)
    tokens = draft.tokens
    said = [
        (tokens[m.start].start, m.entry.target)
        for m in draft.spans
        if 0 <= m.start < len(tokens) and m.entry.target in metrics
    ]
    quantity = [n for n in metrics if _role(draft.inp.catalog, n) == "quantity"]
    if len(quantity) == 1:
        said += [
            (u.start(), quantity[0]) for u in intents.UNIT_WORDS.finditer(question) if u.group(0).islower()
        ]
    after = sorted(p for p in said if p[0] >= at)
    return after[0][1] if after else metrics[0]


def _rate_in_a_quotient(catalog: Catalog, ratio: tuple[str, str]) -> ClarificationPlan | None:
    """'on-time deliveries per shipment' read as OTD ÷ shipments: a rate divided by a count (or a
    count by a rate) is no figure — it answered '0'. Asked, naming what can be answered instead (the
    rate's own count beside the other figure, or the rate alone), never divided."""
    infos = [catalog.metric(n) for n in ratio]
    rates = [i for i in infos if i is not None and (i.type == "ratio" or i.format == "percent")]
    if not rates:
        return None
    rate = rates[0]
    other = next((i.label for i in infos if i is not None and i is not rate), "another figure")
    count = catalog.metric(rate.numerator) if rate.type == "ratio" and rate.numerator else None
    side_by_side = f"{count.label} and {other}" if count is not None else f"{rate.label} and {other}"
    return ClarificationPlan(
        question=f"{rate.label} is a rate; divided by {other} it gives no number. I can answer "
        f"{side_by_side} side by side, or {rate.label} by itself. Which would help?",
        options=(),
    )


def _order_and_limit(draft: _Draft) -> ClarificationPlan | None:
    """Ranking (on the figure or its change; a derived ratio's after the division), else a stable order."""
    inp, sig, dims, base, metrics = draft.inp, draft.sig, draft.dims, draft.base, draft.metrics
    catalog, infos, group_by, comparison = inp.catalog, draft.infos, draft.group_by, draft.comparison
    order_by: list[OrderBy] = []
    limit: int | None = None
    ranking = sig.ranking
    derived: DerivedRatio | None = None
    if draft.ratio is not None:
        rate = _rate_in_a_quotient(catalog, draft.ratio)
        if rate is not None:
            return rate
        derived = DerivedRatio(numerator=draft.ratio[0], denominator=draft.ratio[1], percent=draft.percent)
    if ranking is not None and not [g for g in group_by if g != "metric_time"] and not sig.ranked_periods:
        ranked = _members_ranked(draft)
        if ranked is not None:  # 'which subcontractor carried the most': the carriers, one row each
            group_by = draft.group_by = [*group_by, ranked[0]]
            if ranking.n is None and ranked[1]:
                ranking = Ranking(ranking.direction, 1)  # 'which subcontractor': the one
    if ranking is not None:
        if not [g for g in group_by if g != "metric_time"] and not sig.ranked_periods:
            return ClarificationPlan(
                question=top_what(catalog, infos[0] if infos else None),
                options=_dimension_options(catalog, infos),
            )
        if sig.ranked_periods and not [g for g in group_by if g != "metric_time"]:
            limit = ranking.n or _DEFAULT_TOP_N
        elif ranking.n is None and (sig.order is not None or sig.all_rows):
            limit = None  # "which segment spent the most? show all, biggest first": every row, sorted
        else:
            limit = ranking.n or (1 if _singular_subject(inp.question, dims) else _DEFAULT_TOP_N)
        direction = ranking.direction if sig.order is None or ranking.n else sig.order
        descending = direction == "desc"
        ranked_by = _ranked_figure(draft, metrics)
        if derived is None:  # the ranked figure first: the answer speaks of it first
            metrics = draft.metrics = _unique([ranked_by, *metrics])
        order_by = [OrderBy(name=ranked_by, descending=descending)]
        if sig.change_rank is not None and comparison is not None and derived is None:
            # 'the biggest drop vs last year': ranked on the change, the most negative first
            order_by = [OrderBy(name=f"{metrics[0]}{CHANGE_SUFFIX}", descending=sig.change_rank == "desc")]
        if derived is not None:
            # the ratio is known only after the division: ranked and cut there, not in SQL
            derived = derived.model_copy(update={"descending": descending, "limit": limit})
            order_by, limit = [], None
    elif sig.order is not None and [g for g in group_by if g != "metric_time"]:
        # "by brand, biggest first": every row, sorted by the (first) figure
        order_by = [OrderBy(name=metrics[0], descending=sig.order == "desc")]
        if "metric_time" in group_by:
            order_by = [OrderBy(name="metric_time"), *order_by]
        if derived is not None:
            derived = derived.model_copy(update={"descending": sig.order == "desc"})
            order_by = [o for o in order_by if o.name == "metric_time"]
    elif base is not None and base.query.limit and not draft.explicit_by:
        # 'top 5 products by units sold' → 'and the revenue?': the same ranking, of the figure now
        # asked (an order by a figure no longer selected is no query at all)
        limit = base.query.limit
        order_by = [_reranked(o, base.query.metrics, metrics) for o in base.query.order_by]
    elif "metric_time" in group_by:
        # Periods in order; within a period the biggest first, then by name, so the rows come
        # in the same order on every run (the warehouse keeps no order of its own).
        others = [g for g in group_by if g != "metric_time"]
        order_by = [OrderBy(name="metric_time")]
        if others:
            order_by += [OrderBy(name=metrics[0], descending=True), *(OrderBy(name=g) for g in others)]
    elif group_by:
        order_by = [OrderBy(name=metrics[0], descending=True)]
    draft.group_by = _unique(group_by)
    draft.order_by, draft.limit, draft.derived = order_by, limit, derived
    if (ranking is not None or limit is not None) and not sig.share:
        draft.filters = [*draft.filters, *_members_only(draft.group_by, draft.filters)]
    return None


def _reranked(order: OrderBy, before: Sequence[str], now: Sequence[str]) -> OrderBy:
    """A follow-up's order: on a figure (or its change) asked before and no longer selected, the
    first figure now asked takes its place, in the same direction."""
    for old in before:
        if old in now:
            continue
        for suffix in ("", *CHANGE_SUFFIXES):
            if order.name == f"{old}{suffix}":
                return OrderBy(name=f"{now[0]}{suffix}", descending=order.descending)
    return order


def _members_only(group_by: Sequence[str], filters: Sequence[Filter]) -> list[Filter]:
    """'Which carrier had the most …', 'top 3 cities': a ranking is of the carriers, the cities —
    the rows with no carrier (our own fleet) or no city (the online shop) are none of them, and an
    empty group at the top answered '(none) had the most'. Each ranked breakdown keeps the rows that
    have a value. (Every row, sorted: the empty group of a joined breakdown is left out and said by
    `answering.unknown_groups`.)"""
    filtered = {f.dimension for f in filters}
    return [
        Filter(dimension=g, operator="is not null")
        for g in group_by
        if g != "metric_time" and g not in filtered
    ]


# OfflinePlanner._assemble's steps, in order; the first to ask back ends the assembly
_ASSEMBLY = (
    _resolve_readings,
    _choose_group_by,
    _build_filters,
    _reread_for_reach,
    _check_reachable,
    _period_and_comparison,
    _period_on_a_named_date,
    _choose_grain,
    _order_and_limit,
)


def _said_by_the_part(flt: Filter, part: str, whole: str, catalog: Catalog) -> bool:
    """A filter to values the part's own name says ('Cancelled' of Cancelled bookings) and the whole's
    does not, on the rate of that part: held on both sides it made the rate 1 (every booking of the
    cancelled ones cancelled). The part's figure already is those rows."""
    if flt.operator not in ("=", "in"):
        return False
    mine, theirs = catalog.metric(part), catalog.metric(whole)
    if mine is None or theirs is None:
        return False
    own, other = _stems(mine.label), _stems(theirs.label)
    words = [_stems(str(v)) for v in flt.values]
    return all(w and w <= own and not w <= other for w in words)


def _stems(text: str) -> set[str]:
    return {singular_of(w) for w in phrase_key(text.replace("_", " "))}


def _metric_plan(draft: _Draft) -> MetricPlan:
    """The assembled draft as the query, its period and the lines saying how it was understood."""
    inp, sig, metrics, infos = draft.inp, draft.sig, draft.metrics, draft.infos
    catalog, group_by, grain = inp.catalog, draft.group_by, draft.grain
    # one filter said twice ('Freinächte (Complimentary)': the compound and its bracket) is one filter
    filters = list(dict.fromkeys(draft.filters))
    time_range, comparison, order_by, limit = draft.time_range, draft.comparison, draft.order_by, draft.limit
    derived, ranking = draft.derived, sig.ranking
    if derived is not None:  # 'how many were cancelled, and the cancellation rate': no 'Cancelled' filter
        filters = [
            f for f in filters if not _said_by_the_part(f, derived.numerator, derived.denominator, catalog)
        ]
    held_to = _entity_counted_below(catalog, derived)
    if held_to is not None:  # 'net sales per active customer': the sales of the customers counted
        filters.append(Filter(dimension=held_to, operator="is not null"))
    query = SemanticQuery(
        metrics=tuple(metrics),
        group_by=tuple(group_by),
        time_grain=grain or Grain.DAY,
        filters=tuple(filters),
        time_range=(
            TimeRange(start=time_range.start, end=time_range.end)
            if time_range and draft.period_on is None
            else TimeRange()
        ),
        order_by=tuple(order_by),
        limit=limit,
    )
    if draft.period_on is not None:
        period = _period_on_date(catalog, draft, filters)
    elif time_range:
        period = Period(start=time_range.start, end=time_range.end, label=time_range.label)
    else:
        period = Period(start=inp.first_data_date, end=None, label="all loaded data")
    understood = [", ".join(i.label for i in infos)]
    if derived is not None and len(infos) == 2:
        how = "as % of" if draft.percent else "per"
        understood = [f"{infos[0].label} {how} {infos[1].label.lower()} (derived: no metric defines it)"]
    if held_to is not None and len(infos) == 2:
        known = catalog.entity(held_to)
        partner = (known.label if known and known.label else held_to.replace("_", " ")).lower()
        understood.append(f"{infos[0].label.lower()} with a known {partner} only")
    if draft.channel_note:
        understood.append(draft.channel_note)
    understood += [f"by {_label(catalog, g)}" for g in group_by if g != "metric_time"]
    if grain is not None:
        understood.append(f"per {grain.value}")
    understood += [
        _describe_filter(catalog, f)
        for f in filters
        if f.operator != "is not null" and f.dimension != draft.period_on
    ]
    understood.append(period.label)
    if comparison:
        understood.append("vs the same period last year" if comparison == "same_period_last_year"
                          else "vs the previous period")  # fmt: skip
    if order_by and order_by[-1].name == f"{metrics[0]}{CHANGE_SUFFIX}":
        top = f"top {limit}" if limit else "all rows"
        first = "biggest rise" if order_by[-1].descending else "biggest drop"
        understood.append(f"{top}, ranked by the change: {first} first")
    elif (sig.order or ranking) and order_by and order_by[-1].name in metrics:
        top = f"top {limit}" if limit else "all rows"
        understood.append(f"{top}, {'largest' if order_by[-1].descending else 'smallest'} first")
    return MetricPlan(
        query=query,
        period=period,
        comparison=draft.comparison,
        share_of_total=sig.share,
        focus=draft.focus,
        focus_only=draft.focus_only,
        understood=tuple(understood),
        derived=derived,
    )


def _entity_counted_below(catalog: Catalog, derived: DerivedRatio | None) -> str | None:
    """A derived ratio over a count of an entity ('net sales per active customer') whose numerator's
    facts may have none of it (a sale with no known customer): the entity, so that both sides hold
    the facts that have one. Total net sales over the known customers counted the walk-ins' spend as
    the customers' (278 for 173 a customer). None for any other ratio."""
    if derived is None or derived.percent:
        return None
    top, bottom = catalog.metric(derived.numerator), catalog.metric(derived.denominator)
    if top is None or bottom is None or bottom.role != "count" or not bottom.counts:
        return None
    entity = bottom.counts
    if top.counts == entity or entity not in top.entities or entity not in bottom.entities:
        return None
    return entity if catalog.entity(entity) is not None and catalog.dimension(entity) is None else None


def _period_on_date(catalog: Catalog, draft: _Draft, filters: Sequence[Filter]) -> Period:
    """The period on another date than the figure's own, that date said ('November 2026 by arrival
    date (not the booking date)'); its ends are the filter's."""
    assert draft.time_range is not None and draft.period_on is not None
    on = next(f for f in filters if f.dimension == draft.period_on and f.operator == "between")
    start, end = (v if isinstance(v, date) else None for v in on.values)
    own = [_label(catalog, i.time_dimension) for i in draft.infos if i.time_dimension]
    instead = f" (not the {own[0]})" if own else ""
    label = f"{draft.time_range.label} by {_label(catalog, draft.period_on)}{instead}"
    return Period(start=start, end=end, label=label)


def _trend_grain(rng: DateRange | None, inp: PlannerInput) -> Grain:
    if rng is None:
        return Grain.MONTH
    if rng.days <= 31:
        return Grain.DAY
    if rng.days <= 190:
        return Grain.WEEK
    return Grain.MONTH


def _shifted_period(
    current: DateRange | None, sig: Signals, as_of: date, base: MetricPlan | None
) -> DateRange | None:
    """'and the month before?', 'same thing a year earlier?': the previous answer's period moved.
    With no previous period, the shift counts from as_of ('the month before' = last month)."""
    assert sig.shift is not None
    unit, n = sig.shift.unit, sig.shift.n
    if current is None:
        if base is not None or n > 0:
            return None
        start, end = full_period(shift(as_of, unit, n), unit)
        return DateRange(start, end, f"last {unit} ({start} to {end})")
    return shift_range(current, unit, n, as_of)


def _comparison_between(current: DateRange, against: DateRange) -> Comparison | None:
    """Two named periods ('December vs November', 'Q2 compared to Q1', '2025 vs 2024'): the
    comparison the semantic layer runs when `against` is the period before or a year before."""
    rng = TimeRange(start=current.start, end=current.end)
    for mode in ("previous_period", "same_period_last_year"):
        other = comparison_range(rng, mode)
        if (other.start, other.end) == (against.start, against.end):
            return mode
    return None


def _period_range(period: Period) -> DateRange | None:
    if period.start is None or period.end is None:
        return None
    return DateRange(period.start, period.end, period.label)
