"""Questions that span several reports, split into clauses, each bound to the outlets, dates and names it names.

"Does the TechCrunch article suggest P, while The Verge article focuses on Q?" is a conjunction of two claims,
each about one outlet's report; "After X reported … on October 7, 2023, did Y report … before that date?"
ties each clause to a date. Retrieval runs per clause (scoped to its outlet and date) and verdicts are
decided clause by clause (`answer.verdict`). Rules, not a model: the MultiHop-RAG questions and ordinary
ones ("what did Reuters say last week about …") name their sources in a few regular ways.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from assistant.answer.question import content_terms, names_in
from assistant.lexicon import CALENDAR_WORDS, MONTHS, month_number
from assistant.retrieval.filters import Filters

_MONTH_RE = "|".join(MONTHS)
_DATE_PATTERNS = (
    re.compile(rf"\b({_MONTH_RE})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I),
    re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?:T[\d:+.Z-]*)?"),
)
# Where one clause ends and the next begins: contrast words, "and does …", "compared to …".
_SPLIT = re.compile(
    r"\s*(?:[,;]\s*)?\b(?:while|whereas|but|compared (?:to|with)|in contrast to|as opposed to|similar to how|"
    r"similar to|and (?:does|do|did|is|was|has|have|had)|and also|and then|and finally|and later|"
    r"and the(?= (?:\w+ ){0,6}?(?:article|report|piece|story|coverage))|and (?=(?:\w+ ){0,3}(?:article|report)s?\b))"
    r"\b\s*|,\s*(?=(?:did|does|do|is|was|were|has|have|had)\b)",
    re.I,
)
_YES_NO = re.compile(  # "Did …?", and "After X reported …, did Y …?" — but not "Considering …, which CEO, …, is …?"
    r"^\s*(?:(?:after|before|between|following|considering|given|when|while|since|according to|based on|"
    r"regarding|in)\b(?:(?!\b(?:which|what|who|whom|whose|where|when|why|how)\b)[^?])*?,\s*)?"
    r"(?:is|are|was|were|do|does|did|has|have|had|can|could|will|would|should)\b",
    re.I,
)
_CHOICE = re.compile(r"\b(\w+)\s+or\s+(\w+)\b(?=[^?]*\?\s*$)", re.I)
CHOICE_PAIRS = {
    ("consistent", "inconsistent"),
    ("larger", "smaller"),
    ("higher", "lower"),
    ("more", "less"),
    ("increase", "decrease"),
    ("increased", "decreased"),
    ("same", "different"),
    ("earlier", "later"),
    ("before", "after"),
}
_ORDER = re.compile(r"\b(before|after|earlier than|later than|prior to)\b\s+(?:that date|the (?:\w+ ){0,4}?report|\S)")
_CHANGE = re.compile(r"\bchang|\bshift|\bevolv", re.I)
_CONSISTENT = re.compile(r"\b(?:in)?consisten|\bremain(?:ed|s)? the same\b|\bunchanged\b", re.I)
_AMOUNT = re.compile(r"\bsame (?:amount|number|figure|price|sum|total|percentage|score|age|date)\b", re.I)
# Questions that ask the negated form ("was there no change", "remained the same", "fail to maintain").
_NEGATED = re.compile(
    r"\b(?:no change|not change|remain(?:ed|s)? (?:the same|unchanged)|stay(?:ed)? the same|fail(?:ed|s)? to|"
    r"inconsisten(?:t|cy)(?! or)|differ(?:ed|s)?\b(?! from the)|did not|does not|was not|were not)",
    re.I,
)


@dataclass(frozen=True)
class Clause:
    """One claim of a question and the sources it is about (`unknown`: outlets it names that the store lacks)."""

    text: str
    outlets: tuple[str, ...] = ()
    dates: tuple[dt.date, ...] = ()
    names: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plan:
    """A question as clauses plus what it asks of them.

    relation: "claims" (each clause must hold), "order" (before/after between the reports), "change" or
    "consistent" (did the story change between reports), "amount" (the same figure?), "open" (not Yes/No).
    """

    question: str
    yes_no: bool
    relation: str
    clauses: tuple[Clause, ...] = ()
    negated: bool = False
    choice: tuple[str, str] | None = None
    outlets: tuple[str, ...] = field(default=())

    @property
    def multi(self) -> bool:
        """Several clauses, or several named sources: a question across reports."""
        return len(self.clauses) > 1 or len(self.outlets) > 1


def dates_in(text: str) -> list[dt.date]:
    """Dates written out in a question: 'November 6, 2023', '2023-10-12', '2023-10-04T20:07:42+00:00'."""
    found: list[tuple[int, dt.date]] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            a, b, c = match.groups()
            try:
                if a.isdigit():
                    found.append((match.start(), dt.date(int(a), int(b), int(c))))
                else:
                    found.append((match.start(), dt.date(int(c), month_number(a), int(b))))
            except ValueError:
                continue
    return [d for _, d in sorted(found)]


def outlet_spans(text: str, aliases: dict[str, list[str]]) -> list[tuple[int, int, list[str]]]:
    """(start, end, outlets) of each outlet name in a text, longest alias first. Outlet names are proper
    nouns: in a text written with capitals, a lower-case match is an ordinary word ("at the age of 16" is not
    The Age, "on the verge of" is not The Verge); an all-lower-case text is matched as typed."""
    folded, spans = text.casefold(), []
    cased = text != text.casefold()
    for alias in sorted(aliases, key=lambda a: (-len(a), a)):
        for match in re.finditer(rf"(?<!\w){re.escape(alias)}(?!\w)", folded):
            if any(s <= match.start() < e for s, e, _ in spans):
                continue
            if cased and _lower_case(text[match.start() : match.end()]):
                continue
            spans.append((match.start(), match.end(), aliases[alias]))
    return sorted(spans, key=lambda x: x[0])


def _lower_case(name: str) -> bool:
    """No capital in the name's first significant word ('the age', 'verge'; 'The Age', 'TechCrunch' pass)."""
    words = [w for w in re.findall(r"[^\W\d_][\w'’.&-]*", name) if w.casefold() not in ("the", "a", "an")]
    return bool(words) and not any(ch.isupper() for ch in words[0])


def outlets_in(text: str, aliases: dict[str, list[str]]) -> list[str]:
    """Outlets of the store a text names (longest alias first; 'the same source' is left to the caller)."""
    return list(dict.fromkeys(o for _, _, outlets in outlet_spans(text, aliases) for o in outlets))


_SOURCE_NAME = r"'?((?:[A-Z][\w.&'’:-]*)(?:\s+(?:[A-Z][\w.&'’:-]*|of|the|\||-))*)'?"
_NAMED_SOURCE = re.compile(
    rf"\b(?:the|a|an|another|one)\s+{_SOURCE_NAME}\s+(?:article|report|piece|story|review|op-ed|column)s?\b|"
    rf"\b(?:reported by|according to|published (?:by|in)|(?:article|report|piece|story) (?:from|in|by))\s+"
    rf"(?:the\s+)?{_SOURCE_NAME}(?=[\s,.?;]|$)"
)


def unknown_outlets(text: str, aliases: dict[str, list[str]]) -> list[str]:
    """Sources a text names as the publisher of a report ("the Bloomberg article", "reported by Reuters") that
    are not outlets of the store: a clause about them cannot be checked."""
    out = []
    for match in _NAMED_SOURCE.finditer(text):
        name = (match.group(1) or match.group(2) or "").strip(" '’|")
        name = re.sub(r"^(?:the|of)\s+", "", name, flags=re.I).strip(" '’|:-")
        folded = name.casefold()
        if not name or name.split()[0].casefold() in CALENDAR_WORDS or outlets_in(name, aliases):
            continue
        if any(alias.startswith(folded) or folded.startswith(alias) for alias in aliases):
            continue
        out.append(name)
    return list(dict.fromkeys(out))


def split_clauses(question: str, aliases: dict[str, list[str]] | None = None) -> list[str]:
    """The question cut at its contrast and conjunction words; fragments too short to be claims are merged.
    An outlet's name is never cut ('The Independent - Life and Style' holds an "and")."""
    body = re.sub(r"\?\s*$", "", question.strip())
    names: list[str] = []
    for start, end, _ in reversed(outlet_spans(body, aliases or {})):  # from the end: offsets stay valid
        names.append(body[start:end])
        body = f"{body[:start]}OUTLETx{len(names) - 1}x{body[end:]}"  # one word, as the name reads
    pieces = [p.strip(" ,;") for p in _SPLIT.split(body) if p and p.strip(" ,;")]
    pieces = [re.sub(r"OUTLETx(\d+)x", lambda m: names[int(m.group(1))], p) for p in pieces]
    merged: list[str] = []
    for piece in pieces:
        if merged and len(re.findall(r"\w+", piece)) < 4:
            merged[-1] = f"{merged[-1]} {piece}"
        else:
            merged.append(piece)
    return merged or [body]


def _relation(question: str, yes_no: bool) -> str:
    if not yes_no:
        return "open"
    if _AMOUNT.search(question):
        return "amount"
    if _ORDER.search(question) and re.search(r"\breport(?:ed)?\b|\bpublish", question, re.I):
        if not (_CHANGE.search(question) or _CONSISTENT.search(question)):
            return "order"
    if _CHANGE.search(question) or (
        re.search(r"\bdiffer", question, re.I) and re.search(r"\bbetween\b", question, re.I)
    ):
        return "change"
    if _CONSISTENT.search(question):
        return "consistent"
    return "claims"


def _choice(question: str) -> tuple[str, str] | None:
    for match in _CHOICE.finditer(question):
        pair = (match.group(1).lower(), match.group(2).lower())
        if pair in CHOICE_PAIRS or pair[::-1] in CHOICE_PAIRS:
            return pair
    return None


def plan(question: str, aliases: dict[str, list[str]]) -> Plan:
    """Decompose a question: its clauses (each with the outlets, dates and names it mentions) and relation."""
    choice = _choice(question)
    yes_no = bool(_YES_NO.match(question)) or choice is not None
    clauses, previous = [], ()
    for text in split_clauses(question, aliases):
        outlets = tuple(outlets_in(text, aliases))
        if not outlets and re.search(r"\b(?:the same|that|this) (?:source|outlet|publication)\b", text, re.I):
            outlets = previous
        unknown = tuple(unknown_outlets(text, aliases))
        names = tuple(dict.fromkeys(names_in(text)))
        clauses.append(Clause(text, outlets, tuple(dates_in(text)), names, unknown))
        previous = outlets or previous
    relation = _relation(question, yes_no)
    if relation in ("change", "consistent", "order"):
        clauses = _reports_only(clauses)
    return Plan(
        question=question,
        yes_no=yes_no,
        relation=relation,
        clauses=tuple(clauses),
        negated=bool(_NEGATED.search(question)) and relation in ("change", "consistent") and choice is None,
        choice=choice,
        outlets=tuple(outlets_in(question, aliases)),
    )


def _sourced(clause: Clause) -> bool:
    return bool(clause.outlets or clause.dates or clause.unknown)


def _reports_only(clauses: list[Clause]) -> list[Clause]:
    """For questions about reports (did the story change between them, which came first), a clause that names
    no report ("was there a change in the portrayal of …") belongs to the report clause before it."""
    if not any(_sourced(c) for c in clauses):
        return clauses
    merged: list[Clause] = []
    for clause in clauses:
        if merged and not _sourced(clause):
            last = merged[-1]
            merged[-1] = Clause(
                f"{last.text}, {clause.text}", last.outlets, last.dates, last.names + clause.names, last.unknown
            )
        elif not merged or _sourced(merged[-1]):
            merged.append(clause)
        else:  # an unsourced opening clause joins the first report clause
            first = merged.pop()
            merged.append(
                Clause(
                    f"{first.text}, {clause.text}",
                    clause.outlets,
                    clause.dates,
                    first.names + clause.names,
                    clause.unknown,
                )
            )
    return merged


# Words that say where a claim was published, not what it is: a clause made of these and outlet names is a header
# ("Which club, discussed in articles from The Guardian and the BBC, …"), not a claim to retrieve on its own.
_SOURCE_TALK = re.compile(
    r"\b(?:articles?|reports?|reported|reporting|recently|discussed|featured|according|published|both|stor(?:y|ies)|"
    r"coverage|pieces?|news|outlets?|sources?|such as)\b",
    re.I,
)
HEADER_TERMS = 4  # a clause with fewer content words (outlets and source talk aside) is a header


def is_header(clause: Clause) -> bool:
    """Does this clause only name its sources? Then the whole question is what to look for in them."""
    rest = clause.text
    for outlet in clause.outlets:
        rest = rest.replace(outlet, " ")
    return len(content_terms(_SOURCE_TALK.sub(" ", rest))) < HEADER_TERMS


def clause_queries(plan: Plan, filters: Filters, max_queries: int = 8) -> list[tuple[str, Filters]]:
    """What to retrieve for each clause: its words, scoped to each outlet it names (and its dates when it names
    at most a few outlets). A clause that names no outlet is looked for in every outlet the question names (the
    sources a question lists up front are where its facts are), and unscoped when it names none. A header
    clause ("…, featured in articles from Fortune and The Age, …") is retrieved with the whole question's words.
    The user's own filters always hold: an outlet filter replaces the clause's outlets."""
    queries: list[tuple[str, Filters]] = []
    if not plan.multi:
        return queries
    named = list(dict.fromkeys(o for clause in plan.clauses for o in clause.outlets))
    for clause in plan.clauses:
        outlets: list[str | None] = [None] if filters.outlet else list(clause.outlets or named) or [None]
        text = plan.question if clause.outlets and is_header(clause) else clause.text
        dates = [d for d in clause.dates if _within(d, filters)] if len(outlets) <= 4 else []
        for outlet in outlets:
            scope = replace(filters, outlet=outlet) if outlet else filters
            for date in dates or [None]:
                query = (text, replace(scope, since=date, until=date) if date else scope)
                if query not in queries:
                    queries.append(query)
    return queries[:max_queries]


def _within(date: dt.date, filters: Filters) -> bool:
    return (not filters.since or date >= filters.since) and (not filters.until or date <= filters.until)
