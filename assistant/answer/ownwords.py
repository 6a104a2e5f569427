"""Experts speak in their own words: a statement that reports what a person or organisation said, wrote,
warned, believes, denied … reaches the user only as that speaker's verbatim words — the quotation (in
quotation marks, as the article has it) or, for reported speech, the reporter's verbatim sentence (never in
quotation marks) — with the speaker named from the store. A model's paraphrase of a person is replaced by
the verbatim words that support it, or dropped.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from assistant.answer.support import LAYERS, Judge, support
from assistant.attribution.mentions import classify
from assistant.lexicon import alternation, cue_forms, fold, fold_name, speech_forms
from assistant.models import Article, Evidence, Quote
from assistant.text.spans import sentences

# Any wording of a verb of saying or believing (attribution's cue verbs, without those that are everyday
# nouns), plus verbs of denying and judging that news copy uses for a source's claims.
_SPEECH_WORDS = set(cue_forms(nouns=False)) | speech_forms(
    frozenset("deny reject dismiss doubt consider reckon suspect criticize criticise".split())
)
_REPORTING = re.compile(rf"\b(?:{alternation(_SPEECH_WORDS)}|according to)\b", re.I)
_QUOTED = re.compile(r"“([^”]+)”|\"([^\"]+)\"")
_OUTSIDE_QUOTES = re.compile(r"“[^”]*”|\"[^\"]*\"")
MAX_SENTENCES = 3  # the longest verbatim passage shown in place of a paraphrase


def reports_speech(statement: str, spans: Sequence[tuple[Article, Evidence]] = ()) -> bool:
    """Does the statement report what someone said, wrote or thinks: a verb of saying used as one (see
    `entail.speech_cue`), or words in quotation marks that the cited article attributes to a speaker?"""
    from assistant.answer.entail import speech_cue, tokenise

    if speech_cue(tokenise(statement)) is not None:
        return True
    for match in _QUOTED.finditer(statement):
        words = match.group(1) or match.group(2)
        for article, ev in spans:
            at = article.text.find(words, ev.start)
            if 0 <= at < ev.end and any(q.speaker and q.start <= at < q.end for q in article.quotes):
                return True
    return False


def _loose(text: str) -> str:
    return " ".join(re.findall(r"\w+", fold(text)))


def already_verbatim(statement: str, spans: Sequence[tuple[Article, Evidence]]) -> bool:
    """The statement is the article's own sentence, or a frame ('X, role, told AFP:' / 'Engadget reported on
    2023-10-20:') around quoted words only: it already shows the speaker's words."""
    body = _loose(re.sub(r"\s*\[\d+\]", "", statement))
    if body and any(body in _loose(a.text) for a, _ in spans):
        return True
    if not _QUOTED.search(statement):
        return False
    frame = _loose(_OUTSIDE_QUOTES.sub(" ", statement))
    allowed = set(_loose(" ".join(_frame_words(spans))).split()) | {w.lower() for w in _SPEECH_WORDS}
    allowed |= {"the", "a", "an", "on", "in", "to", "that", "of", "at", "yes", "no", "and", "via", "as"}
    return all(w in allowed or w.isdigit() for w in frame.split())


def _frame_words(spans: Sequence[tuple[Article, Evidence]]) -> list[str]:
    out = []
    for article, ev in spans:
        out += [article.outlet or "", article.published.isoformat() if article.published else ""]
        for q in article.quotes:
            if q.start < ev.end and q.end > ev.start:
                out += [q.speaker or "", q.speaker_role or "", q.via or ""]
    return out


def _voices(article: Article, start: int, end: int) -> list[Quote]:
    return [q for q in article.quotes if q.speaker and q.start < end and q.end > start]


def _names_speaker(text: str, quote: Quote) -> bool:
    folded = fold_name(text)
    name = fold_name(quote.speaker or "")
    parts = name.split()
    if not parts:
        return False
    return name in folded or any(re.search(rf"\b{re.escape(p)}\b", folded) for p in {parts[0], parts[-1]})


def _prefix(quote: Quote, text: str) -> str:
    """'Keith Truelove, head of global markets at UBS Securities Japan:' when the words do not name him."""
    if _names_speaker(text, quote):
        return ""
    name = quote.speaker or ""
    if classify(name) == "org" and len(name.split()) > 1:
        name = "The " + name
    return f"{name}, {quote.speaker_role}: " if quote.speaker_role else f"{name}: "


def _candidates(spans: Sequence[tuple[Article, Evidence]]) -> list[tuple[Article, int, int]]:
    """Sentences of the cited spans, then runs of two and three of them (a quote and its attribution)."""
    out: list[tuple[Article, int, int]] = []
    for article, ev in spans:
        text = article.text[ev.start : ev.end]
        units = [(ev.start + a, ev.start + b) for a, b in sentences(text) if text[a:b].strip()] or [(ev.start, ev.end)]
        for size in range(1, MAX_SENTENCES + 1):
            out += [(article, units[i][0], units[i + size - 1][1]) for i in range(len(units) - size + 1)]
    return out


def _named_sources(statement: str, spans: Sequence[tuple[Article, Evidence]]) -> list[str]:
    """The speakers (as the store names them) and outlets the statement gives as its source."""
    from assistant.answer.entail import Pair, is_outlet, is_speaker, source_names

    pair = Pair.of(statement, [(a, e.start, e.end) for a, e in spans])
    out = []
    for name in source_names(pair):
        if is_outlet(name, pair.outlets):
            out.append("@outlet")
        elif is_speaker(name, pair) or any(t.cap for t in pair.s if t.word in name.split()):
            out.append(name)
    return out


def _voiced_by(named: list[str], article: Article, start: int, end: int) -> Quote | None | bool:
    """The quote of a named speaker in the words (True: they need none — the outlet, or nobody named, or the
    words name the speaker as the one who speaks); None when the words are not the named speaker's."""
    from assistant.answer.entail import Pair, is_speaker, voiced_in_text

    people = [n for n in named if n != "@outlet"]
    voices = _voices(article, start, end)
    if not people:
        return voices[0] if voices else True
    pair = Pair.of("", [(article, start, end)])
    by_first = [q for q in voices if any(_first_name_of(n, q, voices) for n in people)]
    if by_first:
        return by_first[0]
    if any(is_speaker(n, pair) for n in people):
        return next((q for q in voices if any(_names_speaker(n, q) for n in people)), voices[0] if voices else True)
    return True if any(voiced_in_text(n, pair) for n in people) else None


def _first_name_of(name: str, quote: Quote, voices: list[Quote]) -> bool:
    """'Jada' for Jada Pinkett Smith: a statement may name a speaker by a first name that no other speaker of
    the words shares."""
    first = fold_name(name)
    if " " in first or not first:
        return False
    speakers = {fold_name(q.speaker or "") for q in voices}
    holders = [s for s in speakers if len(s.split()) > 1 and s.split()[0] == first]
    return len(holders) == 1 and fold_name(quote.speaker or "") == holders[0]


def _lends_another_voice(statement: str, named: list[str], article: Article, start: int, end: int) -> bool:
    """A passage of several sentences, one of which says another speaker — one the statement does not name —
    says it: shown for the named source, it would lend them what someone else said ('the team said …' +
    'Russo reports the team will …' is not the team announcing both)."""
    people = [n for n in named if n != "@outlet"]
    pieces = [(start + a, start + b) for a, b in sentences(article.text[start:end])]
    if not people or len(pieces) < 2:
        return False
    for a, b in pieces:
        others = [
            q
            for q in _voices(article, a, b)
            if not any(_same_voice(n, q) for n in people)
            and _names_speaker(article.text[a:b], q)
            and not _names_speaker(statement, q)
        ]
        if others:
            return True
    return False


def _same_voice(name: str, quote: Quote) -> bool:
    folded, speaker = fold_name(name), fold_name(quote.speaker or "")
    return bool(folded) and (folded == speaker or folded.split()[-1] == speaker.split()[-1])


def own_words(
    statement: str,
    spans: Sequence[tuple[Article, Evidence]],
    *,
    layers: Collection[str] = LAYERS,
    judge: Judge | None = None,
) -> tuple[str, Evidence] | None:
    """The verbatim words (a sentence, or up to MAX_SENTENCES of them) of the cited spans that are the named
    speaker's (their quote, or a sentence that names them) and support the statement, as the line to show and
    the evidence it cites; None when there are none."""
    named = _named_sources(statement, spans)
    for article, start, end in _candidates(spans):
        voice = _voiced_by(named, article, start, end)
        if voice is None or _lends_another_voice(statement, named, article, start, end):
            continue
        if not support(statement, [(article, start, end)], layers=layers, judge=judge).supported:
            continue
        words = re.sub(r"\s+", " ", article.text[start:end]).strip()
        prefix = _prefix(voice, words) if isinstance(voice, Quote) else ""
        return prefix + words, Evidence(n=0, article_id=article.id, start=start, end=end)
    return None
