"""What a question asks: its intent, the names it mentions and its content terms.

Rules, not a model: they are cheap, predictable and tested; the LLM engine can do better phrasing but
the same analysis decides refusals for every engine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.lexicon import alternation, question_speech_words

STOPWORDS = set(
    """a an the and or but if of to in on at by for with from as is are was were be been being do does did
    what which who whom whose when where why how that this these those it its he she they them his her their
    there here about into over after before than then so such not no nor can could should would will may might
    must have has had i you we me my our your us according said say says tell told report reported article
    any some all more most much many also just only very did does doing please give show list find describe
    explain according whether s t""".split()
)
_NAME = re.compile(
    r"(?<![\w’'])(?:[A-Z][\w'’.-]*|al-[A-Z][\w'’-]*)(?:\s+(?:al-|bin\s|de\s|of\s(?=the\s[A-Z])|of\s(?=[A-Z]))?[A-Z][\w'’.-]*)*"
)
_QWORDS = {
    "What",
    "Who",
    "Whom",
    "Which",
    "When",
    "Where",
    "Why",
    "How",
    "Did",
    "Does",
    "Do",
    "Is",
    "Are",
    "Was",
    "Were",
    "Has",
    "Have",
    "Can",
    "Could",
    "Should",
    "Would",
    "Tell",
    "Give",
    "List",
    "Show",
    "According",
    "In",
    "On",
    "The",
    "A",
    "An",
    "Please",
    "And",
    "But",
    "If",
    "Ignore",
    "Quote",
    "Summarize",
    "Name",
}
# Capitalised only because they open the question ("Besides …", "Apart from …").
_COMMON = set(
    """besides apart except beyond other another since until while during after before between among
following given why whose overall roughly approximately did list summarise summarize compare explain describe
tell give show""".split()
)
_WHO_SAID = re.compile(rf"\b(?:{alternation(question_speech_words())})\b", re.I)
_WHO_IS = re.compile(
    r"^\s*(?:who is|who's|who are|what is the (?:role|affiliation|job|title) of|what does .+ do\b|"
    r"which (?:think tank|organi[sz]ation|institute|group) (?:is|does) .+ (?:with|from|at|work)|"
    r"where does .+ work|who does .+ work for|what organi[sz]ation|what is .+['’]s (?:role|affiliation|job))",
    re.I,
)
_MEDIUM = re.compile(
    r"\b(?:on what|which|what|through which|via which|to which|in which)\s+(?:\w+\s+)?"
    r"(?:platform|medium|outlet|newspaper|"
    r"channel|network|media|agency|paper|publication|social network)\b|\bwhere did .+ (?:say|write|post|tell|speak)|"
    r"\bto whom did\b|\bwho did .+ (?:tell|speak to)\b",
    re.I,
)
MEDIA_IN_QUESTION = re.compile(
    r"\b(?:on|to|with|in)\s+(X|Twitter|AFP|Libération|Liberation|L'Orient-Le Jour|a press release)\b"
)


@dataclass(frozen=True)
class Query:
    text: str
    intent: str  # fact | who_said | who_is | medium
    names: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    medium: str | None = None
    wants_number: bool = False
    wants_date: bool = False
    topic: tuple[str, ...] = field(default=())


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def stems(tokens: list[str]) -> list[str]:
    return _stemmer().stemWords(tokens)


def content_terms(text: str) -> list[str]:
    """Stemmed, lower-cased content words (no stopwords, no one-letter tokens)."""
    tokens = [t.lower().strip("'’.-") for t in re.findall(r"[\w][\w'’-]*", text)]
    tokens = [re.sub(r"['’]s$", "", t) for t in tokens]
    return stems([t for t in tokens if len(t) > 1 and t not in STOPWORDS])


def names_in(text: str) -> list[str]:
    """Capitalised names in a question: 'Charles Lister', 'OSDH', 'X'. Possessives split names
    ("Crisis Group's Dareen Khalifa" → two), and a capitalised opening word is not a name."""
    found = []
    for match in _NAME.finditer(text):
        for part in re.split(r"['’]s\b", match.group(0)):
            words = part.split()
            if match.start() == len(text) - len(text.lstrip(" \"“'")) and part is not None:
                while words and (words[0] in _QWORDS or words[0].lower() in _COMMON):
                    words = words[1:]
            words = [w for w in words if w not in _QWORDS] if len(words) == 1 else words
            name = " ".join(words).strip("'’.,?")
            if name:
                found.append(name)
    return found


def analyse(question: str) -> Query:
    names = tuple(dict.fromkeys(names_in(question)))
    medium_match = MEDIA_IN_QUESTION.search(question)
    if _WHO_IS.search(question):
        intent = "who_is"
    elif _MEDIUM.search(question):
        intent = "medium"
    elif _WHO_SAID.search(question):
        intent = "who_said"
    else:
        intent = "fact"
    about = re.search(r"\babout\s+(.+?)[?.!]*$", question, re.I)
    return Query(
        text=question,
        intent=intent,
        names=names,
        terms=tuple(content_terms(question)),
        medium=medium_match.group(1) if medium_match else None,
        wants_number=bool(re.search(r"\bhow (?:many|much)\b|\bnumber of\b|\btoll\b|\bfigure\b", question, re.I)),
        wants_date=bool(re.search(r"\bwhen\b|\bwhat (?:day|date|year|month|time)\b|\bsince when\b", question, re.I)),
        topic=tuple(content_terms(about.group(1))) if about else (),
    )
