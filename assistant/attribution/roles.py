"""A speaker's role as the article states it anywhere, and whether a phrase is a role at all.

Journalists give a role once — "former Wallabies coach Michael Cheika", "Paul Mitchell, sporting director at
Monaco,", "Ohtani's agent, Nez Balelo," — and then write the surname. The quote rules see only the reporting
clause, so the role is looked up here, by name, over the whole text, and carried to every quote of that
speaker. A role is a phrase that describes a person or a body ("Chelsea and England star", "U.N. agency"),
never a fragment the rules over-read ("month prior", "44", "alongside a screenshot of …"):
`plausible_role` is the gate every role passes.
"""

from __future__ import annotations

import re

from assistant.lexicon import NOT_ROLE_NOUNS, ROLE_NOUNS, ROLE_SUFFIXES

_DETERMINER = re.compile(r"^(?:the|a|an)\s+", re.I)
_NOT_ROLE_START = re.compile(
    r"^(?:amid|among|despite|with|without|alongside|along|after|before|during|while|when|where|which|that|this|these|those|in|on|by|to|"
    r"from|as|if|but|and|or|so|than|because|although|though|since|until|about|over|under|into|says?|said|"
    r"told|tells|according|echoing|speaking|asked|adding|noting|writing|citing|who|whom|whose|it|he|she|they|"
    r"we|i|you|his|her|their|its|our|my|your|there|here|also|now|then|not|no|just|only|even|still|very)\b",
    re.I,
)
_TIME_WORDS = re.compile(
    r"\b(?:second|minute|hour|day|week|month|year|decade|prior|ago|earlier|later|yesterday|today|tomorrow|"
    r"tonight|morning|evening|afternoon|night|monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b",
    re.I,
)
_VERB_PHRASE = re.compile(  # 'has expanded its …', 'encouraging the platform to …', 'raked in $5.89bn'
    r"\b(?:has|have|had|is|was|are|were|will|would|could|should|did|does|do)\b|[$%]|^\w+ing\s+(?:the|a|an|its|his|"
    r"her|their|to)\b|\b[a-z]\w+ed\s+(?:in|on|out|up|to|the|a|an|its)\b",
    re.I,
)
_FRAGMENT = re.compile(  # a role never opens with a time, never ends on an owner, never holds a reporting verb
    r"^(?:(?:second|minute|hour|day|week|month|year)s?\b|(?:january|february|march|april|may|june|july|august|"
    r"september|october|november|december)\s+\d|\d{4}\b)|['’]s?$|\b(?:tells|told|says|said|encouraged|wrote)\b",
    re.I,
)
_KIN = frozenset(
    "brother sister mother father son daughter wife husband cousin uncle aunt grandmother grandfather niece nephew "
    "girlfriend boyfriend fiancé fiancée widow widower mom dad stepfather stepmother".split()
)  # a lone lower-case word is a role only as a function ('coach') or a relation ('brother')
# Verbs that merely end like agent nouns ('try and twist Nucifora’s arm' has no role in it).
_SUFFIX_VERBS = frozenset("twist assist insist resist persist consist exist subsist desist enlist wrist".split())
_HONORIFIC = re.compile(r"^(?:mr|mrs|ms|dr|prof|sir)\.?$", re.I)


# A parser's token spacing inside a role ('" Frozen " star', 'Oscar - winner'): written back as the text has it.
_TOKEN_SPACING = re.compile(r'(?<=\w) (-) (?=\w)|(")\s+([^"]+?)\s+(")')


def role_noun(word: str, *, strict: bool = False, singular: bool = False) -> bool:
    """A word that names a function ('coach', 'CEO', 'dietitian'); lower-case words ending like agent nouns
    ('rusher', 'receiver', 'physician') count unless `strict`; `singular` refuses plurals (a title before a
    name is singular: 'judges Haid Haid' is a verb)."""
    low = word.casefold().strip(".,’'")
    low = low[:-2] if low.endswith(("’s", "'s")) else low
    low = low[3:] if low.startswith("co-") and len(low) > 4 else low  # 'co-CEO' is a CEO, 'co-host' a host
    if low in ROLE_NOUNS or not singular and low.endswith("s") and low[:-1] in ROLE_NOUNS:
        return True
    suffixed = low.endswith(ROLE_SUFFIXES) and low not in NOT_ROLE_NOUNS and low.rstrip("s") not in NOT_ROLE_NOUNS
    suffixed = suffixed and low not in _SUFFIX_VERBS
    return not strict and word.islower() and len(low) > 4 and suffixed


def plausible_role(phrase: str | None) -> str | None:
    """The phrase tidied, when it describes a person or a body; None for fragments."""
    if not phrase:
        return None
    role = _DETERMINER.sub("", phrase.strip(" ,.;:—–-\n")).strip(" ,.;:")
    role = _TOKEN_SPACING.sub(lambda m: m.group(1) or f"{m.group(2)}{m.group(3)}{m.group(4)}", role)
    words = role.split()
    long_post = len(words) <= 24 and role_noun(words[0]) if words else False  # 'director of … and a fellow at …'
    too_long = len(words) > 16 and not long_post
    if not words or too_long or "\n" in role or not re.search(r"[A-Za-z]", role) or _VERB_PHRASE.search(role):
        return None
    if _NOT_ROLE_START.match(role) or _TIME_WORDS.search(role) and not any(role_noun(w) for w in words):
        return None
    lone = len(words) == 1 and role.islower() and not role_noun(role, strict=True) and role not in _KIN
    if _FRAGMENT.search(role) or lone:
        return None  # 'Hours after MLB Network’s', 'school official tells ESPN', 'older', 'empower'
    if _HONORIFIC.match(words[-1]):
        words = words[:-1]  # 'first study author Dr' (the title of the name that follows)
        role = " ".join(words)
    if not words:
        return None
    if any(role_noun(w) for w in words) or re.match(r"^(?:of|at|with|from)\s+[A-Z]", role):
        return role
    return role if all(w[:1].isupper() or w in {"of", "and", "&", "for"} for w in words) and len(words) <= 5 else None


_BOUNDARY = re.compile(
    r"^(?:the|a|an|said|says|say|told|tells|according|to|by|with|from|for|as|like|and|but|while|when|that|"
    r"which|who|per|via|added|adds|wrote|writes|noted|explained|including|of|in|on|at)$",
    re.I,
)


def _title_before(text: str, at: int) -> str | None:
    """'said former Wallabies coach Michael Cheika' → 'former Wallabies coach' (up to 8 words, same clause)."""
    window = text[max(0, at - 120) : at]
    window = re.split(r"[.!?;:,()“”\"«»\n—–]", window)[-1]
    words = window.split()
    run: list[str] = []
    for word in reversed(words):
        if _BOUNDARY.match(word) and not (run and word.casefold() in {"and", "of"}):
            break
        run.insert(0, word)
        if len(run) >= 8:
            break
    years = [i for i, w in enumerate(run) if re.fullmatch(r"(?:19|20)\d\d", w)]
    run = run[years[-1] + 1 :] if years else run  # '(Kyle Larson and) 2023 Cup Series champion': the year dates it
    while run and run[0].casefold() in {"and", "of"}:
        run.pop(0)
    if not run or _HONORIFIC.match(run[-1]) or not role_noun(run[-1], strict=run[-1][:1].isupper(), singular=True):
        return None
    return plausible_role(" ".join(run))


_OWNER = re.compile(r"^(?:his|her|their|its|our|the|a|an|[A-Z][\w.&-]*['’]s?)$")


_BODY_NOUNS = frozenset(
    "administration agency airline alliance association authority automaker bank board body brand broadcaster "
    "carmaker carrier center charity club coalition college commission committee company conglomerate council "
    "court department division exchange federation firm foundation fund government group hospital institute "
    "insurer lab laboratory league lender magazine maker manufacturer ministry network newspaper ngo nonprofit "
    "office organisation organization outlet party platform provider publisher regulator retailer school service "
    "startup studio subsidiary tank team think-tank tribunal union unit university watchdog source sources".split()
)


# Words after which a noun phrase is a complement or object of the clause before, not a description set off
# in front of a name.
_COMPLEMENT = frozenset(
    "as like than is was are were be been being become became of for with about into onto against between among "
    "into through without under over after before during".split()
)


def _noun_before(text: str, at: int) -> str | None:
    """'said his mother, Jessica Goeller,' / 'the club’s sporting director, Paul Mitchell': a description
    set off by a comma right before the name, opened by an owner or article, is the person's role."""
    window = text[max(0, at - 80) : at]
    if not re.search(r"\w,[ \t]+$", window):
        return None
    words = re.split(r"[.!?;:()“”\"«»\n—–]", window.rstrip(" \t,"))[-1].split()
    run: list[str] = []
    for i in range(len(words) - 1, -1, -1):
        word = words[i]
        if _OWNER.match(word):
            if i and words[i - 1].casefold() in _COMPLEMENT:
                return None  # 'marketed as a toy or board game, Reehil …': the phrase belongs to the clause before
            break
        if _BOUNDARY.match(word) or len(run) >= 4:
            return None
        run.insert(0, word)
    else:
        return None  # no owner or article opened it: 'Asked about it, Jessica …' is no description
    last = run[-1].casefold() if run else ""
    if not run or last in _BODY_NOUNS or not (role_noun(last, singular=True) or last in _KIN):
        return None  # 'a guest of the team, Joe Gibbs': a body is not the person's role
    return plausible_role(" ".join(run))


_APPOSITION = re.compile(r"\s*(?:,\s*|\()(?P<role>[^,;()“”\"«»\n]{2,140}?)\s*(?:,|\)|;|\.(?:\s|$)|—| –)")


_CREDENTIAL = re.compile(r"\s*,\s*(?:M\.?D|Ph\.?D|D\.?O|R\.?N|DDS|MPH|Esq|Jr|Sr)\.?(?=\s*,)", re.I)


def _apposition_after(text: str, end: int) -> str | None:
    """'Paul Mitchell, sporting director at Monaco,' / 'Ryan Lee (a physician …)' / ', who is a …'; a degree
    after the name ('Bhavik Patel, M.D., …') is no role and is read past."""
    credential = _CREDENTIAL.match(text, end)
    end = credential.end() if credential else end
    match = _APPOSITION.match(text, end)
    if not match:
        return None
    role = re.sub(r"^who\s+(?:is|was|serves as|works as)\s+", "", match.group("role").strip(), flags=re.I)
    role = re.split(r"\s(?=The\s)", role)[0]  # 'at Paleo Leon The 10-year Treasury yield …': a lost full stop
    words = role.split()
    if not words or words[0][:1].isupper() and not any(role_noun(w) for w in words):
        return None  # 'Smith, Jones and …': a list of names, not a role
    return plausible_role(role)


_ROLE_END = r"(?P<{}>[^.;,:!?“”\"\n]{{3,120}}?)(?=[.;,:!?]|$)"


def _copular(text: str, name: str) -> str | None:
    """'Cheng is a biologist at Macquarie University.', 'Patel, M.D., has been named chief AI officer for …',
    '… notes Per Persson. He’s a materials scientist at …': a sentence saying what the person is or was
    appointed (name or surname; or 'he/she is a' opening the next sentence) states the role even when no
    apposition does."""
    forms = "|".join(re.escape(f) for f in (name, name.split()[-1]) if len(f) > 2)
    degree = r"(?:,\s*(?:M\.?D|Ph\.?D)\.?,)?"
    pattern = (
        rf"(?<![\w'’-])(?:{forms}){degree} (?:(?:is|was) (?:a|an) |(?:has been|was|is|had been) "
        rf"(?:named|appointed|promoted to|elected) (?:as )?(?:the )?){_ROLE_END.format('role')}"
        rf"|(?<![\w'’-])(?:{forms})[”\"]?[.!?] (?:He|She)(?:’s|'s| is) (?:a|an) {_ROLE_END.format('next')}"
    )
    for match in re.finditer(pattern, text):
        stated = match.group("role") or match.group("next")
        words = stated.split()
        if words and role_noun(words[0].strip(",")) or any(role_noun(w) for w in words[:4]):
            role = plausible_role(stated)
            if role:
                return role
    return None


_AFTER_PREPOSITION = re.compile(r"\b(?:at|of|for|from|with|in|on|by|to)\s+$")  # 'his counterpart at Google, an …'
_DESCRIBED = re.compile(r",\s+(?:a|an|the)\s+(?!former\b)[a-z]")  # after a surname: described, not a past post


def _written(name: str) -> str:
    """The name as a pattern that also matches it with a nickname inside: 'Alia “SSSniperwolf” Shelesh'."""
    words = name.split()
    if len(words) < 2:
        return re.escape(name)
    nickname = r"(?:[ \t]+[“\"‘'][^”\"’'\n]{1,30}[”\"’'])?"
    return re.escape(words[0]) + nickname + r"[ \t]+" + r"[ \t]+".join(re.escape(w) for w in words[1:])


_OWNER_WORD = r"[A-Z](?:[\w&-]|\.(?=\w))*"
_OWNER_BEFORE = re.compile(rf"(?<![\w'’.-])((?:The[ \t]+)?{_OWNER_WORD}(?:[ \t]+{_OWNER_WORD}){{0,3}})['’]s?[ \t]+$")


def _body(name: str) -> bool:
    """A name that holds a word of an organisation ('Federal Trade Commission', 'Ministry of Commerce')."""
    return any(w.casefold() in _BODY_NOUNS or w.casefold() in _ORG_NAME_WORDS for w in name.split())


_ORG_NAME_WORDS = frozenset("engineering inc ltd corp llc group media news times post journal capital".split())


def _owner_before(text: str, at: int, people: set[str]) -> str | None:
    """'Sportsnet's Elliotte Friedman', 'The Washington Post's Chelsea Janes': the body a reporter or analyst
    works for, written as the owner right before the full name — unless the owner is a person ('Kelce's')
    or a date ('Monday's')."""
    match = _OWNER_BEFORE.search(text, max(0, at - 60), at)
    if not match:
        return None
    owner = match.group(1)
    words = {w.casefold() for w in owner.split()}
    if words & people or _TIME_WORDS.search(owner) or _NOT_ROLE_START.match(owner):
        return None
    return plausible_role(owner)


_SENTENCE_START = re.compile(r"(?:^|(?<=[.!?])[\"”’)]?[ \t]+|\n[ \t]*|(?<=\W)as[ \t]+(?=the\b))")
_DESCRIPTION = re.compile(
    r"(?P<det>[Tt]he|[A-Z][\w.&-]*(?:[ \t]+[A-Z][\w.&-]*){0,2}['’]s)[ \t]+(?P<rest>[^\n.;:!?]{0,120})"
)
# Function nouns that are as often things or places: 'the end result', 'the new model', 'the center'.
_AMBIGUOUS_NOUNS = frozenset(
    "end tackle guard safety center centre forward keeper model parent unit body fellow member resident citizen "
    "student graduate speaker agent whip operator provider carrier exchange fund source sources".split()
)
_IRREGULAR_VERBS = frozenset(
    "is was has had also will would can could did does said told spoke took made gave went came felt knew saw "
    "wrote began ran won lost kept left met paid put sat stood thought brought remains admitted".split()
)


def _verb_like(word: str) -> bool:
    """A finite verb after a subject description: '-s' / '-ed' forms and common irregular ones."""
    return word in _IRREGULAR_VERBS or len(word) > 3 and word.endswith(("s", "ed")) and not word.endswith("ss")


def _description_at(text: str, at: int) -> str | None:
    """'The former talk show host, 52, spoke …' → 'The former talk show host': up to six words opened by
    'the' or an owner, ending on a person's function noun that a verb (or ', 52,') follows."""
    match = _DESCRIPTION.match(text, at)
    if not match:
        return None
    words = match.group("rest").split(" ")
    for k, word in enumerate(words[:6]):
        noun = word.rstrip(",")
        if not re.fullmatch(r"[a-z][a-z-]+", noun) or noun in _BODY_NOUNS:
            continue
        if not role_noun(noun, strict=True, singular=True):
            continue
        if k == 0 and match.group("det").casefold() == "the" or noun in _AMBIGUOUS_NOUNS:
            return None  # 'The coach told him …' may be anyone; 'the former coach', 'Australia’s captain' is an epithet
        after = " ".join(words[k + 1 : k + 3])
        aged = word.endswith(",") and re.match(r"\d{1,3},", after)
        verb = not word.endswith(",") and re.match(r"[a-z]+\b", after) and _verb_like(after.split()[0])
        if aged or verb:
            return f"{match.group('det')} {' '.join(words[: k + 1])}".rstrip(",")
        return None
    return None


_NAME_PAIR = re.compile(r"(?<![\w'’.-])[A-Z][a-z][\w'’-]*[ \t]+[A-Z][a-z][\w'’-]*")
_QUOTED = re.compile(r"“[^”]*”|\"[^\"\n]*\"")


def _described_later(text: str, names: list[str]) -> dict[str, str]:
    """'… Healy said.' then 'Australia’s captain is also insistent …', 'The former California governor also
    issued …': a definite description opening a sentence, with no name after it, refers to the person named
    last — taken only when that person is the last name-like pair written before it (outside quotations) and
    was named in the same or one of the two paragraphs before."""
    people = [n for n in names if len(n.split()) >= 2 and n.split()[-1][:1].isupper() and not _body(n)]
    if not people:
        return {}
    forms = {}
    for name in people:
        forms.setdefault(name.casefold(), name)
        surname = name.split()[-1].casefold()
        if sum(p.split()[-1].casefold() == surname for p in people) == 1:
            forms.setdefault(surname, name)
    pattern = re.compile(
        r"(?<![\w'’-])(" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) + r")(?![\w-])",
        re.I,
    )
    found: dict[str, str] = {}
    for start in _SENTENCE_START.finditer(text):
        at = start.end()
        description = _description_at(text, at)
        if description is None:
            continue
        window_start = at
        for _ in range(3):  # the same paragraph and the two before it
            window_start = max(0, text.rfind("\n", 0, max(0, window_start - 1)))
        mentions = [m for m in pattern.finditer(text, window_start, at) if text[m.start() - 1 : m.start()] != "-"]
        mentions = [m for m in mentions if not _KIN_BEFORE.search(text, max(0, m.start() - 20), m.start())]
        if not mentions:
            continue
        last = mentions[-1]
        name = forms[last.group(1).casefold()]
        between = _QUOTED.sub(" ", text[last.end() : at])
        pairs = [
            p
            for p in _NAME_PAIR.finditer(between)
            if not _KIN_BEFORE.search(between, max(0, p.start() - 20), p.start())
        ]
        if any(p.group(0).casefold() not in name.casefold() for p in pairs):
            continue  # someone else may have been named since
        role = plausible_role(description)
        if role and name not in found:
            found[name] = role
    return found


_KIN_BEFORE = re.compile(
    r"\b(?:" + "|".join(sorted(_KIN)) + r"|of|with|to|by|for|against|from|about|and|told|asked)[,]?[ \t]+$", re.I
)


def stated_roles(text: str, names: list[str]) -> dict[str, str]:
    """Each name's role as first stated in `text` (title before the name, or apposition after it)."""
    found: dict[str, str] = {}
    for name in names:
        if len(name) < 3:
            continue
        for match in re.finditer(rf"(?<![\w'’-]){_written(name)}(?![\w-])", text):
            role = _apposition_after(text, match.end()) or _title_before(text, match.start())
            role = role or _noun_before(text, match.start())
            if role:
                found[name] = role
                break
        surname = name.split()[-1]
        if name not in found and " " in name:
            role = _copular(text, name)
            if role:
                found[name] = role
        if name not in found and " " in name and surname[:1].isupper() and len(surname) > 2:
            for match in re.finditer(rf"(?<![\w'’-]){re.escape(surname)}(?![\w-])", text):
                role = _title_before(text, match.start())  # 'Everton manager Dyche'
                described = _DESCRIBED.match(text, match.end())  # 'Brus, a professor emeritus at Columbia,'
                described = described and not _AFTER_PREPOSITION.search(text, max(0, match.start() - 12), match.start())
                role = role or (_apposition_after(text, match.end()) if described else None)
                if role:
                    found[name] = role
                    break
    people = {w.casefold() for n in names for w in n.split()}
    for name in names:
        if name in found or " " not in name or _body(name):
            continue
        for match in re.finditer(rf"(?<![\w'’-]){_written(name)}(?![\w-])", text):
            role = _owner_before(text, match.start(), people)
            if role:
                found[name] = role
                break
    missing = [n for n in names if n not in found]
    for name, role in _described_later(text, missing).items():
        found.setdefault(name, role)
    return found
