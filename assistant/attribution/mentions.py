"""Reading an attribution phrase: who (speaker), in what capacity (role) and through which medium (via).

Used by quotes.py and speech.py on phrases like "Karam Shaar, researcher at the American think tank New Lines
Institute, Liberation" or "On X, Caroline Rose, of the Newlines Institute". Rule-based on purpose:
no model, offsets preserved by the caller, every rule tested on the seed gold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.attribution.roles import role_noun

# The medium as users expect to read it; keys are lower-cased spellings seen in (translated) copy.
MEDIA_ALIASES = {
    "liberation": "Libération",
    "libération": "Libération",
    "the orient-the day": "L'Orient-Le Jour",
    "l'orient-le jour": "L'Orient-Le Jour",
    "l’orient-le jour": "L'Orient-Le Jour",
    "afp": "AFP",
    "agence france-presse": "AFP",
    "agence france presse": "AFP",
    "x": "X",
    "twitter": "Twitter",
    "reuters": "Reuters",
    "ap": "AP",
    "the associated press": "AP",
    "associated press": "AP",
    "bbc": "BBC",
    "cnn": "CNN",
    "le monde": "Le Monde",
    "le figaro": "Le Figaro",
    "al jazeera": "Al Jazeera",
    "bloomberg": "Bloomberg",
    "cnbc": "CNBC",
    "npr": "NPR",
    "axios": "Axios",
    "politico": "Politico",
}
SOCIAL = r"X|Twitter|Facebook|Instagram|LinkedIn|Telegram|Bluesky|Threads|TikTok|YouTube|Truth Social|Mastodon"
DOCUMENTS = (
    r"press release|statement|communiqu[ée]|report|tweet|post|interview|letter|court filing|filing|blog post|"
    r"video|televised address|speech|podcast|memo|note to clients|newsletter|lawsuit|complaint|email"
)
_VIA_PATTERNS = [
    re.compile(rf"(?:^|\s)(?:on|via|in a post on|in a tweet on|posting on|writing on)\s+(?P<m>{SOCIAL})\b", re.I),
    re.compile(rf"(?:^|\s)in an? (?P<m>{DOCUMENTS})\b(?P<tail>.*)$", re.I),
    re.compile(
        r"(?:^|\s|(?<=[a-z]))(?:to|with|told|in an interview with|speaking to|à)\s+(?:l['’])?"
        r"(?P<m>(?:the\s+)?[A-Z][\w'’.-]*(?:[\s-]+[A-Z][\w'’.-]*)*)\s*$"
    ),
]
TITLE_WORDS = {
    "president",
    "minister",
    "prime",
    "foreign",
    "secretary",
    "general",
    "chief",
    "director",
    "head",
    "senator",
    "sen.",
    "rep.",
    "representative",
    "governor",
    "gov.",
    "mayor",
    "ceo",
    "cfo",
    "cto",
    "chairman",
    "chairwoman",
    "chair",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "commander",
    "king",
    "queen",
    "prince",
    "pope",
    "judge",
    "justice",
    "ambassador",
    "envoy",
    "professor",
    "prof.",
    "dr.",
    "mr.",
    "mrs.",
    "ms.",
    "coach",
    "captain",
    "founder",
    "analyst",
    "economist",
    "deputy",
    "vice",
    "interior",
    "defense",
    "defence",
    "state",
    "attorney",
    "speaker",
    "leader",
    "chancellor",
    "emir",
    "sheikh",
    "lt.",
    "col.",
    "gen.",
    "sgt.",
    "officer",
    "executive",
    "manager",
    "dean",
    "editor",
    "sir",
    "lord",
    "dame",
    "detective",
    "inspector",
    "superintendent",
    "reverend",
    "gm",
    "dr",
    "mr",
    "mrs",
    "ms",
    "prof",
}
ORG_WORDS = {
    "army",
    "observatory",
    "institute",
    "ministry",
    "group",
    "council",
    "agency",
    "government",
    "rights",
    "house",
    "party",
    "bank",
    "company",
    "inc",
    "inc.",
    "university",
    "committee",
    "commission",
    "office",
    "department",
    "court",
    "police",
    "forces",
    "ngo",
    "organization",
    "organisation",
    "union",
    "association",
    "foundation",
    "corp",
    "corp.",
    "ltd",
    "fund",
    "board",
    "service",
    "services",
    "federation",
    "league",
    "club",
    "team",
    "network",
    "center",
    "centre",
    "authority",
    "administration",
    "navy",
    "military",
    "kremlin",
    "pentagon",
    "regime",
    "embassy",
    "parliament",
    "senate",
    "congress",
    "coalition",
    "alliance",
    "brigade",
    "federal",
}
PERSON_ANAPHORS = re.compile(
    r"^(?:he|she|him|her|the (?:specialist|expert|analyst|researcher|official|minister|spokesman|spokeswoman|"
    r"spokesperson|professor|economist|scholar|author|diplomat|source|director|chief|executive|ceo|founder|"
    r"president|lawyer|attorney|coach|player|scientist|historian|commander|leader|senator|governor|mayor))$",
    re.I,
)
ORG_ANAPHORS = re.compile(
    r"^(?:it|the (?:ngo|organi[sz]ation|group|agency|ministry|observatory|company|firm|government|institute|"
    r"army|regime|department|office|commission|council|party|union|report|statement))$",
    re.I,
)
_PARTICLE = re.compile(r"^(?:al|el|ad|as|ash|bin|ibn|abu|van|von|de|da|di|du|la|le|del|der|den|dos|das|st\.?)(?:-|$)")
_DATEISH = re.compile(
    r"^(?:on\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|tonight|"
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december)\b|"
    r"\d{1,2}\s+\w+\s+\d{4}|last \w+|this \w+|earlier|later|initially)",
    re.I,
)
_INTRO = re.compile(
    r"^(?:in|on|at|for|after|before|during|since|from|with|despite|secondly|firstly|meanwhile|however|"
    r"moreover|earlier|later|then|but|and|yet|still|also|asked|speaking)\b",
    re.I,
)
_LEADING_NOISE = re.compile(r"^(?:(?:but|and|yet|so|also|meanwhile|however|still|then)\s+)+", re.I)
_TRAILING_NOISE = re.compile(
    r"(?:\s+(?:also|nevertheless|however|further|again|later|still|then|too|initially|meanwhile|"
    r"nonetheless|for (?:his|her|its|their) part|has|have|had|was|were|is|had also|has also|would))+$",
    re.I,
)


@dataclass(frozen=True)
class Mention:
    """A parsed attribution phrase. `kind` is person, org or anaphor (resolved later)."""

    name: str
    kind: str
    role: str | None = None
    via: str | None = None


def canonical_medium(raw: str) -> str:
    """Normalise a medium name ('Liberation' → 'Libération', 'The Orient-The Day' → "L'Orient-Le Jour")."""
    text = raw.strip().strip(".,;:")
    return MEDIA_ALIASES.get(text.lower(), MEDIA_ALIASES.get(re.sub(r"^the\s+", "", text, flags=re.I).lower(), text))


def split_top_level(text: str, sep: str = ",") -> list[str]:
    """Split on commas outside quotation marks and parentheses."""
    parts, depth, current = [], 0, []
    for ch in text:
        if ch in "(“«[":
            depth += 1
        elif ch in ")”»]" and depth:
            depth -= 1
        if ch == sep and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts]


def extract_via(segment: str) -> tuple[str, str | None]:
    """(segment without the medium phrase, medium): 'the OSDH in a press release' → ('the OSDH', 'press release')."""
    bare = segment.strip().strip(".")
    if bare.lower() in MEDIA_ALIASES and bare not in {"AP"}:
        return "", canonical_medium(bare)
    for pattern in _VIA_PATTERNS:
        match = pattern.search(bare)
        if match:
            medium = match.group("m")
            if pattern is _VIA_PATTERNS[1]:
                medium = medium.lower()
            return bare[: match.start()].strip(), canonical_medium(medium)
    return bare, None


def _is_name_token(token: str) -> bool:
    return bool(token) and (token[0].isupper() or bool(_PARTICLE.match(token)) and "-" in token)


def split_title(phrase: str) -> tuple[str | None, str]:
    """'Iranian Foreign Minister Abbas Araghchi' → ('Iranian Foreign Minister', 'Abbas Araghchi'); a hyphenated
    title counts when each part is one ('Secretary-General Hans Ellegren')."""
    tokens = phrase.split()
    cut = 0
    for i, token in enumerate(tokens[:-1]):
        bare = re.sub(r"^(?:then|ex|former)-", "", token.lower())
        if token.lower() in TITLE_WORDS or bare in TITLE_WORDS or all(p in TITLE_WORDS for p in bare.split("-")):
            cut = i + 1  # 'then-GM Bob Myers'

    if cut == 0:
        return None, phrase
    return " ".join(tokens[:cut]), " ".join(tokens[cut:])


_TRAILING_NAME = re.compile(
    r"^(?P<title>.*\S)\s+(?P<name>[A-Z][\w'’.-]+(?:\s+(?:de |van |von |al-)?[A-Z][\w'’.-]+){1,3})$"
)


def split_described(phrase: str) -> tuple[str | None, str]:
    """'Beeper co-founder and CEO Eric Migicovsky' → ('Beeper co-founder and CEO', 'Eric Migicovsky'): a
    description written in lower case before a full name is that person's role, not part of the name
    (the last word before the name must name a function, so 'the report by John Smith' stays whole)."""
    match = _TRAILING_NAME.match(phrase)
    if not match or "," in phrase:
        return None, phrase
    last = match.group("title").split()[-1]
    noun = last.split("-")[-1]  # 'ChatGPT-maker', 'Fortnite-developer'
    if last.casefold().strip(".") in TITLE_WORDS or role_noun(noun, strict=not noun.islower(), singular=True):
        return match.group("title"), match.group("name")
    return descriptor_before_name(phrase)


_OWNED = re.compile(r"^(?P<owner>.*\S)['’]s?$")


def descriptor_before_name(phrase: str) -> tuple[str | None, str]:
    """'Promoter Eddie Hearn', 'Astrophotographer Josh Dury', 'Senators Brian Schatz', "Sportsnet's Elliotte
    Friedman", 'U.K.-based Keira Megan' → (description, full name): a capitalised occupation (a sentence opener
    or a headline writes it so), an owner or a '-based' word before a name of two or more words is no part of
    it; the owner is returned as the role ('Sportsnet'). The rest must still look like a person's name."""
    match = _TRAILING_NAME.match(phrase)
    if not match or "," in phrase:
        return None, phrase
    title, name = match.group("title"), match.group("name")
    if org_like(name) or any(w.casefold() in ORG_WORDS for w in name.split()):
        return None, phrase
    words = title.split()
    owned = _OWNED.match(title)
    if owned and words[-1][-2:] in {"'s", "’s"} | {"s'", "s’"} and len(words) <= 4:
        owner = re.sub(r"^(?:the|The)\s+", "", owned.group("owner"))
        return (owner, name) if owner[:1].isupper() else (None, phrase)
    if len(words) == 1 and words[0].endswith(("-based", "-headquartered")):
        return None, name
    low = words[0].casefold()
    occupation = role_noun(low, strict=True) or len(low) > 6 and low.endswith(("grapher", "ologist", "ician", "ist"))
    if len(words) == 1 and words[0][:1].isupper() and occupation:  # not 'Christian', 'Hunter': given names
        return words[0], name
    return None, phrase


def looks_like_name(segment: str) -> bool:
    """Proper-noun phrase: every token capitalised (particles like al- allowed), no leading article."""
    tokens = re.sub(r"\s*\([^)]*\)", "", segment).split()
    return 0 < len(tokens) <= 8 and all(_is_name_token(t) or t.lower() in {"of", "for", "and"} for t in tokens)


_CAMEL = re.compile(r"^(?!Mc|Mac|De|Di|Da|La|Le|Van|Von|O['’])[A-Za-z]+[a-z][A-Z]")


def org_like(name: str) -> bool:
    """Written like an organisation or product, not a person: an organisation word ('Bank of Israel'), an
    acronym ('FTX'), inner capitals ('OpenAI', 'YouTube'), digits or '.'-joined brands ('Binance.US')."""
    for token in name.split():
        bare = token.strip(".,’'")
        if bare.casefold() in ORG_WORDS or any(c.isdigit() for c in bare) or _CAMEL.match(bare):
            return True
        if len(bare) >= 2 and bare.isupper() and "." not in bare or re.search(r"[a-z]\.[A-Z]", bare):
            return True
    return False


def classify(name: str) -> str:
    """person (two or more name tokens, no organisation word) or org (institutions, places as governments)."""
    tokens = name.split()
    if any(t.lower().strip(".,") in ORG_WORDS for t in tokens) or len(tokens) < 2:
        return "org"
    return "person"


def clean_name(text: str) -> tuple[str, str | None]:
    """Strip articles, honorifics and a trailing '(ABBR)'; returns (name, abbreviation)."""
    abbr = None
    match = re.search(r"\s*\(([A-Z][A-Za-z0-9&.-]{1,12})\)\s*$", text)
    if match:
        abbr, text = match.group(1), text[: match.start()]
    text = re.sub(r"^(?:the|a|an)\s+", "", text.strip(), flags=re.I)
    text = re.sub(r"^(?:mr|mrs|ms|dr|prof)\.?\s+", "", text, flags=re.I)
    return text.strip(" ,.;:"), abbr


_PERSON_OF = re.compile(
    r"^([A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){1,2}) (of|at|from) ([A-Z][\w'’.&-]*(?: [A-Z][\w'’.&-]*)*)$"
)


def parse_mention(phrase: str) -> Mention | None:
    """Parse 'NP[, role][, via]' or 'intro, NP, role' into a Mention; None when no speaker-like phrase."""
    if not phrase or any(m in phrase for m in '“”"«»') and not re.search(r"“[^”]{1,40}”", phrase):
        return None
    segments, via = [], None
    for raw in split_top_level(phrase):
        rest, medium = extract_via(raw)
        via = via or medium
        rest = _TRAILING_NOISE.sub("", _LEADING_NOISE.sub("", rest)).strip(" .;:")
        if rest and not _DATEISH.match(rest):
            segments.append(rest)
    if not segments or any(len(s.split()) > 18 for s in segments):  # a long apposition is still a role
        return None
    candidates = [s for s in segments if not _INTRO.match(s)] or segments[-1:]
    names = [s for s in candidates if looks_like_name(s) and not s.lower().startswith("the ")]
    head = names[0] if names else candidates[0]
    roles = [s for s in candidates if s is not head and not looks_like_name(s)]
    if PERSON_ANAPHORS.match(head) or ORG_ANAPHORS.match(head):
        return Mention(head.lower(), "anaphor", role=None, via=via)
    title, name = split_title(head) if looks_like_name(head) else split_described(head)
    if title is None and looks_like_name(head):
        title, name = split_described(head)  # 'ChatGPT-maker Open AI'
    name, _ = clean_name(name)
    person_of = _PERSON_OF.match(name)
    if person_of and classify(person_of.group(1)) == "person":  # 'Eric Boyd of Azure OpenAI'
        name, title = person_of.group(1), title or f"{person_of.group(2)} {person_of.group(3)}"
    if not name or not (name[0].isupper() or head.lower().startswith("the ")):
        return None
    role = roles[0] if roles else title
    role = re.sub(r"^(?:the|a|an)\s+", "", role, flags=re.I).strip(" ,.") if role else None
    return Mention(name, classify(name), role=role or None, via=via)


def abbreviations(text: str) -> dict[str, str]:
    """'Syrian Observatory for Human Rights (OSDH)' in the text → {'OSDH': 'Syrian Observatory for Human Rights'}."""
    found: dict[str, str] = {}
    pattern = r"((?:[A-Z][\w'’-]*)(?:\s+(?:for|of|the|and|on|de|du|des|al-\w+|[A-Z][\w'’-]*))*)\s+\(([A-Z]{2,10})\)"
    for match in re.finditer(pattern, text):
        found.setdefault(match.group(2), re.sub(r"^The\s+", "", match.group(1)))
    return found
