"""'Which company …?' / 'Who is the individual …?': name the entity the retrieved reports agree on.

Multi-hop inference questions (a third of MultiHop-RAG) describe one entity through facts reported by
several outlets and never name it. A 1.5B model mostly fails them (1 of 8 on our sample); code does
better by voting: spaCy entities of the kind the question asks for, found in the best-scoring evidence
sentences, each article counted once at its best sentence's score, entities the question already names
(and the outlets) excluded. The answer names the winner and cites, per article, its best sentence that
mentions it, verbatim — so `cite` checks it like any other statement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.lexicon import fold_name as fold
from assistant.models import Article, Draft, Evidence
from assistant.text.nlp import pipeline
from assistant.text.spans import sentences

MAX_SENTENCES = 40  # evidence sentences read for entities, best first
MAX_LINES = 2
MENTION_WEIGHT = 0.05  # a little credit for being mentioned often: the subject of a story recurs
_PERSON = (
    r"individual|person|figure|man|woman|executive|ceo|founder|player|athlete|receiver|quarterback|star|singer|"
    r"agent|politician|billionaire|entrepreneur|investor|leader|celebrity|subject"
)
_ORG = (
    r"company|companies|firm|organi[sz]ation|institution|corporation|startup|business|giant|maker|agency|club|team|"
    r"platform|brand|network|exchange|studio|retailer|bank|lab"
)
_GPE = r"country|nation|city"
_PRODUCT = r"chatbot|model|app|device|product|phone|console|game|software|service"
_KINDS = ((_PERSON, ("PERSON",)), (_ORG, ("ORG",)), (_GPE, ("GPE",)), (_PRODUCT, ("PRODUCT", "ORG")))
_OPENING = re.compile(
    r"^\s*(?:(?:considering|according to|based on|given)\b[^,?]*,\s*)?"  # "Considering the claims of …, which …"
    r"(?:who\s+(?:is|was)\s+(?:the|a|an)\s+|what\s+is\s+the\s+name\s+of\s+the\s+|(?:which|what)\s+)"
    r"((?:[\w'’-]+,?\s+){0,3}?)(?P<noun>" + "|".join(k for k, _ in _KINDS) + r")\b",
    re.I,
)


def entity_labels(question: str) -> tuple[str, ...] | None:
    """The spaCy labels a 'which X / who is the X' question asks for; None for other questions."""
    if re.match(r"^\s*who\s*,", question, re.I):  # "Who, according to …, is …?"
        return ("PERSON",)
    match = _OPENING.match(question)
    if not match:
        return None
    noun = match.group("noun").lower()
    return next(labels for pattern, labels in _KINDS if re.fullmatch(pattern, noun, re.I))


def _key(text: str, labels: tuple[str, ...]) -> str:
    """Variants of one entity share a key: 'Sam Bankman-Fried' / 'Bankman-Fried'; 'Google' / 'Google’s'."""
    folded = fold(re.sub(r"['’]s$", "", text.strip()))
    folded = re.sub(r"\b(?:inc|corp|corporation|ltd|llc|plc|co)\b\.?", "", folded).strip()
    if "PERSON" in labels and folded:
        return folded.split()[-1]
    return folded


@dataclass
class _Votes:
    forms: dict[str, int] = field(default_factory=dict)
    tokens: set[str] = field(default_factory=set)
    mentions: int = 0
    best: dict[str, tuple[float, object, str]] = field(default_factory=dict)  # article id → (score, cand, form)

    @property
    def score(self) -> float:
        return sum(s for s, _, _ in self.best.values()) + MENTION_WEIGHT * min(self.mentions, 10)


def _merge(votes: dict[str, _Votes]) -> dict[str, _Votes]:
    """'United' joins 'Manchester United', 'Fed' joins 'Federal Reserve': a key whose words are all in one
    longer key (or that abbreviates its first word) is the same entity, when only one longer key fits."""
    firsts = {f.split()[0].casefold() for v in votes.values() for f in v.forms if len(f.split()) > 1}
    for key in [k for k, v in votes.items() if all(len(f.split()) == 1 for f in v.forms)]:
        if key in firsts:  # "Sam" alone, next to "Sam Bankman-Fried" / "Sam Altman": a first name, not a vote
            del votes[key]
    keys = sorted(votes, key=lambda k: len(k.split()))
    for short in keys:
        words = short.split()
        longer = [
            k
            for k in keys
            if len(k.split()) > len(words)
            and (
                set(words) <= set(k.split()) or (len(words) == 1 and len(short) >= 3 and k.split()[0].startswith(short))
            )
        ]
        if len(longer) == 1:
            target = votes[longer[0]]
            for form, n in votes.pop(short).forms.items():
                target.forms[form] = target.forms.get(form, 0) + n
    return votes


def vote(
    question: str, labels: tuple[str, ...], ranked: list, articles: dict[str, Article]
) -> list[tuple[str, _Votes]]:
    """Entities of the wanted kind in the top sentences (`ranked`: scored Candidates, best first).
    spaCy proposes the candidates; their mentions are then counted by string, so a name the tagger
    misses or mislabels in one sentence still counts there."""
    nlp = pipeline()
    if nlp is None:
        return []
    excluded = fold(question) + " " + " ".join(fold(a.outlet or "") for a in articles.values())
    top = ranked[:MAX_SENTENCES]
    texts = [c.article.text[c.start : c.end] for c in top]
    votes: dict[str, _Votes] = {}
    for doc in nlp.pipe(texts, batch_size=64):
        for ent in doc.ents:
            if ent.label_ not in labels or len(ent.text) < 2:
                continue
            key = _key(ent.text, labels)
            if not key or re.search(rf"\b{re.escape(key)}\b", excluded):
                continue
            form = re.sub(r"['’]s$", "", ent.text.strip())
            entry = votes.setdefault(key, _Votes())
            entry.forms[form] = entry.forms.get(form, 0) + 1
    votes = _merge(votes)
    folded = [fold(t) for t in texts]
    for entry in votes.values():
        patterns = {_key(f, labels) for f in entry.forms}
        for cand, text, low in zip(top, texts, folded):
            if not any(re.search(rf"\b{re.escape(p)}\b", low) for p in patterns if p):
                continue
            entry.mentions += 1
            form = max((f for f in entry.forms if f in text), key=len, default=None)
            if form and cand.score > entry.best.get(cand.article.id, (-1.0,))[0]:
                entry.best[cand.article.id] = (cand.score, cand, form)
    return sorted(((k, v) for k, v in votes.items() if v.best), key=lambda kv: kv[1].score, reverse=True)


def entity_draft(question: str, labels: tuple[str, ...], ranked: list, articles: dict[str, Article]) -> Draft | None:
    """The winning entity with its cited sentences, or None when the evidence names no such entity."""
    ranked_votes = vote(question, labels, ranked, articles)
    if not ranked_votes:
        return None
    _, winner = ranked_votes[0]
    full = full_name(winner, labels, articles)
    picks = sorted(winner.best.values(), key=lambda x: x[0], reverse=True)
    if not any(form == full for _, _, form in picks):  # cite a sentence that gives the full name
        named = _sentence_naming(full, [c for _, c, _ in picks], articles)
        if named is not None:
            picks.insert(0, (picks[0][0], named, full))
    # lead with a sentence that gives the full name when one does, then other outlets
    picks.sort(key=lambda x: x[2] != full)
    chosen, outlets = [], set()
    for _score, cand, form in picks:
        outlet = cand.article.outlet or cand.article.id
        if outlet in outlets and len(picks) > len(chosen) + 1:
            continue
        outlets.add(outlet)
        chosen.append((cand, form))
        if len(chosen) == MAX_LINES:
            break
    lines, evidence = [], []
    for n, (cand, _form) in enumerate(chosen, 1):
        a = cand.article
        who = a.outlet or "An article with no stated outlet"
        when = f" on {a.published.isoformat()}" if a.published else ""
        words = re.sub(r"\s+", " ", a.text[cand.start : cand.end]).strip()
        lines.append(f"{who} reported{when}: “{words}” [{n}]")
        evidence.append(Evidence(n=n, article_id=a.id, start=cand.start, end=cand.end))
    # The name leads the answer only after verification, and only when a verified citation contains it
    # (a name before the frame would make the line read as the outlet's paraphrase, which the verifier drops).
    return Draft(text="\n".join(lines), evidence=tuple(evidence), lead=full)


def full_name(winner: _Votes, labels: tuple[str, ...], articles: dict[str, Article]) -> str:
    """The entity's usual full name. Voting sees only the best sentences, where a person is often just
    'Altman' or 'Bankman-Fried' (and a relative's full name can outnumber theirs); the retrieved reports
    name them in full somewhere: the most frequent 'First Last' form of the surname across those reports."""
    multi = [f for f in winner.forms if len(f.split()) > 1]
    full = max(multi, key=lambda f: (winner.forms[f], len(f))) if multi else max(winner.forms, key=len)
    if "PERSON" not in labels:
        return _spelled_out(full, articles)
    surnames = {f.split()[-1] for f in winner.forms}
    counts: dict[str, int] = {}
    for article in articles.values():
        for surname in surnames:
            pattern = rf"\b([A-Z][a-z]+(?:\s[A-Z]\.)?)\s+{re.escape(surname)}\b"
            for match in re.finditer(pattern, article.text):
                if match.group(1).casefold() in _NOT_FIRST_NAMES:
                    continue
                form = f"{match.group(1)} {surname}"
                counts[form] = counts.get(form, 0) + 1
    if not counts:
        return full
    best = max(counts, key=lambda f: (counts[f], len(f)))
    return best if counts[best] > counts.get(full, 0) else full


def _spelled_out(short: str, articles: dict[str, Article]) -> str:
    """An organisation known by a clipped name ('Fed') under the name it abbreviates ('Federal Reserve'): the
    most frequent capitalised name in the retrieved reports whose first word extends the clipped one. A
    complete word is never extended ('Google' stays 'Google', not 'Google Maps')."""
    if " " in short or not short[:1].isupper() or len(short) > 5:
        return short
    counts: dict[str, int] = {}
    pattern = rf"\b({re.escape(short)}[a-z]+(?:\s+[A-Z][a-z]+)+)\b"
    for article in articles.values():
        for match in re.finditer(pattern, article.text):
            counts[match.group(1)] = counts.get(match.group(1), 0) + 1
    best = max(counts, key=lambda f: (counts[f], len(f)), default=None)
    return best if best and counts[best] >= 2 else short


_NOT_FIRST_NAMES = frozenset("the a an and but of in on at for to by with from as mr mrs ms dr said says".split())


def _sentence_naming(name: str, near: list, articles: dict[str, Article]):
    """A sentence of the retrieved reports that gives the name in full: in an article already cited when one
    does, else in any retrieved article (a Candidate-like span, for the answer's first line)."""
    cited = list(dict.fromkeys(c.article.id for c in near))
    order = cited + [a for a in articles if a not in cited]
    for article_id in order:
        article = articles.get(article_id)
        if article is None or name not in article.text:
            continue
        for start, end in sentences(article.text):
            if name in article.text[start:end] and len(article.text[start:end].split()) <= 60:
                return _Span(article, start, end)
    return None


@dataclass
class _Span:
    article: Article
    start: int
    end: int
