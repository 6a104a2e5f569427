"""Article text → attributed quotes (speaker, role, cue, via), once per article at ingestion.

Whole-article on purpose: pronouns ("he believes"), descriptions ("underlines the specialist") and
surnames refer back to earlier speakers, and roles stated once carry over. The rules, in order of
trust, for each quoted span:
  1. a reporting clause right after the quote: `”also assures Karam Shaar, researcher at …` / `”he believes`
  2. `according to X, “…”` right before it
  3. the subject of a cue verb earlier in the sentence: `Ankara castigated the “attacks”`
  4. a reporting clause closing the sentence: `…, writes the OSDH in a press release.`
  5. a caption line under a stand-alone quote: `Dareen Khalifa, expert from the International Crisis Groupà l'AFP`
A span none of these explain (scare quotes, names of operations) stays unattributed (speaker None).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .models import Quote
from .speakers import Mention, abbreviations, canonical_medium, extract_via, parse_mention
from .text import paragraphs, quote_spans, sentences, span_containing

_CUE_BASES = (
    "say tell add write note explain argue assure ensure underline stress emphasize emphasise insist claim state "
    "declare confirm announce believe think judge warn acknowledge admit recall estimate call castigate justify "
    "accuse describe suggest tweet post comment continue conclude observe remark report deplore denounce "
    "welcome indicate affirm predict ask reply answer respond contend maintain agree quip tout promise vow urge "
    "condemn criticize criticise hail reveal caution testify concede lament complain signal allege insist"
).split()
_IRREGULAR = {"say": ["said"], "tell": ["told"], "write": ["wrote", "written"], "think": ["thought"]}


def _inflections(base: str) -> list[str]:
    stem = base[:-1] if base.endswith("e") else base
    forms = {base, base + "s", stem + "ing"}
    if base.endswith("y") and base[-2] not in "aeiou":
        forms |= {base[:-1] + "ies", base[:-1] + "ied"}
    elif base.endswith(("sh", "ch", "ss", "x")):
        forms |= {base + "es", base + "ed"}
    else:
        forms.add(stem + "ed")
    return sorted(forms | set(_IRREGULAR.get(base, [])), key=len, reverse=True)


_CUES = sorted({f for b in _CUE_BASES for f in _inflections(b)}, key=len, reverse=True)
CUE = r"(?:points? out|pointed out|according to|" + "|".join(_CUES) + r")"
_ADV = r"(?:(?:also|further|then|nevertheless|however|again|later|still|once again|for (?:his|her|its|their) part)\s+)"
_NP = r"(?:he|she|they|it|we|I|the \w+(?: \w+){0,3}|[A-Z][\w'’.-]*(?:\s+(?:al-|bin |de |van |von )?[A-Z][\w'’.-]*){0,4})"
_POST_INVERTED = re.compile(rf"^\s*,?\s*{_ADV}*(?P<cue>{CUE})\s+(?P<np>.+?)\s*[.!?]?\s*$", re.S)
_APPOSITION = r"(?:,\s*[^,“”\"«»]{1,100}?,)?"
_POST_SUBJECT = re.compile(rf"^\s*,?\s*(?P<np>{_NP}{_APPOSITION})\s+{_ADV}*(?P<cue>{CUE})\b\s*(?P<rest>[^“”\"«»]*)$", re.S)
_PRE_ACCORDING = re.compile(r"according to\s+(?P<np>[^“”\"]+?)\s*[,:]?\s*$", re.I)
_CUE_WORD = re.compile(rf"(?<![\w-])(?P<cue>{CUE})(?![\w-])")
_NOUN_USE = re.compile(r"\b(?:a|an|the|his|her|its|their|this|that)\s+(?:\w+\s+)?$", re.I)
_SENT_END = re.compile(r"\s*[.!?]?\s*$")


@dataclass
class _Found:
    """A raw attribution before anaphora are resolved."""

    mention: Mention
    cue: str | None


def _clause_np_ok(np: str) -> bool:
    """A reporting clause's noun phrase holds no quoted words and no second cue verb."""
    verbs = [m for m in _CUE_WORD.finditer(np) if not _NOUN_USE.search(np[: m.start()]) and not np[m.end() :].startswith(" tank")]
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


def _post_closing(after: str) -> _Found | None:
    """`…, writes the OSDH in a press release.` / `…, according to Moscow.` / `…, the NGO added.`"""
    for comma in [m.start() for m in re.finditer(r",", after)]:
        tail = after[comma + 1 :].strip()
        match = re.match(rf"{_ADV}*(?P<cue>{CUE})\s+(?P<np>.+?)\s*[.!?]?$", tail, re.S)
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
    if len(line) > 200 or line.rstrip().endswith((".", "”", '"')) or not line[:1].isupper():
        return None
    mention = parse_mention(line)
    return _Found(mention, None) if mention and mention.kind != "anaphor" else None


class _Resolver:
    """Turns mentions into canonical speakers: anaphora → the latest fitting speaker, surnames and
    abbreviations → the full name, and the first role seen for a person carries over."""

    def __init__(self, text: str) -> None:
        self.abbr = abbreviations(text)
        self.roles: dict[str, str] = {}
        self.last_person: str | None = None
        self.last_org: str | None = None
        self.known: list[str] = []

    def resolve(self, mention: Mention) -> tuple[str | None, str | None]:
        name, kind = mention.name, mention.kind
        if kind == "anaphor":
            is_org = name in {"it"} or any(w in name for w in ("ngo", "organi", "group", "agency", "ministry"))
            name = self.last_org if is_org else self.last_person
            kind = "org" if is_org else "person"
            if name is None:
                return None, None
        name = self.abbr.get(name, name)
        for full in self.known:
            parts = full.split()
            if kind == "org" and len(name.split()) == 1 and len(parts) > 1 and parts[-1] == name:
                name, kind = full, "person"
                break
        if kind == "person" or name in self.roles:
            self.last_person = name
        else:
            self.last_org = name
        if name not in self.known:
            self.known.append(name)
        if mention.role and name not in self.roles:
            self.roles[name] = mention.role
        return name, mention.role or self.roles.get(name)


def extract_quotes(text: str, article_id: str = "") -> list[Quote]:
    """Every quoted span of `text`, attributed where the rules can; offsets index into `text`."""
    spans = quote_spans(text)
    sents = sentences(text, spans)
    paras = paragraphs(text)
    resolver = _Resolver(text)
    quotes: list[Quote] = []
    previous: Quote | None = None
    for number, (open_i, close_i) in enumerate(spans):
        s_open = span_containing(sents, open_i) or (open_i, close_i)
        s_close = span_containing(sents, close_i) or (open_i, close_i + 1)
        para = span_containing(paras, open_i) or (open_i, close_i + 1)
        before, after = text[s_open[0] : open_i], text[close_i + 1 : s_close[1]]
        found = _post_immediate(after) or _pre_according(before) or _pre_subject(before) or _post_closing(after)
        if found is None and text[para[0] : para[1]].strip() == text[open_i : close_i + 1]:
            index = paras.index(para)
            found = _caption(text, para, paras[index + 1] if index + 1 < len(paras) else None)
        speaker = role = cue = via = None
        if found:
            speaker, role = resolver.resolve(found.mention)
            cue, via = found.cue, found.mention.via
            continuing = previous is not None and previous.speaker == speaker and found.mention.kind == "anaphor"
            if via is None and continuing and span_containing(paras, previous.start) == para:
                via = previous.via
        quote = Quote(
            id=f"{article_id}:q{number}",
            article_id=article_id,
            text=text[open_i + 1 : close_i],
            start=open_i + 1,
            end=close_i,
            speaker=speaker,
            speaker_role=role,
            cue=cue,
            via=canonical_medium(via) if via else None,
        )
        quotes.append(quote)
        if speaker:
            previous = quote
    return quotes


def attributed(quotes: list[Quote]) -> list[Quote]:
    """The quotes with a speaker — what users browse and what chunks index."""
    return [q for q in quotes if q.speaker]
