"""A unit said as an everyday word: 'pieces and kilos per depot', 'wie viele Kilo', 'what did we earn
per kilo'. A summed figure whose label carries its unit in brackets ('Shipped weight (kg)') is what
the unit alone names; the catalog's one money figure 'per <unit>' ('Revenue per kg') is what money
verbs ask per that unit. Read through the labels and descriptions, so any project measuring in a
unit of its own gets the same; an average's or a ratio's unit ('Average transit time (days)') names
no figure ('days' stays a time word)."""

from __future__ import annotations

import re

from semantic_layer.catalog import Catalog

# the everyday words of a unit that labels write short
_SAID = {
    **dict.fromkeys(("kilo", "kilos", "kilogram", "kilograms", "kilogramm", "kg", "kgs"), "kg"),
    **dict.fromkeys(("tonne", "tonnes", "tons", "tonnen"), "t"),
}
_UNIT_WORD = re.compile(r"(?<![\w-])(" + "|".join(_SAID) + r")(?![\w-])", re.IGNORECASE)
_BRACKET = re.compile(r"\(([^)]*)\)")
_PER = re.compile(r"\b(?:per|pro|je)\s*$", re.IGNORECASE)
# money asked by its verb right before 'per <unit>': 'what did we earn per kilo'
_MONEY_VERB = re.compile(
    r"\b(?:earn|earned|make|made|take|took|taken|bring\s+in|brought\s+in|verdient|eingenommen|umgesetzt)\b",
    re.I,
)
_CURRENCY = re.compile(r"\b(?:EUR|USD|CHF|GBP)\b|[€$£]")


def _summed_in(catalog: Catalog) -> dict[str, str]:
    """unit → the one summed figure measured in it (its label's bracket), e.g. 'kg' → shipped weight."""
    found: dict[str, set[str]] = {}
    for metric in catalog.metrics:
        for inner in _BRACKET.findall(metric.label):
            unit = inner.strip().lower()
            if unit in _SAID.values():
                summed = metric.additive and metric.type == "simple"
                found.setdefault(unit, set()).add(metric.name if summed else "")
    return {u: next(iter(n)) for u, n in found.items() if len(n) == 1 and "" not in n}


def _money_per(catalog: Catalog, unit: str) -> str | None:
    """The one figure labelled '… per <unit>' whose description says it is money ('EUR per kg')."""
    found = [
        m.label
        for m in catalog.metrics
        if re.search(rf"\bper\s+{re.escape(unit)}\s*$", m.label, re.I) and _CURRENCY.search(m.description)
    ]
    return found[0] if len(found) == 1 else None


def said_in_units(question: str, catalog: Catalog) -> str:
    """The question with a unit word written as the figure it names: 'pieces and kilos' → 'pieces and
    shipped weight'; 'what did we earn per kilo' → 'what did we Revenue per kg'. Unchanged where the
    catalog has no one figure for it; 'revenue per kilo' is left to the label it spells."""
    summed = _summed_in(catalog)
    if not summed:
        return question
    out, last = "", 0
    for m in _UNIT_WORD.finditer(question):
        unit = _SAID[m.group(1).lower()]
        figure = summed.get(unit)
        if figure is None:
            continue
        before = question[last : m.start()]
        per = _PER.search(before)
        if per is not None:
            verb = list(_MONEY_VERB.finditer(before[: per.start()]))
            money = _money_per(catalog, unit)
            if verb and money is not None and not before[verb[-1].end() : per.start()].strip():
                out += before[: verb[-1].start()] + money
                last = m.end()
            continue  # 'revenue per kilo': the label's own words, read as they are
        info = catalog.metric(figure)
        label = _BRACKET.sub(" ", info.label).strip() if info is not None else figure
        out += before + label
        last = m.end()
    return out + question[last:] if out else question
