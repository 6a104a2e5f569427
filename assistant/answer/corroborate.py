"""Corroboration and conflicts: for a cited claim, which *independent* outlets report it, and which figures
disagree across those reports.

- The same claim: a sentence of another stored report close to the claim in meaning (sentence vectors) that
  shares its rare words (names, numbers), states one of the claim's numbers when the claim gives any (a
  report of "157 yards" is not one of "163 yards" — that is another game), and, when the claim states a
  figure, states one of that kind. Each article counts once, at its best sentence. A statement of fewer than
  MIN_CLAIM_TERMS content words ("Date: Dec. 23") names no claim specific enough to count outlets for.
- Independent outlets: sections of one publisher are one outlet ("The Independent - Sports" and
  "The Independent - Life and Style"), and syndicated copies of one story (long runs of identical words
  across two outlets, quotations aside: independent reports quote the same speech) count once.
- Conflicts: the same kind of figure (an amount with its unit, a score, a day of a month) with values that
  cannot both be true. Hedged values ("more than 300", "about $1 million", "up to") are compatible with
  any value they bound, so they never conflict; neither do the same values written differently ($4.3bn =
  $4.3 billion, 25 per cent = 25%), nor a difference ("$50 million more than") with either amount.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.answer.question import content_terms
from assistant.answer.verdict import figure_spans
from assistant.lexicon import MONTH_ABBREVIATIONS, MONTHS, NUMBER_WORDS, expand, fold, month_number
from assistant.models import Article, Chunk, Citation, Conflict, FigureValue, Report
from assistant.text.spans import sentences

SAME_CLAIM = 0.62  # combined score (meaning + shared words) above which a sentence states the same claim
SEMANTIC_WEIGHT = 0.6
MIN_RARE = 1  # rare words (names, numbers) the sentence must share with the claim
SHINGLE = 8  # words: a run this long shared by two outlets' reports marks a syndicated copy
POOL = 12  # chunks retrieved per claim
MIN_CLAIM_TERMS = 4  # content words a statement needs before its other reports are counted
CONFLICT_CLAIM = 0.75  # a disagreement is flagged only against a report this close to the claim
_HEDGE = re.compile(
    r"\b(?:more than|over|at least|nearly|almost|about|around|roughly|approximately|some|up to|"
    r"as (?:high|many|much) as|"
    r"under|less than|fewer than|close to|upwards of|estimated|an estimated|reportedly)\s*$",
    re.I,
)
# "$50 million more than FTX's revenue": a difference between two quantities, not the value of either.
_DIFFERENCE = re.compile(r"\s*(?:more|less|fewer|higher|lower|greater|bigger|smaller|larger)\b", re.I)
_SCORE = re.compile(r"(?<![\d.,/:-])(\d{1,2})\s?[-–]\s?(\d{1,2})(?![\d.,/:%-])")
_MONTH = rf"(?:{'|'.join(MONTHS)}|(?:{'|'.join(MONTH_ABBREVIATIONS)})\.?|sept\.?)"  # "Oct. 20", AP style
_DAY = re.compile(
    rf"\b(?:(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH})(?!\w)|({_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?)\b",
    re.I,
)
_RARE = re.compile(r"(?<![\w'’])(?:[A-Z][\w'’.&-]+|\d[\d,.]*)")
_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?")


def publisher(outlet: str | None) -> str:
    """One publisher's sections are one outlet: 'FOX News - Lifestyle' → 'FOX News'."""
    return re.split(r"\s+[|-]\s+", outlet or "outlet not stated")[0].strip()


@dataclass
class Match:
    article: Article
    start: int
    end: int
    score: float = 0.0

    @property
    def text(self) -> str:
        return self.article.text[self.start : self.end]


@dataclass
class Value:
    kind: str  # "score" | "day" | an amount's unit ("$", "%", "people", "")
    normalized: float | str
    text: str
    match: Match
    start: int  # in the article
    end: int


@dataclass
class Corroboration:
    anchor: Match
    reports: list[Match] = field(default_factory=list)  # other articles stating the same claim, best first
    independent: list[str] = field(default_factory=list)  # publishers, the anchor's first
    syndicated: list[tuple[str, str]] = field(default_factory=list)  # (article id, article id it copies)
    conflicts: list[tuple[str, list[Value]]] = field(default_factory=list)  # (quantity, disagreeing values)


def rare_words(text: str) -> set[str]:
    """Names and numbers: what two reports of the same claim share beyond topic words."""
    skip = {"the", "a", "an", "in", "on", "at", "but", "and", "he", "she", "it", "they", "this", "that", "i"}
    return {fold(w).strip(".,") for w in _RARE.findall(text) if fold(w).strip(".,") not in skip}


def numbers(text: str, *, words: bool = True) -> set[str]:
    """The numbers a text states ('1,300' = '1300'); with `words`, small number words too ('seven' = '7'), so
    a report may spell out what the claim writes in digits."""
    found = {m.group(0).replace(",", "") for m in _NUMBER.finditer(text)}
    if words:
        found |= {NUMBER_WORDS[w] for w in re.findall(r"[a-z]+", fold(text)) if w in NUMBER_WORDS}
    return found


_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")


def _shingles(text: str) -> set[tuple[str, ...]]:
    """Runs of the reporter's own words: quoted words are left out, since independent reports quote the same
    speech word for word."""
    out: set[tuple[str, ...]] = set()
    for part in _QUOTED.split(text):
        words = re.findall(r"\w+", fold(part))
        out |= {tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    return out


def values(match: Match, start: int, end: int) -> list[Value]:
    """The unhedged figures inside article.text[start:end]: scores, days of a month, amounts with a unit."""
    text, out = match.article.text, []
    span = text[start:end]

    def add(kind: str, normalized: float | str, a: int, b: int) -> None:
        hedged = _HEDGE.search(text[max(0, start + a - 30) : start + a])
        if not hedged and not _DIFFERENCE.match(text[start + b : start + b + 25]):
            out.append(Value(kind, normalized, span[a:b], match, start + a, start + b))

    for m in _SCORE.finditer(span):
        add("score", f"{int(m.group(1))}-{int(m.group(2))}", m.start(), m.end())
    for m in _DAY.finditer(span):
        day, month = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        add("day", f"{month_number(month):02d}-{int(day):02d}", m.start(), m.end())
    scored = {(v.start, v.end) for v in out}
    for a, b, value, unit in figure_spans(span):
        if unit and not any(s <= start + a < e for s, e in scored):
            add(unit, value, a, b)
    return out


def conflicts(anchor: Match, reports: Sequence[Match]) -> list[tuple[str, list[Value]]]:
    """Figures of one kind that disagree between the claim and a close report of it (CONFLICT_CLAIM: two
    prices in sentences that merely share a product name are often two editions of it): only when each states
    exactly one unhedged value of that kind (several values of a kind may measure different things)."""
    mine = values(anchor, anchor.start, anchor.end)
    found: list[tuple[str, list[Value]]] = []
    for report in reports:
        if report.score < CONFLICT_CLAIM:
            continue
        theirs = values(report, report.start, report.end)
        for kind in {v.kind for v in mine} & {v.kind for v in theirs}:
            a = [v for v in mine if v.kind == kind]
            b = [v for v in theirs if v.kind == kind]
            if len({v.normalized for v in a}) == 1 and len({v.normalized for v in b}) == 1:
                if a[0].normalized != b[0].normalized:
                    found.append((_quantity(kind, a[0]), [a[0], b[0]]))
    return found


def _quantity(kind: str, value: Value) -> str:
    if kind in ("score", "day"):
        return {"score": "score", "day": "date"}[kind]
    after = re.findall(r"[A-Za-z]+", value.match.article.text[value.end : value.end + 30])[:2]
    return " ".join([kind] + after).strip()


class Corroborator:
    """Finds the other stored reports of a claim, counts independent outlets and flags conflicting figures."""

    def __init__(self, retrieve, get_articles, similarity, exclude: frozenset[str] = frozenset()) -> None:
        """retrieve(text, k) → chunks; get_articles(ids) → {id: Article}; similarity(text, texts) → scores;
        `exclude`: urls never counted (e.g. articles a gold set was drawn without)."""
        self.retrieve, self.get_articles, self.similarity, self.exclude = retrieve, get_articles, similarity, exclude

    def check(self, article: Article, start: int, end: int) -> Corroboration:
        anchor = Match(article, start, end, 1.0)
        chunks = [c for c in self.retrieve(anchor.text, POOL) if c.article_id != article.id]
        articles = {
            k: a for k, a in self.get_articles([c.article_id for c in chunks]).items() if a.url not in self.exclude
        }
        reports = self._same_claim(anchor, chunks, articles)
        result = Corroboration(anchor, reports)
        result.independent, result.syndicated = independent(anchor, reports)
        result.conflicts = conflicts(anchor, reports)
        return result

    def _same_claim(self, anchor: Match, chunks: list[Chunk], articles: dict[str, Article]) -> list[Match]:
        pool, seen = [], set()
        for chunk in chunks:
            a = articles.get(chunk.article_id)
            for s, e in sentences(a.text) if a else []:
                if s < chunk.end and e > chunk.start and (a.id, s) not in seen:
                    seen.add((a.id, s))
                    pool.append(Match(a, s, e))
        claim_terms = content_terms(anchor.text)
        if not pool or len(claim_terms) < MIN_CLAIM_TERMS:
            return []
        semantic = self.similarity(anchor.text, [m.text for m in pool])
        terms, rare = expand(claim_terms), rare_words(anchor.text)
        stated = numbers(anchor.text, words=False)  # digits only: 'one of the' is not a figure
        kinds = {v.kind for v in values(anchor, anchor.start, anchor.end)}
        best: dict[str, Match] = {}
        for match, sem in zip(pool, semantic):
            lexical = len(terms & expand(content_terms(match.text))) / len(terms) if terms else 0.0
            match.score = SEMANTIC_WEIGHT * float(sem) + (1 - SEMANTIC_WEIGHT) * lexical
            shared = len(rare & rare_words(match.text))
            # A report of a claim with a figure states a figure of that kind (the same value, or another value,
            # which is a conflict): a sentence about the same game that gives no release date does not report
            # the release date.
            states_figure = not kinds or bool(kinds & {v.kind for v in values(match, match.start, match.end)})
            same_number = not stated or bool(stated & numbers(match.text))
            if match.score >= SAME_CLAIM and shared >= MIN_RARE and states_figure and same_number:
                if match.score > best.get(match.article.id, Match(match.article, 0, 0, -1.0)).score:
                    best[match.article.id] = match
        return sorted(best.values(), key=lambda m: -m.score)


def independent(anchor: Match, reports: Sequence[Match]) -> tuple[list[str], list[tuple[str, str]]]:
    """Publishers reporting the claim, the anchor's first; a report sharing a long run of words with an
    earlier counted report of another publisher is a syndicated copy and adds no outlet."""
    counted: list[Match] = [anchor]
    publishers = [publisher(anchor.article.outlet)]
    copies: list[tuple[str, str]] = []
    shingles = {anchor.article.id: _shingles(anchor.article.text)}
    for report in reports:
        mine = _shingles(report.article.text)
        source = next(
            (
                c
                for c in counted
                if publisher(c.article.outlet) != publisher(report.article.outlet) and mine & shingles[c.article.id]
            ),
            None,
        )
        if source is not None:
            copies.append((report.article.id, source.article.id))
            continue
        shingles[report.article.id] = mine
        counted.append(report)
        if publisher(report.article.outlet) not in publishers:
            publishers.append(publisher(report.article.outlet))
    return publishers, copies


def as_reports(found: Corroboration) -> tuple[Report, ...]:
    """The other reports of the claim, for `Citation.also_reported_by`."""
    return tuple(
        Report(
            article_id=m.article.id,
            outlet=m.article.outlet,
            published=m.article.published,
            url=m.article.url,
            title=m.article.title,
            quote=m.text,
            start=m.start,
            end=m.end,
        )
        for m in found.reports
    )


def as_conflicts(found: Corroboration, citations: Sequence[Citation]) -> tuple[Conflict, ...]:
    """The disagreeing figures, for `Answer.conflicts` (each value linked to the citation holding it, if any)."""

    def cited(value: Value) -> int | None:
        return next(
            (c.id for c in citations if c.article_id == value.match.article.id and c.start <= value.start < c.end),
            None,
        )

    return tuple(
        Conflict(
            quantity=quantity,
            values=tuple(
                FigureValue(
                    text=v.text,
                    normalized=v.normalized,
                    unit=None if v.kind in ("score", "day") else v.kind,
                    article_id=v.match.article.id,
                    outlet=v.match.article.outlet,
                    published=v.match.article.published,
                    url=v.match.article.url,
                    start=v.start,
                    end=v.end,
                    citation=cited(v),
                )
                for v in vs
            ),
        )
        for quantity, vs in found.conflicts
    )
