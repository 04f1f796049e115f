"""The planner's lowest helpers: the roles and join paths of dimensions (`_resolve_paths`,
'<attribute> of the <role> <entity>'), entity names, which readings a figure reaches, the channel
reading of an online/offline word, and the labels used when describing a dimension or filter —
with the small shared helpers (`_unique`, `says_by`, `listed_by`, `_label`) the other modules build on.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence

from assistant.core.planning.offline import intents
from assistant.core.planning.offline.inputs import PlannerInput
from assistant.core.planning.offline.lexicon import Entry, Lexicon, key_of
from assistant.core.planning.offline.linking import Mention
from assistant.core.planning.offline.paths import (
    PathChoice,
    attribute,
    lemmas,
    option_label,
    resolve,
    role_after,
    role_before,
)
from assistant.core.planning.offline.signals import SETS_AGAINST
from assistant.core.planning.offline.text import Token, fold, lemma
from assistant.core.planning.plans import ClarificationPlan
from semantic_layer.catalog import Catalog, MetricInfo
from semantic_layer.query import Filter

_OF_WORDS = frozenset(
    ("of", "the", "our", "their", "its", "each", "des", "der", "von", "dem", "den", "vom", "eines")
)


def _whose(catalog: Catalog, d: Mention, dims: list[Mention], tokens: Sequence[Token]) -> bool:
    """'region of the destination depot', 'Region des Zustelldepots': a dimension phrase after another
    with 'of'/'des' between names whose attribute that is (its entity on the other's path), not a
    second breakdown."""
    for other in dims:
        if other is d or other.end > d.start or d.start - other.end > 3:
            continue
        # 'of the destination depot': the words between are 'of' and the role's own words
        between = [t.text for t in tokens[other.end : d.start]]
        if not between or between[0] not in _OF_WORDS or between[0] in ("the", "our", "their", "its", "each"):
            continue
        whose = set(_path(catalog, d.entry.target))
        if (
            whose
            and whose <= set(_path(catalog, other.entry.target))
            and other.entry.target != d.entry.target
        ):
            return True
    return False


def _qualified(catalog: Catalog, entity_word: Mention, dims: list[Mention]) -> set[str]:
    """'consignee country': an entity word right before another dimension phrase says whose it is;
    the entities of that dimension's path (when the word's entity is among them)."""
    found: set[str] = set()
    for d in dims:
        if d is not entity_word and entity_word.end <= d.start <= entity_word.end + 1:
            found |= set(_path(catalog, d.entry.target))
    return found


def _names_entity(catalog: Catalog, text: str) -> bool:
    words = lemmas(text)
    return any(lemmas(e.name.replace("_", " ")) == words for e in catalog.entities)


def _role_words(question: str, mentions: Sequence[Mention], catalog: Catalog) -> set[str]:
    """The question's words that may name a role ('delivering', 'consignees'): those no metric,
    dimension or value phrase took, plus entity words — a phrase's own words say what, not whose."""
    text = question
    for m in mentions:
        # 'consignments delivered by the Vienna depot': a status word with 'by' after it is the
        # doer's verb, and says whose depot as much as it names a status
        agent_verb = re.search(rf"\b{re.escape(m.text)}\s+by\b", question, re.I) is not None
        if m.entry.source != "entity" and m.text and not agent_verb and not _names_entity(catalog, m.text):
            text = text.replace(m.text, " ")
    return lemmas(text)


def _column(catalog: Catalog, name: str) -> tuple[str | None, str]:
    dim = catalog.dimension(name)
    return attribute(dim) if dim is not None else (None, name)


def _path(catalog: Catalog, name: str) -> tuple[str, ...]:
    dim = catalog.dimension(name)
    return (*dim.path, dim.entity or "") if dim is not None else ()


def _resolve_paths(
    catalog: Catalog,
    mentions: list[Mention],
    infos: list[MetricInfo],
    words: set[str],
    value_counts: dict[str, int],
    tokens: Sequence[Token] = (),
    covered: frozenset[int] = frozenset(),
    *,
    held: Mapping[str, frozenset[str]] | None = None,
) -> list[Mention] | ClarificationPlan:
    """One reading per phrase, on the entity path the metrics reach (see `paths`); a phrase whose
    readings stay ambiguous is asked about, naming each reading. A value `held` by the facts of
    some of its roles only is read as those roles (see `ValueIndex.held`)."""
    entities = [e.name for e in catalog.entities]
    by_span: dict[tuple[int, int], list[Mention]] = {}
    for m in mentions:
        by_span.setdefault((m.start, m.end), []).append(m)
    out: list[Mention] = []
    for readings in by_span.values():
        first = readings[0]
        if first.start < 0 or not infos:
            out += readings
            continue
        named = catalog.dimension(first.entry.target) if first.entry.source == "entity" else None
        entity = named.entity if named is not None else None
        names = [r.entry.target for r in readings]
        # the words next to the phrase first ('Austrian shippers … consignees in Germany'), then all
        choice = _role_of_modifier(catalog, names, infos, tokens, first.start, covered, entity)
        around = [*range(max(0, first.start - 2), first.start), *range(first.end, first.end + 2)]
        near = {lemma(tokens[k].text) for k in around if k < len(tokens) and k not in covered}
        # 'started at the Hamburg depot versus going into Hamburg': two sides set against each
        # other, which no one filter answers; the receiving role alone would read both at once
        again = SETS_AGAINST.search(" ".join(t.text for t in tokens).casefold()) is not None
        if choice.name is None and first.entry.kind == "value" and not again:
            choice = _receiving_role(catalog, names, infos, tokens, first.start, entity)
        if choice.name is None:
            choice = resolve(catalog, names, infos, near, entity=entity)
        if choice.name is None:
            choice = resolve(catalog, names, infos, words, entity=entity)
        if choice.ambiguous and first.entry.kind == "value":
            choice = _named_role(choice, role_before([t.text for t in tokens], first.start, entities))
        if choice.ambiguous and first.entry.kind == "value":  # 'which subcontractor carried …'
            choice = _named_role(choice, role_after([t.text for t in tokens], first.end, entities))
        if choice.ambiguous and first.entry.kind != "value":  # 'by consignee city': the phrase names its role
            choice = _named_role(choice, _own_role(catalog, names, first.text))
        if choice.ambiguous and first.entry.kind != "value":  # 'active shippers by account segment'
            choice = _named_role(choice, _role_the_figures_count(catalog, choice, infos))
        if choice.ambiguous and first.entry.kind == "value" and held:
            choice = _held_roles(choice, first.entry.value, held)
        if choice.ambiguous and first.entry.kind == "value":
            flag = _flag_of_the_value(catalog, first.entry.value, infos)
            if flag is not None:  # 'complimentary' of two segments, and the yes/no 'Complimentary stay'
                out.append(dataclasses.replace(first, entry=Entry("dimension", flag, source="label")))
                continue
        if choice.name is not None:
            pick = next((r for r in readings if r.entry.target == choice.name), first)
            out.append(dataclasses.replace(pick, entry=dataclasses.replace(pick.entry, target=choice.name)))
        elif choice.ambiguous and first.entry.kind == "value" and catalog.declares_roles:
            # A project that declares its roles gets the documented convention: the reading with the
            # fewest values, the broadest (a city is a store's before a customer's, 'ski' a category
            # before a subcategory). One that declares none is asked.
            # 'Hamburg versus München': a reading the values named beside it share goes first
            beside = {
                r.entry.target for span, rs in by_span.items() if span != (first.start, first.end) for r in rs
            }
            pick_dim = min(
                choice.options, key=lambda o: (o.name not in beside, value_counts.get(o.name, 10**6), o.name)
            )
            pick = next(
                (r for r in readings if _column(catalog, r.entry.target) == attribute(pick_dim)), first
            )
            out.append(dataclasses.replace(pick, entry=dataclasses.replace(pick.entry, target=pick_dim.name)))
        elif choice.ambiguous:
            labels = _unique(option_label(o, choice.options) for o in choice.options)
            what = f"'{first.text}'" if first.entry.kind == "value" else f"by {first.text}"
            return ClarificationPlan(
                question=f"Which do you mean {what}: {' or '.join(labels)}?", options=tuple(labels)
            )
        elif first.entry.kind == "value" and _names_entity(catalog, first.text):
            continue  # 'consignees' read as a claimant role the metric cannot reach: a role word
        else:
            out += readings  # reachable by none: the caller says what the metric can be broken down by
    return out


def _role_of_modifier(
    catalog: Catalog,
    names: list[str],
    infos: list[MetricInfo],
    tokens: Sequence[Token],
    start: int,
    covered: frozenset[int],
    entity: str | None,
) -> PathChoice:
    """The word right before a phrase names its role first ('origin depot to destination depot',
    'delivering depot'): in a compound the modifier says whose, before any word further away."""
    k = start - 1
    if k < 0 or k in covered or k >= len(tokens):
        return PathChoice(None)
    return resolve(catalog, names, infos, lemmas(tokens[k].text), entity=entity)


_TOWARDS = {"to", "into", "towards", "nach"}
_RECEIVING = ("destination", "recipient", "receiver", "receiving")


def _receiving(role: str) -> bool:
    """A role that receives: its name is the receiver of an action ('consignee', 'addressee') or
    says so ('destination_depot', 'recipient')."""
    name = role.casefold()
    return name.endswith("ee") or any(w in name for w in _RECEIVING)


def _receiving_role(
    catalog: Catalog,
    names: list[str],
    infos: list[MetricInfo],
    tokens: Sequence[Token],
    start: int,
    entity: str | None,
) -> PathChoice:
    """A value right after 'to'/'into'/'nach' ('consignments to Poland', 'Sendungen nach Polen')
    is where things went: of its roles, the one receiving role, when there is exactly one — not
    the sender a figure's word ('consignments') may otherwise point at. No choice otherwise."""
    if start < 1 or start > len(tokens) or tokens[start - 1].text.casefold() not in _TOWARDS:
        return PathChoice(None)
    every = resolve(catalog, names, infos, set(), entity=entity)
    options = every.options if every.ambiguous else ()
    keep = [o for o in options if o.path and _receiving(o.path[-1])]
    return PathChoice(keep[0].name) if len(keep) == 1 else PathChoice(None)


def _own_role(catalog: Catalog, names: Sequence[str], said: str) -> str | None:
    """'by consignee city', 'Versender-Stadt': the one role the phrase's own readings hang off, when
    the phrase says that role's name ('consignee' in 'consignee city'); None otherwise."""
    roles = {d.path[-1] for n in names if (d := catalog.dimension(n)) is not None and d.path}
    if len(roles) != 1:
        return None
    (role,) = roles
    return role if set(role.split("_")) <= lemmas(said) else None


def _named_role(choice: PathChoice, role: str | None) -> PathChoice:
    """Of the roles a value is read under, the one the verb before it names ('shipped by X')."""
    keep = tuple(o for o in choice.options if o.path and o.path[-1] == role)
    if role is None or not keep or len(keep) == len(choice.options):
        return choice
    return PathChoice(keep[0].name) if len(keep) == 1 else PathChoice(None, keep)


def _role_the_figures_count(catalog: Catalog, choice: PathChoice, infos: list[MetricInfo]) -> str | None:
    """The one role of a dimension's readings that the figures' own names say they count ('Active
    shippers' → the shipper, 'Unique guests' → the guest): a breakdown of them is by that role's
    attribute. None when a figure names no role, or the figures name different ones."""
    roles = {o.path[-1] for o in choice.options if o.path}
    named: set[str] = set()
    for info in infos:
        words = {lemma(w) for p in (info.label, info.name.replace("_", " ")) for w in key_of(p)}
        said = {r for r in roles if {lemma(w) for w in key_of(r.replace("_", " "))} <= words}
        if len(said) != 1:
            return None
        named |= said
    return next(iter(named)) if len(named) == 1 else None


def _flag_of_the_value(catalog: Catalog, value: str | None, infos: list[MetricInfo]) -> str | None:
    """'complimentary' held by two dimensions ('Market segment', 'Rate plan') while a yes/no
    dimension the figures reach is named by it ('Complimentary stay', `is_complimentary`): the
    catalog's own yes/no for that kind, rather than a guess between the dimensions holding the word."""
    said = set(key_of(value or ""))
    if not said:
        return None
    flags = {
        attribute(d): d.name
        for d in catalog.dimensions
        if Entry("dimension", d.name).is_flag
        and all(d.name in i.dimensions for i in infos)
        and said <= {*key_of(d.label), *key_of(d.name.split("__")[-1].replace("_", " "))}
    }
    return next(iter(flags.values())) if len(flags) == 1 else None


def _held_roles(choice: PathChoice, value: str | None, held: Mapping[str, frozenset[str]]) -> PathChoice:
    """Of the roles a value is read under, those whose facts hold it — when every role's values are
    known and some (not none) hold it: 'Neckar Reifenservice' only ever shipped, so it is the shipper."""
    keys = {o.name: f"{o.path[-1]}__{attribute(o)[1]}" if o.path else o.name for o in choice.options}
    if value is None or not all(k in held for k in keys.values()):
        return choice
    keep = tuple(o for o in choice.options if value in held[keys[o.name]])
    if not keep or len(keep) == len(choice.options):
        return choice
    return PathChoice(keep[0].name) if len(keep) == 1 else PathChoice(None, keep)


def _unique(items: object) -> list[str]:
    return list(dict.fromkeys(items))  # type: ignore[call-overload]


_BY = r"\b(?:by|per|each|every|nach|pro|je)\s+"


def says_by(question: str, mention: Mention) -> bool:
    """'by store', 'je Filiale': the mention is a breakdown asked for, right after a 'by' word."""
    return bool(re.search(rf"{_BY}{re.escape(mention.text)}", question, re.I))


def listed_by(question: str, mention: Mention) -> bool:
    """'per campaign and send date', 'nach Kampagne und Versanddatum': the mention is one of the
    breakdowns listed after a 'by' word, not right after it."""
    return bool(
        re.search(
            rf"{_BY}[^\W\d][\w&-]*(?:\s+[^\W\d][\w&-]*){{0,3}}\s*(?:,|\band\b|\bund\b)\s*"
            rf"(?:(?:the|der|die|das|dem|den)\s+)?{re.escape(mention.text)}",
            question,
            re.I,
        )
    )


def says_by_any(question: str, dims: Sequence[Mention]) -> bool:
    return any(says_by(question, d) for d in dims)


def _included(question: str, mention: Mention) -> bool:
    return bool(
        re.search(
            rf"\b(?:inkl\.?|inklusive|einschlie(?:ß|ss)lich|incl\.?|including)\s+(?:(?:the|our|des|der|dem|den)\s+)?"
            rf"{re.escape(mention.text)}",
            question,
            re.I,
        )
    )


def _all_of(question: str, mention: Mention) -> bool:
    """'sales per sqm across all stores', 'Fläche aller Filialen', '… sept 2026 all hotels' (the
    question's last words): the total over them, no breakdown."""
    return bool(
        re.search(
            rf"\b(?:across\s+(?:all\s+)?(?:(?:of\s+)?(?:the|our)\s+)?|(?:for|over|of)\s+all\s+(?:(?:the|our)\s+)?|"
            rf"(?:(?:ü|ue)ber\s+|f(?:ü|ue)r\s+)?alle[rn]?\s+(?:unsere[rn]?\s+)?){re.escape(mention.text)}",
            question,
            re.I,
        )
        or re.search(rf"\ball\s+(?:(?:the|our)\s+)?{re.escape(mention.text)}\W*$", question, re.I)
    )


def _reachable_reading(mention: Mention, infos: list[MetricInfo], lexicon: Lexicon) -> Mention:
    """'new members by city': the word 'city' names a store's and a customer's city; the figure
    reaches only one of them, so that is the one meant."""
    if not infos or all(mention.entry.target in i.dimensions for i in infos):
        return mention
    for entry in lexicon.lookup(key_of(mention.text)):
        if entry.kind == "dimension" and all(entry.target in i.dimensions for i in infos):
            return dataclasses.replace(mention, entry=entry)
    return mention


def _role(catalog: Catalog, metric: str) -> str | None:
    info = catalog.metric(metric)
    return info.role if info is not None else None


def _replaced_by(old: Filter, new: list[Filter], catalog: Catalog) -> bool:
    """A follow-up's filter replaces the previous one on the same dimension, and one on another
    place dimension ('und für München?' after Berlin, a region, now a city)."""
    if any(f.dimension == old.dimension for f in new):
        return True
    dim = catalog.dimension(old.dimension)
    if dim is None or dim.role != "location":
        return False
    return any((d := catalog.dimension(f.dimension)) is not None and d.role == "location" for f in new)


def _figures_of_the_online_one(
    catalog: Catalog, metrics: list[str], spans: Sequence[Mention], mentions: Sequence[Mention]
) -> list[str]:
    """'visits to the online shop and the revenue they brought': one figure is the online shop's by
    nature (sessions: no channel to filter), another is named by a general word ('revenue') that
    would take the filter. That word means the figure of the same source as the online one (web
    revenue, of the sessions' model): re-read so, when exactly one such figure's name holds it."""
    online = [m for m in mentions if intents.ONLINE.search(m.text)]
    infos = [i for i in (catalog.metric(n) for n in metrics) if i is not None]
    if not online or len(infos) < 2:
        return metrics
    targets = {m.entry.target for m in online}
    by_nature = [i for i in infos if not targets & set(i.dimensions)]
    taking = [i for i in infos if targets & set(i.dimensions)]
    if not by_nature or not taking:
        return metrics
    models = {model for i in by_nature for model in i.models}
    swapped: dict[str, str] = {}
    for info in taking:
        said = [lemmas(m.text) for m in spans if m.entry.target == info.name]
        if not said or not all(said):
            return metrics
        fits = [
            m.name
            for m in catalog.metrics
            if m.name not in metrics
            and m.models
            and set(m.models) <= models
            and all(
                any(words <= lemmas(n) for n in (m.label, m.name.replace("_", " "), *m.synonyms))
                for words in said
            )
        ]
        if len(fits) != 1:
            return metrics
        swapped[info.name] = fits[0]
    return [swapped.get(n, n) for n in metrics]


def _online_by_nature(info: MetricInfo) -> bool:
    """A figure its own words say is the online shop's (web sessions, revenue of online orders): the
    online-shop words need no filter there. A figure that merely has no channel (sign-ups, stock)
    is not online by nature — 'customers who signed up online' is asked, never answered for all."""
    return any(
        intents.ONLINE.search(text) or re.search(r"\bweb\b", text, re.I)
        for text in (info.label, info.description, *info.synonyms)
    )


# 'stores only', 'only the stores', 'nur Filialen', 'Filialen allein', 'store-only': the store channel,
# no breakdown by store — read as 'by store', the online shop (a store of the list) stayed in, a row
# of its own
_ONLY_BEFORE = (
    r"\b(?:only|just|nur|allein|ausschlie(?:ß|ss)lich)\s+(?:in\s+|im\s+)?"
    r"(?:the\s+|our\s+|die\s+|den\s+|unsere[n]?\s+|in\s+(?:den\s+)?)?"
)
_ONLY_AFTER = r"(?:\s+(?:only|alone|allein|ohne\s+online)|-only)\b"


def _stores_only(question: str, word: str) -> bool:
    """'in the stores', 'in den Filialen', and a stores word said as the only ones ('stores only', 'only
    stores', 'nur Filialen') — the store channel, never a breakdown by store; 'top 5 stores only'
    ranks the stores."""
    w = re.escape(word)
    if re.search(rf"\b(?:in|im)\s+(?:the\s+|our\s+|den\s+|unseren\s+)?{w}\b", question, re.I):
        return True
    if re.search(rf"\b(?:top|bottom|best|worst|flop|which|welche\w*|\d+)\s+(?:\w+\s+)?{w}\b", question, re.I):
        return False  # 'top 5 stores only': the stores ranked, not the store channel
    return bool(
        re.search(_ONLY_BEFORE + w + r"\b", question, re.I)
        or re.search(rf"\b{w}" + _ONLY_AFTER, question, re.I)
    )


def _online_value_reached(lexicon: Lexicon, infos: Sequence[MetricInfo]) -> Entry | None:
    """The one value named 'online' of a dimension every figure reaches (a store's type), if any."""
    found = {
        e.target: e
        for e in lexicon.lookup(("online",))
        if e.kind == "value"
        and fold(e.value or "") == "online"
        and all(e.target in i.dimensions for i in infos)
    }
    return next(iter(found.values())) if len(found) == 1 else None


def _read_as_the_value(
    dims: list[Mention], values: list[Mention], said: list[Mention], entry: Entry
) -> tuple[list[Mention], list[Mention]]:
    """The words `said` (channel words) read as one value instead, at the first one's place."""
    first = said[0]
    dims = [d for d in dims if d not in said]
    values = [v for v in values if v not in said]
    return dims, [*values, Mention(entry, first.start, first.end, first.text, first.negated)]


def _channel_reading(
    inp: PlannerInput, metrics: list[str], dims: list[Mention], values: list[Mention]
) -> tuple[list[Mention], list[Mention], str | None, str | None]:
    """'online vs stores' → group by the channel dimension (the store and online-shop words are not
    filters then); 'in the online shop' → the channel's online value where the figure has a channel;
    for a figure that is online by nature (web sessions), the online-shop words are dropped, said."""
    catalog, lexicon = inp.catalog, inp.lexicon
    channel = intents.channel_contrast(inp.question, catalog, lexicon, metrics)

    def online_words(m: Mention) -> bool:
        return bool(intents.ONLINE.search(m.text) or intents.STORES.search(m.text)) or fold(m.text) in (
            "store", "shop", "filiale", "online",
        )  # fmt: skip

    if channel is not None:
        dims = [d for d in dims if not online_words(d)]
        values = [v for v in values if not online_words(v)]
        return dims, values, channel, f"by {_label(catalog, channel)} (online vs stores)"
    infos = [i for i in (catalog.metric(n) for n in metrics) if i is not None]

    def says_online(m: Mention) -> bool:
        # 'online shop' (a flag or a value), or 'shop' right after 'web'/'online' ('the web shop's')
        if intents.ONLINE.search(m.text) and (m.entry.is_flag or m.entry.kind == "value"):
            return True
        return m.entry.kind == "dimension" and bool(
            re.search(rf"\b(?:web|online)[\s-]*{re.escape(m.text)}", inp.question, re.I)
        )

    online = [m for m in [*dims, *values] if says_online(m)]
    # 'in the stores', 'in-store', 'in den Filialen' (not 'by store'): the store channel
    in_stores = [
        d
        for d in dims
        if not online
        and not says_by(inp.question, d)
        and _stores_only(inp.question, d.text)
        and intents.STORES.search(d.text)
    ]
    if not (online or in_stores) or not infos:
        return dims, values, None, None
    for dim in catalog.dimensions_with_role("channel"):
        if all(dim.name in i.dimensions for i in infos):
            found = online or in_stores
            entry = intents.channel_value(lexicon, dim.name, "online" if online else "store")
            if entry is not None:
                dims, values = _read_as_the_value(dims, values, found, entry)
                return dims, values, None, None
    if not online:
        return dims, values, None, None
    unreachable = [m for m in online if not any(m.entry.target in i.dimensions for i in infos)]
    elsewhere = _online_value_reached(lexicon, infos) if unreachable else None
    if elsewhere is not None:
        # 'stock in units for the online shop': the figure has no sales channel, but its stores have
        # a kind that is online — that value, never the whole figure with the words dropped
        dims, values = _read_as_the_value(dims, values, unreachable, elsewhere)
        return dims, values, None, None
    if unreachable and all(_online_by_nature(i) for i in infos):
        dims = [d for d in dims if d not in unreachable]
        values = [v for v in values if v not in unreachable]
        return dims, values, None, f"{infos[0].label.lower()} covers the online shop only"
    return dims, values, None, None


def _label(catalog: Catalog, name: str) -> str:
    dim = catalog.dimension(name)
    return (dim.label if dim else name).lower()


def _labels(catalog: Catalog, names: Sequence[str]) -> list[str]:
    return [_label(catalog, n) for n in names if n != "metric_time" and catalog.dimension(n) is not None]


def _describe_filter(catalog: Catalog, f: Filter) -> str:
    vals = ", ".join(str(v) for v in f.values)
    label = _role_label(catalog, f.dimension)
    if f.operator in ("!=", "not in"):
        return f"excluding {label} {vals}"
    return f"{label} {vals}"


def _role_label(catalog: Catalog, name: str) -> str:
    """'consignee name' where one column is read through several roles (a party's name as the
    shipper's, the consignee's, the carrier's), so the answer says whose; else the label."""
    dim = catalog.dimension(name)
    if dim is None or not dim.path:
        return _label(catalog, name)
    roles = {d.path[-1] for d in catalog.dimensions if d.path and attribute(d) == attribute(dim)}
    if len(roles) < 2:
        return _label(catalog, name)
    return f"{dim.path[-1].replace('_', ' ')} {dim.label.lower()}"
