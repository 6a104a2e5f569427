"""Is the retrieved evidence about what the question names? Names of the question checked against the
retrieved articles' text, outlets, titles, speakers and media (used by every engine and by the hop that
fetches the report behind a missing name)."""

from __future__ import annotations

import re

from assistant.lexicon import CALENDAR_WORDS, fold
from assistant.models import Article

# Capitalised only because they open a question or name a date ("Considering …", "Monday …"): never missing.
_NOT_NAMES = CALENDAR_WORDS | {"considering"}


def name_known(name: str, haystack: str, speakers: set[str]) -> bool:
    """Is a name from the question present in the evidence (text, speakers, surnames, acronyms)?"""
    needle, hay = fold(name), fold(haystack)
    if needle in hay or any(needle == fold(s.split()[-1]) or needle in fold(s) for s in speakers):
        return True
    tokens = needle.split()  # "Aleppo Syria" (from "Aleppo Syria's"): each part must be there
    return len(tokens) > 1 and all(re.search(rf"\b{re.escape(t)}\b", hay) for t in tokens)


def missing_names(names: tuple[str, ...] | list[str], articles: dict[str, Article]) -> list[str]:
    """Names of a question found nowhere in the retrieved articles (text, outlet, title, speakers): the
    gate for questions whose facts are spread over several articles rather than one sentence."""
    haystack = "\n".join(f"{a.outlet or ''}\n{a.title or ''}\n{a.text}" for a in articles.values())
    known = {x for a in articles.values() for q in a.quotes for x in (q.speaker, q.via) if x}
    return [n for n in names if n.split()[0].lower() not in _NOT_NAMES and not name_known(n, haystack, known)]
