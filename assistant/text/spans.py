"""Offset-preserving text primitives shared by attribution, the engines and citation checks.

Everything here returns character spans into the original string, never edited copies, because a
citation is only valid when `article.text[start:end]` is exactly what we show.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

OPEN_MARKS = "“«„"
CLOSE_FOR = {"“": "”", "«": "»", "„": "“"}
_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "jr",
    "sr",
    "prof",
    "gen",
    "sen",
    "rep",
    "gov",
    "lt",
    "col",
    "capt",
    "sgt",
    "vs",
    "bros",  # "Super Mario Bros. Wonder", "Warner Bros. Discovery"
    "etc",
    "no",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "u.s",
    "u.k",
    "e.g",
    "i.e",
    "mt",
    "ft",
    "approx",
    "fig",
    "vol",
}
_MARK = re.compile('[“”«»„"]')  # the characters quote_spans acts on: OPEN_MARKS, their closers, '"'
_SINGLE = re.compile("[‘']")  # the marks that can open a single quotation
_CACHED_TEXTS = 2048  # article texts (and drafts) whose quotation and sentence spans are kept
_BOUNDARY = re.compile(r"[.!?]+[”’\"')\]»]*(?=\s+[“\"‘'(\[«A-Z0-9])")


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of non-empty lines (news bodies use one line per paragraph)."""
    spans, start = [], 0
    for line in text.split("\n"):
        end = start + len(line)
        stripped = line.strip()
        if stripped:
            left = start + (len(line) - len(line.lstrip()))
            spans.append((left, left + len(stripped)))
        start = end + 1
    return spans


def quote_spans(text: str) -> list[tuple[int, int]]:
    """(open, close) indices of quotation marks; the quoted words are text[open + 1:close].

    Curly quotes and guillemets nest; straight double quotes pair up within a paragraph. A quote never
    crosses a paragraph, except that an unclosed straight quote at a paragraph end (AP style for a
    multi-paragraph quote) runs to that paragraph's end.

    The answer engines split the same article texts many times per question: results are cached per text
    (a fresh list is returned each time, so callers may change it).
    """
    return list(_quote_spans(text))


@lru_cache(maxsize=_CACHED_TEXTS)
def _quote_spans(text: str) -> tuple[tuple[int, int], ...]:
    spans: list[tuple[int, int]] = []
    for p_start, p_end in paragraphs(text):
        stack: list[tuple[int, str]] = []
        straight_open: int | None = None
        for match in _MARK.finditer(text, p_start, p_end):  # every other character leaves the state as it is
            i, ch = match.start(), match.group()
            if stack and ch == stack[-1][1]:
                open_i, _ = stack.pop()
                if not stack and i > open_i + 1:
                    spans.append((open_i, i))
            elif ch in OPEN_MARKS:
                stack.append((i, CLOSE_FOR[ch]))
            elif ch == '"' and not stack:
                if straight_open is None:
                    straight_open = i
                else:
                    if i > straight_open + 1:
                        spans.append((straight_open, i))
                    straight_open = None
        if straight_open is not None and p_end - straight_open > 20:
            spans.append((straight_open, p_end))
        spans += _single_quoted(text, p_start, p_end, [s for s in spans if p_start <= s[0] < p_end])
    spans.sort()
    return tuple(spans)


_OPENS_AFTER = " \t([{—–-:/"


def _mostly_capitals(segment: str) -> bool:
    """More than 60 % of the letters are capitals (counted per distinct character: the same as per character)."""
    letters = upper = 0
    for ch, n in Counter(segment).items():
        if ch.isalpha():
            letters += n
            if ch.isupper():
                upper += n
    return bool(letters) and upper > 0.6 * letters


def _single_quoted(text: str, p_start: int, p_end: int, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Single quotation marks used as quotation marks (UK style): `‘We know these games are do or die.’`.

    Told apart from apostrophes by position: the opening mark starts a word after a space (or bracket, dash,
    colon), the closing one ends a word and is not followed by a letter (`don’t`, `Levy’s` stay words). Only
    outside double quotations (nested ‘inner’ quotes belong to their outer quote) and within one paragraph."""
    found: list[tuple[int, int]] = []
    segment = text[p_start:p_end]
    if "‘" not in segment and "'" not in segment:  # only a single mark can open
        return found
    if _mostly_capitals(segment):
        return found  # an all-caps headline or link line ('SAYS IT WON'T REST: ‘BRING THEM HOME’'), not copy
    # the double marks in text[p_start:i], counted as i moves right (i never moves left)
    counted, curly_open, curly_close, straight = p_start, 0, 0, 0
    skip_to = p_start
    for match in _SINGLE.finditer(text, p_start, p_end):
        i, ch = match.start(), match.group()
        if i < skip_to:  # inside a single quotation already found
            continue
        if counted < i:
            between = text[counted:i]
            curly_open += between.count("“")
            curly_close += between.count("”")
            straight += between.count('"')
            counted = i
        inside = any(o <= i <= c for o, c in taken) or curly_open > curly_close or straight % 2 == 1
        opening = not inside and (i == p_start or text[i - 1] in _OPENS_AFTER)
        if not opening or i + 1 >= p_end or not text[i + 1].isalnum():
            continue
        closers = "’" if ch == "‘" else "'"
        close = None
        for j in range(i + 2, p_end):
            if any(o <= j <= c for o, c in taken) or text[j] in '“”"':
                break
            nxt = text[j + 1] if j + 1 < p_end else " "
            if text[j] in closers and not text[j - 1].isspace() and not nxt.isalnum():
                close = j
                break
        if close is None and ch == "‘":  # ‘We know … die.” — opened single, closed double (a typo copy keeps)
            j = text.find("”", i, p_end)
            close = j if j > i + 1 and "“" not in text[i:j] else None
        if close is not None and len(text[i + 1 : close].split()) >= 3 and not text[close - 1].isdigit():
            found.append((i, close))  # a word or two in single marks is a term or a title far more often than speech
            skip_to = close + 1
    return found


def sentences(text: str, protected: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """Sentence spans. Never splits inside a quotation (so a multi-sentence quote stays whole)
    or after a known abbreviation or a single initial; a newline always ends a sentence.

    Without `protected` (the text's own quotations), results are cached per text; a fresh list every time."""
    if protected is None:
        return list(_sentences(text))
    return _split(text, protected)


@lru_cache(maxsize=_CACHED_TEXTS)
def _sentences(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(_split(text, list(_quote_spans(text))))


def _split(text: str, protected: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for p_start, p_end in paragraphs(text):
        start = p_start
        for match in _BOUNDARY.finditer(text, p_start, p_end):
            cut = match.end()
            if any(o < match.start() < c for o, c in protected if o >= p_start and c <= p_end):
                continue
            word = text[max(p_start, match.start() - 12) : match.start()].split()[-1:] or [""]
            token = word[0].lower().lstrip('(“"')
            if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                continue
            spans.append((start, cut))
            start = cut
            while start < p_end and text[start].isspace():
                start += 1
        if start < p_end:
            spans.append((start, p_end))
    return spans


def span_containing(spans: list[tuple[int, int]], index: int) -> tuple[int, int] | None:
    """The span that contains `index` (spans sorted, non-overlapping)."""
    for start, end in spans:
        if start <= index < end:
            return start, end
    return None
