"""Who is who in one article: full names, roles and the latest salient person/organisation.

Quotes name their speaker the way journalists do — "Erik ten Hag" once, then "Ten Hag", "he", "the
United boss". Answers must show one canonical speaker per person, so every mention is mapped back to
the first full name the article uses, and a role stated anywhere ("X, a researcher at Y") carries over.
Built from spaCy entities and dependencies of the parsed paragraphs; no model beyond the spaCy one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from assistant.attribution.mentions import ORG_WORDS, TITLE_WORDS, descriptor_before_name, org_like, split_title
from assistant.lexicon import ROLE_NOUNS, cue_forms
from assistant.text.nlp import pos

NAME_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC"}
ORG_NOUNS = {
    "company",
    "firm",
    "startup",
    "club",
    "giant",
    "team",
    "league",
    "tribe",
    "maker",
    "developer",
    "publisher",
    "studio",
    "network",
    "body",
    "regulator",
    "authority",
    "watchdog",
    "school",
    "university",
    "federation",
    "union",
    "organisation",
    "organization",
    "group",
    "agency",
    "ministry",
    "government",
    "department",
    "office",
    "commission",
    "council",
    "party",
    "board",
    "side",
    "business",
    "platform",
    "service",
    "app",
    "retailer",
    "automaker",
    "carmaker",
    "manufacturer",
    "brand",
    "outlet",
    "franchise",
    "committee",
    "ngo",
}
# Bodies of an organisation that speak for themselves: 'the board wrote' is the board, not the company.
BODY_NOUNS = {"board"}
PERSON_NOUNS = {
    "specialist",
    "expert",
    "analyst",
    "researcher",
    "official",
    "minister",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "professor",
    "economist",
    "scholar",
    "author",
    "diplomat",
    "director",
    "chief",
    "executive",
    "ceo",
    "founder",
    "president",
    "lawyer",
    "attorney",
    "coach",
    "player",
    "scientist",
    "historian",
    "commander",
    "leader",
    "senator",
    "governor",
    "mayor",
    "boss",
    "manager",
    "star",
    "striker",
    "midfielder",
    "defender",
    "goalkeeper",
    "quarterback",
    "forward",
    "winner",
    "champion",
    "driver",
    "chairman",
    "owner",
    "legend",
    "captain",
    "singer",
    "actor",
    "actress",
    "rapper",
    "artist",
    "writer",
    "creator",
    "youtuber",
    "veteran",
    "counsel",
}
_POSSESSIVE = re.compile(r"(?:['’]s?)$")
_PARTICLES = r"(?:ten|van|von|de|der|den|da|di|du|le|la|al|el|bin|ibn|dos|das|del)"
_LEFT_NAME = re.compile(
    rf"(?<![\w'’.-])((?:(?:[A-Z][\w'’.-]*|{_PARTICLES})[ \t]+){{1,3}})(?:[“\"][^”\"\n]{{1,30}}[”\"][ \t]+)?$"
)  # Alia “SSSniperWolf” Shelesh
_SUFFIXED = re.compile(r"(?<=[\w.])(,?[ \t]+)(Jr\.?|Sr\.?|II|III|IV)(?![\w'’-])")
_HYPHEN_PART = re.compile(r"(?<![\w'’-])[A-Z][\w'’]*-$")
_STOP = {
    "the",
    "a",
    "an",
    "and",
    "but",
    "or",
    "when",
    "while",
    "as",
    "if",
    "so",
    "then",
    "after",
    "before",
    "with",
    "for",
    "of",
    "in",
    "on",
    "at",
    "to",
    "by",
    "from",
    "that",
    "this",
    "his",
    "her",
    "their",
    "its",
    "our",
    "it",
    "he",
    "she",
    "they",
    "we",
    "i",
    "you",
    "said",
    "says",
    "asked",
    "meanwhile",
    "however",
    "also",
    "former",
    "new",
    "last",
    "next",
    "first",
    "both",
    "like",
    "per",
    "via",
    "according",
    "told",
    "tells",
    "since",
    "though",
    "although",
    "because",
    "now",
    "even",
    "yet",
    "still",
    "why",
    "how",
    "what",
    "where",
    "who",
    "which",
    "there",
    "here",
    "today",
    "yesterday",
    "instead",
    "indeed",
    "earlier",
    "later",
    "thus",
    "only",
    "just",
    "not",
    "no",
    "all",
    "some",
    "many",
    "most",
    "every",
    "each",
    "other",
    "these",
    "those",
    "my",
    "your",
    "about",
    "over",
    "into",
    "during",
    "without",
    "against",
    "is",
    "was",
    "are",
    "were",
    "has",
    "have",
    "had",
    "will",
    "would",
    "can",
    "could",
    "should",
    "may",
    "might",
    "do",
    "did",
    "speaking",
    "reached",
    "added",
    "once",
    "elsewhere",
    "separately",
    "similarly",
    "finally",
    "recently",
    "currently",
}

FUNCTION_WORDS = frozenset(_STOP)  # words that open a clause, never a name (identity.py strips them)


def clean_entity(raw: str) -> str:
    """'the Ten Hag's' → 'Ten Hag'; titles stay out of the name ('House Speaker X' → 'X')."""
    name = re.sub(r"^(?:the|a|an)\s+", "", raw.strip(), flags=re.I)
    name = _POSSESSIVE.sub("", name).strip(" ,.;:\"“”'’")
    title, rest = split_title(name)
    if title and rest[:1].isupper():
        return rest
    return descriptor_before_name(name)[1]  # 'Astrophotographer Josh Dury', 'Sportsnet’s Elliotte Friedman'


def _tokens(name: str) -> list[str]:
    """Name words, case-folded; a hyphenated surname counts word by word ('Prieto' is in 'Sotos-Prieto')."""
    return [p for t in name.split() for p in t.casefold().strip(".,").split("-") if p]


def _contains(full: list[str], part: list[str]) -> bool:
    return any(full[i : i + len(part)] == part for i in range(len(full) - len(part) + 1))


# Functions of a person from the lexicon ('Licensed clinical social worker Jennifer Kelman', 'Property developer
# Miki Naimi'), without the nouns of bodies and products ('carmaker Tesla Motors' is no person).
_NOT_PERSON_ROLES = (
    ORG_NOUNS
    | ORG_WORDS
    | frozenset(
        "lab laboratory hospital college charity conglomerate coalition alliance airline automaker carmaker maker "
        "manufacturer retailer insurer lender provider publisher regulator watchdog subsidiary nonprofit outlet "
        "broadcaster newspaper magazine exchange division unit tank think-tank tribunal startup studio end safety "
        "tackle guard center parent body source sources insiders carrier platform brand network firm fund".split()
    )
)
_PERSON_ROLES = {n for n in ROLE_NOUNS if n not in _NOT_PERSON_ROLES and n.isalpha()}
_TITLE_NOUNS = "|".join(sorted(PERSON_NOUNS | _PERSON_ROLES | {"businessman", "businesswoman"}, key=len, reverse=True))
_TITLED = re.compile(
    rf"(?<![\w'’&-])((?:{_TITLE_NOUNS}))[ \t]+"
    rf"([A-Z][\w'’.-]+(?:[ \t]+(?:{_PARTICLES}[ \t]+)?[A-Z][\w'’.-]+){{1,2}})"
)
_STAFF = re.compile(
    r"\b(?:[Oo]ur|[Mm]y)\s+(?:[\w-]+\s+){0,3}?(?:reporter|correspondent|editor|writer|colleague|columnist|expert|"
    r"analyst|critic|staff(?:er)?|team member|host|producer|photographer|contributor)s?\s+"
    r"([A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,2})"
)
_LINKING = frozenset("and or nor of in on at to for with from by as than like about against between among".split())
_PRONOUN_GENDER = {
    "he": "m",
    "him": "m",
    "his": "m",
    "himself": "m",
    "she": "f",
    "her": "f",
    "hers": "f",
    "herself": "f",
}
_LEFT_WORDS = re.compile(r"(?:[\w'’&-]+[ \t]+){0,3}$")
_CUE_FORMS = frozenset(cue_forms())
_CAPTION = re.compile(  # a line that ends on a photo credit
    r"^[^\n]{0,300}\((?:[^()\n]*\b(?:Getty|Photo|Images?|Credit|AP|AFP|Reuters|EPA|Shutterstock|File)\b"
    r"[^()\n]*)\)[ \t]*$",
    re.M,
)
_OPENING = re.compile(r"(?:^|[.!?:\n])[\s\"“‘'(]*$")  # what may stand before a sentence's first word


def _occupation(word: str) -> bool:
    """A lower-case word that names what a person does ('radiologist', 'pediatrician', 'coach'), not a
    given name that merely ends like one ('Peter', 'Brian', 'Hunter' are refused: only the strong endings)."""
    low = word.casefold()
    if low in _PERSON_ROLES:
        return True
    return len(low) > 6 and low.isalpha() and low.endswith(("ologist", "ist", "ician"))


_OWNER_LEFT = re.compile(r"(?<![\w'’-])[A-Z][\w.&-]*['’]s?[ \t]+$")


class Inventory:
    """Names and roles found in the parsed paragraphs, in order of first appearance."""

    def __init__(self, text: str = "") -> None:
        self.text = text
        self.orgs: set[str] = set()
        self.org_names: dict[str, int] = {}  # name → times tagged ORG/GPE/NORP minus times tagged PERSON
        self.persons: list[str] = []
        self.raw_persons: list[str] = []
        self.docs: list[tuple[Any, int, Any]] = []
        self.entities: set[str] = set()
        self.roles: dict[str, str] = {}
        self.subjects: list[tuple[int, str, str]] = []  # (offset, canonical name, person|org)
        self._staff: set[str] | None = None
        self._expanded: dict[str, str | None] = {}  # _expand is costly and asked the same names again
        self._gender: dict[str, str | None] = {}
        self._first: dict[tuple[str, str], bool] = {}
        self._suffixes: list[tuple[int, str, str]] | None = None
        self._captions: list[tuple[int, int]] | None = None
        self.given_names: set[str] = set()  # lone given names the text completes ('Mikaela' → 'Mikaela Shiffrin')
        self.person_tagged: set[str] = set()  # names the tagger called a PERSON at least once

    def add_doc(self, doc: Any, offset: int, inside_quote: Any) -> None:
        """Record PERSON names, entity names, roles and subject mentions of one parsed paragraph."""
        self._expanded.clear()
        for ent in doc.ents:
            if ent.label_ not in NAME_LABELS:
                continue
            name = clean_entity(ent.text)
            if not name or not name[:1].isupper():
                continue
            person_of = _person_of(name) if ent.label_ == "ORG" else None
            if person_of:
                self._person_and_org(*person_of, offset + ent.start_char, inside_quote)
                continue
            self.entities.add(name.casefold())
            if ent.label_ in {"ORG", "GPE", "NORP"}:
                self.orgs.update(t.casefold() for t in name.split() if t[:1].isupper())
                self.org_names[name.casefold()] = self.org_names.get(name.casefold(), 0) + 1
            elif ent.label_ == "PERSON":
                self.org_names[name.casefold()] = self.org_names.get(name.casefold(), 0) - 1
                self.person_tagged.add(name.casefold())
            if ent.label_ == "PERSON" and len(name.split()) >= 2 and not inside_quote(offset + ent.start_char):
                self.raw_persons.append(name)
        self.docs.append((doc, offset, inside_quote))

    def _person_and_org(self, person: str, org: str | None, at: int, inside_quote: Any) -> None:
        """An ORG span that is a person and their organisation ('Louis Brus of Columbia University', or the
        tagger's cut 'Louis Brus of'): the given name must not count as an organisation's word, or 'Brus'
        would never find 'Louis Brus'."""
        self.entities.add(person.casefold())
        if org:
            self.entities.add(org.casefold())
            self.orgs.update(t.casefold() for t in org.split() if t[:1].isupper())
            self.org_names[org.casefold()] = self.org_names.get(org.casefold(), 0) + 1
        if not inside_quote(at):
            self.raw_persons.append(person)

    def finish(self) -> None:
        """Settle full names (spaCy PERSONs that are not organisations, extended leftwards), then roles and subjects."""
        for raw in self.raw_persons:
            if self.org_names.get(raw.casefold(), 0) > 0 or all(t.casefold() in self.orgs for t in raw.split()):
                continue
            if self.org_names.get(raw.split()[-1].casefold(), 0) > 0:
                continue  # 'Man United' once tagged PERSON, while 'United' alone is an organisation
            self._add_person(self._expand(raw) or raw)
        self.persons = list(dict.fromkeys(self._titled_form(p) or p for p in self.persons))
        titled = self._titled_names()
        for doc, offset, inside_quote in self.docs:
            self._roles_and_subjects(doc, offset, inside_quote)
        for name, role in titled:
            self.roles.setdefault(name, role)
        self._given_names_tagged_as_bodies()
        self._sentence_openers()

    def _given_names_tagged_as_bodies(self) -> None:
        """'Jada said' with 'Jada' tagged ORG now and then: the given name of a person the article refers to as
        'she' or 'he' (Jada Pinkett Smith) is that person, not a body — a product ('Beeper Mini') has no pronoun."""
        firsts = [p.split()[0] for p in self.persons if len(p.split()) >= 2]
        for full in self.persons:
            given = full.split()[0]
            if len(full.split()) < 2 or firsts.count(given) != 1 or not given[1:].islower():
                continue
            low = given.casefold()
            if self.org_names.get(low, 0) > 0 and low not in ORG_WORDS and low not in _STOP and self.gender(full):
                self.given_names.add(given)

    def _titled_names(self) -> list[tuple[str, str]]:
        """'former defender Rio Ferdinand', 'Iranian businessman Farhad Moshiri': a role noun right before a
        capitalised name marks a person (and their role) even in sentences the parser never saw."""
        found = []
        for match in _TITLED.finditer(self.text):  # the noun first, then up to 3 words before it (fast)
            left = _LEFT_WORDS.search(self.text, max(0, match.start() - 80), match.start())
            words = ((left.group(0) if left else "") + match.group(1)).split()
            while words and (words[0].casefold() in _STOP or not words[0][:1].isalnum()):
                words.pop(0)
            name = clean_entity(re.split(r"(?<=[a-z]{2})\.\s", match.group(2))[0])  # 'Can Sun. He testified'
            if any(t.casefold() in self.orgs for t in name.split()[:1]) or self.org_names.get(name.casefold(), 0) > 0:
                continue
            self._add_person(name)
            if words:
                found.append((self.canonical(name), " ".join(words)))
        return found

    def _sentence_openers(self) -> None:
        """Mentions of known persons outside the parsed paragraphs ('…, Mitchell showed …') count as
        salient too: the parser only sees paragraphs with speech, pronouns refer across all of them."""
        if not self.text or not self.persons:
            return
        parsed = [(o, o + len(d.text)) for d, o, _ in self.docs]
        forms = {}
        firsts = [p.split()[0].casefold() for p in self.persons if len(p.split()) >= 2]
        givens: set[str] = set()
        for full in self.persons:
            forms.setdefault(full.casefold(), full)
            if self.org_names.get(full.split()[-1].casefold(), 0) <= 0:  # 'United have …' is the club
                forms.setdefault(full.split()[-1].casefold(), full)
            given = full.split()[0] if len(full.split()) >= 2 else ""
            if self._given_alone(given) and firsts.count(given.casefold()) == 1:
                forms.setdefault(given.casefold(), full)  # 'Britney acts out': profiles call her by her given name
                givens.add(given.casefold())
        pattern = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
        for match in re.finditer(rf"(?<![\w'’-])(?:{pattern})(?![\w-])(?!['’]s)", self.text, re.I):
            at = match.start()
            if match.group(0).casefold() in givens and self._in_quotation(at):
                continue  # '“Now, ten years from now, Hoda, who knows?”': a name called out, not a subject
            if match.group(0)[:1].isupper() and not any(s <= at < e for s, e in parsed) and self._subject_at(match):
                self.subjects.append((at, forms[match.group(0).casefold()], "person"))
        self.subjects.sort()

    def _in_quotation(self, at: int) -> bool:
        """Is `at` inside quotation marks of its paragraph (curly marks, or an odd number of straight ones)?"""
        start = self.text.rfind("\n", 0, at) + 1
        before = self.text[start:at]
        curly = before.rfind("“") > before.rfind("”")
        return curly or before.count('"') % 2 == 1

    def _given_alone(self, given: str) -> bool:
        """Does the text call someone by this given name alone? Not a function word ('Will'), not a body's name."""
        low = given.casefold()
        if len(given) < 3 or not given[1:].islower() or low in _STOP or low in TITLE_WORDS or low in self.orgs:
            return False
        return re.search(rf"(?<![\w'’-]){re.escape(given)}(?![\w'’-])(?![ \t]+[A-Z])", self.text) is not None

    def _subject_at(self, match: re.Match[str]) -> bool:
        """A mention a pronoun can pick up: a clause's subject or a sentence's last words, never a name inside a
        list or after a preposition ('Kelce was given …', not 'the options of Swift, Katy Perry and …')."""
        left = self.text[max(0, match.start() - 40) : match.start()]
        left = _OWNER_LEFT.sub("", left)[-20:]  # 'an interview with Today’s Hoda Kotb': the owner's context decides
        right = self.text[match.end() : match.end() + 20]
        before = re.search(r"([A-Za-z]+)[\s,]*$", left)
        if re.match(r"[.!?]", right):  # '… featured FTX's general counsel Can Sun. He testified': a focus
            return not (before and before.group(1).casefold() in _LINKING)
        after = re.match(r"[\s,]*([A-Za-z]+)", right)
        if after is None or not after.group(1)[:1].islower():
            return False
        if re.search(r"\b(?:a|an|the)[ \t]+(?:[a-z]+[ \t]+)?$", left):
            return False  # 'an unabashed Jones fan': a name modifying a noun is no clause's subject
        if not left.strip() or re.search(r"[.!?:][\"”’)]?\s*$", left):
            return True  # a sentence opener: 'Needle and his colleagues have …' is a subject
        return not (before and before.group(1).casefold() in _LINKING) and after.group(1) not in _LINKING

    def shorten(self, name: str) -> str:
        """'Meanwhile Sophie' / 'GM Bob Myers' → the known name inside a phrase the rules over-read."""
        name = self.without_opener(name)
        words = name.split()
        owned = len(words) == 2 and words[0][-2:] in {"'s", "’s"} and words[1][:1].isupper()
        if owned and self.canonical(words[1]) != words[1]:
            return words[1]  # "Teneo's Wildau", "American's Fleming": the surname of a person the text names in full
        adverb_or_acronym = words[0].endswith(("ing", "ly")) or words[0].isupper() and len(words[0]) <= 4
        if len(words) < 2 or not (words[0].casefold() in _STOP or adverb_or_acronym):
            return name
        if words[0].casefold() in _STOP and words[1][:1].isupper():
            return " ".join(words[1:])
        for cut in range(1, len(words)):
            rest = " ".join(words[cut:])
            if self.known(rest):
                return rest
        return name

    def without_opener(self, name: str) -> str:
        """'Radiologist Bhavik Patel' → 'Bhavik Patel', 'Concluded Brown' → 'Brown': a sentence capitalises its
        first word, so an occupation or a reporting verb there is no given name — when the text never writes
        the whole phrase anywhere but at a sentence start (then its capital proves nothing)."""
        words = name.split()
        if len(words) < 2 or not self.text:
            return name
        first = words[0]
        verb = first.casefold() in _CUE_FORMS and first.casefold() not in TITLE_WORDS
        # any word before a full name the text also writes without it ('Confirmation Sam Altman will not
        # return' opens a headline; 'Sam Altman' is written alone elsewhere)
        alone = len(words) >= 3 and self._written_without(" ".join(words[1:]), first)
        if not (verb or _occupation(first) and len(words) >= 3 or alone) or not first[1:].islower():
            return name
        found = False
        for match in self._written(name):
            if not _OPENING.search(self.text, max(0, match.start() - 6), match.start()):
                return name
            found = True
        return " ".join(words[1:]) if found else name

    def _written(self, phrase: str) -> Iterator[re.Match[str]]:
        """Where the text writes `phrase` as whole words (not inside 'O’Brien-Smith' or 'Smithson')."""
        return re.finditer(rf"(?<![\w'’-]){re.escape(phrase)}(?![\w-])", self.text)

    def _written_without(self, full: str, word: str) -> bool:
        """Does the text write `full` somewhere not right after `word`?"""
        return any(
            not self.text[max(0, m.start() - len(word) - 1) : m.start()].startswith(word) for m in self._written(full)
        )

    def _roles_and_subjects(self, doc: Any, offset: int, inside_quote: Any) -> None:
        for ent in doc.ents:
            if ent.label_ != "PERSON" or inside_quote(offset + ent.start_char):
                continue
            name = self.canonical(clean_entity(ent.text))
            role = person_role(ent)
            if role and name not in self.roles:
                self.roles[name] = role
        for token in doc:
            if token.dep_ in {"nsubj", "nsubjpass"} and pos(token) == "PROPN" and not inside_quote(offset + token.idx):
                if token.ent_type_ == "ORG":
                    org = next((clean_entity(e.text) for e in doc.ents if e.start <= token.i < e.end), "")
                    if org[:1].isupper():
                        self.subjects.append((offset + token.idx, org, "org"))
                    continue
                if token.ent_type_ in {"GPE", "NORP"}:
                    continue
                left = token
                while left.i > 0 and doc[left.i - 1].dep_ == "compound" and pos(doc[left.i - 1]) == "PROPN":
                    left = doc[left.i - 1]
                name = self.canonical(clean_entity(doc[left.i : token.i + 1].text))
                if _subordinate(token):
                    continue  # '… which he maintained until Christopher became an adult': the son is no topic
                if token.ent_type_ == "PERSON" or len(name.split()) >= 2 and name in self.persons:
                    self.subjects.append((offset + left.idx, name, "person"))

    def _with_suffix(self, name: str) -> str:
        """'Albert Bryan' → 'Albert Bryan Jr.' when the text writes the generational suffix after the name."""
        if self._suffixes is None:  # every 'Name, Jr.' of the text, found once
            self._suffixes = [(m.start(1), m.group(1), m.group(2)) for m in _SUFFIXED.finditer(self.text)]
        for at, sep, suffix in self._suffixes:
            before = self.text[max(0, at - len(name) - 1) : at]
            if before.endswith(name) and not before[: -len(name)][-1:].isalnum():
                return f"{name}{sep.replace(chr(9), ' ')}{suffix}"  # as written
        return name

    def _mentions(self, full: str) -> int:
        """How often the article writes `full` in full. A given name alone is no evidence for the surname: a
        brother called 'Jason' throughout leaves the bare 'Kelce' to Travis."""
        if not self.text:
            return 0
        return sum(1 for _ in self._written(full))

    def _first_at(self, full: str) -> int:
        at = self.text.find(full)
        return at if at >= 0 else len(self.text)

    def _titled_form(self, name: str) -> str | None:
        """'COUNTRY STAR CRAIG MORGAN', 'Referee Adrian Morgan', 'AD Amy Folan' → the known person named at the
        end: the words before a full name are a title when written in capitals or as a common (lower-case)
        word elsewhere in the text."""
        part = _tokens(name)
        words = name.split()
        for full in self.persons:
            tail = _tokens(full)
            if len(tail) < 2 or len(part) <= len(tail) or part[-len(tail) :] != tail:
                continue
            head = words[: len(words) - len(full.split())]
            if head and all(w.isupper() or w.casefold() in TITLE_WORDS or self._common(w) for w in head):
                return full
        return None

    def _common(self, word: str) -> bool:
        low = word.casefold()
        return re.search(rf"(?<![\w'’-]){re.escape(low)}(?![\w'’-])", self.text) is not None

    def canonical(self, name: str) -> str:
        """The earliest-introduced full name containing `name` token-wise ('Ten Hag' → 'Erik ten Hag'; with two
        Benavidez brothers, a bare 'Benavidez' is the one the article named first); else `name`."""
        part = _tokens(name)
        if not part:
            return name
        fulls = [f for f in self.persons if _contains(_tokens(f), part) and self._introduced_first(f, name)]
        if fulls and len(part) == 1 and name[:1].isupper() and self.text:
            written = self._expand(name)  # the text's first full name for a surname the parser never saw there
            if written and self.org_names.get(written.casefold(), 0) <= 0 and written not in fulls:
                fulls.append(self._with_suffix(written))
        longer = [f for f in fulls if len(_tokens(f)) > len(part)]
        if len(longer) > 1 and len(part) == 1:  # two people share the surname: the one the article names most
            return max(longer, key=lambda f: (self._mentions(f), -self._first_at(f)))
        if fulls:
            return min(fulls, key=self._first_at)
        titled = self._titled_form(name) if len(part) >= 3 else None
        if titled:
            return titled
        if self.text and name[:1].isupper() and len(part) <= 2:
            full = self._expand(name) or (self._given_to_full(name) if len(part) == 1 else None)
            if full and self.org_names.get(full.casefold(), 0) > 0:
                return name  # 'United' → 'Manchester United' is an organisation, not a person's full name
            if full:
                return self._add_person(full)
        return name

    def _add_person(self, name: str) -> str:
        """Record a person's full name (with a generational suffix the text writes) unless a known name holds it;
        a name in capitals ('COUNTRY STAR CRAIG MORGAN', a headline) is the shortest tail the text also writes
        in mixed case after title words ('Craig Morgan')."""
        name = re.sub(r"(?<=s)['’]$", "", name)  # "Britney Spears’ relationships": the owner's apostrophe
        name = self._with_suffix(descriptor_before_name(self.without_opener(name))[1])
        if name.isupper():
            words = name.split()
            for cut in range(1, len(words) - 1):
                tail = " ".join(w.capitalize() for w in words[cut:])
                if all(self._common(w) or w.casefold() in TITLE_WORDS for w in words[:cut]) and tail in self.text:
                    name = tail
                    break
        held = next((p for p in self.persons if _contains(_tokens(p), _tokens(name))), None)
        if held is None:
            self.persons.append(name)
        return held or name

    def _introduced_first(self, full: str, part: str) -> bool:
        """Does the text write `full` before it writes `part` alone? Journalists name a person in full first,
        then by surname; a surname used before the only full name that holds it belongs to someone named
        elsewhere ('Kelce’s convertible' … 'his brother Jason Kelce': Kelce is Travis, from the headline)."""
        if not self.text or len(part.split()) >= len(full.split()):
            return True
        key = (full, part)
        if key not in self._first:
            at_full = self.text.find(full)
            bare = re.compile(rf"(?<![\w'’.-])(?<!{re.escape(full.split()[0])} ){re.escape(part)}(?![\w-])")
            givens = {p.split()[0] for p in self.persons if len(p.split()) > 1 and p.endswith(f" {part}")}
            first = next(  # 'Jamie Spears' is no bare 'Spears' before 'Britney Spears'
                (
                    m
                    for m in bare.finditer(self.text)
                    if self.text[max(0, m.start() - 40) : m.start()].split()[-1:] not in [[g] for g in givens]
                ),
                None,
            )
            self._first[key] = at_full < 0 or first is None or at_full <= first.start()
        return self._first[key]

    def _expand(self, name: str) -> str | None:
        """'Carragher' → 'Jamie Carragher': the first place the text puts given names before the surname."""
        if name not in self._expanded:
            self._expanded[name] = self._expand_uncached(name)
        return self._expanded[name]

    def _expand_uncached(self, name: str) -> str | None:
        for match in re.finditer(rf"(?<![\w'’]){re.escape(name)}(?![\w-])", self.text, re.I):
            at, written = match.start(), match.group(0)
            if at and self.text[at - 1] == "-":  # 'Sotos-Prieto' for 'Prieto'
                part = _HYPHEN_PART.search(self.text, max(0, at - 30), at)
                if not part:
                    continue
                at, written = part.start(), part.group(0) + written
            left = _LEFT_NAME.search(self.text, max(0, at - 60), at)
            if not left:
                continue
            words = left.group(1).split()
            stops = [i for i, w in enumerate(words) if _not_given_name(w)]
            if stops and stops[-1] == len(words) - 1 and self._mid_sentence_given(words[-1], at):
                stops.pop()  # 'notes Per Persson': a capitalised 'Per' inside a sentence is a given name
            words = words[stops[-1] + 1 :] if stops else words
            while len(words) > 1 and words[0].isupper() and len(words[0]) <= 4:
                words.pop(0)  # 'AG Rob Bonta', 'GM Bob Myers': an abbreviated title
            first = words[0] if words else ""
            if first[:1].isupper() and first.casefold() not in self.orgs and not first.endswith(("ing", "ly")):
                return descriptor_before_name(self.without_opener(" ".join(words + [written])))[1]
        return None

    def _mid_sentence_given(self, word: str, at: int) -> bool:
        """Is `word`, written right before the name at `at`, capitalised by itself rather than by its place?
        Only a plain function word ('Per', 'Will') after a lower-case word can be a given name."""
        low = word.casefold()
        if not word.isalpha() or not word[1:].islower() or low not in _STOP or low in {"the", "a", "an"}:
            return False
        before = self.text[max(0, at - 40) : at].rstrip()[: -len(word)]
        return re.search(r"[a-z][,]?[ \t]+$", before) is not None

    def _given_to_full(self, given: str) -> str | None:
        """'Mikaela' → 'Mikaela Shiffrin', 'Eileen' → 'Eileen Shiffrin' ('Eileen and Jeff Shiffrin'): profiles
        and family stories call people by their given name once the full name is written; the text must write
        the given name followed by exactly one surname, and the tagger must have called one of them a person."""
        low = given.casefold()
        if low not in self.person_tagged and not any(p.startswith(f"{low} ") for p in self.person_tagged):
            return None  # checked first: the pattern below is compiled anew for every name
        if low in _STOP or low in ORG_WORDS or self.org_names.get(low, 0) > 1 or not given[1:].islower():
            return None  # the tagger calls a lone given name a place now and then ('Eileen' as GPE): once is noise
        esc = re.escape(given)
        pattern = rf"(?<![\w'’.-]){esc}(?:[ \t]+and[ \t]+[A-Z][a-z]+)?[ \t]+([A-Z][a-z][\w'’-]+)(?![\w'’-]|[ \t]+[A-Z])"
        for match in re.finditer(pattern, self.text):
            surname = match.group(1)
            full = f"{given} {surname}"
            if given.casefold() not in self.person_tagged and full.casefold() not in self.person_tagged:
                return None  # 'Amot' → 'Amot Investments' is a company's short name
            low = surname.casefold()
            if low in _STOP or low in self.orgs or low in TITLE_WORDS or self._common(surname):
                continue
            if _OPENING.search(self.text, max(0, match.start() - 6), match.start()) and " and " in match.group(0):
                continue  # 'Jeff and Eileen welcomed' at a sentence start: no surname there
            self.given_names.add(given)
            return full
        return None

    def known(self, name: str) -> bool:
        """Is `name` an entity of the article (or part of a person's full name)?"""
        return name.casefold() in self.entities or self.canonical(name) != name

    def salient(self, before: int, kind: str = "person", pronoun: str | None = None) -> tuple[int, str] | None:
        """The latest person (or organisation) who was the subject of a clause before `before`; never one of
        the outlet's own staff ('Our resident crypto expert Jacquelyn Melinek has been on the ground …'): their
        narrative is the article, and a pronoun after it refers to someone they write about. With a `pronoun`
        ('he', 'she'), never a person the article refers to by the other one ('Kelce was given the options of
        Swift, Katy Perry … He said' is Kelce)."""
        staff, captions = self.staff(), self.captions()
        found = [
            (o, n)
            for o, n, k in self.subjects
            if o < before
            and k == kind
            and n not in staff
            and self.agrees(n, pronoun)
            and not any(s <= o < e for s, e in captions)
        ]
        return found[-1] if found else None

    def agrees(self, name: str, pronoun: str | None) -> bool:
        """False only when the article clearly refers to `name` by the other personal pronoun."""
        wanted = _PRONOUN_GENDER.get((pronoun or "").casefold())
        if wanted is None:
            return True
        found = self.gender(name)
        return found is None or found == wanted

    def gender(self, name: str) -> str | None:
        """'m' / 'f' when the article says so: an honorific (Mr Smith, Ms Lee), or the pronouns that follow the
        person's mentions before anyone else is named, clearly more often one way; None when unclear."""
        if name in self._gender:
            return self._gender[name]
        surname = name.split()[-1] if name.split() else name
        votes = {"m": 0, "f": 0}
        if surname[:1].isupper():
            esc = re.escape(surname)
            votes["m"] += 3 * len(re.findall(rf"\bMr\.?\s+{esc}\b", self.text))
            votes["f"] += 3 * len(re.findall(rf"\bM(?:s|rs|iss)\.?\s+{esc}\b", self.text))
            others = [p for p in self.persons if p != name and p.split()[-1] != surname]
            stop = re.compile("|".join(re.escape(p.split()[-1]) for p in others)) if others else None
            for m in re.finditer(rf"(?<![\w'’-]){esc}(?![\w-])", self.text):
                window = self.text[m.end() : m.end() + 160]
                cut = stop.search(window) if stop else None
                window = window[: cut.start()] if cut else window
                window = re.sub(r"[“\"][^”\"]*[”\"]", " ", window)  # pronouns inside a quotation are the speaker's
                for word in re.findall(r"[A-Za-z]+", window):
                    g = _PRONOUN_GENDER.get(word.casefold())
                    if g:
                        votes[g] += 1
        m_, f_ = votes["m"], votes["f"]
        result = "m" if m_ >= 2 and m_ >= 3 * f_ else "f" if f_ >= 2 and f_ >= 3 * m_ else None
        self._gender[name] = result
        return result

    def captions(self) -> list[tuple[int, int]]:
        """Photo captions ('Eddie Jones with fans during a training session. (Getty)'): the person pictured is
        not who a later 'he said' refers to — captions sit between paragraphs, outside the story's thread."""
        if self._captions is None:
            self._captions = [m.span() for m in _CAPTION.finditer(self.text)]
        return self._captions

    def staff(self) -> set[str]:
        """Names the article presents as its own people: 'our reporter X', 'my colleague X'."""
        if self._staff is None:
            self._staff = {self.canonical(clean_entity(m.group(1))) for m in _STAFF.finditer(self.text)}
        return self._staff


_INSTITUTION_WORDS = frozenset(
    "academy society museum clinic church school press news times journal media capital partners labs studios "
    "games records institution".split()
)
_PERSON_OF_ORG = re.compile(r"^([A-Z][a-z][\w'’-]* [A-Z][a-z][\w'’-]*) (?:of|at|from)(?: (?:the )?([A-Z].*))?$")


def _person_of(name: str) -> tuple[str, str | None] | None:
    """('Louis Brus', 'Columbia University') for an ORG span 'Louis Brus of Columbia University': two name
    words that hold no word of a body ('Swedish Academy of Sciences' stays an organisation)."""
    match = _PERSON_OF_ORG.match(name)
    if not match or org_like(match.group(1)):
        return None
    words = {w.casefold() for w in match.group(1).split()}
    if words & (_NOT_PERSON_ROLES | _INSTITUTION_WORDS | ROLE_NOUNS) or words & _STOP:
        return None
    return match.group(1), match.group(2)


def _not_given_name(word: str) -> bool:
    """Words that end a run of given names: function words, titles and occupations, possessives ('Chelsea's')."""
    low = word.casefold()
    return (
        low in _STOP
        or low in TITLE_WORDS
        or "-" in low
        and all(p in TITLE_WORDS for p in low.split("-"))  # 'Secretary-General'
        or word[1:].islower()
        and _occupation(word)  # 'Pastor Jesse Bradley': the title ends the run
        or word.endswith(("'s", "’s", "'", "’"))
        or word.endswith(".")
        and len(word) > 2
    )


_SUBORDINATE = frozenset({"advcl", "relcl", "acl"})


def _subordinate(token: Any) -> bool:
    """Is this subject's clause an adverbial or relative one ('until Christopher became …', 'whom Smith …')?
    A pronoun after the sentence refers to the main clause's subject, not to someone a side clause mentions."""
    verb = token.head
    return verb.dep_ in _SUBORDINATE and any(c.dep_ == "mark" or c.tag_ in {"WDT", "WP", "WRB"} for c in verb.children)


def person_role(ent: Any) -> str | None:
    """Role of a PERSON entity: 'Chelsea head coach <X>' or '<X>, a researcher at Y,' or 'Y's head, <X>,'."""
    root = ent.root
    left = [t for t in root.subtree if t.i < ent.start and t.dep_ not in {"det", "punct"}]
    if left and left[-1].i == ent.start - 1 and any(pos(t) == "NOUN" for t in left):
        text = ent.doc[left[0].i : ent.start].text
        if not re.search(r"[“”\"]", text) and len(left) <= 8:
            return _tidy(text)
    title, _ = split_title(ent.text)
    if title and any(w.lower() in TITLE_WORDS for w in title.split()):
        return _tidy(title)
    for child in root.children:
        if child.dep_ == "appos" and child.i > ent.end - 1 and child.ent_type_ != "PERSON":
            return _tidy(ent.doc[child.left_edge.i : child.right_edge.i + 1].text)
    head = root.head
    if root.dep_ == "appos" and head.i < ent.start and pos(head) == "NOUN" and not head.ent_type_:
        span = ent.doc[head.left_edge.i : head.i + 1]
        if span.end <= ent.start:
            return _tidy(span.text)
    return None


def _tidy(role: str) -> str | None:
    role = re.sub(r"^(?:the|a|an)\s+", "", role.strip(), flags=re.I)
    role = role.strip(" ,.;:—–-")
    return role if 0 < len(role.split()) <= 14 and not re.search(r"[“”\"]", role) else None
