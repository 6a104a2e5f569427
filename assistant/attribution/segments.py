"""Which parts of an article attribution looks at: quotation spans (plus curly quotations left open at a
paragraph end), a fast inside-a-quotation test, and the sentences worth handing to spaCy.

Kept apart from quotes.py so the rules there read as rules; everything returns offsets into the
article text, never edited copies.
"""

from __future__ import annotations

import bisect
import re

from assistant.text.nlp import Parsed
from assistant.text.spans import span_containing


class Inside:
    """Is an offset within a quotation (marks included)?"""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = spans
        self.starts = [s for s, _ in spans]

    def __call__(self, at: int) -> bool:
        i = bisect.bisect_right(self.starts, at) - 1
        while i >= 0 and self.spans[i][1] >= at:
            if self.spans[i][0] <= at <= self.spans[i][1]:
                return True
            i -= 1
        return False


def speech_units(
    text: str,
    spans: list[tuple[int, int]],
    sents: list[tuple[int, int]],
    paras: list[tuple[int, int]],
    strong: re.Pattern[str],
    any_cue: re.Pattern[str],
) -> list[tuple[int, int]]:
    """The sentences worth parsing — a strong cue verb outside quotation marks, or any cue next to a
    quotation — merged with their neighbours in the same paragraph so clauses keep their context."""
    masked = mask(text, spans)
    units: list[tuple[int, int]] = []
    for start, end in sents:
        quoted = any(start <= o < end for o, _ in spans)
        if not (strong.search(masked, start, end) or quoted and any_cue.search(masked, start, end)):
            continue
        same_paragraph = units and span_containing(paras, units[-1][0]) == span_containing(paras, start)
        if same_paragraph and not text[units[-1][1] : start].strip():
            units[-1] = (units[-1][0], end)
        else:
            units.append((start, end))
    return units


class Units(dict):
    """Parsed units by offset, with their end offsets kept: spaCy rebuilds `doc.text` on every access, which
    made looking a unit up the costliest step of attribution."""

    def __init__(self) -> None:
        super().__init__()
        self.ends: dict[int, int] = {}
        self._starts: list[int] = []

    def add(self, parsed: Parsed) -> int:
        """Store one unit; returns its end offset."""
        self[parsed.offset] = parsed
        self.ends[parsed.offset] = parsed.offset + len(parsed.doc.text)
        bisect.insort(self._starts, parsed.offset)
        return self.ends[parsed.offset]

    def at(self, offset: int) -> Parsed | None:
        i = bisect.bisect_right(self._starts, offset) - 1
        if i >= 0 and offset < self.ends[self._starts[i]]:
            return self[self._starts[i]]
        return None


def unit_at(docs: dict[int, Parsed], at: int) -> Parsed | None:
    """The parsed unit containing offset `at`."""
    if isinstance(docs, Units):
        return docs.at(at)
    for parsed in docs.values():
        if parsed.offset <= at < parsed.offset + len(parsed.doc.text):
            return parsed
    return None


def mask(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with each quotation's words blanked (same length), so cue words inside quotes don't count."""
    chars = list(text)
    for open_i, close_i in spans:
        chars[open_i + 1 : close_i] = " " * max(0, close_i - open_i - 1)
    return "".join(chars)


def with_unclosed(text: str, spans: list[tuple[int, int]], paras: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A curly quotation opened and never closed in its paragraph runs to the paragraph's end: the
    convention for a quotation that continues in the next paragraph."""
    extra = []
    for p_start, p_end in paras:
        last = max((c for o, c in spans if p_start <= o < p_end), default=p_start - 1)
        tail = text[last + 1 : p_end]
        opening = tail.find("“")
        if opening >= 0 and "”" not in tail[opening:] and p_end - (last + 1 + opening) > 20:
            extra.append((last + 1 + opening, p_end))
    return sorted(spans + extra)


def intro_before(
    text: str, paras: list[tuple[int, int]], para: tuple[int, int], spans: list[tuple[int, int]]
) -> tuple[int, int] | None:
    """The paragraph right before a paragraph-opening quotation, when it introduces it: one short sentence
    without quotation marks of its own, or a line ending in a colon."""
    index = paras.index(para) if para in paras else 0
    if index == 0:
        return None
    start, end = paras[index - 1]
    line = text[start:end]
    if any(start <= o < end for o, _ in spans):
        return None
    one_sentence = len(line) <= 200 and len(re.findall(r"[.!?](?:\s|$)", line)) <= 1 and line.endswith((".", ":"))
    return (start, end) if one_sentence or line.endswith(":") else None
