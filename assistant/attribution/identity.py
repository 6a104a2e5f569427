"""Speaker identity across articles: one canonical speaker per person or organisation, never two in one.

Within an article, attribution already resolves "he" and "Altman" to "Sam Altman". Across articles a wrong
merge costs more than a missed one (the board's statement credited to a Microsoft product), so names join
only on evidence:
  - the same folded name (case, accents, "al-" particles, honorifics): "Bashar al-Assad" = "Bashar Assad";
  - an abbreviation an article states: "Securities and Exchange Commission (SEC)";
  - a lone surname joins the one full name that ends with it when its own article also writes that full
    name, or when both were given the same role ("Lister, an analyst" / "Charles Lister, analyst at …").
Never by substring alone: "OpenAI" is not "Azure OpenAI", "Smith" in one article is not "Will Smith" from
another. A lone surname is therefore an identity of its own article until evidence joins it.
The registry keeps, per speaker, the roles seen, the outlets that quoted them, first/last dates and counts.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from assistant.attribution.coref import FUNCTION_WORDS
from assistant.attribution.mentions import ORG_WORDS, abbreviations, org_like
from assistant.attribution.roles import plausible_role, role_noun
from assistant.lexicon import NAME_PARTICLES, ROLE_STOPWORDS
from assistant.lexicon import fold_name as fold
from assistant.models import Article, Quote


@dataclass
class Speaker:
    """One canonical speaker. `name`, `variants`, `roles`, `outlets` and `quotes` are the historic fields;
    `id`, `kind`, `articles`, `first`/`last` (publication dates of the quoting articles) were added."""

    name: str
    variants: Counter = field(default_factory=Counter)
    roles: Counter = field(default_factory=Counter)
    outlets: Counter = field(default_factory=Counter)
    quotes: int = 0
    id: str = ""
    kind: str = "person"
    articles: set[str] = field(default_factory=set)
    first: dt.date | None = None
    last: dt.date | None = None

    @property
    def role(self) -> str | None:
        """The role stated most often (the longest among equals), None when no article states one."""
        if not self.roles:
            return None
        return max(self.roles, key=lambda r: (self.roles[r], len(r), r))

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view (dates as ISO strings), most frequent first in each list."""
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "role": self.role,
            "roles": [r for r, _ in self.roles.most_common()],
            "variants": sorted(self.variants),
            "outlets": [o for o, _ in self.outlets.most_common()],
            "quotes": self.quotes,
            "articles": len(self.articles),
            "first": self.first.isoformat() if self.first else None,
            "last": self.last.isoformat() if self.last else None,
        }

    def _note(self, name: str, role: str | None, article: str, outlet: str | None, date: dt.date | None) -> None:
        self.variants[name] += 1
        self.quotes += 1
        self.articles.add(article)
        role = plausible_role(role)  # 'month prior', 'MLB Network’s': fragments are no one's role
        if role:
            self.roles[role] += 1
        if outlet:
            self.outlets[outlet] += 1
        if date:
            self.first = min(self.first or date, date)
            self.last = max(self.last or date, date)

    def _absorb(self, other: Speaker) -> None:
        for attr in ("variants", "roles", "outlets"):
            getattr(self, attr).update(getattr(other, attr))
        self.quotes += other.quotes
        self.articles |= other.articles
        dates = [d for d in (self.first, self.last, other.first, other.last) if d]
        self.first, self.last = (min(dates), max(dates)) if dates else (None, None)


_NOT_GIVEN = frozenset("the a an and but or neither either while when if as at in on by for to of from with".split())


_ACRONYM = re.compile(r"[A-Z][A-Z&.]{1,6}")


def _after_given_name(name: str, text: str) -> bool:
    """Is `name` written after a given name somewhere in its article ('… said Jerome Powell')? Then it is a
    surname there, not an organisation's name (a capitalised word opening a sentence does not count)."""
    pattern = rf"(?<![.!?\n]\s)(?<!^)\b([A-Z][a-z]+)\s+{re.escape(name)}\b"
    return any(m.group(1).casefold() not in _NOT_GIVEN for m in re.finditer(pattern, text))


def _qualified(acronym: str, text: str) -> bool:
    """Does the article write the acronym after a capitalised qualifier ('the Italian DPA', 'Norway’s DPA')?
    Then it names one of several bodies of that kind, and the bare acronym is no identity across articles."""
    found = re.finditer(rf"(?<![\w'’-])([A-Z][a-z]+)(?:['’]s)?\s+{re.escape(acronym)}(?![\w-])", text)
    return any(m.group(1).casefold() not in _OPENERS for m in found)  # 'The EU said' is not qualified


def _role_words(roles: Iterable[str]) -> set[str]:
    return {w for r in roles for w in re.findall(r"[\w-]+", fold(r)) if w not in ROLE_STOPWORDS and len(w) > 2}


@dataclass
class _Record:
    name: str
    role: str | None
    article: str
    outlet: str | None
    date: dt.date | None


_SPOKES = {"spokesperson", "spokesman", "spokeswoman", "spokespeople", "representative", "rep", "spokesmen"}
# Unnamed people: 'EU officials', 'a source', 'analysts at X' are whoever that article means, never one identity
# across articles (the hand check of 50 canonical speakers found 'A source' pooling eight unrelated stories).
_GROUPS = {
    "official",
    "officials",
    "lawmaker",
    "lawmakers",
    "source",
    "sources",
    "insider",
    "insiders",
    "analyst",
    "analysts",
    "expert",
    "experts",
    "executive",
    "executives",
    "employee",
    "employees",
    "staff",
    "member",
    "members",
    "researcher",
    "researchers",
    "artist",
    "artists",
    "people",
    "person",
    "leaders",
    "diplomats",
}
_UNNAMED = re.compile(r"^(?:a|an|one|another|some|several|many|two|three|four|other)\s", re.I)


# Words that open a sentence or a clause and that the rules sometimes glue to the name after them:
# 'Neither Apple', 'Despite Meta', 'Maybe Google', 'Among the', 'Someone'. Never part of a name.
_OPENERS = FUNCTION_WORDS - {"will", "may", "can", "per"} | {  # Will Smith, Can Sun, Per Mertesacker
    "neither",
    "nor",
    "despite",
    "maybe",
    "perhaps",
    "among",
    "amid",
    "someone",
    "somebody",
    "anyone",
    "everyone",
    "nobody",
    "here",
    "i've",
    "i'm",
    "i'd",
    "i'll",
    "we've",
    "they've",
    "let's",
    "related",
    "unless",
    "whether",
    "until",
    "whereas",
}
# Acronyms of common nouns, not of a body that can speak: 'AI promises …', 'the CEO said'.
_GENERIC_ACRONYMS = frozenset("ai ceo cfo coo cto cio vc seo nav arr gdp ipo api ev ar vr nft etf dna rna pr".split())
_PLAIN = re.compile(r"[A-Z][a-z'’-]+")  # a word spelled like a given name or surname: no inner capital
_WORD = re.compile(r"[A-Za-z][\w'’-]*")


def _vocabulary(texts: Iterable[str]) -> set[str]:
    """Words the texts write in lower case: common words, which a name written with a capital only at the
    start of a sentence ('Confirmation Sam Altman', 'Research in monkeys has suggested') is made of."""
    return {w for text in texts for w in _WORD.findall(text) if w.islower()}


def _mid_sentence_capital(word: str, text: str) -> bool:
    """Is `word` written with a capital after a lower-case word or a comma somewhere in `text`? Then the
    article uses it as a proper noun ('… and Target said', 'Last week, The Roar revealed'), not only as a
    sentence opener."""
    return re.search(rf"(?<=[a-z,;] )(?:[Tt]he )?{re.escape(word)}(?![\w'’-])", text) is not None


def speaker_name(
    name: str, vocabulary: Collection[str] = (), known: Collection[str] = (), text: str = ""
) -> str | None:
    """The name a canonical speaker may carry, or None when `name` is no name at all.

    The rules over-read sentence openers and titles into names ('Confirmation Sam Altman' under a heading,
    'Neither Apple', 'Witness Adam Yedidia', 'ESPN’s Jeff Passan'); those words go, so the speaker joins
    the one its other articles name. Fragments never become identities: function words only ('Among the',
    'Here'), acronyms of common nouns ('AI'), a lower-case word, or a single common word the article never
    writes with a capital mid-sentence ('Research in monkeys has suggested …'). `vocabulary` is the set of
    words the articles write in lower case, `known` the folded names of other speakers, `text` the article."""
    if unnamed(name):
        return name  # 'A source', 'EU officials': kept, one identity per article
    words = name.split()
    while len(words) > 1:
        first, low = words[0], words[0].casefold().strip(".,").replace("’", "'")
        rest = " ".join(words[1:])
        if low in _OPENERS or low.endswith("n't") or first.endswith(("’s", "'s")) and len(words) > 2:
            words = words[1:]  # 'Despite Meta', 'Didn’t Epic', 'ESPN’s Jeff Passan'
        elif (
            len(words) > 2
            and all(w[:1].isupper() for w in words[1:])
            and (role_noun(first, strict=True) or fold(rest) in known and low in vocabulary)
        ):
            words = words[1:]  # 'Witness Adam Yedidia', 'Confirmation Sam Altman' (Sam Altman is quoted elsewhere)
        else:
            break
    name = " ".join(words)
    if "," in name:
        return None  # 'Information, Altman': two names run together, neither of them known to be the speaker
    folded = fold(name).split()
    lower = not name[:1].isupper() and not name[:1].isdigit()
    if not folded or lower and not re.match(rf"(?:{'|'.join(NAME_PARTICLES)})\b", name):
        return None  # 'ketamine'; but 'al-Assad', 'de Bruyne'

    if all(w in _OPENERS for w in folded) or len(folded) == 1 and folded[0] in _GENERIC_ACRONYMS:
        return None
    if len(words) == 1 and not org_like(name) and name.casefold() in vocabulary and text:
        if name.isupper() or not _mid_sentence_capital(name, text):
            return None  # 'Research', 'Temptation', 'EXPERTS': a common word opening a sentence or a heading
    return name


_UNIQUE_BODIES = frozenset({"kremlin", "pentagon"})  # one referent wherever they are named


def _generic_body(name: str) -> bool:
    """A lone word that names a kind of body ('Alliance', 'Commission', 'Ministry'): the body its article
    names in full, so two alliances are never one speaker."""
    word = fold(name)
    return " " not in word and word in ORG_WORDS and word not in _UNIQUE_BODIES


def _bodies_named(word: str, text: str) -> set[str]:
    """The full names the article gives a body it also calls by its kind ('European Commission' … 'the
    Commission'), folded: one is the body meant; several leave the lone word to that article alone."""
    found = re.findall(rf"(?<![\w'’&.-])((?:[A-Z][\w'’&-]*[ \t]+){{1,4}}){re.escape(word)}(?![\w'’-])", text)
    fulls = set()
    for words in found:
        kept = words.split()
        while kept and kept[0].casefold() in _OPENERS | {"the", "a", "an"}:
            kept.pop(0)
        if kept:
            fulls.add(fold(" ".join([*kept, word])))
    return fulls


def _full_names_with(part: str, text: str) -> set[str]:
    """Folded two-word names the text writes around a lone name ('Dan Lewis' for 'Dan'), sentence openers
    and function words aside."""
    esc = re.escape(part)
    found = re.findall(rf"(?<![\w'’-])({esc}[ \t]+[A-Z][\w'’-]+|[A-Z][\w'’-]+[ \t]+{esc})(?![\w'’-])", text)
    return {fold(f) for f in found if not any(w in _OPENERS for w in fold(f).split())}


def _group_word(word: str) -> bool:
    """'developers', 'economists': a plural function noun names unnamed people, never one identity."""
    return word in _SPOKES | _GROUPS or len(word) > 4 and word.endswith("s") and role_noun(word[:-1], strict=True)


def unnamed_spokesperson(name: str, role: str | None) -> str | None:
    """'a Google spokesperson said' is quoted as Google with the role 'spokesperson': an unnamed person of
    that article, not the company's own voice across articles → 'Google spokesperson'; likewise 'developers
    at Epic Games said' → 'Epic Games developers'."""
    return f"{name} {fold(role)}" if role and role.islower() and _group_word(fold(role)) else None


def unnamed(name: str) -> bool:
    """'A source', 'a senior official', 'EU officials': people the article does not name."""
    words = fold(name).split()
    return bool(_UNNAMED.match(name.strip())) or (bool(words) and _group_word(words[-1]))


class SpeakerRegistry:
    """Canonical speakers of a set of articles; `canonical(name, article_id)` gives a quote's speaker."""

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, str], Speaker] = {}  # (folded name, article id or "") → speaker
        self._names: dict[tuple[str, str], str | None] = {}  # (name as quoted, article) → speaker_name()
        self._given: set[str] = set()  # folded given names of full person names ('jada')
        self._expansions: dict[str, dict[str, str]] = {}  # article → folded abbreviation → folded full name
        self._stated: dict[str, set[str]] = defaultdict(set)  # folded abbreviation → every full name stated
        self._bodies: dict[tuple[str, str], str] = {}  # ('commission', article) → 'european commission'

    @classmethod
    def from_articles(cls, articles: Iterable[Article]) -> SpeakerRegistry:
        registry = cls()
        articles = list(articles)
        records = [
            _Record(
                unnamed_spokesperson(q.speaker, q.speaker_role) or q.speaker,
                q.speaker_role,
                a.id,
                a.outlet,
                a.published,
            )
            for a in articles
            for q in a.quotes
            if q.speaker
        ]
        registry._build(records, {a.id: a.text for a in articles})
        return registry

    def add(self, names: Iterable[str]) -> None:
        """Register plain names (no article, no role): only equal folded names group."""
        records = [_Record(n, None, "", None, None) for n in names]
        self._build(records, {})

    def _key(self, name: str, article: str, parts: set[str], texts: dict[str, str]) -> tuple[str, str]:
        """A lone word that is part of a person's name (a surname, or a given name: 'Jason' may be Kelce
        or Blum) is an identity of its own article until evidence joins it; other names are global."""
        key = fold(name)
        if unnamed(name) and article:
            return (key, article)  # unnamed spokespeople and sources: one per article
        if _ACRONYM.fullmatch(name.strip()) and article:
            own = self._expansions.get(article, {}).get(key)
            if own:
                return (own, "")  # 'DPA' where this article spells out 'Data Protection Authority (DPA)'
            if len(self._stated.get(key, ())) > 1:
                return (key, article)  # articles spell it out differently: 'DPA' of one is not another's
            if not self._stated.get(key) and _qualified(name.strip(), texts.get(article, "")):
                return (key, article)  # 'the Italian DPA', 'Norway’s DPA': one of several, never spelled out
        if article and _generic_body(name):
            fulls = _bodies_named(name.strip(), texts.get(article, ""))  # 'the Commission' → 'European Commission'
            if len(fulls) == 1:
                self._bodies[(key, article)] = next(iter(fulls))
                return (next(iter(fulls)), "")
            if fulls:
                return (key, article)  # 'AI Alliance' and 'Alliance for Peace': whichever that article means
        if " " in name.strip() or org_like(name) or not article:
            return (key, "")
        part = key in parts or _after_given_name(name, texts.get(article, ""))
        return (key, article) if part else (key, "")

    def _build(self, records: list[_Record], texts: dict[str, str]) -> None:
        self._expansions = {a: {fold(k): fold(v) for k, v in abbreviations(t).items()} for a, t in texts.items()}
        self._stated = defaultdict(set)
        for found in self._expansions.values():
            for abbr, full in found.items():
                self._stated[abbr].add(full)
        vocabulary = _vocabulary(texts.values())
        raw = {r.name for r in records}
        known = {fold(n) for n in raw if len(n.split()) > 1}
        cleaned = []
        for r in records:
            name = speaker_name(r.name, vocabulary, known - {fold(r.name)}, texts.get(r.article, ""))
            self._names[(r.name, r.article)] = name
            if name:
                cleaned.append(_Record(name, r.role, r.article, r.outlet, r.date))
        records = cleaned
        names = {r.name for r in records} | {v for s in self._by_key.values() for v in s.variants}
        people = [n.split() for n in names if len(n.split()) > 1 and not org_like(n)]
        # a given name only in a name spelled like a person's ('Google DeepMind', 'Instagram Story' are not)
        self._given = {
            fold(n[0]) for n in people if all(map(_PLAIN.fullmatch, n)) and n[-1].casefold() not in vocabulary
        }
        parts = {fold(n[-1]) for n in people} | self._given
        for r in records:
            key = self._key(r.name, r.article, parts, texts)
            kind = "person" if key[1] and not _generic_body(r.name) or self._kind(r.name) != "org" else "org"
            speaker = self._by_key.setdefault(key, Speaker(name=r.name, kind=kind))
            speaker._note(r.name, r.role, r.article, r.outlet, r.date)
        self._join_aliases()
        self._join_surnames(texts)
        for speaker in self.speakers():
            speaker.name = max(speaker.variants, key=lambda v: (len(v.split()), speaker.variants[v], v))
            speaker.id = f"{speaker.kind}:{fold(speaker.name)}"
        self._distinct_ids()

    def _distinct_ids(self) -> None:
        """One id per identity: a lone 'Jason' of one article and of another are two identities, so an
        article's own speaker carries its article in the id when another speaker has the same name."""
        scope: dict[int, str] = {}
        for (_, article), speaker in self._by_key.items():
            scope[id(speaker)] = min(scope.get(id(speaker), article), article)  # "" (global) sorts first
        by_id: dict[str, list[Speaker]] = defaultdict(list)
        for speaker in self.speakers():
            by_id[speaker.id].append(speaker)
        for same in (group for group in by_id.values() if len(group) > 1):
            for n, speaker in enumerate(sorted(same, key=lambda s: scope[id(s)])):
                if n or scope[id(speaker)]:
                    speaker.id = f"{speaker.id}@{scope[id(speaker)] or n}"

    @staticmethod
    def _kind(name: str) -> str:
        """A guess from the spelling: organisations are written like ones, or are a single word that is
        nobody's surname in its article ('Apple'); everything else is a person."""
        return "org" if org_like(name) or " " not in name.strip() else "person"

    def _merge(self, keep: Speaker, gone: Speaker) -> None:
        if keep is gone:
            return
        keep._absorb(gone)
        for key, speaker in self._by_key.items():
            if speaker is gone:
                self._by_key[key] = keep

    def _join_aliases(self) -> None:
        """'SEC' joins 'Securities and Exchange Commission' when an article states the abbreviation."""
        for abbr, fulls in self._stated.items():  # every article's stated abbreviations, gathered by _build
            short, long = self._by_key.get((abbr, "")), [self._by_key.get((f, "")) for f in fulls]
            long = [s for s in long if s]
            if short and len(fulls) == 1 and long:
                self._merge(long[0], short)

    def _join_surnames(self, texts: dict[str, str]) -> None:
        """A lone surname (or given name: 'Jada') joins the one full name ending (or starting) with it, on
        evidence: its article writes that full name, or both share a role word ('analyst')."""
        full_names: dict[str, list[Speaker]] = defaultdict(list)
        for (_, article), speaker in self._by_key.items():
            if not article and speaker.kind == "person":
                for variant in speaker.variants:
                    if len(variant.split()) > 1:
                        full_names[fold(variant.split()[-1])].append(speaker)
                        if fold(variant.split()[0]) in self._given:
                            full_names[fold(variant.split()[0])].append(speaker)
        for (key, article), speaker in list(self._by_key.items()):
            if not article or speaker.kind != "person" or any(len(v.split()) > 1 for v in speaker.variants):
                continue
            candidates = {id(s): s for s in full_names.get(key, [])}.values()
            text = fold(texts.get(article, ""))
            others = _full_names_with(next(iter(speaker.variants)), texts.get(article, ""))
            evidence = [c for c in candidates if self._evidence(speaker, c, text, others)]
            if len(evidence) == 1:
                self._merge(evidence[0], speaker)

    @staticmethod
    def _evidence(short: Speaker, full: Speaker, text: str, others: set[str]) -> bool:
        """The short name's article writes the full name; or, when that article writes no other full name
        around the short one and the short one is a surname, both share a role word. A given name with a
        shared role is no evidence ('Dan', Convoy's CEO, is not Twitch's CEO Dan Clancy)."""
        fulls = {fold(v) for v in full.variants if " " in v}
        if any(re.search(rf"(?<!\w){re.escape(v)}(?!\w)", text) for v in fulls):
            return True
        surname = any(fold(v).split()[-1] == fold(next(iter(short.variants), "")) for v in full.variants if " " in v)
        if others - fulls or not surname:
            return False
        return bool(_role_words(short.roles) & _role_words(full.roles))

    def speaker_of(self, name: str, article_id: str = "") -> Speaker | None:
        """The canonical speaker of `name` as quoted in `article_id` (a lone surname is per article); None
        for a fragment that is no name ('Among the')."""
        name = self._names.get((name, article_id), name)
        if name is None:
            return None
        key = fold(name)
        if _ACRONYM.fullmatch(name.strip()):
            key = self._expansions.get(article_id, {}).get(key, key)
        key = self._bodies.get((key, article_id), key)
        return self._by_key.get((key, article_id)) or self._by_key.get((key, ""))

    def of_quote(self, quote: Quote, article_id: str) -> Speaker | None:
        """The canonical speaker of one quote of `article_id`."""
        if not quote.speaker:
            return None
        name = unnamed_spokesperson(quote.speaker, quote.speaker_role) or quote.speaker
        return self.speaker_of(name, article_id)

    def canonical(self, name: str, article_id: str = "") -> str:
        speaker = self.speaker_of(name, article_id)
        return speaker.name if speaker else name

    def find(self, query: str) -> list[Speaker]:
        """Speakers a user means by `query`: exact (folded) name or variant first; else every speaker whose
        name contains the query's words in order ('Altman' → 'Sam Altman'; 'Smith' → every Smith)."""
        wanted = fold(query)
        if not wanted:
            return []
        speakers = self.speakers()
        exact = [s for s in speakers if wanted in {fold(v) for v in s.variants} | {fold(s.name)}]
        if exact:
            return exact
        pattern = re.compile(rf"(?<!\w){re.escape(wanted)}(?!\w)")
        return [s for s in speakers if any(pattern.search(fold(v)) for v in [s.name, *s.variants])]

    def speakers(self) -> list[Speaker]:
        unique = {id(s): s for s in self._by_key.values()}.values()
        return sorted(unique, key=lambda s: (-s.quotes, s.name))


def group_names(names: Iterable[str]) -> dict[str, str]:
    """Variant → canonical for a plain list of names (no article evidence: only equal folded names group)."""
    names = list(names)
    registry = SpeakerRegistry()
    registry.add(names)
    return {name: registry.canonical(name) for name in names}
