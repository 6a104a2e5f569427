"""Article text → attributed quotes (speaker, role, cue, via), once per article at ingestion.

Whole-article on purpose: pronouns ("he believes"), descriptions ("underlines the specialist") and
surnames refer back to earlier speakers, and roles stated once carry over. The rules, in order of
trust, for each quoted span:
  1. a reporting clause right after the quote: `”also assures Karam Shaar, researcher at …` / `”he believes`
  2. `according to X, “…”` right before it
  3. the subject of a cue verb earlier in the sentence: `Ankara castigated the “attacks”`
  4. a reporting clause closing the sentence: `…, writes the OSDH in a press release.`
  5. a caption line under a stand-alone quote: `Dareen Khalifa, expert from the International Crisis Groupà l'AFP`
  6. `Name, role: “…”` introducing the quote
When spaCy is available (assistant/nlp.py, loaded lazily) the parser checks these guesses: a speaker the
rules found must be an entity of the article, a pronoun or a multi-word name, else the subject of the
nearest cue verb (speech.py) wins. The parser also adds indirect speech (`X said (that) CLAUSE`, `CLAUSE, X
said`, `according to X, CLAUSE`, `as X notes, CLAUSE`) as kind="indirect" quotes — never shown in quotation
marks downstream — and coref.py maps every speaker to one canonical full name per person ("Altman"/"he" → "Sam Altman").
A quotation nobody introduces continues the previous speaker's when it follows in the same paragraph
or opens the next one (multi-paragraph quotes). A span none of these explain (scare quotes, names of
operations) stays unattributed (speaker None).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.attribution.coref import BODY_NOUNS, ORG_NOUNS, PERSON_NOUNS, Inventory
from assistant.attribution.mentions import (
    ORG_ANAPHORS,
    ORG_WORDS,
    Mention,
    abbreviations,
    canonical_medium,
    classify,
    extract_via,
    looks_like_name,
    org_like,
    parse_mention,
)
from assistant.attribution.roles import plausible_role, role_noun, stated_roles
from assistant.attribution.segments import Inside, Units, intro_before, speech_units, unit_at, with_unclosed
from assistant.attribution.speech import OPINION_FORMS, THAT_FORMS, direct_cue, indirect_spans
from assistant.lexicon import alternation, cue_forms
from assistant.models import Quote
from assistant.text.nlp import Parsed, parse_spans
from assistant.text.spans import paragraphs, quote_spans, sentences, span_containing

_CUES = sorted(cue_forms(nouns=False), key=lambda f: (-len(f), f))  # these patterns cannot tell verbs from nouns
CUE = r"(?:points? out|pointed out|according to|" + "|".join(_CUES) + r")"
_ADV = r"(?:(?:also|further|then|nevertheless|however|again|later|still|once again|for (?:his|her|its|their) part)\s+)"
_NP = (
    r"(?:he|she|they|it|we|I|the \w+(?: \w+){0,3}|[A-Z][\w'’.-]*(?:\s+(?:al-|bin |de |van |von )?[A-Z][\w'’.-]*){0,4})"
)
_POST_INVERTED = re.compile(rf"^\s*,?\s*{_ADV}*(?P<cue>{CUE})\s+(?P<np>.+?)\s*[.!?]?\s*$", re.S)
_APPOSITION = r"(?:\s?,\s*[^,“”\"«»]{1,100}?,)?"  # 'Thomas Hope , a professor …,': a stray space too
_POST_SUBJECT = re.compile(
    rf"^\s*,?\s*(?P<np>{_NP}{_APPOSITION})\s+{_ADV}*(?P<cue>{CUE})\b\s*(?P<rest>[^“”\"«»]*)$", re.S
)
_PRE_ACCORDING = re.compile(r"according to\s+(?P<np>[^“”\"]+?)\s*[,:]?\s*$", re.I)
_CUE_WORD = re.compile(rf"(?<![\w-])(?P<cue>{CUE})(?![\w-])")
_NOUN_USE = re.compile(r"\b(?:a|an|the|his|her|its|their|this|that)\s+(?:\w+\s+)?$", re.I)
_PER = r"[,;:(—–”\"’]\s*per\b"  # 'per the release' after punctuation, as speech.py reads it; never 'per cent'
_WANTED = re.compile(rf"(?<![\w-]){CUE}(?![\w-])|{_PER}")  # probed on the text with quotations blanked
_SENTENCE_ADVERBS = {
    "meanwhile",
    "however",
    "still",
    "then",
    "also",
    "but",
    "and",
    "so",
    "live",
    "leading",
    "once",
    "now",
}
# Opinion verbs as third persons write them: 'I think', 'a thought' and participles ('believing …') report nothing.
_OPINION_CUES = {f for f in OPINION_FORMS if not f.endswith("ing") and f not in {"think", "thought"}}
_CLAUSE_CUES = set(cue_forms(reported=True, that_only=False)) | _OPINION_CUES
_STRONG = re.compile(  # a sentence worth parsing for indirect speech: any cue verb that can introduce a clause
    rf"(?<![\w-])(?:{alternation(_CLAUSE_CUES)}|according to|noted by)(?![\w-])|{_PER}"
    r"|(?<!\bI )(?<!\bwe )(?<!\byou )(?<!\bto )(?<!n't )\bthink\b"  # 'scientists think …', not 'I think'"
    rf"|(?<![\w-])(?:{alternation(cue_forms(that_only=True))})\b[^.!?]{{0,60}}?\bthat\b"
    rf"|(?<![\w-])(?:{alternation(THAT_FORMS)})(?:\s+\w+){{0,2}}?\s+that\b",  # 'found that', 'has shown that
    re.I,
)


_ADDRESSEE_CUES = frozenset({"told", "tells", "tell", "telling"})
_CLOSERS = '.!?:;,”"’)]…'
_BODY_BEFORE = re.compile(rf"(?<![\w'’-])the\s+({'|'.join(BODY_NOUNS)})\s*$", re.I)  # the quote's own subject
_LINE = re.compile(r"(?m)^[^\S\n]*(\S[^\n]{0,99})$")


@dataclass
class _Found:
    """A raw attribution before anaphora are resolved."""

    mention: Mention
    cue: str | None


def _clause_np_ok(np: str) -> bool:
    """A reporting clause's noun phrase holds no quoted words and no second cue verb."""
    verbs = [
        m
        for m in _CUE_WORD.finditer(np)
        if not _NOUN_USE.search(np[: m.start()]) and not np[m.end() :].startswith(" tank")
    ]
    return bool(np) and not re.search(r"[“”\"«»]", np) and not verbs and len(np.split()) <= 30


def _post_immediate(after: str) -> _Found | None:
    match = _POST_INVERTED.match(after)
    if match and _clause_np_ok(match.group("np")) and match.group("cue") != "according to":
        mention = parse_mention(match.group("np"))
        if mention:
            return _Found(mention, match.group("cue"))
    match = _POST_SUBJECT.match(after)
    if match:
        mention = parse_mention(match.group("np"))
        if mention:
            return _Found(_with_medium(mention, match.group("cue"), match.group("rest")), match.group("cue"))
    return None


def _with_medium(mention: Mention, cue: str, rest: str) -> Mention:
    """`… told Reuters.` / `… said in a statement.` / `… wrote on X.`: the medium after the cue verb."""
    if mention.via:
        return mention
    remainder, via = extract_via(rest)
    if via is None and cue in {"told", "tells", "tell"}:
        target = re.match(r"\s*((?:the\s+)?[A-Z][\w'’.&-]*(?:\s+[A-Z][\w'’.&-]*)*)", rest)
        via = canonical_medium(target.group(1)) if target else None
    return Mention(mention.name, mention.kind, mention.role, via) if via else mention


_ANY_VERB = r"(?P<cue>[a-z]{3,}(?:ed|es|s))"
_MEDIUM_AFTER = r"(?P<rest> (?:on|in|to|at|via) [^,.;“”\"]{1,40})?"  # 'she penned on Instagram'
_NOT_VERBS = frozenset({"has", "was", "is", "does", "goes", "this", "his", "its", "yes", "less", "news", "times"})
_FRAME_NAME = r"[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){0,3}"
_FRAME_AFTER = re.compile(rf"^\s*(?P<np>he|she|they|{_FRAME_NAME})\s+{_ANY_VERB}{_MEDIUM_AFTER}\s*\.\s*$")
_FRAME_INVERTED = re.compile(rf"^\s*{_ANY_VERB}\s+(?P<np>{_FRAME_NAME})\s*\.\s*$")


def _post_frame(words: str, after: str) -> _Found | None:
    """`“…,” she penned on Instagram.` / `“…,” moaned Darkie.` / `“…?” Colozza wonders.`: a quotation closed by a
    comma (or ? !) and a short clause of a name or pronoun and a verb that ends the sentence is that person's,
    whatever the verb (the lexicon cannot list every way of saying)."""
    if words.rstrip()[-1:] not in ",?!":
        return None
    match = _FRAME_AFTER.match(after) or _FRAME_INVERTED.match(after)
    if match is None or match.group("cue") in _NOT_VERBS:
        return None
    mention = parse_mention(match.group("np"))
    rest = match.groupdict().get("rest") or ""
    return _Found(_with_medium(mention, match.group("cue"), rest), match.group("cue")) if mention else None


def _post_closing(after: str) -> _Found | None:
    """`…, writes the OSDH in a press release.` / `…, according to Moscow.` / `…, the NGO added.`"""
    for comma in [m.start() for m in re.finditer(r",", after)]:
        tail = after[comma + 1 :].strip()
        match = re.match(rf"{_ADV}*(?P<cue>{CUE})\s+(?P<np>.+?)\s*[.!?]?$", tail, re.S)
        if match and match.group("cue") in _ADDRESSEE_CUES:
            continue  # '…, told Live Science': whoever follows 'told' is the listener, never the speaker
        if match and _clause_np_ok(match.group("np")):
            mention = parse_mention(match.group("np"))
            if mention:
                return _Found(mention, match.group("cue"))
        match = re.match(rf"(?P<np>{_NP})\s+{_ADV}*(?P<cue>{CUE})\s*[.!?]?$", tail)
        if match:
            mention = parse_mention(match.group("np"))
            if mention:
                return _Found(mention, match.group("cue"))
    return None


def _pre_according(before: str) -> _Found | None:
    match = _PRE_ACCORDING.search(before)
    if match and _clause_np_ok(match.group("np")):
        mention = parse_mention(match.group("np"))
        if mention:
            return _Found(mention, "according to")
    return None


def _pre_subject(before: str) -> _Found | None:
    """The subject of the first cue verb before the quote: `The Syrian army confirmed the information, ensuring…`."""
    for match in _CUE_WORD.finditer(before):
        if match.group("cue") == "according to":
            continue
        subject = before[: match.start()].strip()
        if subject and not re.search(r"[“”\"]", subject[-1:]) and len(subject.split()) <= 25:
            mention = parse_mention(subject)
            if mention:
                return _Found(mention, match.group("cue"))
    return None


def _caption(text: str, para: tuple[int, int], next_para: tuple[int, int] | None) -> _Found | None:
    """A line that is only a quote, followed by a short caption line naming the speaker."""
    if next_para is None:
        return None
    line = text[next_para[0] : next_para[1]]
    if len(line) > 200 or line.rstrip().endswith((".", "”", '"', "?", "!", ":")) or not line[:1].isupper():
        return None
    mention = parse_mention(line) if "," in line else None  # a caption names and qualifies; a subheading does not
    return _Found(mention, None) if mention and mention.kind != "anaphor" else None


_DESIGNATORS = (
    r"(?:Games|Investments|Group|Holdings|Inc\.?|Corp\.?|Corporation|Co\.|Company|Ltd\.?|LLC|plc|PLC|"
    r"Technologies|Labs|Studios|Entertainment|Capital|Partners|Industries|Pharmaceuticals|Therapeutics|Motors|"
    r"Networks|Airlines|Bancorp|Brands|Media|Systems)"
)
_CONNECTOR = r"(?:of|for|and|the|on|&)"
_FUNCTION = r"(?:As|On|In|At|To|By|Of|For|And|The|Or|If|So|Up|We|It|Is|Be|Do|No|Not|All)"


_LONG_TAIL = re.compile(rf"(?:[ \t]+(?:[A-Z][\w'’-]*|&)){{0,2}}[ \t]+{_DESIGNATORS}(?![\w-])")


def long_org(name: str, text: str) -> str | None:
    """'Epic' → 'Epic Games', 'Amot' → 'Amot Investments', 'JPMorgan' → 'JPMorgan Chase & Co.': the company's
    full name when the text writes it as `name` plus capitalised words ending in a company designator
    (a product, 'Beeper Mini', or a part, 'OpenAI board', is another speaker and never matches)."""
    first = re.search(rf"(?<![\w'’.-]){re.escape(name)}(?![\w'’-])", text)
    if first is None:
        return None  # the full name is how the article first writes it ('Google … Google Play Games' is not)
    match = _LONG_TAIL.match(text, first.start() + len(name))  # one compiled tail, not a pattern per name
    return text[first.start() : match.end()] if match else None


def acronym_of(acronym: str, text: str) -> str | None:
    """'FTC' → 'Federal Trade Commission' when the text writes a capitalised phrase with those initials
    (small connecting words aside), though it never puts the acronym in brackets after it."""
    if not re.fullmatch(r"[A-Z]{2,6}", acronym):
        return None
    parts = [rf"(?!{_FUNCTION}\b){c}[a-z][\w'’-]*" for c in acronym]  # 'As Seen On Screen' is a slogan
    gap = rf"(?:[ \t]+{_CONNECTOR})*[ \t]+"
    pattern = r"(?<![\w'’-])" + gap.join(parts) + r"(?![\w-])"
    match = re.search(pattern, text)
    return match.group(0) if match else None


_COMMON_ACRONYMS = frozenset({"ai", "ceo", "cfo", "coo", "cto", "gdp", "ipo", "api", "ev", "vr", "ar", "nft", "etf"})
_COMPANY_NOUNS = frozenset({"company", "firm", "startup", "business", "retailer", "platform"})


class _Resolver:
    """Turns mentions into canonical speakers: anaphora → the latest fitting speaker (or the latest person
    who was a clause subject), surnames and abbreviations → the full name, and the first role seen for a
    person carries over."""

    def __init__(self, text: str, inventory: Inventory) -> None:
        self.abbr = abbreviations(text)
        self.text = text
        self.inv = inventory
        self.roles: dict[str, str] = {}
        self.last_person: tuple[int, str] | None = None
        self.last_org: tuple[int, str] | None = None
        self.known: list[str] = []
        self.full: dict[str, str] = {}  # a company's or acronym's full name in this text (long_org, acronym_of)

    def _body_of(self, noun: str) -> str | None:
        """'the board wrote' after OpenAI was quoted is OpenAI's board: a body of its own (its statement is
        not the company's voice, and across articles 'OpenAI board' never merges with 'OpenAI')."""
        if not self.last_org:
            return None
        org = self.last_org[1]
        return org if org.casefold().endswith(noun) else f"{org} {noun}"

    def _in_section(self, last: tuple[int, str], at: int) -> bool:
        """Can an anaphor at `at` still mean the organisation quoted at `last`? Yes, unless a subheading
        (a short capitalised line without closing punctuation) lies between them and the new section never
        names that organisation except as an owner: live blogs and timelines change subject at headings
        ('Opera GX integrates ChatGPT-powered AI' / 'Powered by OpenAI’s ChatGPT, … the company announced');
        the section runs to the end of the anaphor's paragraph."""
        start, org = last
        heading = None
        for line in _LINE.finditer(self.text, start, at):
            words = line.group(1).split()
            if 2 <= len(words) <= 14 and words[0][:1].isupper() and line.group(1).rstrip()[-1:] not in _CLOSERS:
                if start < line.start() and line.end() < at:
                    heading = line.start()
        if heading is None:
            return True
        named = re.compile(rf"(?<![\w-]){re.escape(org)}(?![\w-])(?!['’])")
        end = self.text.find("\n", at)
        return named.search(self.text, heading, end if end >= 0 else len(self.text)) is not None

    def _topic_org(self, at: int, anaphor: str) -> str | None:
        """'Beeper does not have access …, the company claims' before any organisation was quoted: a
        description ('the company', 'the startup') then means the organisation the text has named most
        often so far, provided the tagger calls it one and it is clearly the most named."""
        if anaphor.split()[-1] not in _COMPANY_NOUNS:
            return None  # 'it', 'the government', 'the team': too many candidates
        before = self.text[:at]
        counts = {
            name: len(re.findall(rf"(?<![\w'’-]){re.escape(name)}(?![\w'’-])", before, re.I))
            for name in {n for n, k in self.inv.org_names.items() if k > 0}
        }
        ranked = sorted(((c, n) for n, c in counts.items() if c >= 2), reverse=True)
        if not ranked or len(ranked) > 1 and ranked[1][0] * 2 > ranked[0][0]:
            return None
        found = re.search(rf"(?<![\w'’-]){re.escape(ranked[0][1])}(?![\w'’-])", before, re.I)
        return found.group(0) if found else None

    def _one_word(self, name: str) -> str | None:
        """'Open AI' → 'OpenAI' when the text also writes it as one word; a bare common acronym ('AI', the
        parser's cut of 'Open AI') is that company's name when the text writes one so, else no speaker."""
        if " " in name:
            joined = name.replace(" ", "")
            return joined if re.search(rf"(?<![\w'’-]){re.escape(joined)}(?![\w'’-])", self.text) else name
        if name.casefold() not in _COMMON_ACRONYMS:
            return name
        for match in re.finditer(rf"(?<![\w'’-])([A-Z][a-z]+) {re.escape(name)}(?![\w'’-])", self.text):
            joined = match.group(1) + name
            if re.search(rf"(?<![\w'’-]){re.escape(joined)}(?![\w'’-])", self.text):
                return joined
        return None

    def resolve(self, mention: Mention, at: int) -> tuple[str | None, str | None]:
        name, kind = mention.name, mention.kind
        if kind == "anaphor":
            is_org = name in {"it", "they"} or ORG_ANAPHORS.match(name) is not None or name.split()[-1] in ORG_NOUNS
            if is_org and self.last_org and not self._in_section(self.last_org, at):
                return None, None  # a live blog's new section: 'the company' there may be another one
            if is_org and name.split()[-1] in BODY_NOUNS:
                name, kind = self._body_of(name.split()[-1]), "org"
            elif is_org:
                latest = self.last_org[1] if self.last_org else self._topic_org(at, name)
                name, kind = latest, "org"  # the latest organisation quoted
            else:
                last = self.last_person if self.last_person and self.inv.agrees(self.last_person[1], name) else None
                candidates = [c for c in (last, self.inv.salient(at, pronoun=name)) if c]
                name, kind = (max(candidates)[1] if candidates else None), "person"
            if name is None:
                return None, None
        name = re.sub(
            r"\s*[“\"][^”\"]{1,30}[”\"]\s*", " ", self.abbr.get(name, name)
        ).strip()  # Jack “Jacksfilms” Douglass
        name = self.inv.shorten(name)
        full = self.inv.canonical(name)
        if full != name and org_like(name):
            full, kind = name, "org"  # 'OpenAI' is never the 'Azure OpenAI' the text also names
        extended = full != name and full.startswith(name + " ") and self.inv.org_names.get(name.casefold(), 0) > 0
        extended = extended and name not in self.inv.given_names
        if (
            full != name or full in self.inv.persons
        ) and not extended:  # the org 'Beeper' is not the 'Beeper Mini' person
            name, kind = full, "person"
        elif self.inv.org_names.get(name.casefold(), 0) > 0:
            kind = "org"  # 'Man United' is two capitalised words, but the tagger knows it as a club
        for known in self.known:
            if kind == "org" and re.match(rf"{re.escape(name)} (?:for|of|on|de|du)\b", known):
                name = known  # 'the Syrian Observatory based in …' after 'the Syrian Observatory for Human Rights'
                break
        for known in self.known:  # a lone surname of a person already quoted: 'Sotos-Prieto', or just 'Prieto'
            parts = known.split()
            surname = len(parts) > 1 and name in {parts[-1], parts[-1].split("-")[-1]}
            if len(name.split()) == 1 and surname and not org_like(name) and known not in self.inv.orgs:
                name, kind = known, "person"
                break
        if name not in self.inv.persons:
            joined = self._one_word(name)
            if joined is None:
                return None, None
            name, kind = joined, kind if joined == name else "org"
        if kind != "person" and name not in self.inv.persons:
            if name not in self.full:
                self.full[name] = long_org(name, self.text) or acronym_of(name, self.text) or name
            name = self.full[name]
        if kind == "person" or name in self.roles:
            self.last_person = (at, name)
        else:
            self.last_org = (at, name)
        if name not in self.known:
            self.known.append(name)
        role = plausible_role(mention.role)
        if role and name not in self.roles:
            self.roles[name] = role
        return name, role or self.roles.get(name) or plausible_role(self.inv.roles.get(name))


def _plausible(found: _Found | None, inv: Inventory, parsed: bool) -> bool:
    """A rule-found speaker the parser can vouch for: an anaphor, a known entity or part of one."""
    if found is None:
        return False
    name = found.mention.name
    if not parsed or found.mention.kind == "anaphor":
        return True
    last = name.split()[-1]
    if name.islower() and last.endswith("s") and role_noun(last[:-1], strict=True):
        return True  # 'the study authors wrote': unnamed people, labelled as such rather than dropped
    if not (looks_like_name(name) or last.lower() in ORG_WORDS):
        return False
    if looks_like_name(name) and len(name.split()) >= 2 and name.split()[0].casefold() not in _SENTENCE_ADVERBS:
        return True  # 'Dareen Khalifa': a capitalised multi-word name is a name even when NER missed it
    tokens = name.casefold().split()
    return inv.known(name) or any(all(t in tokens for t in e.split()) for e in inv.entities)


def _introduced(prefix: str) -> _Found | None:
    """`Wayne Rooney, former Everton and England forward: “…”` — a name (and role) introducing the quote."""
    mention = parse_mention(prefix)
    if mention is None or mention.kind == "anaphor" or not looks_like_name(mention.name) or len(prefix) > 150:
        return None
    return _Found(mention, None)


_UNNAMED = re.compile(r"^(?:a|an|some|many|several|other|two|three|one)\s", re.I)


def _as_description(found: _Found | None) -> _Found | None:
    """'the United boss said' / 'the Cupertino tech giant said': a description refers back like a pronoun."""
    if found is None or found.mention.kind == "anaphor" or _UNNAMED.match(found.mention.name):
        return found  # 'a capital market player says': someone new, unnamed — not the last person named
    last = found.mention.name.split()[-1]
    if last.islower() and (last in PERSON_NOUNS or last in ORG_NOUNS):
        m = found.mention
        described = plausible_role(m.name) if len(m.name.split()) > 1 else None  # 'the Everton manager'
        return _Found(Mention(f"the {last}", "anaphor", m.role or described, m.via), found.cue)
    return found


def _direct(
    text: str,
    spans: list[tuple[int, int]],
    sents: list[tuple[int, int]],
    paras: list[tuple[int, int]],
    docs: dict[int, Parsed],
    inv: Inventory,
    inside: Inside,
) -> list[tuple[int, int, _Found | None, str]]:
    """Each quotation with the rule-based attribution, checked against (or replaced by) the parser's."""
    items = []
    for open_i, close_i in spans:
        s_open = span_containing(sents, open_i) or (open_i, close_i)
        s_close = span_containing(sents, close_i) or (open_i, close_i + 1)
        para = span_containing(paras, open_i) or (open_i, close_i + 1)
        before, after = text[s_open[0] : open_i], text[close_i + 1 : s_close[1]]
        found = _post_immediate(after) or _pre_according(before) or _pre_subject(before) or _post_closing(after)
        found = found or _post_frame(text[open_i + 1 : close_i], after)
        if found is None and text[para[0] : para[1]].strip() == text[open_i : close_i + 1]:
            index = paras.index(para)
            found = _caption(text, para, paras[index + 1] if index + 1 < len(paras) else None)
        if found is None and before.rstrip().endswith(":") and not _CUE_WORD.search(before):
            found = _introduced(before.rstrip()[:-1])
        parsed = unit_at(docs, s_close[0]) or unit_at(docs, s_open[0])
        window = (s_open[0], s_close[1])
        cue = direct_cue(parsed.doc, parsed.offset, (open_i, close_i), window, inside) if parsed else None
        if found and cue and cue[0].kind == "anaphor" != found.mention.kind and found.mention.name in cue[2]:
            found = None  # the rules took a modifier ('the winner with Man United said') for the subject
        if not _plausible(found, inv, parsed is not None) and parsed is not None:
            if cue is None and not before.strip():  # `X feels a change is needed. “I think …”`
                index = sents.index(s_open) if s_open in sents else 0
                previous = sents[index - 1] if index > 0 and sents[index - 1][0] >= para[0] else None
                earlier = unit_at(docs, previous[0]) if previous else None
                if previous and earlier and not any(previous[0] <= o < previous[1] for o, _ in spans):
                    cue = direct_cue(earlier.doc, earlier.offset, (open_i, close_i), previous, inside)
            found = _Found(cue[0], cue[1]) if cue else None
        if found is None and open_i == para[0]:  # `Arteta shared a similar sentiment.` ¶ `“It's great …”`
            intro = intro_before(text, paras, para, spans)
            earlier = unit_at(docs, intro[0]) if intro else None
            cue = (
                direct_cue(earlier.doc, earlier.offset, (open_i, close_i), intro, inside) if earlier and intro else None
            )
            found = _Found(cue[0], cue[1]) if cue else None
        body = _BODY_BEFORE.search(before)
        if found and body and found.mention.kind != "person":  # 'the company writes that the board “…”'
            found = _Found(Mention(f"the {body.group(1).lower()}", "anaphor", None, found.mention.via), found.cue)
        items.append((open_i + 1, close_i, _as_description(found), "direct"))
    return items


_FOR_PERSON = re.compile(
    r"For (?P<name>[A-Z][\w'’.-]*(?:\s+(?:al-|bin |de |van |von )?[A-Z][\w'’.-]*){1,3})"
    r"(?:,\s*(?P<role>[^,“”\"]{3,100}?))?,\s+(?P<clause>[^“”\"]+?)[.!?]?$"
)


def _opinion_frames(
    text: str, sents: list[tuple[int, int]], inv: Inventory, inside: Inside, taken: list[tuple[int, int]]
) -> list[tuple[int, int, _Found | None, str]]:
    """`For Dareen Khalifa, expert from …, the operation had been prepared for months.`: a sentence framed by
    a person the article names reports that person's view (a frame of translated copy; only for known people)."""
    found = []
    for start, end in sents:
        match = _FOR_PERSON.match(text, start, end)
        if not match or inside(start) or any(s < end and e > start for s, e in taken):
            continue
        name = match.group("name")
        known = inv.canonical(name) in inv.persons or text.count(name) >= 2 and classify(name) == "person"
        if not known or len(match.group("clause").split()) < 3:
            continue
        role = match.group("role").strip() if match.group("role") else None
        found.append(
            (match.start("clause"), match.end("clause"), _Found(Mention(name, "person", role), "for"), "indirect")
        )
    return found


def extract_quotes(text: str, article_id: str = "") -> list[Quote]:
    """Every quoted span of `text` plus indirect speech, attributed where the rules can; offsets index into `text`."""
    paras = paragraphs(text)
    spans = with_unclosed(text, quote_spans(text), paras)
    sents = sentences(text, spans)
    inside = Inside(spans)
    inv = Inventory(text)
    docs = _parse(text, spans, sents, paras, inv, inside)
    items = _direct(text, spans, sents, paras, docs, inv, inside)
    for parsed in docs.values():
        for start, end, mention, cue in indirect_spans(text, parsed.doc, parsed.offset, inside):
            items.append((start, end, _as_description(_Found(mention, cue)), "indirect"))
    items += _opinion_frames(text, sents, inv, inside, [(s, e) for s, e, _, _ in items])
    items.sort(key=lambda item: (item[0], item[1]))
    resolver = _Resolver(text, inv)
    quotes: list[Quote] = []
    previous: Quote | None = None
    for number, (start, end, found, kind) in enumerate(items):
        speaker, role, cue, via = _attribute(text, paras, resolver, previous, (start, end, found, kind))
        quote = Quote(
            id=f"{article_id}:q{number}",
            article_id=article_id,
            text=text[start:end],
            start=start,
            end=end,
            speaker=speaker,
            speaker_role=role,
            cue=cue,
            via=canonical_medium(via) if via else None,
            kind=kind,
        )
        quotes.append(quote)
        if speaker:
            previous = quote
    return _with_roles(text, quotes, resolver.roles)


def _parse(
    text: str,
    spans: list[tuple[int, int]],
    sents: list[tuple[int, int]],
    paras: list[tuple[int, int]],
    inv: Inventory,
    inside: Inside,
) -> Units:
    """Parse the sentences that can report speech, plus the one-line intros of paragraph-opening quotes
    (those only name a quote's speaker, so they stay out of the inventory); settle the inventory."""
    docs = Units()
    units = speech_units(text, spans, sents, paras, _STRONG, _WANTED)
    intros = {
        intro
        for o, _ in spans
        for para in [span_containing(paras, o)]
        if para and para[0] == o
        for intro in [intro_before(text, paras, para, spans)]
        if intro
    }
    intros = {i for i in intros if not any(s < i[1] and i[0] < e for s, e in units)}
    for parsed in parse_spans(text, sorted(set(units) | intros)):
        if (parsed.offset, docs.add(parsed)) not in intros:
            inv.add_doc(parsed.doc, parsed.offset, inside)
    inv.finish()
    return docs


def _attribute(
    text: str,
    paras: list[tuple[int, int]],
    resolver: _Resolver,
    previous: Quote | None,
    item: tuple[int, int, _Found | None, str],
) -> tuple[str | None, str | None, str | None, str | None]:
    """(speaker, role, cue, via) of one span: its own attribution resolved, or the previous speaker's when an
    unattributed quotation continues their words."""
    start, end, found, kind = item
    para = span_containing(paras, start)
    if found:
        speaker, role = resolver.resolve(found.mention, start)
        via = found.mention.via
        continuing = previous is not None and previous.speaker == speaker and found.mention.kind == "anaphor"
        if via is None and continuing and previous is not None and span_containing(paras, previous.start) == para:
            via = previous.via
        return speaker, role, found.cue, via
    if kind == "direct" and previous and _speech_like(text[start:end]) and _continues(text, paras, previous, start):
        return previous.speaker, previous.speaker_role, None, previous.via
    if kind == "direct" and previous and _alone(text, para, start, end):
        named = resolver.inv.salient(start)  # someone introduced after the last quote is who speaks now
        if named and named[0] > previous.end and named[1] != previous.speaker:
            speaker, role = resolver.resolve(Mention(named[1], "person"), named[0])
            return (speaker, role, None, None) if speaker else (None, None, None, None)
        return previous.speaker, previous.speaker_role, None, None
    return None, None, None, None


def _alone(text: str, para: tuple[int, int] | None, start: int, end: int) -> bool:
    """A paragraph that is one quotation of a sentence or more and nothing else: in interviews and profiles
    the words of the person the story is following, even with narration between their quotes."""
    if para is None or text[para[0] : start - 1].strip() or len(text[start:end].split()) < 5:
        return False
    return not re.search(r"[A-Za-z]", text[end + 1 : para[1]])


def _with_roles(text: str, quotes: list[Quote], seen: dict[str, str]) -> list[Quote]:
    """One role per speaker, carried to all their quotes: the role the article first states for the name
    (roles.py: a title before it, an apposition after it), else the first one a reporting clause gave —
    so a role stated anywhere reaches the earlier quotes too ('On X, Caroline Rose argues that …' before
    '…, of the Newlines Institute')."""
    names = list(dict.fromkeys(q.speaker for q in quotes if q.speaker))
    stated = stated_roles(text, names)
    roles = {n: stated.get(n) or seen.get(n) for n in names}
    return [
        q.model_copy(update={"speaker_role": roles[q.speaker] or q.speaker_role}) if q.speaker else q for q in quotes
    ]


def _speech_like(words: str) -> bool:
    """A quotation that can continue someone's words: a clause, not a name or a scare-quoted term
    ('“Inspiring Women”', '“near Los Angeles, CA”')."""
    return len(words.split()) >= 5 or words.rstrip()[-1:] in ".!?,"


def _continues(text: str, paras: list[tuple[int, int]], previous: Quote, start: int) -> bool:
    """An unattributed quotation continues the previous speaker's: same paragraph, or a paragraph that
    opens with the quotation right after a paragraph holding that speaker's quote (multi-paragraph quotes)."""
    para, prev_para = span_containing(paras, start), span_containing(paras, previous.start)
    if para is None or prev_para is None:
        return False
    if para == prev_para:
        return True
    index = paras.index(para)
    if start - 1 != para[0]:
        return False
    for between in reversed(paras[:index]):  # skip 'Advertisement', photo captions, subheadings
        if between == prev_para:
            return True
        line = text[between[0] : between[1]]
        if len(line) > 80 or line.rstrip()[-1:] in '.!?”"' or "“" in line or '"' in line:
            return False
    return False


def attributed(quotes: list[Quote]) -> list[Quote]:
    """The quotes with a speaker — what users browse and what chunks index."""
    return [q for q in quotes if q.speaker]
