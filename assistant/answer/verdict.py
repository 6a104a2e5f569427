"""Yes/No verdicts decided in code, clause by clause, for every engine.

A question across reports (`answer.decompose.Plan`) is decided from the evidence of each clause:
- "claims": each clause's claim is checked against the best sentence of the report it names
  (`claim_check`, the one place where the claim-support judgement is made); a contradicted clause → No;
- "order": publication dates from the store decide before/after;
- "amount": numbers with their units, normalised, decide "the same amount?";
- "change" / "consistent": two dated reports found; the question's own polarity ("was there *no* change")
  decides, because code cannot judge a shift in portrayal — the answer says so and shows both reports.
A clause whose report cannot be found leaves the question undecided: the answer names the clause and why.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from assistant.answer.decompose import Clause, Plan
from assistant.answer.question import content_terms
from assistant.answer.support import LAYERS, support
from assistant.lexicon import MONTHS, expand, fold
from assistant.models import Article, Chunk, Draft, Evidence
from assistant.text.spans import sentences

Relevance = Callable[[str, Sequence[str]], Sequence[float]]
SEMANTIC_WEIGHT = 0.55
MIN_RELEVANCE = 0.25  # a clause's best sentence below this is not evidence for it
MAX_QUOTE_WORDS = 80
_CUE = re.compile(
    r"\b(?:suggest|claim|indicat|report|stat|impl|alleg|focus(?:es|ed)? on|discuss|describ|mention|highlight|"
    r"portray|attribut|credit|argu|note|say|said|assert|concentrat|propos|specif|quantif|depict|present)\w*\s+"
    r"(?:that\s+)?",
    re.I,
)
# The claim-support layers (answer/support.py) run on a clause's claim; all must pass for it to be supported.
VERDICT_LAYERS: tuple[str, ...] = LAYERS
# The layers whose contradictions decide a clause "No": the report says the opposite (a negation, a contrary
# word, the roles swapped). The others only say that the sentence does not state the claim as worded, which
# is not a "No": `hedges` ("suggests" — but the question itself asks what a report *suggests*), `numbers` and
# `dates` (a figure or date of the question missing from one sentence, or another figure beside it).
DECISIVE_LAYERS: tuple[str, ...] = ("polarity", "contrast", "roles")
# "…, without mentioning any legal events": a claim about what a report leaves out; no sentence of it can
# confirm or contradict that, and checking the rest against the sentence would read the "without" as a negation.
_SILENT = re.compile(
    r",?\s*\bwithout\s+(?:any\s+)?(?:mention(?:ing)?|indicat(?:ing|ion)|discuss(?:ing)?|referr?(?:ing)?|"
    r"address(?:ing)?|specify(?:ing)?|suggest(?:ing)?|detail(?:ing)?|reference)\b.*$",
    re.I,
)
_WRITTEN_DATE = re.compile(
    rf"\s*,?\s*\b(?:(?:published|released|reported|posted|dated)\s+)?(?:on|from|of)?\s*"
    rf"(?:(?:{'|'.join(MONTHS)})\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}(?:T[\d:+.Z-]*)?)",
    re.I,
)


@dataclass
class Judgement:
    status: str  # "supported" | "contradicted" | "unknown"
    reason: str = ""


@dataclass
class Finding:
    """A clause and the sentence of its report that bears on it."""

    clause: Clause
    article: Article | None = None
    start: int = 0
    end: int = 0
    score: float = 0.0
    judgement: Judgement = field(default_factory=lambda: Judgement("unknown", "no report found"))

    @property
    def found(self) -> bool:
        return self.article is not None

    @property
    def text(self) -> str:
        return self.article.text[self.start : self.end] if self.article else ""


@dataclass
class Verdict:
    answer: str | None  # "Yes", "No", a choice word ("Consistent"), or None when undecided
    reason: str
    findings: list[Finding]
    presumed: bool = False  # "Yes" with clauses neither confirmed nor contradicted (said so in the answer)
    by_claims: bool = False  # decided from the clauses' claim checks (not from dates, figures or polarity)


def proposition(clause: str) -> str:
    """What a clause claims, without its framing ("Does the TechCrunch article suggest that …") and without
    the publication dates that only say which report is meant ("… published on October 7, 2023")."""
    match = _CUE.search(clause)
    claim = clause[match.end() :] if match else clause
    claim = _SILENT.sub("", claim).strip(" ,") or claim
    return _WRITTEN_DATE.sub("", claim).strip(" ,") or claim


def claim_check(claim: str, article: Article, start: int, end: int) -> Judgement:
    """Does the report's sentence support the claim, contradict it, or neither? The claim-support judgement
    is `answer.support`'s (polarity, contraries, numbers, dates, roles, hedges …); only a contradiction from
    DECISIVE_LAYERS makes the clause "contradicted" — any other failure leaves it undecided ("unknown")."""
    spans = [(article, start, end)]
    decisive = support(claim, spans, layers=DECISIVE_LAYERS)
    if decisive.contradicted:
        return Judgement("contradicted", "; ".join(decisive.reasons))
    result = support(claim, spans, layers=VERDICT_LAYERS)
    if result.supported:
        return Judgement("supported", "supported by the report")
    reason = "; ".join(r.replace("contradicted", "not stated") for r in result.reasons) or "not stated as claimed"
    return Judgement("unknown", f"not confirmed: {reason}")


def candidates(clause: Clause, chunks: Sequence[Chunk], articles: dict[str, Article]) -> list[tuple[Article, int, int]]:
    """Sentences of the retrieved chunks from the reports a clause names (its outlets, its dates)."""
    outlets = {fold(o) for o in clause.outlets}
    out, seen = [], set()
    for chunk in chunks:
        article = articles.get(chunk.article_id)
        if article is None or (outlets and fold(article.outlet or "") not in outlets):
            continue
        if clause.dates and article.published not in clause.dates:
            continue
        for start, end in sentences(article.text):
            if start < chunk.end and end > chunk.start and (article.id, start) not in seen:
                if len(article.text[start:end].split()) <= MAX_QUOTE_WORDS:
                    seen.add((article.id, start))
                    out.append((article, start, end))
    return out


def find(clause: Clause, chunks: Sequence[Chunk], articles: dict[str, Article], relevance: Relevance) -> Finding:
    """The clause's best sentence (semantic + lexical relevance to its claim) and the claim check on it."""
    if clause.unknown and not clause.outlets:
        return Finding(clause, judgement=Judgement("unknown", f"no report from {', '.join(clause.unknown)} is stored"))
    pool = candidates(clause, chunks, articles)
    if not pool and clause.dates:  # the date may be the article's update, not its publication
        pool = candidates(Clause(clause.text, clause.outlets, (), clause.names), chunks, articles)
    if not pool:
        where = ", ".join(clause.outlets) or "any retrieved report"
        return Finding(clause, judgement=Judgement("unknown", f"no report from {where} was found for it"))
    claim = proposition(clause.text)
    texts = [a.text[s:e] for a, s, e in pool]
    semantic = relevance(claim, texts)
    terms = expand(content_terms(claim))
    scored = []
    for (article, start, end), text, sem in zip(pool, texts, semantic):
        lexical = len(terms & expand(content_terms(text))) / len(terms) if terms else 0.0
        scored.append((SEMANTIC_WEIGHT * float(sem) + (1 - SEMANTIC_WEIGHT) * lexical, article, start, end))
    score, article, start, end = max(scored, key=lambda x: x[0])
    if score < MIN_RELEVANCE:
        return Finding(
            clause, judgement=Judgement("unknown", f"nothing in {article.outlet or 'the reports'} bears on it")
        )
    return Finding(clause, article, start, end, score, claim_check(claim, article, start, end))


def clauses_to_find(plan: Plan) -> list[Clause]:
    """The clauses whose evidence is looked for. A change or an agreement is between reports: a clause naming
    several outlets ("between The Verge report and the Engadget report") is looked for once per outlet, so
    that each report is found (or said to be missing) and shown."""
    if plan.relation not in ("change", "consistent"):
        return list(plan.clauses)
    return [replace(c, outlets=(o,)) if c.outlets else c for c in plan.clauses for o in (c.outlets or (None,))]


def decide(plan: Plan, findings: list[Finding], *, presume: bool = False) -> Verdict:
    """The verdict from the clauses' findings; None (undecided) when a report the question needs is missing,
    and — unless `presume` — when the verdict would rest on a presumption (a clause neither confirmed nor
    contradicted, a change or agreement not judged in code): the assistant refuses rather than guess, and the
    refusal names the clause and why. With `presume` (ASSISTANT_PRESUME_VERDICTS) such a verdict is given,
    labelled as presumed in the answer."""
    verdict = _decide(plan, findings)
    if verdict.presumed and not presume:
        why = verdict.reason.removeprefix("presumed: ")
        reason = f"a verdict would be a presumption ({why}); no verdict is given"
        return Verdict(None, reason, findings, by_claims=verdict.by_claims)
    return verdict


def _decide(plan: Plan, findings: list[Finding]) -> Verdict:
    missing = [f for f in findings if not f.found]
    if plan.relation == "order":
        return _order(plan, findings)
    if plan.relation == "amount":
        return _amount(findings)
    if missing and (plan.relation == "claims" or len(findings) - len(missing) < 2):
        first = missing[0]
        why = f"cannot decide “{first.clause.text}”: {first.judgement.reason}"
        return Verdict(None, why, findings, by_claims=plan.relation == "claims")
    contradicted = [f for f in findings if f.judgement.status == "contradicted"]
    if plan.choice:
        return _choose(plan, findings, contradicted)
    if plan.relation in ("change", "consistent"):
        if len(findings) - len(missing) < 2:
            return Verdict(None, "cannot decide: a change or an agreement needs two reports, one was found", findings)
        yes = not plan.negated
        why = "presumed: the reports were found; whether their portrayal differs is not judged in code"
        return Verdict("Yes" if yes else "No", why, findings, presumed=True)
    if contradicted:
        why = f"“{contradicted[0].clause.text}”: {contradicted[0].judgement.reason}"
        return Verdict("No", why, findings, by_claims=True)
    undecided = [f for f in findings if f.judgement.status != "supported"]
    if undecided:  # the presumption is stated in the answer (`Verdict.basis`) and counted apart in the eval
        why = f"not contradicted, not confirmed: “{undecided[0].clause.text}”: {undecided[0].judgement.reason}"
        return Verdict("Yes", why, findings, presumed=True, by_claims=True)
    return Verdict("Yes", "each clause is supported by the report it names", findings, by_claims=True)


def _choose(plan: Plan, findings: list[Finding], contradicted: list[Finding]) -> Verdict:
    """ "consistent or inconsistent?", "larger or smaller?": the first word unless the evidence says otherwise."""
    assert plan.choice is not None
    first, second = plan.choice
    numbers = [f for f in findings if f.found and figures(f.text)]
    if {first, second} & {"larger", "smaller", "higher", "lower", "more", "less"} and len(numbers) >= 2:
        a, b = (figures(f.text)[0][0] for f in numbers[-2:])  # the clause asked about comes last
        bigger = b > a
        word = next(w for w in (first, second) if (w in ("larger", "higher", "more")) == bigger)
        return Verdict(word.capitalize(), f"{b:g} against {a:g}", findings)
    word = second if contradicted else first
    why = "presumed: the reports were found; their agreement is not judged in code"
    return Verdict(word.capitalize(), why, findings, presumed=not contradicted)


def _order(plan: Plan, findings: list[Finding]) -> Verdict:
    """ "Did A report … before B / that date?": publication dates from the store."""
    match = re.search(r"\b(before|after|earlier than|later than|prior to)\b", plan.question.split(",")[-1], re.I)
    match = match or re.search(r"\b(before|after|earlier than|later than|prior to)\b", plan.question, re.I)
    dated = [f for f in findings if f.found and f.article and f.article.published]
    if match is None or len(dated) < 2:
        return Verdict(None, "cannot decide: the dates of both reports are needed", findings)
    subject, reference = dated[-1], dated[0]
    for f in dated:
        if re.search(rf"\b{match.group(1)}\b", f.clause.text, re.I) and f is not dated[0]:
            subject, reference = f, dated[0] if f is not dated[0] else dated[-1]
    when, ref = subject.article.published, reference.article.published  # type: ignore[union-attr]
    earlier = match.group(1).lower() in ("before", "earlier than", "prior to")
    yes = when < ref if earlier else when > ref
    return Verdict("Yes" if yes else "No", f"published {when} and {ref}", findings)


_FIGURE = re.compile(
    r"(?P<cur>[$£€]|US\$|A\$)?\s?(?P<num>(?<![\d.])\d[\d,]*(?:\.\d+)?)\s?(?P<mult>billion|bn|million|m|thousand|k)?\b\s?"
    r"(?P<unit>%|per ?cent|percent|points?|runs?|goals?|yards?|years?|days?|people|dead)?",
    re.I,
)
_MULT = {"billion": 1e9, "bn": 1e9, "million": 1e6, "m": 1e6, "thousand": 1e3, "k": 1e3}


def figure_spans(text: str) -> list[tuple[int, int, float, str]]:
    """(start, end, value, unit) of the numbers with units in a text, normalised: '$4.3B' and '$4.3 billion'
    agree; '25 per cent' = '25%'. Years are not amounts."""
    out = []
    for m in _FIGURE.finditer(text):
        raw = m.group("num").replace(",", "")
        if not raw or (len(raw) == 4 and raw.startswith(("19", "20")) and not m.group("cur")):
            continue
        value = float(raw) * _MULT.get((m.group("mult") or "").lower(), 1)
        unit_word = (m.group("unit") or "").lower().replace(" ", "")
        unit = "%" if unit_word in ("%", "percent") else (m.group("cur") or unit_word.rstrip("s"))
        end = m.start() + len(m.group(0).rstrip())
        out.append((m.start() + len(m.group(0)) - len(m.group(0).lstrip()), end, value, unit))
    return out


def figures(text: str) -> list[tuple[float, str]]:
    """The numbers with units of a text, normalised (see `figure_spans`)."""
    return [(value, unit) for _, _, value, unit in figure_spans(text)]


def _amount(findings: list[Finding]) -> Verdict:
    found = [f for f in findings if f.found and figures(f.text)]
    if len(found) < 2:
        return Verdict(None, "cannot decide: a figure is needed from each report", findings)
    a, b = figures(found[0].text), figures(found[1].text)
    same = any(x == y for x in a for y in b)
    return Verdict("Yes" if same else "No", f"figures {a[:2]} and {b[:2]}", findings)


def draft(verdict: Verdict, *, with_verdict: bool = True) -> Draft:
    """The answer: the verdict first, then per clause the verbatim evidence with outlet and date. Without
    `with_verdict` only the evidence lines: what the citation verifier checks (the verdict is decided in code
    and put in front afterwards, `respond.labelled`)."""
    lines, evidence, seen = [], [], {}
    for finding in verdict.findings:
        if not finding.found or finding.article is None:
            continue
        key = (finding.article.id, finding.start)
        if key in seen:
            continue
        n = seen[key] = len(seen) + 1
        a = finding.article
        who = a.outlet or "An article with no stated outlet"
        when = f" on {a.published.isoformat()}" if a.published else ""
        words = re.sub(r"\s+", " ", finding.text).strip()
        head = f"{verdict.answer}: " if n == 1 and verdict.answer and with_verdict else ""
        lines.append(f"{head}{who} reported{when}: “{words}” [{n}]")
        evidence.append(Evidence(n=n, article_id=a.id, start=finding.start, end=finding.end))
    return Draft(text="\n".join(lines), evidence=tuple(evidence), reason=None if lines else verdict.reason)
