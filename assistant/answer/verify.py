"""Citation verification: every engine's draft passes through here; only what can be verified survives.

For each statement of the draft (the text up to and including its [n] markers):
- markers must point at evidence that exists, in an article that was retrieved for this question,
  with offsets inside the stored article text; markers that do not are discarded;
- a statement without a valid marker (small models often write none) is *aligned* to the sentences of
  the evidence the engine offered (lexical, number and name overlap, plus embedding similarity when a
  `similarity` function is given) and cited to the ones that support it;
- every cited statement must be supported by its cited evidence: enough of its content words, and every
  number, month and capitalised name, appear in the cited text or in the cited article's metadata
  (outlet, date, title) and the cited quotes' attribution (speaker, role, medium);
- words inside quotation marks must appear verbatim in a cited span; a quote that differs only in
  punctuation, case or spacing is replaced by the article's verbatim words, anything else drops it;
- a statement that attributes words to a person must cite a quote whose speaker is that person
  (quoted words: the quote holding them; paraphrase: the cited quote closest to the statement);
- a statement left without support is dropped (and listed in `dropped_sentences`).
Citations are renumbered in order of first use, duplicates merged, and their outlet/speaker metadata
is taken from the stored article — never from the engine. Nothing left → the fixed refusal.

`Verifier` does this one statement at a time, so an engine's output can be streamed as it is verified;
`verify` runs it over a whole draft. Both produce the same Answer for the same text.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from assistant.answer import entail
from assistant.answer.ownwords import already_verbatim, own_words, reports_speech
from assistant.answer.question import content_terms
from assistant.answer.support import LAYERS, Judge, Support, support
from assistant.lexicon import STATEMENT_SPEECH_LEMMAS, alternation, expand, fold, speech_forms
from assistant.models import Answer, Article, Citation, Draft, Evidence, Quote
from assistant.text.spans import quote_spans, sentences

_MARKERS = re.compile(r"(?:\s*\[\d+\])+[.!?;,]*")
_ONE_MARKER = re.compile(r"\[(\d+)\]")
_QUOTED = re.compile(r"“([^”]+)”|\"([^\"]+)\"")
_NUMBER = re.compile(r"\d[\d,.]*\d|\d")
# A statement that reports someone's words (a narrower set than attribution's cue verbs: 'is described as'
# states a role, not someone's words).
_REPORTING = re.compile(rf"\b(?:{alternation(speech_forms(STATEMENT_SPEECH_LEMMAS))}|according to)\b", re.I)
Similarity = Callable[[Sequence[str], Sequence[str]], "Sequence[Sequence[float]] | None"]


def split_statements(text: str) -> list[tuple[str, list[int]]]:
    """(statement, its marker numbers). Markers cite the sentence they close; sentences without a
    marker get none; bracketed numbers inside quotation marks are quoted text, not markers."""
    out: list[tuple[str, list[int]]] = []
    cursor = 0
    quoted = quote_spans(text)
    for match in _MARKERS.finditer(text):
        if any(o < match.start() < c for o, c in quoted):
            continue  # "[3]" inside quoted article words is text, not a citation marker
        numbers = [int(n) for n in _ONE_MARKER.findall(match.group(0))]
        trail = re.sub(r"[\s\[\]\d]", "", match.group(0))
        pieces = _sentences(text[cursor : match.start()])
        if pieces:  # markers cite the sentence they close, not the ones before it
            out += [(p, []) for p in pieces[:-1]] + [(pieces[-1] + trail, numbers)]
        cursor = match.end()
    out += [(p, []) for p in _sentences(text[cursor:])]
    return out


def _sentences(chunk: str) -> list[str]:
    return [chunk[a:b].strip() for a, b in sentences(chunk) if chunk[a:b].strip()]


def _speaker_of(article: Article, start: int, end: int) -> Quote | None:
    """The quote a span cites: exact match, else the single speaker whose quotes the span contains."""
    inside = [q for q in article.quotes if q.start < end and q.end > start and q.speaker]
    exact = [q for q in inside if (q.start, q.end) == (start, end)]
    if exact:
        return exact[0]
    inside.sort(key=lambda q: q.kind != "direct")  # a quotation inside a reported clause is the speaker's words
    return inside[0] if inside and len({q.speaker for q in inside}) == 1 else None


def _valid(ev: Evidence, articles: dict[str, Article], allowed: set[str]) -> bool:
    article = articles.get(ev.article_id)
    return article is not None and ev.article_id in allowed and 0 <= ev.start < ev.end <= len(article.text)


# -- what a cited span vouches for -----------------------------------------------------------------
def _loose(text: str) -> str:
    """Words only: case, punctuation and spacing removed (for repairing near-verbatim quotes)."""
    return " ".join(re.findall(r"\w+", fold(text)))


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "").rstrip(".") for n in _NUMBER.findall(text)}


def _terms(text: str) -> set[str]:
    return expand([t for t in content_terms(text) if t not in {"yes", "no"}])


@dataclass
class SpanContext:
    """What a set of cited spans holds: their text (the only evidence for a content claim), the articles'
    metadata and the quotes' attribution (which vouch only for who reported or said something, and when)."""

    text: str
    meta: str
    quotes: list[Quote]

    @classmethod
    def of(cls, spans: list[tuple[Article, Evidence]]) -> SpanContext:
        texts, meta, quotes = [], [], []
        for article, ev in spans:
            texts.append(article.text[ev.start : ev.end])
            when = article.published
            meta += [article.outlet or "", article.title or ""]
            if when:
                meta += [when.isoformat(), str(when.year), calendar.month_name[when.month], str(when.day)]
            for q in article.quotes:
                if q.start < ev.end and q.end > ev.start:
                    quotes.append(q)
                    meta += [q.speaker or "", q.speaker_role or "", q.via or ""]
        return cls(" \n".join(texts), " \n".join(meta), quotes)

    @property
    def everything(self) -> str:
        return f"{self.text}\n{self.meta}"


def _coverage(statement: str, context: SpanContext, speakers: set[str] = frozenset()) -> float:
    """Share of the statement's content words in the evidence — not counting the names of the people it
    quotes, so "X said <anything>" is not supported by X's name alone. A statement with no content words
    ("Yes.", "See above.") supports nothing, unless it states a number (checked verbatim by `_facts_ok`)."""
    wanted = _terms(statement) - {t for name in _attributed(statement, set(speakers)) for t in _terms(name)}
    if not wanted:
        return 1.0 if _numbers(statement) else 0.0
    return len(wanted & _terms(context.text)) / len(wanted)


def _name_terms(statement: str) -> set[str]:
    """The stems of the statement's names (capitalised words that are not sentence openers)."""
    return {t.stem for t in entail.tokenise(statement) if t.cap}


def _adds_content(
    statement: str, cited: list[tuple[Article, Evidence]], unit: list[tuple[Article, Evidence]], names: set[str]
) -> bool:
    """Does a further sentence give the statement something besides names that the cited ones lack (a word,
    a number: the second hop of a comparison)? One that lends only a name ('… exit to the Denver Nuggets'
    backed by a photo caption that mentions the Nuggets) would let a swapped name through."""
    wanted = _terms(statement)
    have = _terms(SpanContext.of(cited).text)
    new = (wanted & _terms(SpanContext.of(unit).text)) - have
    return bool(new - names)


def _same_person(name: str, speaker: str | None, role: str | None = None) -> bool:
    n, s = fold(name), fold(speaker or "")
    if not n or not s:
        return False
    return n == s or n == s.split()[-1] or (" " in n and (n in s or s in n)) or (len(n) > 3 and n in fold(role or ""))


def _attributed(statement: str, speakers: set[str]) -> set[str]:
    """Known speakers the statement names, when it reports someone's words (quoted or paraphrased)."""
    if not (_REPORTING.search(statement) or _QUOTED.search(statement)):
        return set()
    body = fold(re.sub(r"“[^”]*”|\"[^\"]*\"", " ", statement))
    return {
        s
        for s in speakers
        if re.search(rf"\b{re.escape(fold(s))}\b", body)
        or re.search(rf"\b{re.escape(fold(s.split()[-1]))}\b", body)
        and len(s.split()[-1]) > 3
    }


def repair_quotes(statement: str, spans: list[tuple[Article, Evidence]]) -> str | None:
    """Each quoted passage verbatim in a cited span; near-verbatim (punctuation/case/spacing) ones are
    replaced by the article's words; None when a quote cannot be found."""
    out, cursor = [], 0
    for match in _QUOTED.finditer(statement):
        words = match.group(1) or match.group(2)
        if not any(words in a.text[e.start : e.end] for a, e in spans):
            target = _loose(words)
            found = None
            for article, ev in spans:
                span_text = article.text[ev.start : ev.end]
                for piece in [q.text for q in article.quotes if q.start < ev.end and q.end > ev.start] + [span_text]:
                    if target and target == _loose(piece).strip():
                        found = piece.strip()
                        break
                if found:
                    break
            if found is None:
                return None
            out.append(statement[cursor : match.start()] + f"“{found}”")
            cursor = match.end()
    return "".join(out) + statement[cursor:]


def _nickname(statement: str, match: re.Match[str]) -> bool:
    """Quotation marks inside a name (Alia “SSSniperwolf” Shelesh) mark a nickname, not anyone's words."""
    before, after = statement[: match.start()].rstrip(), statement[match.end() :].lstrip()
    return (
        len((match.group(1) or match.group(2)).split()) == 1
        and re.search(r"\b[A-Z][\w'’-]*$", before) is not None
        and re.match(r"[A-Z][\w'’-]*\b", after) is not None
        and statement[match.start() - 1 : match.start()] == " "
        and statement[match.end() : match.end() + 1] == " "
    )


def speakers_ok(
    statement: str, spans: list[tuple[Article, Evidence]], context: SpanContext, speakers: set[str]
) -> bool:
    """Quoted words must be spoken by the person the statement names before them; paraphrased speech
    must be closest to a cited quote of the person it names (or be indirect speech the cited text
    itself attributes to them)."""
    for match in _QUOTED.finditer(statement):
        words = match.group(1) or match.group(2)
        named = _attributed(statement[: match.start()], speakers)
        if not named or _nickname(statement, match):
            continue
        holders = [(a, e) for a, e in spans if words in a.text[e.start : e.end]]
        owners = {
            q.speaker
            for a, e in holders
            for q in a.quotes
            if q.speaker and q.kind == "direct" and q.start <= a.text.find(words, e.start) < q.end
        }  # (reported speech is the reporter's wording: never the speaker's words in quotation marks)
        if not any(_same_person(n, o) for n in named for o in owners):
            return False
    named = _attributed(statement, speakers)
    if not named or _QUOTED.search(statement):
        return True
    terms = _terms(statement) - {t for n in named for t in _terms(n)}
    scored = sorted(((len(terms & _terms(q.text)), q) for q in context.quotes if q.speaker), key=lambda x: -x[0])
    if scored and scored[0][0] > 0:
        best = scored[0][0]
        return any(_same_person(n, q.speaker, q.speaker_role) for score, q in scored if score == best for n in named)
    folded = fold(context.text)  # indirect speech: "Rahman told AFP that …" in the cited text itself
    return any(fold(n.split()[-1]) in folded for n in named) and bool(_REPORTING.search(context.text))


# -- the verifier --------------------------------------------------------------------------------------
class Verifier:
    """Verifies statements one at a time against the offered evidence; `answer()` assembles the result."""

    def __init__(
        self,
        question: str,
        evidence: Sequence[Evidence],
        articles: dict[str, Article],
        allowed: set[str],
        similarity: Similarity | None = None,
        *,
        context: Sequence[Evidence] = (),
        layers: Collection[str] = LAYERS,
        judge: Judge | None = None,
    ) -> None:
        """`context`: spans of the retrieved chunks, which an unmarked statement may be aligned to besides the
        evidence offered to the engine; `layers` / `judge`: the claim-support check (answer/support.py)."""
        self.question, self.articles, self.similarity = question, articles, similarity
        self.layers, self.judge = layers, judge
        self.evidence = {e.n: e for e in evidence if _valid(e, articles, allowed)}
        self.speakers = {q.speaker for a in articles.values() for q in a.quotes if q.speaker}
        self._units = self._sentence_units(
            [*self.evidence.values(), *(e for e in context if _valid(e, articles, allowed))]
        )
        self.last: Support | None = None  # the claim-support outcome of the last statement checked
        self._numbering: dict[tuple[str, int, int], int] = {}
        self.citations: list[Citation] = []
        self.lines: list[str] = []
        self.dropped: list[str] = []
        self._speech: dict[tuple[str, tuple[tuple[str, int, int], ...]], bool] = {}

    def _sentence_units(self, spans: list[Evidence]) -> list[Evidence]:
        """The offered evidence (and retrieved chunks) cut into sentences: what an unmarked statement can be
        aligned to."""
        units, seen = [], set()
        for ev in spans:
            text = self.articles[ev.article_id].text[ev.start : ev.end]
            for a, b in sentences(text) or [(0, len(text))]:
                key = (ev.article_id, ev.start + a, ev.start + b)
                if key not in seen and text[a:b].strip():
                    seen.add(key)
                    units.append(Evidence(n=0, article_id=ev.article_id, start=key[1], end=key[2]))
        return units

    def _spans(self, cited: list[Evidence]) -> list[tuple[Article, Evidence]]:
        """The cited spans in the articles' own order: who-did-what is read across them as the article tells it
        (in ranking order 'X clipped it for Coman. Coman weaved …' would turn the roles round)."""
        return [(self.articles[e.article_id], e) for e in sorted(cited, key=_position)]

    def _supported(self, statement: str, cited: list[Evidence]) -> str | None:
        """The statement (quotes repaired) when its cited evidence supports it, else None. The gate is
        deterministic (words, numbers, names, quotes, speakers); similarity only ranks alignments."""
        if not cited:
            return None
        spans = self._spans(cited)
        repaired = repair_quotes(statement, spans)
        if repaired is None:
            return None
        self.last = support(
            repaired,
            [(a, e.start, e.end) for a, e in spans],
            layers=self.layers,
            judge=self.judge,
            unknown_words=entail.UNKNOWN_WORDS
            if self._paraphrases_speech(repaired, spans)
            else entail.STRICT_UNKNOWN_WORDS,
        )
        if not self.last.supported or not speakers_ok(repaired, spans, SpanContext.of(spans), self.speakers):
            return None
        return repaired

    def _paraphrases_speech(self, statement: str, spans: list[tuple[Article, Evidence]]) -> bool:
        """A statement about what someone said, not already in their words: the user sees that speaker's
        verbatim words in its place (own words), so claim support tolerates one unknown word there and is
        strict for every statement shown as written. Asked by the support check and again by own words for
        the same statement and spans, so kept per verifier."""
        key = (statement, tuple((e.article_id, e.start, e.end) for _, e in spans))
        if key not in self._speech:
            self._speech[key] = reports_speech(statement, spans) and not already_verbatim(statement, spans)
        return self._speech[key]

    def _own_words(self, statement: str, cited: list[Evidence]) -> tuple[str, list[Evidence]] | None:
        """A statement about what someone said, shown as their verbatim words (see answer/ownwords.py)."""
        spans = self._spans(cited)
        if not self._paraphrases_speech(statement, spans):
            return statement, cited
        found = own_words(statement, spans, layers=self.layers, judge=self.judge)
        return None if found is None else (found[0], [found[1]])

    def _align(self, statement: str) -> tuple[str, list[Evidence]] | None:
        """Cite an unmarked statement to the evidence sentences that support it (best first, then any
        that add support, e.g. the second hop of a comparison)."""
        if not self._units:
            return None
        texts = [self.articles[u.article_id].text[u.start : u.end] for u in self._units]
        sims = self.similarity([_strip_quotes(statement)], texts) if self.similarity else None
        semantic = list(sims[0]) if sims is not None else None
        scored = []
        for i, unit in enumerate(self._units):
            lexical = _coverage(statement, SpanContext.of(self._spans([unit])), self.speakers)
            scored.append((0.5 * lexical + 0.5 * float(semantic[i]) if semantic is not None else lexical, unit))
        scored.sort(key=lambda x: -x[0])
        cited: list[Evidence] = []
        best_cov = 0.0
        names = _name_terms(statement)
        for _score, unit in scored[:8]:
            trial = cited + [unit]
            cov = _coverage(statement, SpanContext.of(self._spans(trial)), self.speakers)
            if cited and not _adds_content(statement, self._spans(cited), self._spans([unit]), names):
                continue  # a name borrowed from an unrelated sentence is a swap, not a second hop
            if not cited or cov >= best_cov + 0.15:
                cited, best_cov = trial, cov
            if len(cited) == 3:
                break
        closest = sorted((u for _, u in scored[:3]), key=_position)
        joint = [(self.articles[u.article_id], u.start, u.end) for u in closest]
        if support(statement, joint, layers=self.layers).contradicted:
            return None  # the evidence closest to the statement says otherwise
        # shrink to what is needed: the fewest leading units that still verify
        for k in range(1, len(cited) + 1):
            kept = self._supported(statement, cited[:k])
            if kept is not None:
                return kept, cited[:k]
        return None

    def add(self, statement: str, numbers: Sequence[int] = ()) -> str | None:
        """Verify one statement; returns the line as the user sees it (final markers) or None (dropped)."""
        statement = statement.strip()
        if not statement:
            return None
        cited = [self.evidence[n] for n in dict.fromkeys(numbers) if n in self.evidence]
        kept = self._supported(statement, cited)
        if kept is None:
            contradicted = bool(cited) and self.last is not None and self.last.contradicted
            aligned = None if contradicted else self._align(statement)  # the cited words say otherwise: drop
            if aligned is None:
                self.dropped.append(statement)
                return None
            kept, cited = aligned
        spoken = self._own_words(kept, cited)
        if spoken is None:
            self.dropped.append(statement)
            return None
        kept, cited = spoken
        line = f"{kept} {''.join(f'[{i}]' for i in dict.fromkeys(self._cite(ev) for ev in cited))}"
        self.lines.append(line)
        return line

    def _cite(self, ev: Evidence) -> int:
        key = (ev.article_id, ev.start, ev.end)
        if key not in self._numbering:
            self._numbering[key] = len(self._numbering) + 1
            article = self.articles[ev.article_id]
            quote = _speaker_of(article, ev.start, ev.end)
            self.citations.append(
                Citation(
                    id=self._numbering[key],
                    article_id=article.id,
                    outlet=article.outlet,
                    title=article.title,
                    published=article.published,
                    url=article.url,
                    quote=article.text[ev.start : ev.end],
                    start=ev.start,
                    end=ev.end,
                    speaker=quote.speaker if quote else None,
                    speaker_role=quote.speaker_role if quote else None,
                    via=quote.via if quote else None,
                    quote_kind=quote.kind if quote else None,
                    page=article.page_at(ev.start),
                )
            )
        return self._numbering[key]

    def answer(self, **extra: object) -> Answer:
        if not self.lines:
            return Answer.refusal(self.question, dropped_sentences=tuple(self.dropped), **extra)
        return Answer(
            question=self.question,
            answer="\n".join(self.lines),
            refused=False,
            citations=tuple(self.citations),
            dropped_sentences=tuple(self.dropped),
            **extra,
        )


def _position(e: Evidence) -> tuple[str, int]:
    """Where a span stands: evidence is read in the articles' own order."""
    return e.article_id, e.start


def _strip_quotes(text: str) -> str:
    return re.sub(r"[“”\"]", "", text)


def verify(
    question: str,
    draft: Draft,
    articles: dict[str, Article],
    allowed: set[str],
    *,
    similarity: Similarity | None = None,
    context: Sequence[Evidence] = (),
    layers: Collection[str] = LAYERS,
    judge: Judge | None = None,
    **extra: object,
) -> Answer:
    """Turn a draft into an Answer that contains only verified, cited statements."""
    verifier = Verifier(
        question, draft.evidence, articles, allowed, similarity, context=context, layers=layers, judge=judge
    )
    for statement, numbers in split_statements(draft.text):
        verifier.add(statement, numbers)
    return verifier.answer(**extra)
