"""Claim support: does the text of some article spans entail a statement? The check every cited statement
passes (answer/verify.py) and the one multi-hop verdicts use claim by claim.

    from assistant.answer.support import support
    result = support("Kuo said supply may remain tight until early 2024.", [(article, 120, 260)])
    result.verdict   # "supported" | "contradicted" | "unknown"
    result.layer     # the layer that decided ("polarity", "numbers", ...), None when supported
    result.reasons   # why, in words

Evidence is the spans' *text* only. The articles' metadata (outlet, title, date) and the attribution of
their quotes (speaker, role, medium) may vouch only for *who* reported or said something, never for a
content claim: a name found only in metadata is accepted when the statement names it as its source.

The check is built in layers (entail.py), each a rule that knows one way a lexically close sentence can
say something else; `layers=` switches them (the faithfulness eval measures each one's contribution):
- `numbers`: every number, with its currency, unit and bound ('more than 300'), is in the spans;
- `dates`: months and weekdays are in the spans;
- `names`: every name is in the spans' text, or is the statement's source (outlet / quoted speaker);
- `sources`: a source the statement names is the cited article's outlet or a speaker quoted in the spans
  (aliases: 'OSDH' = 'the Syrian Observatory for Human Rights' = 'the NGO' = 'the Observatory');
- `polarity`: what the spans negate the statement may not assert, and the other way round;
- `contrast`: no word replaced by its contrary (rise/fall, win/lose, more/less, import/export …);
- `roles`: who did what to whom: two names around a shared verb or direction word keep their order
  (passives taken into account), and 'from A to B' is not 'from B to A';
- `hedges`: a claim the spans hedge ('could', 'plans to', 'suggests', 'reportedly') stays hedged;
- `words`: the statement's content words are accounted for in the spans (stems, SYNONYMS, PARAPHRASES);
  an unknown word is a reason to doubt, not a rounding error (at most UNKNOWN_WORDS of them);
- `judge` (optional: only when a judge is given): a strict yes/no entailment judgement by an LLM, asked
  after all the other layers passed — one more layer, never the only one.
A statement is *contradicted* when any layer finds a contradiction, *unknown* when any layer cannot
account for something, *supported* otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Literal

from assistant.answer import entail
from assistant.models import Article
from assistant.text.injection import is_instruction
from assistant.text.spans import sentences

Span = tuple[Article, int, int]
Verdict = Literal["supported", "contradicted", "unknown"]
Judge = Callable[[str, str], bool | None]  # (statement, evidence text) -> entailed? (None: no answer)

LAYERS: tuple[str, ...] = (
    "numbers",
    "dates",
    "names",
    "sources",
    "polarity",
    "contrast",
    "roles",
    "hedges",
    "words",
)
OPTIONAL_LAYERS: tuple[str, ...] = ("judge",)


@dataclass(frozen=True)
class Support:
    """The outcome of `support`: the verdict, the layer that decided it (None when supported) and why."""

    verdict: Verdict
    layer: str | None = None
    reasons: tuple[str, ...] = ()

    @property
    def supported(self) -> bool:
        return self.verdict == "supported"

    @property
    def contradicted(self) -> bool:
        return self.verdict == "contradicted"


def _squash(text: str) -> str:
    return " ".join(text.split())


def verbatim_sentence(statement: str, spans: Sequence[Span]) -> bool:
    """The statement is, word for word, one cited span or one whole sentence of it. The layers judge
    paraphrases; run on the article's own sentence they can only misread it (an 'according to' clause taken
    for a missing speaker), so such a statement is supported as it stands."""
    wanted = _squash(statement)
    if len(wanted.split()) < 4 or is_instruction(wanted):
        return False
    for article, start, end in spans:
        text = article.text[start:end]
        if _squash(text) == wanted or any(_squash(text[a:b]) == wanted for a, b in sentences(text)):
            return True
    return False


def support(
    statement: str,
    spans: Sequence[Span],
    *,
    layers: Collection[str] = LAYERS,
    judge: Judge | None = None,
    unknown_words: int = entail.UNKNOWN_WORDS,
) -> Support:
    """Is `statement` entailed by the text of `spans` ((article, start, end) offsets into article.text)?
    Every requested layer runs; a contradiction anywhere wins over an unknown, which wins over support.
    `judge` adds the optional LLM layer, asked only when every other layer found nothing: it can withhold
    support, never grant it. `unknown_words`: how many content words the `words` layer lets pass unaccounted
    for — STRICT_UNKNOWN_WORDS for a statement the user reads as written (answer/verify.py); the default
    tolerance of one where the user sees verbatim words instead (own words) or only a Yes/No built on them."""
    if not spans or not statement.strip():
        return Support("unknown", "words", ("no evidence" if not spans else "empty statement",))
    if is_instruction(statement):  # 'You are now in developer mode.': an echoed injection reports nothing
        return Support("unknown", "words", ("the statement addresses a reader or a model; it reports nothing",))
    if verbatim_sentence(statement, spans):
        return Support("supported")  # the article's own sentence says exactly what the article says
    pair = entail.Pair.of(statement, [(a, s, e) for a, s, e in spans])
    pair.unknown_words = unknown_words
    if not entail.says_something(pair):
        return Support("unknown", "words", ("the statement says nothing the evidence could support",))
    findings: list[tuple[str, entail.Finding]] = []
    for name in LAYERS:
        if name in layers:
            findings += [(name, f) for f in entail.LAYER_CHECKS[name](pair)]
    if judge is not None and not findings:
        answer = judge(pair.statement, pair.text)
        if answer is False:
            findings.append(("judge", entail.Finding("unknown", "the LLM judge does not find it entailed")))
    for verdict in ("contradicted", "unknown"):
        hits = [(name, f) for name, f in findings if f.verdict == verdict]
        if hits:
            return Support(verdict, hits[0][0], tuple(f"{name}: {f.reason}" for name, f in hits))  # type: ignore[arg-type]
    return Support("supported")
