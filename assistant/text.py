"""Offset-preserving text primitives shared by attribution, the engines and citation checks.

Everything here returns character spans into the original string, never edited copies, because a
citation is only valid when `article.text[start:end]` is exactly what we show.
"""

from __future__ import annotations

import re

OPEN_MARKS = "“«„"
CLOSE_FOR = {"“": "”", "«": "»", "„": "“"}
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "prof", "gen", "sen", "rep", "gov", "lt", "col", "capt", "sgt",
    "vs", "etc", "no", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "u.s", "u.k", "e.g", "i.e", "mt", "ft", "approx", "fig", "vol",
}  # fmt: skip
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
    """
    spans: list[tuple[int, int]] = []
    for p_start, p_end in paragraphs(text):
        stack: list[tuple[int, str]] = []
        straight_open: int | None = None
        for i in range(p_start, p_end):
            ch = text[i]
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
    spans.sort()
    return spans


def sentences(text: str, protected: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """Sentence spans. Never splits inside a quotation (so a multi-sentence quote stays whole)
    or after a known abbreviation or a single initial; a newline always ends a sentence."""
    protected = quote_spans(text) if protected is None else protected
    spans: list[tuple[int, int]] = []
    for p_start, p_end in paragraphs(text):
        start = p_start
        for match in _BOUNDARY.finditer(text, p_start, p_end):
            cut = match.end()
            if any(o < match.start() < c for o, c in protected if o >= p_start and c <= p_end):
                continue
            word = text[max(p_start, match.start() - 12) : match.start()].split()[-1:] or [""]
            token = word[0].lower().lstrip("(“\"")
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
