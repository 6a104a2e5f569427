"""Citation verification: every engine's draft passes through here; only what can be verified survives.

For each statement of the draft (the text up to and including its [n] markers):
- markers must point at evidence that exists, in an article that was retrieved for this question,
  with offsets inside the stored article text;
- words inside quotation marks must appear verbatim in a cited span;
- when the statement names a speaker for quoted words, the cited quote must be theirs;
- a statement left with no valid marker is dropped (and listed in `dropped_sentences`).
Citations are renumbered in order of first use, duplicates merged, and their outlet/speaker metadata
is taken from the stored article — never from the engine. Nothing left → the fixed refusal.
"""

from __future__ import annotations

import re

from .models import Answer, Article, Citation, Draft, Evidence, Quote
from .text import quote_spans, sentences

_MARKERS = re.compile(r"(?:\s*\[\d+\])+[.!?;,]*")
_ONE_MARKER = re.compile(r"\[(\d+)\]")
_QUOTED = re.compile(r"“([^”]+)”|\"([^\"]+)\"")


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
    return inside[0] if inside and len({q.speaker for q in inside}) == 1 else None


def _valid(ev: Evidence, articles: dict[str, Article], allowed: set[str]) -> bool:
    article = articles.get(ev.article_id)
    return article is not None and ev.article_id in allowed and 0 <= ev.start < ev.end <= len(article.text)


def _quotes_ok(statement: str, spans: list[tuple[Article, Evidence]], all_speakers: set[str]) -> bool:
    """Quoted words verbatim in a cited span, and spoken by the person the statement names."""
    for match in _QUOTED.finditer(statement):
        words = match.group(1) or match.group(2)
        holders = [(a, e) for a, e in spans if words in a.text[e.start : e.end]]
        if not holders:
            return False
        named = {s for s in all_speakers if s in statement[: match.start()]}
        if named:
            owners = {q.speaker for a, e in holders for q in a.quotes if q.start <= a.text.find(words, e.start) < q.end}
            if owners and not (owners & named):
                return False
    return True


def verify(question: str, draft: Draft, articles: dict[str, Article], allowed: set[str], **extra: object) -> Answer:
    """Turn a draft into an Answer that contains only verified, cited statements."""
    evidence = {e.n: e for e in draft.evidence if _valid(e, articles, allowed)}
    speakers = {q.speaker for a in articles.values() for q in a.quotes if q.speaker}
    kept: list[tuple[str, list[Evidence]]] = []
    dropped: list[str] = []
    for statement, numbers in split_statements(draft.text):
        cited = [evidence[n] for n in dict.fromkeys(numbers) if n in evidence]
        spans = [(articles[e.article_id], e) for e in cited]
        if cited and _quotes_ok(statement, spans, speakers):
            kept.append((statement, cited))
        else:
            dropped.append(statement)
    if not kept:
        return Answer.refusal(question, dropped_sentences=tuple(dropped), **extra)
    numbering: dict[tuple[str, int, int], int] = {}
    citations: list[Citation] = []
    lines: list[str] = []
    for statement, cited in kept:
        ids = []
        for ev in cited:
            key = (ev.article_id, ev.start, ev.end)
            if key not in numbering:
                numbering[key] = len(numbering) + 1
                article = articles[ev.article_id]
                quote = _speaker_of(article, ev.start, ev.end)
                citations.append(
                    Citation(
                        id=numbering[key],
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
                    )
                )
            ids.append(numbering[key])
        marks = "".join(f"[{i}]" for i in dict.fromkeys(ids))
        lines.append(f"{statement} {marks}")
    return Answer(
        question=question,
        answer="\n".join(lines),
        refused=False,
        citations=tuple(citations),
        dropped_sentences=tuple(dropped),
        **extra,
    )
