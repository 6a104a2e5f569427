"""Reported speech from spaCy dependencies: the subject of a cue verb, and indirect speech spans.

The regex rules in attribution.py read the reporting clauses of translated wire copy well; English
news also says `Asked about it, Ten Hag said: "…"`, `X said (that) …` and `…, according to X.` without
quotation marks. Here the parser finds the cue verb, its subject (pronoun, name, organisation or
description), the role in an apposition and the medium in a prepositional phrase.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from assistant.attribution.coref import BODY_NOUNS, ORG_NOUNS, PERSON_NOUNS, clean_entity, person_role
from assistant.attribution.mentions import ORG_WORDS, Mention, classify, extract_via
from assistant.attribution.roles import role_noun
from assistant.lexicon import CUE_VERBS, cue_forms, inflect
from assistant.text.nlp import pos

# Cue verbs from the lexicon: those that cannot introduce a clause of reported speech ('he believes …'), and
# those that do only with an explicit 'that' ('agreed that …').
INDIRECT_ONLY_NOT = {lemma for lemma, cue in CUE_VERBS.items() if not cue.reported or cue.that_only}
WITH_THAT = {lemma for lemma, cue in CUE_VERBS.items() if cue.that_only}
SPOKES = {"spokesperson", "spokesman", "spokeswoman", "representative", "spokespeople"}
DOCUMENT_NOUNS = {
    "statement",
    "post",
    "release",
    "report",
    "letter",
    "filing",
    "text",
    "tweet",
    "website",
    "study",
    "email",
    "memo",
    "announcement",
    "document",
    "notice",
    "complaint",
    "lawsuit",
}
FINDING_NOUNS = DOCUMENT_NOUNS | {"findings", "data", "research", "survey", "analysis", "poll", "figures", "reports"}
_WHEN = re.compile(
    r"^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|january|february|march|april|"
    r"may|june|july|august|september|october|november|december|last|this|next)\b",
    re.I,
)
_PRONOUNS = {"he": "he", "she": "she", "it": "it", "they": "they", "him": "he", "her": "she", "them": "they"}
_END_TRIM = " ,.;:—–-\n"
# `CLAUSE, X said.`, `According to X, CLAUSE.` and `As X notes, CLAUSE.` without quotation marks. Such spans
# are Quote(kind="indirect"): verbatim article text, but the reporter's wording (the seed gold labels them too).
CLAUSE_FIRST = True


FORM_TO_LEMMA = cue_forms()
# Verbs of finding and opinion: not cues for quotations, but `X found/believes/recommends that CLAUSE` reports
# X's view or finding (the gold labels them as indirect speech); only with an explicit 'that'.
THAT_CLAUSE = frozenset(
    "find show believe think feel recommend hint determine suspect speculate demonstrate fear reckon worry".split()
)
THAT_FORMS = {f: lemma for lemma in THAT_CLAUSE for f in inflect(lemma)} | {"found": "find", "shown": "show"}
# Of those, the verbs of opinion report a full clause without 'that' too: 'Klopp believes some instability is …'.
OPINION = frozenset("believe fear reckon suspect think".split())
OPINION_FORMS = {f for f, lemma in THAT_FORMS.items() if lemma in OPINION}


def cue_lemma(token: Any) -> str | None:
    """The cue lemma of a verb token ('told' → 'tell'), None for non-cues and nominal uses."""
    if pos(token) not in {"VERB", "AUX"} and token.tag_ not in {"VBD", "VBZ", "VBP", "VBG", "VBN"}:
        return None
    return FORM_TO_LEMMA.get(token.lower_)


def subject_of(verb: Any) -> Any | None:
    """nsubj of the verb, climbing through conj/advcl/xcomp ('… and said', 'by saying'); the noun right
    before a bare participle ('with chief executive Phil Waugh saying …')."""
    doc = verb.doc
    if verb.tag_ == "VBG" and verb.i > 0 and not any(c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children):
        before = doc[verb.i - 1]
        if before.dep_ == "pobj" and pos(before) in {"PROPN", "NOUN"}:
            return before
    node = verb
    for _ in range(3):
        subjects = [c for c in node.children if c.dep_ in {"nsubj", "nsubjpass"}]
        if subjects:
            named = [c for c in subjects[0].children if c.dep_ == "appos" and c.ent_type_ == "PERSON"]
            return named[0] if named else subjects[0]  # "Meta's head of safety, Antigone Davis, argues"
        if node.dep_ in {"conj", "advcl", "xcomp", "pcomp", "acl"} and node.head is not node:
            node = node.head if node.dep_ != "pcomp" else node.head.head
            continue
        return None
    return None


def mention_of(token: Any) -> Mention | None:
    """A Mention for a subject/agent token: pronoun, named entity, proper noun or a description."""
    low = token.lower_
    if low in _PRONOUNS:
        return Mention(_PRONOUNS[low], "anaphor")
    if pos(token) == "PRON":
        return None
    doc = token.doc
    if token.ent_type_ in {"PERSON", "ORG", "GPE", "NORP", "FAC"}:
        ent = next((e for e in doc.ents if e.start <= token.i < e.end), None)
        if ent is not None:
            name = clean_entity(ent.text)
            if name[:1].isupper():
                kind = "person" if ent.label_ == "PERSON" else "org"
                role = person_role(ent) if kind == "person" else None
                return Mention(name, kind, role)
    if token.is_lower and low in SPOKES:  # 'a spokesperson for X said' quotes X
        preps = [c for c in token.children if c.dep_ == "prep" and c.lower_ in {"for", "of", "at"}]
        owners = [g for c in preps for g in c.children if g.dep_ == "pobj"]
        owners += [c for c in token.children if c.dep_ in {"poss", "compound"} and pos(c) == "PROPN"]
        owner = mention_of(owners[0]) if owners else None
        if owner is not None and owner.kind != "anaphor":
            return Mention(owner.name, "org", role=low)
        return Mention("it", "anaphor", role=low)
    described = _described(token)
    if described is not None:
        return described
    definite = {"the", "this", "that", "its", "their", "his", "her"}  # 'a separate report' is someone else's
    if token.is_lower and low in DOCUMENT_NOUNS and any(c.lower_ in definite for c in token.children):
        kind = " ".join(c.lower_ for c in token.children if c.dep_ == "compound" and c.i < token.i)
        return Mention("it", "anaphor", via=f"{kind} {low}".strip())
    if low in ORG_NOUNS and any(c.lower_ in {"the", "this"} for c in token.children if c.dep_ == "det"):
        return Mention(f"the {low}", "anaphor")  # 'adds the NGO based in …': refers back, even when tagged NNP
    if pos(token) == "PROPN" or pos(token) == "NOUN" and _proper_like(token):
        left = token
        while left.i > 0 and doc[left.i - 1].dep_ == "compound" and pos(doc[left.i - 1]) == "PROPN":
            left = doc[left.i - 1]
        name = clean_entity(doc[left.i : token.i + 1].text)
        return Mention(name, classify(name)) if name[:1].isupper() else None
    if pos(token) == "NOUN":
        national = [c for c in token.children if c.dep_ == "amod" and c.ent_type_ == "NORP" and c.is_title]
        if national and (low in ORG_NOUNS or low in ORG_WORDS):  # 'The Syrian army confirmed …'
            return Mention(f"{national[0].text} {low}", "org")
        owners = [c for c in token.children if c.dep_ == "poss" and pos(c) == "PROPN"]
        if owners and low in FINDING_NOUNS:  # "Common Sense Media's findings show": the owner, through a document
            owner = mention_of(owners[0])
            if owner is None or owner.kind == "anaphor" or _WHEN.match(owner.name):
                return None  # "Wednesday's report" is nobody's
            return Mention(owner.name, "org", via=low)
        if owners:  # "Kenwright's family said": people, not the organisation that "the club" refers to
            return Mention(doc[owners[0].left_edge.i : token.i + 1].text, "person")
        if any(c.lower_ in {"the", "this"} for c in token.children if c.dep_ == "det"):
            if low in ORG_NOUNS or low in PERSON_NOUNS:  # 'the Everton manager': the description is a role
                words = [t.text for t in doc[token.left_edge.i : token.i + 1] if t.dep_ != "det"]
                return Mention(f"the {low}", "anaphor", " ".join(words) if len(words) > 1 else None)
    return None


_INDEFINITE = {"a", "an", "another", "some", "many", "several", "other", "two", "three", "one"}


def _described(token: Any) -> Mention | None:
    """'economists at Goldman Sachs' / 'Bank of America economists' → Goldman Sachs, role 'economists';
    'a senior capital markets source' / 'some conference attendees' → that description: an unnamed speaker,
    labelled as such rather than dropped ('the source continued' then refers back to it)."""
    opening = token.is_title and all(t.dep_ in {"amod", "compound"} for t in token.doc[token.sent.start : token.i])
    if not (token.is_lower or opening) or pos(token) != "NOUN" or token.lower_ in ORG_NOUNS or token.lower_ in SPOKES:
        return None  # lower case, or capitalised only because it opens the sentence ('Analysts predict …')
    if not role_noun(token.text) or token.lower_ in DOCUMENT_NOUNS:
        return None
    doc = token.doc
    preps = [c for c in token.children if c.dep_ == "prep" and c.lower_ in {"at", "from", "of", "with"}]
    owners = [g for c in preps for g in c.children if g.dep_ == "pobj" and pos(g) == "PROPN"]
    owners += [c for c in token.children if c.dep_ in {"compound", "poss"} and pos(c) == "PROPN"]
    mods = [c for c in token.children if c.dep_ in {"amod", "compound", "nmod"} and c.i < token.i]
    mods = [m for m in mods if pos(m) != "PROPN"]
    first = min([m.left_edge.i for m in mods] + [token.i])
    role = doc[first : token.i + 1].text
    if owners:  # a team speaks for its organisation; 'the Everton manager' is one person, described
        if token.tag_ != "NNS":
            return None
        owner = mention_of(owners[0])
        return Mention(owner.name, "org", role=role) if owner is not None and owner.kind != "anaphor" else None
    dets = [c for c in token.children if c.dep_ == "det" or c.dep_ == "poss"]
    if any(d.lower_ in _INDEFINITE for d in dets):
        return Mention(doc[dets[0].i : token.i + 1].text, "person")  # 'a senior … source'
    if not dets and token.tag_ == "NNS" and token.lower_ not in FINDING_NOUNS:
        return Mention(role, "person")  # 'scientists say', 'administration officials explained': a group
    bare = not any(c.dep_ in {"prep", "appos", "relcl", "acl"} for c in token.children)  # not 'the head of X, Y'
    if bare and [d.lower_ for d in dets] == ["the"] and token.tag_ == "NNS" and token.lower_ not in FINDING_NOUNS:
        return Mention(role, "person")  # 'the researchers said': the group, by its description
    if bare and [d.lower_ for d in dets] == ["the"] and token.tag_ == "NN" and role_noun(token.text):
        return Mention(f"the {token.lower_}", "anaphor", role if len(role.split()) > 1 else None)  # 'the pastor'
    return None


def _proper_like(token: Any) -> bool:
    """A title-case word the tagger called a common noun ('Valve says …'): proper when it is not just
    capitalised by its sentence position, or recurs capitalised in the paragraph."""
    if not token.is_title or token.lower_ in ORG_NOUNS or token.lower_ in PERSON_NOUNS:
        return False
    doc = token.doc
    if "text" not in doc.user_data:  # Doc.text is rebuilt on every access
        doc.user_data["text"] = doc.text
    return token.i != token.sent.start or doc.user_data["text"].count(token.text) > 1 or token.tag_ == "NN"


def _clause_end(clause: Any) -> Any:
    """Last token of a reported clause, leaving out a coordinated verb phrase without its own subject
    (`X said CLAUSE, but spoke positively`) and another speaker's nested report (`, with Y saying …`)."""
    cut = clause.right_edge.i + 1
    for child in clause.children:
        if child.i < clause.i:
            continue
        own_subject = any(g.dep_ in {"nsubj", "nsubjpass"} for g in child.children)
        nested = any(cue_lemma(t) and any(c.dep_ == "ccomp" for c in t.children) for t in child.subtree)
        if child.dep_ == "conj" and not own_subject or nested:
            cut = min(cut, child.left_edge.i)
    last = clause.doc[cut - 1]
    while last.i > clause.i and (last.is_punct or last.dep_ == "cc"):
        last = clause.doc[last.i - 1]
    return last


def medium_of(verb: Any, inside: Callable[[int], bool]) -> str | None:
    """'told Reuters' / 'said in a statement' / 'wrote on X' / 'told The Roar'."""
    doc = verb.doc
    for child in verb.children:
        if inside(child.idx):
            continue
        if child.dep_ == "prep" and child.lower_ in {"to", "in", "on", "with", "via"}:
            phrase = doc[child.i : child.right_edge.i + 1].text
            _, via = extract_via(" " + phrase)
            if via:
                return via
        if child.dep_ in {"dobj", "dative"} and verb.lower_ in {"told", "tell", "tells", "telling"}:
            if pos(child) == "PROPN" or child.ent_type_ == "ORG":
                return clean_entity(doc[child.left_edge.i : child.i + 1].text)
    return None


def verb_mention(verb: Any, inside: Callable[[int], bool]) -> Mention | None:
    """The speaker of a cue verb, with its medium."""
    if verb.lower_ == "according" or verb.lower_ == "per":
        objs = [g for c in verb.children for g in ([c] if c.dep_ == "pobj" else c.children) if g.dep_ == "pobj"]
        mention = mention_of(objs[0]) if objs else None
        return mention
    subject = subject_of(verb)
    if subject is not None and subject.dep_ == "nsubjpass" and subject.lower_ == "it":
        return None  # 'it was announced (that) …', 'it is widely expected …': nobody in particular
    mention = mention_of(subject) if subject is not None else None
    if mention is None:
        agents = [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        mention = mention_of(agents[0]) if agents else None
    if mention is None:
        return None
    via = medium_of(verb, inside)
    return Mention(mention.name, mention.kind, mention.role, via) if via else mention


SOURCE_NOUNS = FINDING_NOUNS | {"investigation", "review", "filings", "records", "documents", "transcript", "paper"}
_SOURCE_PREPS = {"by", "from", "at", "of"}  # not "in": a journal publishes, the study says


def document_mention(verb: Any) -> Mention | None:
    """The document a reported clause comes from, when no person or organisation says it: 'a study published in
    November revealed …', 'according to an investigation by the BBC', 'Research has shown …'. Its author when a
    preposition names one ('filings at Companies House' → Companies House), else the document as described."""
    if verb.lower_ in {"according", "per"}:
        heads = [g for c in verb.children for g in ([c] if c.dep_ == "pobj" else c.children) if g.dep_ == "pobj"]
    else:
        heads = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
    token = heads[0] if heads else None
    if token is None or token.lower_ not in SOURCE_NOUNS or not (token.is_lower or token.i == token.sent.start):
        return None
    doc = token.doc
    for prep in (c for c in token.children if c.dep_ == "prep" and c.lower_ in _SOURCE_PREPS):
        owners = [g for g in prep.children if g.dep_ == "pobj" and pos(g) == "PROPN"]
        owner = mention_of(owners[0]) if owners else None
        if owner is not None and owner.kind != "anaphor" and not _WHEN.match(owner.name):
            conj = [c for c in owners[0].children if c.dep_ == "conj" and pos(c) == "PROPN"]
            name = doc[owners[0].left_edge.i : conj[-1].right_edge.i + 1].text if conj else owner.name
            return Mention(clean_entity(name), "org", via=token.lower_)  # 'an investigation by the BBC and …'
    if any(c.dep_ in {"det", "poss"} and c.lower_ not in _INDEFINITE for c in token.children):
        return None  # 'the report', 'its study': quotes.py reads these as the organisation last quoted
    left = min([c.left_edge.i for c in token.children if c.i < token.i and c.dep_ != "det"] + [token.i])
    right = max([c.right_edge.i for c in token.children if c.i > token.i and c.dep_ in {"prep", "acl"}] + [token.i])
    if right - left > 7:
        right = token.i
    return Mention(doc[left : right + 1].text, "org")


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) past spaces and clause punctuation at both ends."""
    while start < end and text[start] in _END_TRIM:
        start += 1
    while end > start and text[end - 1] in _END_TRIM:
        end -= 1
    return start, end


def direct_cue(
    doc: Any, offset: int, quote: tuple[int, int], window: tuple[int, int], inside: Callable[[int], bool]
) -> tuple[Mention, str, str] | None:
    """The cue verb nearest the quote (same sentence, outside any quotation) — the next nearest when that is an
    `according to` naming nobody ('saying “…,” according to a report'): (speaker, cue, subject phrase)."""
    open_i, close_i = quote
    ranked: list[tuple[int, int, Any]] = []
    for token in doc:
        at = offset + token.idx
        if not window[0] <= at < window[1] or inside(at):
            continue
        according = token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to"
        if according or cue_lemma(token) is not None:
            ranked.append((at - close_i if at > close_i else open_i - at, token.i, token))
    for _, _, verb in sorted(ranked, key=lambda r: r[:2]):
        mention = verb_mention(verb, lambda i: inside(offset + i))
        if mention is None and verb.lower_ == "according":
            continue  # 'according to a report' names a document, not who spoke
        if mention is None:
            return None
        subject = subject_of(verb)
        phrase = doc[subject.left_edge.i : subject.right_edge.i + 1].text if subject is not None else ""
        return mention, "according to" if verb.lower_ == "according" else cue_text(verb), phrase
    return None


def cue_text(verb: Any) -> str:
    """The cue as written, with its particle: 'points out', 'pointed out'."""
    particles = [c for c in verb.children if c.dep_ == "prt" and c.i == verb.i + 1]
    return f"{verb.text} {particles[0].text}" if particles else verb.text


_WH = {"why", "how", "what", "whether", "if", "when", "where", "who", "which"}
_DASH = re.compile(r"\s(?:—|–|--)\s")


_REFUSALS = frozenset().union(*(inflect(v) for v in ("decline", "refuse", "avoid")))  # no lemmatizer: forms
_TASKS = frozenset().union(*(inflect(v) for v in ("have", "need", "want", "try", "aim", "seek", "plan")))
_TASKS |= {"has", "had", "sought", "planned", "planning"}


def _denied(verb: Any) -> bool:
    """'hasn't said', 'declined to say', 'stopped short of saying': the clause is not what they said."""
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    head = verb.head
    if verb.dep_ in {"xcomp", "pcomp"} and head.lower_ in _REFUSALS:
        return True
    return verb.dep_ == "pcomp" and head.lower_ == "of" and head.head.lower_ == "short"


def _before_aside(text: str, start: int, end: int) -> int:
    """End of a reported clause before a dash that opens the reporter's aside (`… its list — an STI which …`);
    a pair of dashes is a parenthesis inside the clause and stays."""
    dashes = list(_DASH.finditer(text, start, end))
    return dashes[0].start() if len(dashes) == 1 else end


_NEW_SPEAKER = re.compile(
    r",?\s+with\s+[^,.;“”\"]{1,80}?\s(?:saying|adding|noting|telling|arguing|claiming|insisting|warning)\b"
)


def _before_new_speaker(text: str, start: int, end: int) -> int:
    """End of a reported clause before `, with chief executive Phil Waugh saying …`: an absolute clause that
    brings in another speaker ends the first one's words ('RA said they wanted X, with Waugh saying Y')."""
    match = _NEW_SPEAKER.search(text, start, end + 20)  # the parser may end the clause before 'saying'
    return match.start() if match and match.start() < end else end


def _quoted_share(start: int, end: int, inside: Callable[[int], bool]) -> float:
    """Share of the clause inside quotation marks; a clause that merely contains a partial quote stays."""
    if end <= start:
        return 1.0
    return 1.0 if inside(start) else sum(inside(i) for i in range(start, end)) / (end - start)


Hit = tuple[int, int, Mention, str]
_BODY_SUBJECT = re.compile(rf"\s*the\s+(?:{'|'.join(BODY_NOUNS)})\s*[“\"]?\s*", re.I)


def _subject_and_quotation(text: str, span: tuple[int, int], inside: Callable[[int], bool]) -> bool:
    """`… writes that the board “no longer has confidence …”`: a clause that is only an organisation's body
    and one quotation is that body's quote (quotes.py gives the quotation to the board); an indirect span
    around it would repeat the board's words under the company's name."""
    first = next((i for i in range(span[0], span[1]) if inside(i)), None)
    if first is None or first == span[0]:
        return False
    rest = "".join(text[i] for i in range(first, span[1]) if not inside(i))
    return not rest.strip(" “”\"'’.,!?…\n") and _BODY_SUBJECT.fullmatch(text[span[0] : first]) is not None


def indirect_spans(text: str, doc: Any, offset: int, inside: Callable[[int], bool]) -> list[Hit]:
    """`X said (that) CLAUSE`, `CLAUSE, X said`, `According to X, CLAUSE` → (start, end, speaker, cue)."""
    found: list[Hit] = []
    for token in doc:
        at = offset + token.idx
        if inside(at) or any(s <= at < e for s, e, _, _ in found):
            continue
        hit = _indirect_at(text, token, offset, inside)
        if hit is not None:
            found.append(hit)
        for piece in _split_by_frame(text, token, offset) if cue_lemma(token) else []:
            part = _hit(text, token, piece, cue_text(token), offset, inside, share=0.8, words=1)
            if part is not None and not any(s < part[1] and part[0] < e for s, e, _, _ in found):
                found.append(part)
    return sorted(found, key=lambda h: h[:2])


def _split_by_frame(text: str, verb: Any, offset: int) -> list[tuple[int, int]]:
    """`Part of that, he says, is generational.`: a reporting frame in the middle of a clause whose subject comes
    before it splits the words in two (the gold's 'broken' pair); each part is reported, however short."""
    head = verb.head
    if verb.dep_ != "parataxis" or head is verb or pos(head) not in {"VERB", "AUX"}:
        return []
    frame, doc = (verb.left_edge.i, verb.right_edge.i), verb.doc
    start, stop = head.left_edge.i, head.right_edge.i
    if not start < frame[0] < head.i or not any(
        c.dep_ in {"nsubj", "nsubjpass"} and c.i < frame[0] for c in head.children
    ):
        return []  # 'For now, Griffais explained, the plan …': an adverbial before the frame, not their words
    pieces = []
    for first, last in ((start, frame[0] - 1), (frame[1] + 1, stop)):
        while first <= last and (doc[first].is_punct or doc[first].dep_ == "cc"):
            first += 1
        while last >= first and doc[last].is_punct:
            last -= 1
        if first <= last:
            pieces.append(trim(text, offset + doc[first].idx, offset + doc[last].idx + len(doc[last].text)))
    return pieces


def _indirect_at(text: str, token: Any, offset: int, inside: Callable[[int], bool]) -> Hit | None:
    """The reported speech one token introduces, if any: `according to`/`per`, a participle continuing a
    report, a framing `as X notes`, or a cue verb with its clause."""
    doc = token.doc
    per = token.lower_ == "per" and token.i > 0 and doc[token.i - 1].is_punct and token.i + 1 < len(doc)
    if per or token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
        span = _according_span(text, token, offset) if CLAUSE_FIRST else None  # also `CLAUSE, per Daye.`
        return _hit(text, token, span, "per" if per else "according to", offset, inside)
    lemma = cue_lemma(token)
    if lemma in THAT_CLAUSE or lemma is None and pos(token) == "VERB" and token.lower_ in THAT_FORMS:
        impersonal = any(c.dep_ in {"nsubj", "nsubjpass", "expl"} and c.lower_ == "it" for c in token.children)
        tasked = token.dep_ == "xcomp" and token.head.lower_ in _TASKS
        obliged = tasked or any(c.dep_ == "aux" and c.tag_ == "MD" for c in token.children)
        asked = any(c.lower_ in _WH and c.dep_ in {"advmod", "mark"} for c in token.children)  # 'why he thinks …'
        finite = token.tag_ != "VBG" and not impersonal and not obliged and not asked
        # not 'Believing that …', 'it is recommended that …', 'prosecutors must show that …' (a task, not a finding)
        opinion = (lemma or THAT_FORMS.get(token.lower_)) in OPINION
        that = [
            c
            for c in token.children
            if c.dep_ == "ccomp" and finite and c.i > token.i
            if c.left_edge.lower_ == "that" or opinion and any(g.dep_ == "nsubj" for g in c.children)
        ]
        if that and not _denied(token):  # 'the study found that …', 'Persson believes that …'
            return _hit(text, token, _reported_span(text, token, that, offset), cue_text(token), offset, inside)
    clauses = [c for c in token.children if c.dep_ == "ccomp"] if lemma and lemma not in INDIRECT_ONLY_NOT else []
    if lemma in WITH_THAT:  # 'Griffais agreed that …', 'Weaver shared … that …': only with an explicit 'that'
        clauses = [c for c in token.children if c.dep_ == "ccomp" and c.left_edge.lower_ == "that"]
    quotes_only = not lemma or lemma in INDIRECT_ONLY_NOT - WITH_THAT
    if quotes_only and token.tag_ == "VBG" and token.dep_ == "advcl" and cue_lemma(token.head):
        span = _participle_span(text, token, offset)  # 'confirmed the information, ensuring that …'
        return _hit(text, token, span, token.text, offset, inside, share=0.95, words=0)
    if lemma and not clauses and not _denied(token) and CLAUSE_FIRST:
        span = _framed_span(text, token, offset)
        return _hit(text, token, span, cue_text(token), offset, inside, share=0.8)
    if not clauses or _denied(token):
        return None
    return _hit(text, token, _reported_span(text, token, clauses, offset), cue_text(token), offset, inside)


def _reported_span(text: str, verb: Any, clauses: list[Any], offset: int) -> tuple[int, int] | None:
    """The clause a cue verb introduces (`…, too: Daye says HPV is next`), without 'that', an embedded
    question ('explained why …'), a trailing coordinated verb phrase or the reporter's aside after a dash."""
    doc = verb.doc
    after = [c for c in clauses if c.i > verb.i]
    clause = after[0] if after else clauses[0]
    first = clause.left_edge
    stated = first.lower_ == "that" and first.dep_ == "mark"
    if stated:
        first = doc[first.i + 1]
    if first.i > clause.right_edge.i or first.lower_ in _WH and not stated:
        return None  # 'explained why …' asks; 'said that when he was 9, he …' states
    last = _clause_end(clause)
    if last.i < verb.i and not CLAUSE_FIRST:
        return None
    end = offset + last.idx + len(last.text)
    start = offset + first.idx
    end = _before_new_speaker(text, start, end)
    return trim(text, start, _before_aside(text, start, end) if first.i > verb.i else end)


def _hit(
    text: str,
    verb: Any,
    span: tuple[int, int] | None,
    cue: str,
    offset: int,
    inside: Callable[[int], bool],
    share: float | None = None,
    words: int = 3,
) -> Hit | None:
    """A span worth reporting: long enough, not mostly quotation (a clause that is all quotation is the
    quotation; one that comes first mostly is too), and with a speaker."""
    if span is None or len(text[span[0] : span[1]].split()) < words:
        return None
    limit = share if share is not None else (0.95 if offset + verb.idx < span[0] else 0.8)
    if _quoted_share(*span, inside) > limit or _subject_and_quotation(text, span, inside):
        return None
    if span[1] <= offset + verb.idx and _framed_quotation(text, span, offset + verb.idx, inside):
        return None
    mention = verb_mention(verb, lambda i: inside(offset + i)) or document_mention(verb)
    return (span[0], span[1], mention, cue) if mention is not None else None


def _framed_quotation(text: str, span: tuple[int, int], verb_at: int, inside: Callable[[int], bool]) -> bool:
    """`But it does suggest that "cannabis use should be avoided," the authors wrote.`: a clause that is the
    reporter's 'that' lead-in plus a quotation closing right before the verb — the verb reports the quotation
    (quotes.py attributes it), and the lead-in is nobody's words."""
    first = next((i for i in range(span[0], span[1]) if inside(i)), None)
    if first is None or not re.search(r"[”\"]", text[span[1] : verb_at]):
        return False
    return re.search(r"\bthat\s*$", text[span[0] : first]) is not None


def _participle_span(text: str, verb: Any, offset: int) -> tuple[int, int] | None:
    """The `that` clause of a participle continuing a cue verb's report: `X confirmed Y, ensuring that CLAUSE`."""
    marks = [t for t in verb.subtree if t.lower_ == "that" and t.dep_ == "mark" and t.i > verb.i]
    if not marks or marks[0].i != verb.i + 1:
        return None
    doc, last = verb.doc, verb.right_edge
    while last.i > marks[0].i and last.is_punct and last.text not in '”"':
        last = doc[last.i - 1]
    start = doc[marks[0].i + 1].idx if marks[0].i + 1 <= last.i else None
    return (offset + start, offset + last.idx + len(last.text)) if start is not None else None


def _framed_span(text: str, verb: Any, offset: int) -> tuple[int, int] | None:
    """`As Schefter notes, CLAUSE` / `CLAUSE, as he admitted.` / `For now, Griffais explained, CLAUSE`: a cue verb
    framing the main clause (an `as` clause or a parenthesis) reports that clause, minus the frame."""
    head = verb.head
    as_clause = verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children)
    if not (as_clause or verb.dep_ == "parataxis") or head is verb or pos(head) not in {"VERB", "AUX"}:
        return None
    if verb.dep_ == "advcl" and any(c.dep_ in {"dobj", "ccomp", "xcomp"} for c in verb.children):
        return None  # 'as it has claimed it intends to', 'as he told reporters …': not a bare frame
    if not any(c.dep_ in {"nsubj", "agent"} for c in verb.children):
        return None  # 'As expected, …' / 'As mentioned, …': nobody is framed as saying it
    doc, frame = verb.doc, (verb.left_edge.i, verb.right_edge.i)
    sentence = (head.left_edge.i, head.right_edge.i)
    if frame[0] > head.i:  # the frame closes the clause
        first, last = sentence[0], frame[0] - 1
    else:
        first, last = frame[1] + 1, sentence[1]
    while first <= last and (doc[first].is_punct or doc[first].dep_ == "cc"):
        first += 1
    while last >= first and doc[last].is_punct:
        last -= 1
    if first > last:
        return None
    return trim(text, offset + doc[first].idx, offset + doc[last].idx + len(doc[last].text))


def _according_span(text: str, token: Any, offset: int) -> tuple[int, int] | None:
    """The sentence minus its `according to X` phrase, when that phrase opens or closes it."""
    sent, doc = token.sent, token.doc
    phrase_end = token.subtree
    last = max(phrase_end, key=lambda t: t.i)
    lead = [t for t in sent if t.i < token.i and not t.is_punct]
    if not lead:
        start = last.i + 1
        return trim(
            text, offset + (doc[start].idx if start < sent.end else last.idx + len(last.text)), offset + sent.end_char
        )
    trail = [t for t in sent if t.i > last.i and not t.is_punct]
    if not trail:
        return trim(text, offset + sent.start_char, offset + token.idx)
    return None
