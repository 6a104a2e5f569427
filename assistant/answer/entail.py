"""The entailment layers behind `support.support`: each one knows one way a lexically close sentence can say
something its evidence does not. Rules over tokens, stems and the curated vocabulary of `lexicon`; no model.

A layer returns Findings: "contradicted" (the evidence says otherwise) or "unknown" (the evidence does not
say it). It sees a `Pair`: the statement and the cited spans' text, tokenised once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from assistant.answer.question import STOPWORDS, stems
from assistant.answer.wordsense import synonym_in
from assistant.attribution.mentions import abbreviations, classify
from assistant.lexicon import (
    ASPECT_WORDS,
    CALENDAR_WORDS,
    CONTRARIES,
    COUNTRY_NAMES,
    CURRENCIES,
    FUNCTION_WORDS,
    HEDGE_VERBS,
    HEDGES,
    HEDGES_EXTRA,
    IRREGULAR_PAST,
    LESS_THAN,
    LOCAL_CONTRARIES,
    MONTH_ABBREVIATIONS,
    MONTHS,
    MORE_THAN,
    NEGATED_WORDS,
    NEGATORS,
    NUMBER_WORDS,
    ORGANISATION_NOUNS,
    PARAPHRASES,
    PRO_VERBS,
    ROLE_NOUNS,
    STATEMENT_SPEECH_LEMMAS,
    SYMMETRIC_VERBS,
    SYNONYMS,
    UNIT_GROUPS,
    WEAK_HEDGES,
    cue_forms,
    fold,
    fold_name,
    speech_forms,
)
from assistant.models import Article, Quote
from assistant.text.injection import without_instructions

UNKNOWN_WORDS = 1  # content words a statement may leave unaccounted for (0 vs 1: docs/results-2026-12-01.md)
STRICT_UNKNOWN_WORDS = 0  # for a statement the user reads as written: every content word accounted for
ROLE_WINDOW = 24  # tokens: how far apart two names and the verb between them may be
HEDGE_SCOPE = 6  # content words after a hedge that it governs

_TOKEN = re.compile(r"[$£€₹¥]|\d[\d,.]*\d%?|\d%?|[^\W\d_][\w'’-]*\w|[^\W\d_]|[,;:.!?()–—\"“”]")
_CLAUSE_END = set(",;:.!?()–—")
_SENTENCE_END = set(".!?")
# Capitalised words that are not names: sentence openers, pronouns, function words.
NOT_NAMES = set(
    """the a an yes no according in on at by for with from as and but or if this that these those it its he she
    they their his her we our i however also both while although after before during since when where which who
    what why how there here then thus meanwhile additionally furthermore overall based so not neither nor each
    report reports article articles source sources evidence passage passages despite because following given
    several many some most other another two three four five officials experts critics instead still yet
    compared over under last next this sir mr mrs ms dr""".split()
)
# Any wording of a verb of saying or believing (attribution's cue verbs, without those that are everyday nouns),
# plus verbs of denying and judging that news copy uses for a source's claims.
SPEECH_WORDS = frozenset(
    set(cue_forms(nouns=False))
    | {"pointed", "pointing", "highlighted", "highlighting", "mentioned", "mentioning", "repeated", "detailed"}
    | speech_forms(frozenset("deny reject dismiss doubt consider reckon suspect criticize criticise count".split()))
)
_REPORTING_WORDS = SPEECH_WORDS
_NEGATORS_EXTRA = frozenset("cease ceased ceases bar bars barred ban bans banned prohibit prohibits forbid".split())
_NOT_ONLY = frozenset("just only merely simply solely".split())  # 'not just X' asserts X (and more)
_NEGATORS_WITH_TO = frozenset("decline declined declines declining".split())  # 'declined to appear'
NEGATION_SCOPE = 4  # tokens after a negator that it negates (within its clause)


@dataclass(frozen=True)
class Finding:
    verdict: str  # "contradicted" | "unknown"
    reason: str


@dataclass(frozen=True)
class Tok:
    word: str  # as written
    low: str  # folded, number words as digits
    stem: str
    sentence: int
    clause: int
    cap: bool  # capitalised and not a sentence opener / function word
    opener: bool = False  # first word of its sentence
    tag: str = ""  # fine part-of-speech tag (statements only, when spaCy is there)


@cache
def stem(word: str) -> str:
    return stems([word.lower()])[0]


def _normalise(text: str) -> str:
    """Currency letters apart from their numbers ('P5.7' → 'P 5.7'), codes apart from digits ('No.2')."""
    text = re.sub(r"\b(P|Rs|NIS|US\$)\s?(?=\d)", r"\1 ", text)
    return re.sub(r"(?<=[A-Za-z])(?=\d)|(?<=[A-Za-z]\.)(?=\d)", " ", text)


def tokenise(text: str) -> list[Tok]:
    out: list[Tok] = []
    sentence = clause = 0
    opener = True
    norm = _normalise(text)
    for match in _TOKEN.finditer(norm):
        word = match.group(0)
        if word in _CLAUSE_END or word in '"“”':
            clause += word in _CLAUSE_END
            if word in _SENTENCE_END and not re.search(
                r"\b[A-Z][a-z]?\.?$", norm[max(0, match.start() - 3) : match.start()]
            ):
                sentence, opener = sentence + 1, True
            continue
        low = fold(word).strip("'’")
        low = re.sub(r"['’]s$", "", low)
        low = NUMBER_WORDS.get(low, low) if word[0].islower() or opener else low  # not 'Ten Hag'
        if "-" in low and not low[:1].isdigit():  # 'last-four', 'two-year', 'top-5s': the number counts too
            low = _hyphenated_number(low, capital=word[0].isupper(), opener=opener) or low
        cap = (
            word[0].isupper()
            and low not in NOT_NAMES
            and low not in CALENDAR_WORDS
            and not (opener and low in STOPWORDS)
            and low not in CURRENCIES
        )
        if low in {"but", "while", "although", "whereas", "though"}:
            clause += 1
        out.append(Tok(word, low, stem(low) if not low[0].isdigit() else low, sentence, clause, cap, opener))
        opener = False
    return out


def _hyphenated_number(low: str, *, capital: bool, opener: bool) -> str | None:
    """The number inside a hyphenated word, as digits: 'two-year' → '2', 'top-5s' → '5', 'then-12-year-old' →
    '12'; a number word also when the word opens its sentence ('Ten-year yields'), digits only in a lower-case
    word (not 'COVID-19')."""
    for part in low.split("-"):
        part = part if part in NUMBER_WORDS else part.removesuffix("s")  # 'top-tens'
        if part in NUMBER_WORDS and (not capital or opener):
            return NUMBER_WORDS[part]
        if re.fullmatch(r"\d+s?", part) and not capital:
            return part.rstrip("s")
    return None


def _hyphen_unit(word: str) -> str | None:
    """The word joined to a number by a hyphen ('three-goal' → 'goal', 'then-12-year-old' → 'year')."""
    parts = fold(word).split("-")
    for k, part in enumerate(parts[:-1]):
        if part in NUMBER_WORDS or re.fullmatch(r"\d+s?", part):
            return parts[k + 1]
    return None


@cache
def _tags(text: str) -> dict[str, str]:
    """word → fine part-of-speech tag (first occurrence), from spaCy's tagger; empty without spaCy."""
    from assistant.text.nlp import pipeline

    nlp = pipeline()
    if nlp is None:
        return {}
    out: dict[str, str] = {}
    for token in nlp(text):
        out.setdefault(token.text, token.tag_)
    return out


def tag(tokens: list[Tok], evidence: str) -> list[Tok]:
    """Statement tokens with their tags; a capitalised sentence opener is a name only when tagged as one
    ('Funding the deficit …', 'Full recovery …' are not) or written so in the evidence."""
    from dataclasses import replace

    tags = _tags(" ".join(t.word for t in tokens))
    out = []
    for t in tokens:
        t = replace(t, tag=tags.get(t.word) or tags.get(re.sub(r"['’]s$", "", t.word), ""))
        if (
            t.opener
            and t.cap
            and t.tag
            and not t.tag.startswith("NN")
            and not re.search(rf"(?<!^)(?<![.!?]\s)\b{re.escape(t.word)}\b", evidence)
        ):
            t = replace(t, cap=False)
        out.append(t)
    return out


@cache
def _group_of(word_stem: str) -> frozenset[str]:
    """Every stem the curated vocabulary treats as the same word."""
    out = {word_stem}
    for group in (*SYNONYMS, *_paraphrase_stems()):
        if word_stem in group:
            out |= group
    return frozenset(out)


@cache
def _paraphrase_stems() -> tuple[frozenset[str], ...]:
    return tuple(frozenset(stem(w) for w in group) for group in PARAPHRASES)


@cache
def _contraries() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for a, b in CONTRARIES:
        out.setdefault(stem(a), set()).add(stem(b))
        out.setdefault(stem(b), set()).add(stem(a))
    return {k: frozenset(v) for k, v in out.items()}


@dataclass
class Pair:
    """A statement and the text of its cited spans, tokenised, with who may be named as the source."""

    statement: str
    text: str
    s: list[Tok]
    e: list[Tok]
    outlets: list[str]
    quotes: list[Quote]
    aliases: dict[str, str] = field(default_factory=dict)
    frame: set[int] = field(default_factory=set)  # statement tokens that say who reported / said it, and when
    frame_vocab: set[str] = field(default_factory=set)  # what metadata may vouch for there (stems, date parts)
    topics: set[str] = field(default_factory=set)  # names the cited articles' text keeps coming back to
    unknown_words: int = UNKNOWN_WORDS  # content words the `words` layer lets pass unaccounted for
    articles: list[Article] = field(default_factory=list)  # the cited articles, whole (who a short name is)

    @classmethod
    def of(cls, statement: str, spans: list[tuple[Article, int, int]]) -> Pair:
        text = " \n".join(without_instructions(a.text[s:e]) for a, s, e in spans)  # never evidence
        outlets = [a.outlet for a, _, _ in spans if a.outlet]
        quotes = [q for a, s, e in spans for q in a.quotes if q.speaker and q.start < e and q.end > s]
        aliases: dict[str, str] = {}
        for article, _, _ in spans:
            for short, full in abbreviations(article.text).items():
                aliases[fold_name(short)] = fold_name(full)
        body = re.sub(r"\s*\[\d+\]", "", statement)
        pair = cls(body, text, tag(tokenise(body), text), tokenise(text), outlets, quotes, aliases)
        pair.frame = attribution_frame(pair.s)
        pair.articles = list({id(a): a for a, _, _ in spans}.values())
        pair.frame_vocab = _frame_vocabulary([a for a, _, _ in spans], quotes)
        pair.topics = set().union(*(_topics(a.text) for a, _, _ in spans)) if spans else set()
        return pair

    @property
    def e_stems(self) -> set[str]:
        return {t.stem for t in self.e}

    @property
    def e_text(self) -> str:
        return fold_name(self.text)


def _frame_vocabulary(articles: list[Article], quotes: list[Quote]) -> set[str]:
    """Words the metadata vouches for inside an attribution frame: publication dates, and the speakers,
    roles and media of the quotes in the spans (an outlet is matched as a whole name, by `is_outlet`)."""
    words = [x or "" for q in quotes for x in (q.speaker, q.speaker_role, q.via)]  # outlets: `is_outlet`
    out = {t.stem for w in words for t in tokenise(w)}
    for a in articles:
        if a.published:
            d = a.published
            out |= {d.isoformat(), str(d.year), str(d.day), f"{d.month:02d}", f"{d.day:02d}", MONTHS[d.month - 1]}
            out |= {stem(MONTHS[d.month - 1]), str(d.month)}
    return out


TOPIC_MENTIONS = 3  # a name this often in an article's text is what the article is about ('the company' = Apple)


@cache
def _topics(text: str) -> frozenset[str]:
    """Names an article's text mentions at least TOPIC_MENTIONS times (folded): a statement may name the
    subject that a span calls 'the company' or 'he'."""
    counts: dict[str, int] = {}
    for match in re.finditer(r"(?<![\w'’-])[A-Z][\w'’-]*", text):
        key = fold_name(re.sub(r"['’]s$", "", match.group(0)))
        counts[key] = counts.get(key, 0) + 1
    return frozenset(k for k, n in counts.items() if n >= TOPIC_MENTIONS and k not in NOT_NAMES)


_CORE_SPEECH = speech_forms(STATEMENT_SPEECH_LEMMAS)


def speech_cue(tokens: list[Tok]) -> int | None:
    """The index of the word that makes a statement report what someone said: a core verb of saying ('said',
    'told', 'wrote', 'warned', 'believes'), or another reporting verb used as one — followed by 'that' or a
    colon, or right after a name ('Gurman suggests', 'Kuo pointed out'; not 'the firm recently revealed a
    video'); 'according to' counts too."""
    runs = name_runs(tokens)
    for i, t in enumerate(tokens):
        if t.low in _CORE_SPEECH or (t.low == "according" and i + 1 < len(tokens) and tokens[i + 1].low == "to"):
            return i
        if t.low not in _REPORTING_WORDS:
            continue
        nxt = tokens[i + 1].low if i + 1 < len(tokens) else ""
        if nxt in _COMPOUND_HEADS:
            continue  # 'the British think tank Chatham House': a noun, not a verb of saying
        if nxt in {"that", "out"} or any(0 <= i - j <= 1 for _, j in runs):
            return i
    return None


_COMPOUND_HEADS = frozenset("tank tanks piece pieces".split())  # 'think tank', 'think piece'


def attribution_frame(tokens: list[Tok]) -> set[int]:
    """Indices of the tokens that say who reported or said something (and when): the sentence up to the first
    reporting verb (only its words that the metadata vouches for are exempt from the text), the verb, the
    names and date right after 'told' / 'on' ('told Fox News Digital', 'reported on 2023-10-01'), and an
    'according to …' clause."""
    frame: set[int] = set()
    for i, t in enumerate(tokens):
        if t.low == "according" and i + 1 < len(tokens) and tokens[i + 1].low == "to":
            frame |= {j for j in range(i, len(tokens)) if tokens[j].clause == t.clause}
    cue = speech_cue(tokens)
    if cue is None:
        return frame
    frame |= {j for j in range(cue + 1) if tokens[j].sentence == tokens[cue].sentence}
    j = cue + 1
    addressed = tokens[cue].low in {"told", "tell", "tells"} or (
        j < len(tokens) and tokens[j].low in {"on", "to", "in"}
    )
    while (
        addressed
        and j < len(tokens)
        and tokens[j].clause == tokens[cue].clause
        and (tokens[j].cap or tokens[j].low in {"on", "in", "a", "an", "the", "to"} or tokens[j].low[:1].isdigit())
    ):
        frame.add(j)
        j += 1
    return frame


# -- sources ---------------------------------------------------------------------------------------
def _outlet_forms(outlet: str) -> list[list[str]]:
    first = re.split(r"\s[|–—:-]\s|\s\|", outlet)[0]
    return [re.sub(r"^the ", "", fold_name(x)).split() for x in {outlet, first} if fold_name(x)]


def is_outlet(name: str, outlets: list[str]) -> bool:
    """'The Financial Times', 'BBC News', 'Globes' name 'Financial Times', 'BBC News - Arts', 'Globes English |
    …': the name must be the start of the outlet's name, not words somewhere inside it."""
    words = re.sub(r"^the ", "", fold_name(name)).split()
    return bool(words) and any(form[: len(words)] == words for o in outlets for form in _outlet_forms(o))


def is_speaker(name: str, pair: Pair) -> bool:
    """A speaker quoted in the spans, by full name, surname, abbreviation or what the organisation is."""
    key = re.sub(r"^the ", "", fold_name(name))
    if not key:
        return False
    key = pair.aliases.get(key, key)
    for q in pair.quotes:
        full = fold_name(q.speaker or "")
        if key == full or key == full.split()[-1] or (" " in key and key in full):
            return True
        if key in ORGANISATION_NOUNS and classify(q.speaker or "") == "org":
            return True
        if key == fold_name(q.via or ""):
            return True
    return False


def name_runs(tokens: list[Tok]) -> list[tuple[int, int]]:
    """Runs of capitalised tokens (with 'of'/'for'/'the'/'&' inside): the statement's names."""
    runs, i = [], 0
    while i < len(tokens):
        if tokens[i].cap:
            j = i + 1
            while (
                j < len(tokens)
                and tokens[j].clause == tokens[i].clause
                and (
                    tokens[j].cap
                    or (tokens[j].low in {"of", "for", "&", "de", "al"} and j + 1 < len(tokens) and tokens[j + 1].cap)
                )
            ):
                j += 1
            runs.append((i, j))
            i = j
        else:
            i += 1
    return runs


def _in_text(tok: Tok, pair: Pair) -> bool:
    """Is the name in the spans' text: as written, singular or plural, as a country's other name ('US' for
    'the United States', 'U.S.'), or — for a name joined to a common word ('UK-based', 'Bronx-raised') — its
    capitalised part (the common word is the `words` layer's)."""
    low = fold_name(tok.word)
    low = re.sub(r"['’]s?$", "", low)
    words = set(pair.e_text.split())
    if bool(low) and (low in words or low.rstrip("s") in words or f"{low}s" in words or low in pair.e_text):
        return True
    if any(re.search(rf"\b{re.escape(other)}\b", pair.e_text) for other in COUNTRY_NAMES.get(low, ())):
        return True
    head, _, rest = tok.word.partition("-")
    if rest and rest[:1].islower() and head[:1].isupper():
        return _in_text(Tok(head, fold(head), stem(fold(head)), tok.sentence, tok.clause, True), pair)
    return False


def hyphen_tail(word: str) -> list[str]:
    """The common words joined to a capitalised name by hyphens ('UK-based' → ['based']): `check_words` asks the
    evidence for them, as `_in_text` asks only for the name."""
    head, _, rest = word.partition("-")
    return [w for w in fold(rest).split("-") if w] if rest[:1].islower() and head[:1].isupper() else []


def source_names(pair: Pair) -> list[str]:
    """Names the statement gives as its source ('Engadget says', 'according to the OSDH', 'Kuo said')."""
    out = [" ".join(t.word for t in pair.s[i:j]) for i, j in name_runs(pair.s) if i in pair.frame]
    for i in sorted(pair.frame):
        t = pair.s[i]
        if t.low in ORGANISATION_NOUNS and i and pair.s[i - 1].low == "the":
            out.append(f"the {t.word}")  # 'adds the NGO', 'according to the Observatory'
    return out


def check_sources(pair: Pair) -> list[Finding]:
    """A source named only in metadata must be the cited article's outlet or a speaker quoted in the spans."""
    out = []
    for name in source_names(pair):
        tokens = tokenise(name)
        if tokens and all(_in_text(t, pair) for t in tokens if t.cap):
            continue
        if is_outlet(name, pair.outlets) or is_speaker(name, pair) or _metadata_name(name, pair):
            continue
        out.append(Finding("unknown", f"source {name!r} is neither the outlet nor a speaker of the cited words"))
    for name in speakers_named(pair):
        if _metadata_name(name, pair):
            continue
        if not (is_outlet(name, pair.outlets) or is_speaker(name, pair) or voiced_in_text(name, pair)):
            out.append(Finding("unknown", f"the cited text does not have {name} saying it"))
    return _quote_credited(pair) + out


_QUOTED_WORDS = re.compile(r"“([^”]{8,})”|\"([^\"]{8,})\"")
_JOINERS = re.compile(r"\b(?:while|whereas|and|but|as|though|although)\b|[;:“\"]", re.I)
SPEAKER_AFTER = 60  # characters after a quotation where its speaker may be named ('…,” said Mora')


def _names_in(text: str) -> set[str]:
    """Capitalised words of a text that may be names (not a capitalised role or title: 'Commentator')."""
    return {t.low for t in tokenise(text) if t.cap and t.low not in ROLE_NOUNS}


def _quote_credited(pair: Pair) -> list[Finding]:
    """Quoted words keep the speaker the cited sentence gives them: when the statement names someone before the
    quotation and the cited sentence names only someone else before the same words (and does not name the
    statement's speaker right after them: '…,” said X'), the words are put in the wrong mouth."""
    for match in _QUOTED_WORDS.finditer(pair.statement):
        words = (match.group(1) or match.group(2)).strip()
        head = pair.statement[: match.start()]
        head = head[max(head.rfind(". "), 0) :]
        mine = _names_in(head)
        if not mine or words not in pair.text or not any(t.low in SPEECH_WORDS for t in tokenise(head)):
            continue
        start = pair.text.find(words)
        begin = max(pair.text.rfind(". ", 0, start), pair.text.rfind("\n", 0, start), 0)
        before = pair.text[begin:start].rstrip().removesuffix("“").removesuffix('"')
        if before.count("“") > before.count("”") or before.count('"') % 2:
            continue  # words inside a longer quotation: its speaker is named around that one
        theirs = _names_in(re.sub(r"“[^”]*”|\"[^\"]*\"|\[[^]]*\]", " ", before))
        after = pair.text[start + len(words) : start + len(words) + SPEAKER_AFTER]
        joined = _JOINERS.search(after)
        named_after = _names_in(after[: joined.start()] if joined else after)
        if theirs - mine and not mine & (theirs | named_after):
            who = ", ".join(sorted(theirs - mine))
            return [Finding("contradicted", f"the cited text gives the quoted words to {who}")]
    return []


def _metadata_name(name: str, pair: Pair) -> bool:
    """A name made only of the cited quotes' attribution words (a speaker's role: 'the Middle East Institute',
    'head of the OSDH'; a medium): metadata vouches for it inside the frame."""
    words = [t for t in tokenise(name) if t.low not in STOPWORDS]
    return bool(words) and all(t.stem in pair.frame_vocab for t in words)


def speakers_named(pair: Pair) -> list[str]:
    """Who the statement says said it: the name right before its first reporting verb ('Gurman pointed out',
    'Figure AI CEO Brett Adcock said', 'Keith Truelove of UBS Securities Japan observes'), or right after
    'according to'."""
    out = []
    cue = speech_cue(pair.s)
    runs = name_runs(pair.s)
    if cue is not None and pair.s[cue].low != "according":  # ('Saraqeb, according to the OSDH': not a speaker)
        before = [(i, j) for i, j in runs if j <= cue and cue - j <= 3]
        if before:
            i, j = before[-1]
            out.append(" ".join(t.word for t in pair.s[i:j]))
    for k, t in enumerate(pair.s[:-1]):
        if t.low == "according" and pair.s[k + 1].low == "to":
            out += [" ".join(x.word for x in pair.s[i:j]) for i, j in runs if k + 2 <= i <= k + 3][:1]
    return out


ACCORDING_REACH = 8  # tokens between 'according to' and the name of its source, in one clause (role words)


def voiced_in_text(name: str, pair: Pair) -> bool:
    """Does the cited text have the name as the one who speaks ('Kuo said', 'said Kuo', 'according to Kuo')?"""
    keys = {fold_name(w) for w in name.split() if w[:1].isupper()} - NOT_NAMES
    for k, t in enumerate(pair.e):
        if fold_name(t.word) not in keys:
            continue
        after = pair.e[k + 1 : k + 5]
        before = pair.e[max(0, k - 3) : k]
        if any(x.low in _REPORTING_WORDS for x in after) or any(
            x.low in _REPORTING_WORDS or x.low == "according" for x in before
        ):
            return True
        led = pair.e[max(0, k - ACCORDING_REACH) : k]  # 'according to Bloomberg Intelligence credit analyst Kuo'
        if any(x.low == "according" and x.clause == t.clause for x in led):
            return True
    return False


_REFERRING_NOUNS = (
    ORGANISATION_NOUNS
    | ROLE_NOUNS
    | frozenset(
        "team club side company firm brand maker carmaker automaker startup country nation city man woman player "
        "star singer actor group band studio developer publisher network platform app service".split()
    )
)


def _replaces_a_thing(pair: Pair, i: int) -> bool:
    """The statement puts a name where the cited text, between the same two words, has a common noun that
    cannot refer to it ('wants the games to win' → 'wants Microsoft to win'): a topic of the article may
    stand for 'the company' or 'he', never for something else."""
    if not 0 < i < len(pair.s) - 1:
        return False
    left, right = pair.s[i - 1].low, pair.s[i + 1].low
    mine = {t.stem for t in pair.s}
    for k, t in enumerate(pair.e):
        if t.low != left:
            continue
        for m in range(k + 2, min(k + 5, len(pair.e))):
            if pair.e[m].low != right:
                continue
            between = pair.e[k + 1 : m]
            if "".join(x.low[:1] for x in between) == pair.s[i].low:
                continue  # 'AI' for 'artificial intelligence'
            if any(
                not x.cap and x.low not in STOPWORDS and x.low not in _REFERRING_NOUNS and x.stem not in mine
                for x in between
            ):
                return True
    return False


def check_names(pair: Pair) -> list[Finding]:
    """Every name is in the spans' text; in the attribution frame it may instead be the source (outlet or
    quoted speaker, checked by `check_sources`) or the metadata's words (role, medium)."""
    out = []
    for i, tok in enumerate(pair.s):
        if not tok.cap or tok.low[:1].isdigit() or _in_text(tok, pair):
            continue
        if i in pair.frame and (tok.stem in pair.frame_vocab or is_speaker(tok.word, pair)):
            continue
        if i in pair.frame and any(tok.word in s.split() and is_outlet(s, pair.outlets) for s in source_names(pair)):
            continue
        if fold_name(re.sub(r"['’]s$", "", tok.word)) in pair.topics and not _replaces_a_thing(pair, i):
            continue
        if _short_name_in_text(pair, i):
            continue
        out.append(Finding("unknown", f"name {tok.word!r} is not in the cited text"))
    return out + _swapped_names(pair)


def _short_name_in_text(pair: Pair, i: int) -> bool:
    """The spans call someone by part of their name ('Jones', 'Real') and the statement gives the whole name
    ('Eddie Jones', 'Real Madrid') as the cited article writes it elsewhere: the same one, more fully named."""
    run = next(((a, b) for a, b in name_runs(pair.s) if a <= i < b), None)
    if run is None or run[1] - run[0] < 2 or i == run[1] - 1:
        return False  # (only a first name may be added: a changed last word is another thing named)
    tokens = pair.s[run[0] : run[1]]
    last = re.sub(r"['’]s$", "", tokens[-1].word)
    alone = [
        m
        for m in re.finditer(rf"\b{re.escape(last)}\b", pair.text)
        if not re.search(r"(?<![.!?“\"]\s)\b[A-Z][\w'’.-]*\s+$", pair.text[max(0, m.start() - 40) : m.start()])
        and not re.match(r"\s+(?:of\s+|de\s+|&\s+)?[A-Z]", pair.text[m.end() : m.end() + 40])
    ]
    if not alone:  # the spans use the last name on its own ('Jones was named'), not inside another name
        return False
    whole = fold_name(" ".join(re.sub(r"['’]s$", "", t.word) for t in tokens))
    return any(re.search(rf"\b{re.escape(whole)}\b", fold_name(a.text)) for a in pair.articles)


def _swapped_names(pair: Pair) -> list[Finding]:
    """A name the spans do not hold, standing where they hold another between the same words ('through
    Nicholas Anelka's penalty' where the text says 'through Eden Hazard's penalty'): an entity swap, which
    no other span may make good."""
    out = []
    theirs = name_runs(pair.e)
    for i, j in name_runs(pair.s):
        if i == 0 or j >= len(pair.s):
            continue
        before, after = pair.s[i - 1].low, pair.s[j].low
        if before in STOPWORDS and after in STOPWORDS:
            continue  # 'of X and': too common a frame to say that X replaced anything
        mine = " ".join(t.low for t in pair.s[i:j])
        framed = [
            " ".join(t.low for t in pair.e[a:b])
            for a, b in theirs
            if a > 0 and b < len(pair.e) and pair.e[a - 1].low == before and pair.e[b].low == after
        ]
        framed = [other for other in framed if other.split("-")[0] != mine]  # 'Dublin' for 'Dublin-based'
        if framed and not any(_same(mine, other) for other in framed):
            out.append(Finding("contradicted", f"{mine!r} where the cited text has {framed[0]!r}"))
    return out


# -- numbers and dates -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Number:
    value: float
    text: str
    currency: str | None
    bound: str | None  # "more" | "less" | None
    index: int


def _value(token: str) -> float | None:
    raw = token.replace(",", "").rstrip(".%")
    try:
        return float(raw)
    except ValueError:
        return None


def numbers(tokens: list[Tok], *, statement: bool = False) -> list[Number]:
    out = []
    for i, t in enumerate(tokens):
        if not t.low[:1].isdigit():
            continue
        if statement and t.word.lower() in {"one", "zero"}:
            continue
        value = _value(re.sub(r"(st|nd|rd|th)$", "", t.low))
        if value is None:
            continue
        before = " ".join(x.low for x in tokens[max(0, i - 3) : i])
        prev = tokens[i - 1].low if i else ""
        currency = CURRENCIES.get(prev) or CURRENCIES.get(prev.upper().lower())
        bound = (
            "more"
            if any(before.endswith(b) for b in MORE_THAN)
            else "less"
            if any(before.endswith(b) for b in LESS_THAN)
            else None
        )
        out.append(Number(value, t.low, currency, bound, i))
    return out


@cache
def _unit_groups() -> dict[str, int]:
    return {w: i for i, group in enumerate(UNIT_GROUPS) for w in group}


def _unit(tokens: list[Tok], index: int) -> int | None:
    """The unit after a number ('136 balls', '38-second', '$8 billion', '5 mins'), as its UNIT_GROUPS index;
    None when the next word is not a unit (or the number is part of a name: 'Tel Aviv 35')."""
    if index and tokens[index - 1].cap:
        return None
    joined = _hyphen_unit(tokens[index].word) if "-" in tokens[index].word else None
    if joined in _unit_groups():  # 'a three-goal first half' counts goals
        return _unit_groups()[joined]
    nxt = tokens[index + 1] if index + 1 < len(tokens) else None
    if nxt is None:
        return None
    if tokens[index].low.endswith("%"):
        return _unit_groups().get("%")
    return _unit_groups().get(nxt.low.lstrip("-"))


def _unit_fits(tokens: list[Tok], index: int, unit: int) -> bool:
    """The evidence's number has the statement's unit, or no word after it that could be another one."""
    theirs = _unit(tokens, index)
    if theirs is not None:
        return theirs == unit
    nxt = tokens[index + 1] if index + 1 < len(tokens) else None
    return nxt is None or nxt.low in STOPWORDS or nxt.low in FUNCTION_WORDS or nxt.cap or nxt.low[:1].isdigit()


_PERIODS = ("year", "month", "week", "day", "hour", "minute", "quarter", "season")
_RATE = re.compile(
    r"\b(?:(?:per|a|an|each|every)\s+(" + "|".join(_PERIODS) + r")s?\b|(annual|annually|yearly|monthly|weekly|daily|"
    r"hourly|quarterly|a-year|a-month|a-week|a-day))",
    re.I,
)
_RATE_WORDS = {"annual": "year", "annually": "year", "yearly": "year", "monthly": "month", "weekly": "week"}
_RATE_WORDS |= {"daily": "day", "hourly": "hour", "quarterly": "quarter"}


def rates(text: str) -> set[str]:
    """The periods a text counts per ('every year', 'per month', 'annually' → year, month, year)."""
    out = set()
    for unit, word in _RATE.findall(text):
        word = word.lower()
        out.add(unit.lower() if unit else _RATE_WORDS.get(word, word.split("-")[-1]))
    return out


def _rate_swapped(pair: Pair) -> list[Finding]:
    """'450,000 a year' is not '450,000 each month': a rate's period, where both texts give one, must agree."""
    mine, theirs = rates(pair.statement), rates(pair.text)
    if mine and theirs and not mine & theirs:
        return [
            Finding(
                "contradicted",
                f"per {'/'.join(sorted(mine))}, where the cited text counts per {'/'.join(sorted(theirs))}",
            )
        ]
    return []


def check_numbers(pair: Pair) -> list[Finding]:
    """Each number is in the spans with its currency, unit and bound; 'more than 300' is met by '311'; a rate
    keeps its period."""
    found = numbers(pair.e)
    out = _rate_swapped(pair)
    for n in numbers(pair.s, statement=True):
        if n.index in pair.frame and n.text in pair.frame_vocab:
            continue  # the publication date of the report the statement names as its source
        same = [m for m in found if m.value == n.value]
        if not same:
            looser = [
                m
                for m in found
                if (n.bound == "more" and m.value > n.value) or (n.bound == "less" and m.value < n.value)
            ]
            if not looser:
                verdict = "contradicted" if found else "unknown"
                out.append(Finding(verdict, f"number {n.text} is not in the cited text"))
            continue
        if n.currency and not any(m.currency == n.currency for m in same):
            out.append(Finding("contradicted", f"{n.text} in another currency than the cited text"))
        if n.bound and all(m.bound and m.bound != n.bound for m in same):
            out.append(Finding("contradicted", f"{n.text}: 'more' and 'less' swapped"))
        unit = _unit(pair.s, n.index)
        if unit is not None and not any(_unit_fits(pair.e, m.index, unit) for m in same):
            out.append(Finding("contradicted", f"{n.text} {pair.s[n.index + 1].word}: not the cited text's unit"))
    return out


def check_dates(pair: Pair) -> list[Finding]:
    """Months, weekdays and relative dates ('last year') of the statement are in the spans."""
    e_low = {t.low.rstrip(".") for t in pair.e}
    e_months = {MONTHS[MONTH_ABBREVIATIONS.index(w)] if w in MONTH_ABBREVIATIONS else w for w in e_low}
    out = []
    for i, t in enumerate(pair.s):
        w = t.low.rstrip(".")
        if i in pair.frame and t.stem in pair.frame_vocab:
            continue
        month = MONTHS[MONTH_ABBREVIATIONS.index(w)] if w in MONTH_ABBREVIATIONS and (t.word[0].isupper()) else w
        if (month in MONTHS and (t.word[0].isupper())) or month in CALENDAR_WORDS - set(MONTHS):
            if month not in e_months:
                out.append(Finding("contradicted", f"date {t.word!r} is not in the cited text"))
    for phrase in re.findall(
        r"\b(?:last|this|next) (?:year|month|week|season)\b|\b(?:yesterday|today|tomorrow)\b", pair.statement, re.I
    ):
        if phrase.lower() not in fold(pair.text):
            out.append(Finding("unknown", f"{phrase!r} is not in the cited text"))
    mine, theirs = _dated_figures(pair.statement), _dated_figures(pair.text)
    for figure, when in mine.items():
        if theirs.get(figure, when) != when:
            out.append(
                Finding("contradicted", f"{figure} goes with {theirs[figure]!r} in the cited text, not {when!r}")
            )
    return out + _dated_names(pair)


def _month_of(t: Tok) -> str | None:
    w = t.low.rstrip(".")
    if not t.word[:1].isupper():
        return None
    month = MONTHS[MONTH_ABBREVIATIONS.index(w)] if w in MONTH_ABBREVIATIONS else w
    return month if month in MONTHS else None


def _dated_names(pair: Pair) -> list[Finding]:
    """A name keeps its month: a statement clause that puts one name in one month contradicts cited
    sentences that name it only with another month ('Zhao … in March, while Bankman-Fried … in February'
    where the text has them the other way round)."""

    def groups(tokens: list[Tok], by: str) -> dict[int, list[Tok]]:
        out: dict[int, list[Tok]] = {}
        for t in tokens:
            out.setdefault(getattr(t, by), []).append(t)
        return out

    theirs = [
        ({t.low for t in toks if t.cap and not _month_of(t)}, {m for t in toks if (m := _month_of(t))})
        for toks in groups(pair.e, "sentence").values()
    ]
    for toks in groups(pair.s, "clause").values():
        months = {m for t in toks if (m := _month_of(t))}
        if len(months) != 1:
            continue
        month = months.pop()
        for name in {t.low for t in toks if t.cap and not _month_of(t)}:
            dated = [ms for names, ms in theirs if name in names and ms]
            if dated and all(month not in ms for ms in dated):
                return [Finding("contradicted", f"{name} goes with {sorted(dated[0])[0]} in the cited text")]
    return []


_RELATIVE_DATE = re.compile(r"\b(?:last|this|next|previous) (?:year|month|week|season|quarter)\b", re.I)
_FIGURE = re.compile(r"\b\d[\d,.]*\b")


def _dated_figures(text: str) -> dict[str, str]:
    """Each figure followed, before the next figure, by one relative date: '30 dogs infected last year and 40
    that got sick this year' gives {'30': 'last year', '40': 'this year'} — so swapping the two dates is seen."""
    norm = _normalise(text)
    found = list(_FIGURE.finditer(norm))
    out: dict[str, str] = {}
    for k, m in enumerate(found):
        stop = found[k + 1].start() if k + 1 < len(found) else len(norm)
        dates = {d.group(0).lower() for d in _RELATIVE_DATE.finditer(norm, m.end(), min(stop, m.end() + 120))}
        if len(dates) == 1:
            out[m.group(0).replace(",", "")] = dates.pop()
    return out


# -- polarity, contraries, hedges ------------------------------------------------------------------
def _is_negator(tokens: list[Tok], i: int) -> bool:
    t = tokens[i]
    before = tokens[i - 1].low if i > 0 else ""
    after = tokens[i + 1].low if i + 1 < len(tokens) else ""
    if t.low == "not" and before == "if":  # 'one of, if not the highest-paid': a stronger claim, not a denial
        return False
    if (t.low == "not" or t.low.endswith("n't")) and after in _NOT_ONLY:
        return False  # 'it wasn't just to join a contender': asserts it, and more
    if t.low == "far" and after == "from":
        return True  # 'far from convincing'
    if t.low == "short" and after == "of" and before in _SHORT_OF:
        return True  # 'stopped short of saying' = 'did not say'
    if t.low == "yet" and after == "to" and before in {"has", "have", "had", "is", "are", "was", "were"}:
        return True  # 'has yet to play' = 'has not played'
    if t.low in {"zero", "0"} and after[:1].isalpha() and not before[:1].isdigit():
        return True  # 'zero abstentions' (normalised to '0'), but not the 0 of a '1-0 win'
    if t.low in NEGATORS or t.low in _NEGATORS_EXTRA or t.low.endswith("n't") or t.low in NEGATED_WORDS:
        return True
    return t.low in _NEGATORS_WITH_TO and i + 1 < len(tokens) and tokens[i + 1].low == "to"


_SHORT_OF = frozenset("stop stops stopped stopping fall falls fell fallen falling".split())
_SCOPE_BREAKERS = frozenset("as because when after before since if which who that and or but".split())


# Negators that are verbs: they have a polarity of their own ('denied' / 'did not deny').
_NEGATING_VERBS = frozenset(
    "deny denies denied refuse refuses refused refusing fail fails failed failing reject rejects rejected".split()
)


def _have_got(tokens: list[Tok], i: int) -> bool:
    """'got' of 'hasn't got any X' is the possession 'have', not a word of its own: the negation reaches X."""
    if tokens[i].low not in {"got", "gotten"} or i < 1:
        return False
    before = tokens[i - 1].low.replace("’", "'")
    return before in {"hasn't", "haven't", "hadn't"} or (
        before == "not" and i > 1 and tokens[i - 2].low in {"has", "have", "had"}
    )


def polarity(tokens: list[Tok], scope: int = NEGATION_SCOPE) -> list[str | None]:
    """Per token: 'neg' when one of the `scope` words after a negator (in its clause, up to a word that
    opens another clause: 'not out … as India …'), 'pos' for other content words, None for function words."""
    out: list[str | None] = []
    left, clause = 0, -1
    for i, t in enumerate(tokens):
        if t.clause != clause or (t.low in _SCOPE_BREAKERS and not (i and _is_negator(tokens, i - 1))):
            left, clause = 0, t.clause  # (but 'not as head coach', 'not because …' negate what follows)
        if _is_negator(tokens, i):
            if t.low in _NEGATING_VERBS and left > 0:  # 'did not deny X': the denial is negated, X is not
                out.append("neg")
                left = 0
                continue
            left = scope - (t.low in NEGATED_WORDS)  # 'unable' already holds its first word, 'able'
            out.append("pos" if t.low in _NEGATING_VERBS else None)
            continue
        if t.low in STOPWORDS or (_is_hedge(t) and not _hedge_verb(t)) or t.low[:1].isdigit() or _have_got(tokens, i):
            out.append(None)
            continue
        out.append("neg" if left > 0 else "pos")
        left = max(0, left - 1)
    return out


def _neighbours(tokens: list[Tok], k: int, width: int = 3) -> set[str]:
    near = tokens[max(0, k - width) : k + width + 1]
    return {x.stem for x in near if x.low not in STOPWORDS and not _is_hedge(x)} - {tokens[k].stem}


def check_polarity(pair: Pair) -> list[Finding]:
    """What the spans negate the statement may not assert, and what they assert it may not negate — compared
    with the occurrence of the word among the same neighbouring words ('walking is not the hardest problem'
    vs 'walking is the hardest problem'), or with all of them when none shares a neighbour."""
    mine, theirs = polarity(pair.s), polarity(pair.e)
    # a participant (noun, name) is negated only as the negator's first content word: 'no abstentions', but
    # not 'robotics' in 'not the hardest problem in humanoid robotics'
    mine_near, theirs_near = polarity(pair.s, 1), polarity(pair.e, 1)
    negated_clauses = {t.clause for k, t in enumerate(pair.s) if _is_negator(pair.s, k)}
    out = []
    for i, t in enumerate(pair.s):
        state = mine[i] if not t.cap or mine[i] == "neg" else None  # a name counts only when negated: 'not to X'
        group = _group_of(t.stem)
        places = [k for k, x in enumerate(pair.e) if theirs[k] and x.stem in group] if state else []
        if not places:
            continue
        context = _neighbours(pair.s, i)
        scored = [(len(_neighbours(pair.e, k) & context), k) for k in places]
        best = max(score for score, _ in scored)
        seen = {theirs[k] for score, k in scored if score == best or best == 0}
        if t.tag and t.tag[:2] not in {"VB", "JJ", "RB"}:  # a participant, not a predicate: only clear cases
            state = mine_near[i] if not t.cap or mine_near[i] == "neg" else None
            seen = {theirs_near[k] for score, k in scored if score == best or best == 0}
            clear = (state == "neg" and seen == {"pos"}) or (
                state == "pos" and seen == {"neg"} and t.clause not in negated_clauses
            )
            if not clear:
                continue
        if state == "neg" and "neg" not in seen:
            out.append(Finding("contradicted", f"negates {t.word!r}, which the cited text asserts"))
        elif state == "pos" and seen == {"neg"}:
            out.append(Finding("contradicted", f"asserts {t.word!r}, which the cited text negates"))
    return out


def _base(word_stem: str) -> str:
    for suffix in ("est", "er"):
        if word_stem.endswith(suffix) and word_stem[: -len(suffix)] in _contraries():
            return word_stem[: -len(suffix)]
    return word_stem


def _contrary_of(word_stem: str) -> frozenset[str]:
    """Contraries of a stem (comparatives and superlatives read as their base: 'weaker', 'strongest'), and of
    its paraphrases ('climb' is a way to 'rise', so 'slip' contradicts it), as base stems."""
    table = _contraries()
    out: set[str] = set()
    for member in _group_of(_base(word_stem)) if word_stem not in LOCAL_CONTRARIES else {word_stem}:
        for contrary in table.get(member, ()):
            out |= {_base(c) for c in _group_of(contrary)}
    return frozenset(out - _group_of(_base(word_stem)))


def check_contrast(pair: Pair) -> list[Finding]:
    """No word replaced by its contrary: the statement's word absent from the spans while its contrary is
    there, or (when both are) the contrary stands where the statement's word stands — among the same
    neighbouring words ('growing more quickly' / 'growing more slowly')."""
    theirs = {_base(s) for s in pair.e_stems}
    out = []
    for i, t in enumerate(pair.s):
        opposite = _contrary_of(t.stem)
        if not opposite:
            continue
        hit = sorted(opposite & theirs)
        if not hit:
            continue
        local_only = t.low in LOCAL_CONTRARIES
        parallel = not local_only and any(_base(x.stem) in opposite for x in pair.s)  # 'fall …, while … climb'
        if not local_only and not _group_of(_base(t.stem)) & theirs:
            out.append(Finding("contradicted", f"{t.word!r} where the cited text says {hit[0]!r}"))
        elif not parallel and _replaced_locally(pair, i, opposite):
            out.append(Finding("contradicted", f"{t.word!r} where the cited text says {hit[0]!r}"))
    return out + _event_order(pair)


_EVENT_ORDER = {"before": "before", "after": "after", "following": "after"}
EVENT_SCOPE = 6  # content words after 'before' / 'after' that name the event it orders
EVENT_SHARED = 2  # of them, shared by the statement and the cited text: the same event


def _ordered_events(tokens: list[Tok]) -> list[tuple[str, set[str]]]:
    """('before' | 'after', stems of the event named next) for each 'before', 'after', 'prior to' and
    prepositional 'following' ('Following a warning …'; not 'the following day')."""
    out = []
    for i, t in enumerate(tokens):
        relation = _EVENT_ORDER.get(t.low)
        if t.low == "prior" and i + 1 < len(tokens) and tokens[i + 1].low == "to":
            relation = "before"
        if relation is None or (t.low == "following" and i and tokens[i - 1].low in {"the", "a", "an"}):
            continue
        event = [x.stem for x in tokens[i + 1 :] if x.clause == t.clause and x.low not in STOPWORDS]
        if event:
            out.append((relation, set(event[:EVENT_SCOPE])))
    return out


def _event_order(pair: Pair) -> list[Finding]:
    """'Before the regulators' warning' where the cited text has 'Following a warning from regulators': the
    same event (EVENT_SHARED of its words) ordered the other way round."""
    theirs = _ordered_events(pair.e)
    for relation, event in _ordered_events(pair.s):
        same = [r for r, words in theirs if len(words & event) >= EVENT_SHARED]
        if same and relation not in same:
            return [Finding("contradicted", f"{relation!r} where the cited text has {same[0]!r} the same event")]
    return []


def _replaced_locally(pair: Pair, i: int, opposite: frozenset[str]) -> bool:
    def near(toks: list[Tok], k: int) -> set[str]:
        return _neighbours(toks, k, width=2)

    mine = near(pair.s, i)
    own = _group_of(_base(pair.s[i].stem))
    for k, t in enumerate(pair.e):
        if _base(t.stem) in opposite and len(near(pair.e, k) & mine) >= 1:
            window = {_base(x.stem) for x in pair.e[max(0, k - 3) : k + 4]}
            if not window & own:
                return True
    return False


@cache
def _hedge_stems() -> frozenset[str]:
    return frozenset(stem(w) for w in HEDGE_VERBS)


def _hedge_verb(t: Tok) -> bool:
    """A hedging verb ('want', 'expect', 'plan'): unlike a modal it has a polarity of its own — 'we don't want
    to' is not 'they do want to'."""
    return t.low in HEDGES_EXTRA or t.stem in _hedge_stems()


def _is_hedge(t: Tok) -> bool:
    return t.low in HEDGES or t.low in HEDGES_EXTRA or t.stem in _hedge_stems()


_THINK = stem("think")


def hedged_scopes(tokens: list[Tok]) -> list[tuple[bool, set[str]]]:
    """(weak, the content stems it governs) for each hedge word: the next HEDGE_SCOPE of its clause, no names
    or numbers; weak when the hedge only allows for a possibility ('could', 'may')."""
    out = []
    for i, t in enumerate(tokens):
        if not _is_hedge(t) or (t.stem == _THINK and i and tokens[i - 1].low in {"i", "we"}):
            continue  # ('I think …' in a quote is the speaker's own view, which 'X said …' reports)
        governed = [
            x.stem
            for x in tokens[i + 1 :]
            if x.clause == t.clause
            and x.low not in STOPWORDS
            and not x.cap
            and not x.low[:1].isdigit()
            and not (x.low in HEDGES or x.low in HEDGES_EXTRA)  # a hedging verb it governs is its content
        ]
        if governed:
            out.append((t.low in WEAK_HEDGES, set(governed[:HEDGE_SCOPE])))
    return out


def check_hedges(pair: Pair) -> list[Finding]:
    """A claim the spans hedge stays hedged: when the statement uses two or more of the words a hedge governs,
    a hedge word must stand among them (or within a few words before or after them) — and a possibility
    ('could score') may not become an expectation ('is expected to score')."""
    for weak, scope in hedged_scopes(pair.e):
        every = [i for i, t in enumerate(pair.s) if _group_of(t.stem) & scope and not t.cap]
        if len({pair.s[i].stem for i in every}) < min(2, len(scope)):
            continue
        clauses = sorted({pair.s[i].clause for i in every})
        for clause in clauses:  # each clause that restates the hedged words ('could …, and are already …')
            hits = [i for i in every if pair.s[i].clause == clause]
            restated = len({pair.s[i].stem for i in hits}) >= min(2, len(scope))
            if clause != clauses[0] and not (restated and any(pair.s[i].tag.startswith("VB") for i in hits)):
                continue  # (a later clause counts when it restates a hedged predicate, not a list's next item)
            hits = every if clause == clauses[0] else hits
            sentence = pair.s[hits[0]].sentence
            window = pair.s[max(0, hits[0] - HEDGE_SCOPE) : hits[-1] + HEDGE_SCOPE]
            if clause != clauses[0]:
                window = [t for t in window if t.clause == clause]
            hedges = [t for t in window if _is_hedge(t) and t.sentence == sentence and t.stem not in scope]
            first = pair.s[hits[0]]  # a hedge earlier in the same clause governs it too ('may fight next on … card')
            hedges += [
                t for t in pair.s[: hits[0]] if _is_hedge(t) and (t.sentence, t.clause) == (sentence, first.clause)
            ]
            words = ", ".join(sorted({pair.s[i].word for i in hits})[:3])
            if not hedges:
                return [Finding("contradicted", f"states as certain what the cited text hedges ({words})")]
            if weak and not any(t.low in WEAK_HEDGES for t in hedges):
                return [Finding("contradicted", f"states as expected what the cited text calls possible ({words})")]
    return []


# -- roles: who did what to whom -------------------------------------------------------------------
def _arguments(tokens: list[Tok]) -> list[tuple[int, str]]:
    """(position, folded name) of each name run and personal pronoun ('him' read as 'he'): the participants
    of the clause."""
    names = [(i, " ".join(t.low for t in tokens[i:j])) for i, j in name_runs(tokens)]
    pronouns = [(i, _PRONOUN_CASES.get(t.low, t.low)) for i, t in enumerate(tokens) if t.low in _PERSONS]
    return sorted(names + pronouns)


_PERSONS = frozenset("he she him they them".split())


def _order(tokens: list[Tok], a: str, b: str, pivot: str) -> set[str]:
    """'same' when some window has a … pivot … b, 'reversed' when b … pivot … a (a passive 'by' after the
    pivot flips it)."""
    args = _arguments(tokens)
    found = set()
    for pi, t in enumerate(tokens):
        if t.stem != pivot:
            continue
        flip = pi + 1 < len(tokens) and tokens[pi + 1].low == "by"
        for ai, an in args:
            for bi, bn in args:
                if abs(bi - ai) > ROLE_WINDOW or not (_same(an, a) and _same(bn, b)):
                    continue
                if ai < pi < bi:
                    found.add("reversed" if flip else "same")
                elif bi < pi < ai:
                    found.add("same" if flip else "reversed")
    return found


def _is_pivot(t: Tok) -> bool:
    """A verb that says who did what to whom (tagged as a verb; not 'married', 'met', 'drew' …)."""
    return t.tag.startswith("VB") and t.low not in STOPWORDS and t.low not in SYMMETRIC_VERBS and not t.cap


def _same(x: str, y: str) -> bool:
    return x == y or set(x.split()) & set(y.split()) - NOT_NAMES != set()


_TEAM = r"((?:[A-Z][\w&'’.-]*)(?:\s+(?:&\s+)?[A-Z][\w&'’.-]*)*)"
_CONTESTS = (  # (pattern, winner group, loser group)
    (re.compile(rf"{_TEAM}\s+(?:beat|beats|defeated|defeats|thrashed|routed|edged|overcame|stunned)\s+{_TEAM}"), 1, 2),
    (re.compile(rf"{_TEAM}(?:['’]s)?\s+(?:\d+-\d+\s+)?(?:win|victory|triumph)\s+(?:over|against)\s+{_TEAM}"), 1, 2),
    (re.compile(rf"gave\s+{_TEAM}\s+(?:a|an|the)\s+(?:\d+-\d+\s+)?(?:win|victory)\s+over\s+{_TEAM}"), 1, 2),
    (re.compile(rf"{_TEAM}\s+(?:lost|loses|lose)\s+(?:\d+-\d+\s+)?(?:to|against)\s+{_TEAM}"), 2, 1),
)


def contests(text: str) -> set[tuple[str, str]]:
    """(winner, loser) pairs a text states ('A beat B', 'A's win over B', 'gave A a 3-2 win over B', 'B lost
    to A'), names folded."""
    out = set()
    for pattern, w, loser in _CONTESTS:
        for m in pattern.finditer(text):
            out.add((fold_name(m.group(w)).removeprefix("the "), fold_name(m.group(loser)).removeprefix("the ")))
    return out


def _contest_swapped(pair: Pair) -> list[Finding]:
    theirs = contests(pair.text)
    return [
        Finding("contradicted", f"{w} beat {lost}, where the cited text has {lost} winning")
        for w, lost in contests(pair.statement)
        if any(_same(w, b) and _same(lost, a) for a, b in theirs)
        and not any(_same(w, a) and _same(lost, b) for a, b in theirs)
    ]


_PRONOUN_CASES = {"him": "he", "her": "she", "them": "they", "us": "we", "me": "i"}
_SUBJECTS = {"nsubj", "csubj"}
_BE_HAVE = frozenset("be is are was were been being am have has had having do does did".split())
_OBJECTS = ("dative", "dobj")  # 'give him the number': who receives is the participant that can be swapped


def _head_word(token: Any) -> str:
    """A participant as a comparable word: the pronoun's nominative ('him' → 'he'), a relative pronoun's
    antecedent ('Brus, whom he mentored' → 'brus'), else the folded word."""
    word = fold(token.text)
    if token.tag_ in {"WP", "WDT"} and token.head.dep_ == "relcl":
        word = fold(token.head.head.text)
    return _PRONOUN_CASES.get(word, word)


def _by_phrase(verb: Any) -> Any | None:
    """A passive participle's 'by' phrase, wherever the parser attached it inside the verb's own clause
    ('informed of the punishment by X' hangs 'by' on 'punishment')."""
    for token in verb.subtree:
        if token.lower_ == "by" and token.dep_ in {"prep", "agent"}:
            owner = token.head
            while owner.i != verb.i and not owner.tag_.startswith("VB") and owner.head.i != owner.i:
                owner = owner.head
            if owner.i == verb.i:  # (spaCy makes a new Token object on each access: compare positions)
                return next((c for c in token.children if c.dep_ == "pobj"), None)
    return None


def _participle(verb: Any) -> bool:
    """A past participle, or a subjectless past form heading a modifying clause ('when informed of …')."""
    subjectless = not any(c.dep_ in _SUBJECTS for c in verb.children) and verb.dep_ in {"advcl", "acl"}
    return verb.tag_ == "VBN" or (verb.tag_ == "VBD" and subjectless)


def _subject(verb: Any) -> Any | None:
    """The doer: the active subject, a passive's 'by' agent, or for 'tried to give' the subject of 'tried'."""
    perfect = any(c.dep_ == "aux" and c.lower_ in {"has", "have", "had"} for c in verb.children)
    passive = _participle(verb) and not perfect
    for child in verb.children:
        if child.dep_ in _SUBJECTS:
            return child
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    if passive:
        return _by_phrase(verb)
    if verb.dep_ == "xcomp" and verb.head.i != verb.i and any(c.lower_ == "to" for c in verb.children):
        return _subject(verb.head)
    return None


def _object(verb: Any) -> Any | None:
    """The one done to: the object, a passive's subject, or the subject of the clause the verb governs ('she
    suggested he ask': he)."""
    children = list(verb.children)
    for dep in _OBJECTS:
        hit = next((c for c in children if c.dep_ == dep), None)
        if hit is not None:
            return hit
    hit = next((c for c in children if c.dep_ == "nsubjpass"), None)
    if hit is not None:
        return hit
    clause = next((c for c in children if c.dep_ == "ccomp"), None)
    if clause is not None and verb.lower_ not in _REPORTING_WORDS:  # 'X said Y won': Y is not done to
        return next((c for c in clause.children if c.dep_ == "nsubj"), None)
    if _participle(verb) and verb.dep_ == "advcl" and _by_phrase(verb) is not None:
        return next((c for c in verb.head.children if c.dep_ in _SUBJECTS), None)  # 'X was ill when informed by Y'
    return None


@cache
def _doings(text: str) -> tuple[tuple[str, str | None, str | None], ...]:
    """(verb stem, doer, done-to) for each verb of the text (empty without spaCy)."""
    from assistant.text.nlp import pipeline

    nlp = pipeline()
    if nlp is None:
        return ()
    out = []
    for token in nlp(text):
        if not token.tag_.startswith("VB") or token.dep_ in {"aux", "auxpass"} or token.lower_ in _BE_HAVE:
            continue
        if token.lower_ in SYMMETRIC_VERBS or token.dep_ in {"amod", "compound"}:
            continue  # ('visiting members': a participle used as an adjective has no doer of its own)
        doer, done = _subject(token), _object(token)
        verb = stem(lemma(token.lower_))
        out.append((verb, _head_word(doer) if doer is not None else None, _head_word(done) if done else None))
    return tuple(out)


@cache
def _identities(text: str) -> tuple[tuple[str, str, frozenset[str]], ...]:
    """(the definite description, what the text says it is, that phrase's stems): 'The decline in bond yields
    is the key driver' gives ('key driver', 'decline', …) — one thing only can be *the* key driver."""
    from assistant.text.nlp import pipeline

    nlp = pipeline()
    if nlp is None:
        return ()
    out = []
    for token in nlp(text):
        if token.lower_ not in {"is", "was", "are", "were", "'s", "’s"}:
            continue
        subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
        attr = next((c for c in token.children if c.dep_ == "attr"), None)
        if subject is None or attr is None or not any(c.lower_ == "the" for c in attr.children):
            continue
        if subject.tag_ in {"PRP", "WP", "WDT", "DT"}:
            continue
        described = (
            " ".join(fold(c.text) for c in attr.children if c.dep_ in {"amod", "compound"}) + " " + fold(attr.text)
        )
        words = frozenset(stem(fold(w.text)) for w in subject.subtree if w.is_alpha and w.lower_ not in STOPWORDS)
        out.append((described.strip(), fold(subject.text), words))
    return tuple(out)


def _swapped_identity(pair: Pair) -> list[Finding]:
    """'X is the key driver' where the cited text says Y is: the definite description given to another thing."""
    theirs = _identities(pair.text)
    for described, subject, words in _identities(pair.statement):
        others = [s for d, s, _ in theirs if d == described]
        known = {g for d, _, ws in theirs if d == described for w in ws for g in _group_of(w)}
        if others and not words & known:
            return [Finding("contradicted", f"{subject} is {described!r}, where the cited text says {others[0]} is")]
    return []


@cache
def _nominal_doings(text: str) -> tuple[tuple[str, frozenset[str], frozenset[str], frozenset[str], bool], ...]:
    """(noun stem, its 'by' doers, its 'of' done-tos, its possessors, agent noun?) for each noun that can name
    an action: 'supply of coal', 'the attack by X', 'his mentor' (an agent noun: the possessor is done to)."""
    from assistant.text.nlp import pipeline

    nlp = pipeline()
    if nlp is None:
        return ()
    out = []
    for token in nlp(text):
        if not token.tag_.startswith("NN") or token.tag_.startswith("NNP"):
            continue
        by = frozenset(
            _head_word(c) for p in token.children if p.lower_ == "by" for c in p.children if c.dep_ == "pobj"
        )
        of = frozenset(
            _head_word(c) for p in token.children if p.lower_ == "of" for c in p.children if c.dep_ == "pobj"
        )
        poss = frozenset(_PRONOUN_CASES.get(w, w) for c in token.children if c.dep_ == "poss" for w in [_possessor(c)])
        agent = token.lower_.endswith(("or", "er", "ist"))
        out.append((stem(token.lower_), by, of, poss, agent))
    return tuple(out)


_POSSESSIVE_PRONOUNS = {"his": "he", "her": "she", "their": "they", "its": "it", "our": "we", "my": "i"}


def _possessor(token: Any) -> str:
    word = fold(token.text)
    return _POSSESSIVE_PRONOUNS.get(word, _head_word(token))


def _nominalised_roles(pair: Pair, verb: str, doer: str, done: str) -> list[Finding]:
    """The evidence names the action only as a noun: its 'by' and 'of' phrases and (for an agent noun, 'his
    mentor') its possessor say who did it to whom. The statement's doer as the one done to, or its done-to as
    the doer, is a swap; a named done-to that the noun's 'of' phrase does not name is not stated."""
    nouns = [n for n in _nominal_doings(pair.text) if _group_of(n[0]) & _group_of(verb)]
    for _, by, of, poss, agent in nouns:
        done_to = of | (poss if agent else frozenset())
        doers = by | (frozenset() if agent else poss)
        if any(_alike(doer, x) for x in done_to) or any(_alike(done, x) for x in doers):
            return [Finding("contradicted", f"{doer} and {done} swapped around {verb!r} (a noun in the cited text)")]
    if nouns and done[:1].isalpha():
        named = [t for t in pair.s if t.cap and t.low == done]
        stated = any(_alike(done, x) for _, by, of, _, _ in nouns for x in by | of)
        if named and not stated and any(of for _, _, of, _, _ in nouns):
            return [Finding("unknown", f"the cited text does not say {doer} {verb} {done}")]
    return []


def _alike(x: str | None, y: str | None) -> bool:
    return bool(x) and bool(y) and (x == y or stem(x or "") == stem(y or ""))


def _swapped_doings(pair: Pair) -> list[Finding]:
    """Who did what to whom, from the dependency parse: the statement's doer is the evidence's done-to (or its
    done-to the evidence's doer) around the same verb, and no occurrence of the verb in the evidence has them
    the statement's way round ('rebel groups support Turkey' / 'rebel groups are supported by Turkey';
    'she suggested he ask' / 'he suggested she contact')."""
    theirs = _doings(pair.text)
    for verb, doer, done in _doings(pair.statement):
        if doer is None or done is None or _alike(doer, done):
            continue
        same = [(d, o) for v, d, o in theirs if _group_of(v) & _group_of(verb)]
        if not any(v for v, _, _ in theirs if _group_of(v) & _group_of(verb)):
            found = _nominalised_roles(pair, verb, doer, done)
            if found:
                return found
        if any(_alike(doer, d) or _alike(done, o) for d, o in same):
            continue
        if any(_alike(doer, o) or _alike(done, d) for d, o in same):
            return [Finding("contradicted", f"{doer} and {done} swapped around {verb!r}")]
        if not same and _reversed_elsewhere(theirs, doer, done):
            return [
                Finding(
                    "contradicted", f"{doer} does something to {done}, where the cited text has it the other way round"
                )
            ]
    return _agent_turned(pair, theirs)


def _agent_turned(pair: Pair, theirs: tuple[tuple[str, str | None, str | None], ...]) -> list[Finding]:
    """A name the statement has only acting on something, with a verb the evidence does not use, where the
    evidence has that name only acted on by a person ('Bankman-Fried raised the hole with him' for 'he asked
    Bankman-Fried about the hole'): a change of verb that turns who acted round."""
    names = {t.low for t in pair.s if t.cap} | {t.low.split("-")[-1] for t in pair.s if t.cap}
    persons = names | {t.low for t in pair.e if t.cap} | _PERSONS
    mine = _doings(pair.statement)
    for verb, doer, done in mine:
        if doer not in names or done is None or any(_group_of(v) & _group_of(verb) for v, _, _ in theirs):
            continue
        if any(_alike(doer, o) for _, _, o in mine):
            continue  # acted on in the statement too: not simply turned round
        acted_on = any(_alike(doer, o) and d in persons for _, d, o in theirs)
        if acted_on and not any(_alike(doer, d) for _, d, _ in theirs):
            return [Finding("contradicted", f"{doer} acts ({verb!r}), where the cited text has {doer} only acted on")]
    return []


def _reversed_elsewhere(theirs: tuple[tuple[str, str | None, str | None], ...], doer: str, done: str) -> bool:
    """A statement verb the evidence does not use ('took James to court' for 'sued'), whose two participants
    the evidence has, around some verb, only the other way round ('James sued Trump'): a paraphrase may change
    the verb, not who acts on whom."""
    reversed_ = any(_alike(doer, o) and _alike(done, d) for _, d, o in theirs)
    kept = any(_alike(doer, d) and _alike(done, o) for _, d, o in theirs)
    return reversed_ and not kept


def check_roles(pair: Pair) -> list[Finding]:
    """Two names around a shared verb keep their order (passives read as such); so do the doer and the done-to
    of the dependency parse; 'from A to B' is not 'from B to A'; the winner of a contest stays the winner."""
    out = _from_to(pair) + _moved_endpoints(pair) + _compared_swapped(pair) + _contest_swapped(pair)
    out += _gain_loss_swapped(pair) + _moved_places(pair)
    out += _swapped_doings(pair) + _swapped_identity(pair)
    args = _arguments(pair.s)
    theirs = pair.e_stems
    for x, (ai, an) in enumerate(args):
        for bi, bn in args[x + 1 :]:
            if bi - ai > ROLE_WINDOW or _same(an, bn) or (an in _PERSONS) != (bn in _PERSONS):
                continue  # (a pronoun is compared with a pronoun only: which name it stands for is unknown)
            pivots = {t.stem for t in pair.s[ai + 1 : bi] if _is_pivot(t)}
            for pivot in sorted(pivots & theirs):
                mine, seen = _order(pair.s, an, bn, pivot), _order(pair.e, an, bn, pivot)
                if mine == {"same"} and seen == {"reversed"}:
                    out.append(Finding("contradicted", f"{an} and {bn} swapped around {pivot!r}"))
                    return out
    return out


_ARTICLE = r"(?:the\s+|its\s+|a\s+)?"
_MONEY = r"(?:(?:US\$|\$|£|€|₹|P|Rs|NIS)\s?)?"
_FROM_TO = re.compile(
    rf"\b(?:from|out of)\s+{_ARTICLE}{_MONEY}([\w.,-]+)[^.;]{{0,50}}?\b(?:to|into)\s+{_ARTICLE}{_MONEY}([\w.,-]+)",
    re.I,
)


_TO_FROM = re.compile(
    rf"\bto\s+{_ARTICLE}{_MONEY}((?:[A-Z][\w.,-]*\s)*[\w.,-]+)\s+from\s+{_ARTICLE}{_MONEY}([\w.,-]+)", re.I
)


_ENDPOINT = re.compile(
    r"(?<!according )\b(from|out of|to|into|via|through)\s+(?:the\s+|its\s+|their\s+|a\s+)?"
    rf"{_MONEY}([A-Z][\w.-]*|\d[\d,.]*)"
)
_ENDPOINT_ROLE = {"from": "origin", "out of": "origin", "to": "goal", "into": "goal"}
_ENDPOINT_ROLE |= {"via": "means", "through": "means"}
MOVED_WINDOW = 80  # characters before 'to X' where the thing moved is named ('its Twitter integration over to')


def _endpoints(text: str) -> list[tuple[str, str, str]]:
    """(name or number, its role in a movement, the words just before): 'origin' (from, out of), 'goal' (to,
    into), 'means' (via, through)."""
    norm = _normalise(text)
    out = []
    for m in _ENDPOINT.finditer(norm):
        key = fold(m.group(2)).strip(".,").replace(",", "")
        out.append((key, _ENDPOINT_ROLE[m.group(1).lower()], fold(norm[max(0, m.start() - MOVED_WINDOW) : m.start()])))
    return out


def _moved_endpoints(pair: Pair) -> list[Finding]:
    """A place, party or figure keeps its role in a movement: 'launched into Idlib' is not 'launched from
    Idlib'; 'signed to A via B' is not 'signed to B via A'; 'moved X over to Twitter' is not 'moved Twitter
    over to X' (each named just before the other's 'to')."""
    mine, theirs = _endpoints(pair.statement), _endpoints(pair.text)
    roles_of: dict[str, set[str]] = {}
    for key, role, _ in theirs:
        roles_of.setdefault(key, set()).add(role)
    for key, role, _ in mine:
        if roles_of.get(key) and role not in roles_of[key]:
            seen = "/".join(sorted(roles_of[key]))
            return [Finding("contradicted", f"{key!r} as {role} where the cited text has it as {seen}")]
    for key, role, before in mine:
        if role != "goal" or "goal" in roles_of.get(key, set()):
            continue
        for other, their_role, their_before in theirs:
            named = re.search(rf"\b{re.escape(other)}\b", before) and re.search(rf"\b{re.escape(key)}\b", their_before)
            if their_role == "goal" and other != key and named:
                return [Finding("contradicted", f"{other} moved to {key}, where the cited text moves {key} to {other}")]
    return []


_PLACE = re.compile(
    r"\b(into|out of|from|to|towards?)\s+(?:the|a|an|its|their|his|her|our)\s+((?:[a-z][\w'’-]*\s+){0,2}[a-z][\w'’-]*)"
)


def _places(text: str) -> dict[str, set[str]]:
    """role ('origin' / 'goal') → stems of the common nouns after 'from the' / 'into the' ('into the city centre')."""
    out: dict[str, set[str]] = {"origin": set(), "goal": set()}
    for prep, words in _PLACE.findall(text):
        role = "origin" if prep in {"from", "out of"} else "goal"
        out[role] |= {stem(v) for w in words.split() if w not in STOPWORDS for v in spellings(w)}
    return out


def _moved_places(pair: Pair) -> list[Finding]:
    """A common-noun place keeps its role in a movement: 'moved into the city centre' is not 'withdrawn from the
    city center' (names and figures: `_moved_endpoints`)."""
    mine, theirs = _places(pair.statement), _places(pair.text)
    for role, other in (("goal", "origin"), ("origin", "goal")):
        turned = (mine[role] & theirs[other]) - theirs[role] - mine[other]
        if turned:
            return [
                Finding("contradicted", f"{'/'.join(sorted(turned))} as {role} where the cited text has it as {other}")
            ]
    return []


_COMPARED = re.compile(r"\b(?:more|fewer|less)\s+([\w-]+)\s+than\s+([\w-]+)", re.I)
_COMPARATIVE = re.compile(r"\b(?:more|fewer|less)\s+([\w-]+)", re.I)


_LOSE = (
    r"(?:lose|loses|losing|lost|cede|cedes|ceded|ceding|surrender|surrenders|surrendered|surrendering|"
    r"concede|concedes|conceded|conceding)"
)
_TAKE = (
    r"(?:take|takes|taking|took|taken|win|wins|winning|won|gain|gains|gained|gaining|grab|grabs|grabbed|grabbing|"
    r"steal|steals|stole|stolen|stealing|seize|seizes|seized|seizing|capture|captures|captured|capturing|"
    r"poach|poaches|poached|poaching|wrest|wrests|wrested|wresting)"
)
_LOST_TO = re.compile(rf"\b{_LOSE}\b[^.;:]{{0,40}}?\bto\s+((?:[\w'’-]+\s*){{1,3}})", re.I)
_TAKEN_FROM = re.compile(rf"\b{_TAKE}\b[^.;:]{{0,40}}?\bfrom\s+((?:[\w'’-]+\s*){{1,3}})", re.I)


def _party(words: str) -> frozenset[str]:
    return frozenset(stem(w) for w in re.findall(r"[\w'’-]+", fold(words)) if w not in STOPWORDS)


def _gainers(text: str) -> tuple[list[frozenset[str]], list[frozenset[str]]]:
    """(parties that gain something, parties that lose it) of 'lose X to Y' / 'take X from Y'."""
    return [_party(m) for m in _LOST_TO.findall(text)], [_party(m) for m in _TAKEN_FROM.findall(text)]


def _gain_loss_swapped(pair: Pair) -> list[Finding]:
    """'taking market share from rivals' is not 'losing market share to rivals': the party after 'from' a
    taking loses, the one after 'to' a losing gains, and a paraphrase keeps who gains."""
    mine_gain, mine_loss = _gainers(pair.statement)
    their_gain, their_loss = _gainers(pair.text)
    for party in mine_loss:
        if any(party & g for g in their_gain) and not any(party & x for x in their_loss):
            return [Finding("contradicted", f"{' '.join(sorted(party))} loses, where the cited text has it gain")]
    for party in mine_gain:
        if any(party & x for x in their_loss) and not any(party & g for g in their_gain):
            return [Finding("contradicted", f"{' '.join(sorted(party))} gains, where the cited text has it lose")]
    return []


def _compared_swapped(pair: Pair) -> list[Finding]:
    """'more A than B' where the cited text has 'more B' and not 'more A': the comparison turned round."""
    theirs = {stem(fold(w)) for w in _COMPARATIVE.findall(pair.text)}
    return [
        Finding("contradicted", f"more {a} than {b}, where the cited text has more {b}")
        for a, b in _COMPARED.findall(pair.statement)
        if stem(fold(b)) in theirs and stem(fold(a)) not in theirs
    ]


def _from_to(pair: Pair) -> list[Finding]:
    """'from A to B' / 'out of A into B' / 'to B from A' is not 'from B to A'."""

    def pairs(text: str) -> set[tuple[str, str]]:
        norm = _normalise(text)
        found = _FROM_TO.findall(norm) + [(a, b.split()[0]) for b, a in _TO_FROM.findall(norm)]

        def key(w):
            return (
                stem(w.lower().strip(".,").replace(",", "")) if not w[:1].isdigit() else w.replace(",", "").rstrip(".,")
            )

        return {(key(a), key(b)) for a, b in found}

    mine, theirs = pairs(pair.statement), pairs(pair.text)
    return [
        Finding("contradicted", f"from {a} to {b}, where the cited text goes from {b} to {a}")
        for a, b in mine
        if a != b and (b, a) in theirs and (a, b) not in theirs
    ]


def says_something(pair: Pair) -> bool:
    """A statement with no content word, number or name ('Yes.', 'See above.') has nothing to support."""
    empty = STOPWORDS | {"yes", "sure", "ok", "okay", "indeed", "correct", "true", "false"}
    return any(t.low[:1].isdigit() or (t.low not in empty and len(t.low) > 1) for t in pair.s)


# -- words -----------------------------------------------------------------------------------------
_SPELLINGS = (  # word endings, British → American and back: 'centre'/'center', 'favourite'/'favorite'
    (r"tre(s|d)?$", r"ter\1"),
    (r"ter(s|d)?$", r"tre\1"),
    (r"our(s|ed|ing|ite|ites|able|ful)?$", r"or\1"),
    (r"or(s|ed|ing|ite|ites|able|ful)?$", r"our\1"),
    (r"is(e|es|ed|ing|ation|ations)$", r"iz\1"),
    (r"iz(e|es|ed|ing|ation|ations)$", r"is\1"),
    (r"ys(e|es|ed|ing)$", r"yz\1"),
    (r"yz(e|es|ed|ing)$", r"ys\1"),
    (r"ll(ed|ing|er|ers)$", r"l\1"),
    (r"([^l])l(ed|ing|er|ers)$", r"\1ll\2"),
    (r"ogue(s)?$", r"og\1"),
    (r"og(s)?$", r"ogue\1"),
    (r"ence$", r"ense"),
    (r"ense$", r"ence"),
)


def spellings(word: str) -> set[str]:
    """The word in British and American spelling ('centre'/'center', 'favour'/'favor', 'organise'/'organize',
    'travelled'/'traveled'): the same word to a reader, another string to a stemmer. Endings only."""
    if len(word) < 5:
        return {word}
    return {word} | {re.sub(pattern, replacement, word) for pattern, replacement in _SPELLINGS}


def lemma(word: str) -> str:
    """An irregular verb form's lemma ('began' → 'begin', 'spent' → 'spend'); other words as they are."""
    return IRREGULAR_PAST.get(word, word)


def evidence_stems(pair: Pair) -> set[str]:
    """What the `words` layer may find in the spans: each word's stem, its lemma's ('spent' → 'spend'), its other
    spelling's, and the parts of a hyphenated word ('post-match' → 'match'; never after a negating prefix:
    'non-searchable' does not hold 'searchable')."""
    out = set(pair.e_stems)
    for t in pair.e:
        if t.low[:1].isdigit() and "-" in t.word and not t.word[:1].isdigit():  # 'Ten-year' read as '10'
            head = fold(t.word).split("-")[0]
            out |= {stem(p) for p in fold(t.word).split("-")[1:] if len(p) > 2 and p not in STOPWORDS}
            out |= {stem(head)} if head not in _NEGATING_PREFIXES and not head[:1].isdigit() else set()
        if t.low[:1].isdigit():
            continue
        out.add(stem(lemma(t.low)))
        out |= {stem(w) for w in spellings(t.low)}
        parts = [p for p in re.split(r"[-–]", t.low) if p]
        if len(parts) > 1 and parts[0] not in _NEGATING_PREFIXES:
            out |= {stem(p) for p in parts if len(p) > 2 and p not in STOPWORDS}
    return out


_NEGATING_PREFIXES = frozenset("non anti un in dis ex former no counter de mis pseudo".split())


def _accounted(word: str, theirs: set[str], prefixes: set[str], *, synonyms: bool = False) -> bool:
    """Is the word in the evidence: its stem, lemma, other spelling, a curated paraphrase, a misspelling, each
    part of a hyphenated word — and, with `synonyms`, an everyday synonym (wordsense.py)."""
    word_stem = stem(word)
    if _group_of(word_stem) & theirs or (len(word_stem) >= 5 and word_stem[:5] in prefixes):
        return True
    if _group_of(stem(lemma(word))) & theirs or any(stem(w) in theirs for w in spellings(word)):
        return True
    if _misspelt_in(word, theirs):
        return True
    if synonyms and synonym_in({word_stem, stem(lemma(word))}, theirs):
        return True  # an everyday synonym ('film' for 'movie')
    parts = [p for p in re.split(r"[-–]", word) if p]
    return len(parts) > 1 and all(
        p.isdigit() or p in STOPWORDS or _accounted(p, theirs, prefixes, synonyms=synonyms) for p in parts
    )


MISSPELLING_MIN = 6  # letters: a word this long that the evidence misspells by one dropped letter is there


def _misspelt_in(word: str, theirs: set[str]) -> bool:
    """The evidence has the word with one letter dropped ('postive', 'concious', 'aquired'): news copy's typos,
    which a faithful paraphrase corrects. Only long words and only a dropped letter, so no other word fits."""
    if len(word) < MISSPELLING_MIN:
        return False
    return any(stem(word[:k] + word[k + 1 :]) in theirs for k in range(1, len(word)))


def check_words(pair: Pair) -> list[Finding]:
    """The statement's content words are accounted for in the spans (stems, synonyms, curated paraphrases,
    each part of a hyphenated word); names, numbers, hedges, negators, reporting verbs and FUNCTION_WORDS are
    left to their own layers. More than `pair.unknown_words` unknown words leave the statement unsupported."""
    theirs = evidence_stems(pair)
    prefixes = {s[:5] for s in pair.e_stems if len(s) >= 5}
    missing, grave, leaned = [], [], False
    for i, t in enumerate(pair.s):
        if i in pair.frame and t.stem in pair.frame_vocab:
            continue
        if t.cap:
            missing += [w for w in hyphen_tail(t.word) if w not in STOPWORDS and not _accounted(w, theirs, prefixes)]
            continue
        if t.low in STOPWORDS or t.low in FUNCTION_WORDS or _is_hedge(t) or t.low in _REPORTING_WORDS:
            continue
        if len(t.low) < 2 or t.low[:1].isdigit() or _is_negator(pair.s, i):
            continue
        found = pair.e_stems if "-" in t.low else theirs  # 'text-to-image' kept whole
        if _accounted(t.low, found, prefixes):
            continue
        if not changes_meaning(t) and _accounted(t.low, found, prefixes, synonyms=True):
            leaned = True  # (a judgement or degree word, 'wealthy' for 'big-money', keeps to the curated tables)
            continue
        missing.append(t.word)
        if changes_meaning(t):
            grave.append(t.word)
    if grave and pair.unknown_words:
        return [Finding("unknown", f"words that change the claim, not in the cited text: {', '.join(grave[:6])}")]
    if missing and leaned:  # a synonym is a looser account than the curated tables: it leaves nothing to tolerate
        return [Finding("unknown", f"words not in the cited text (besides synonyms): {', '.join(missing[:6])}")]
    if len(missing) > pair.unknown_words:
        return [Finding("unknown", f"words not in the cited text: {', '.join(missing[:6])}")]
    return []


def changes_meaning(t: Tok) -> bool:
    """A word that is never the tolerated unknown word: an adjective or adverb (the speaker's judgement and its
    degree: 'embarrassing', 'too high', 'stopgap'), an aspect word ('remains', 'begun') or the pro-verb
    'done' — each can turn a faithful paraphrase into its opposite by itself. (A word whose contrary the
    evidence holds is the contrast layer's.)"""
    return t.tag[:2] in {"JJ", "RB"} or t.low in ASPECT_WORDS or t.low in PRO_VERBS or t.low in NEGATED_WORDS


LAYER_CHECKS: dict[str, Callable[[Pair], list[Finding]]] = {
    "numbers": check_numbers,
    "dates": check_dates,
    "names": check_names,
    "sources": check_sources,
    "polarity": check_polarity,
    "contrast": check_contrast,
    "roles": check_roles,
    "hedges": check_hedges,
    "words": check_words,
}
