"""One home for the vocabulary every stage shares: cue verbs, months, name particles, synonyms, folding.

Attribution, question analysis, verification and the engines all build their patterns from here, so a
cue verb added once is a cue verb everywhere. Nothing in this module imports from the rest of the package.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

# -- folding ---------------------------------------------------------------------------------------
_PLAIN_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})
_FOLD_CACHED_FROM = 200  # characters: a text this long (an article, evidence gathered for a question) is kept


def fold(text: str) -> str:
    """Text compared loosely: typographic apostrophes and quotes made plain, spaces collapsed, case folded.

    Whole articles are folded again and again while one question is answered: long texts are cached."""
    return _fold_long(text) if len(text) >= _FOLD_CACHED_FROM else _fold(text)


def _fold(text: str) -> str:
    # str.split() splits on exactly what the regex \s matches (str.isspace), and casefold never makes a space
    return " ".join(text.translate(_PLAIN_QUOTES).split()).casefold()


@lru_cache(maxsize=128)
def _fold_long(text: str) -> str:
    return _fold(text)


_NAME_PARTICLE_PREFIX = re.compile(r"\b(?:al|el|ad|as|ash)-", re.I)
_HONORIFIC = re.compile(r"^(?:mr|mrs|ms|dr|prof|sir|president|minister)\.?\s+", re.I)


def fold_name(name: str) -> str:
    """A person's or organisation's name compared loosely: 'Bashar al-Assad' → 'bashar assad', 'Libération' →
    'liberation' (accents, 'al-' particles, honorifics and punctuation dropped)."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _HONORIFIC.sub("", _NAME_PARTICLE_PREFIX.sub("", text.replace("’", "'")))
    return " ".join(re.sub(r"[^\w' ]+", " ", text).casefold().split())


# -- calendar --------------------------------------------------------------------------------------
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
MONTH_ABBREVIATIONS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTH_WORDS = frozenset(MONTHS) | frozenset(MONTH_ABBREVIATIONS)


def month_number(word: str) -> int:
    """'October', 'Oct.', 'Sept' → 10, 10, 9 (a ValueError for a word that is no month)."""
    return MONTH_ABBREVIATIONS.index(word.lower().rstrip(".")[:3]) + 1


CALENDAR_WORDS = frozenset(MONTHS) | frozenset(WEEKDAYS)

# -- names -----------------------------------------------------------------------------------------
# Lower-case particles inside names: 'Erik ten Hag', 'Bashar al-Assad', 'Ursula von der Leyen'.
NAME_PARTICLES = (
    "ten",
    "van",
    "von",
    "de",
    "der",
    "den",
    "da",
    "di",
    "du",
    "le",
    "la",
    "al",
    "el",
    "bin",
    "ibn",
    "dos",
    "das",
    "del",
)

# -- roles ---------------------------------------------------------------------------------------
# Words too common in roles to show that two role phrases describe the same person ('the', 'former').
ROLE_STOPWORDS = frozenset(
    """the a an of at for and in on with to from by who whose its his her their our new former then current
    now also senior chief head deputy vice acting interim""".split()
)

# Nouns that name a function: the last word of a title before a name ('Everton manager Sean Dyche') or a
# word an apposition needs to count as a role ('Paul Mitchell, sporting director at Monaco').
ROLE_NOUNS = frozenset(
    """president minister secretary chancellor premier governor mayor senator sen. rep. representative
    congressman congresswoman lawmaker legislator delegate ambassador envoy diplomat consul official spokesman
    spokeswoman spokesperson spokespeople representative aide adviser advisor counsel counselor attorney lawyer
    prosecutor judge justice magistrate commissioner regulator chair chairman chairwoman chairperson ceo cfo cto
    coo cmo ciso executive exec founder co-founder cofounder owner partner investor director manager head boss
    chief principal officer leader captain coach trainer player striker midfielder defender goalkeeper keeper
    winger forward quarterback receiver linebacker pitcher catcher shortstop outfielder infielder rusher end
    tackle guard center safety cornerback runner sprinter swimmer golfer cyclist boxer fighter racer driver
    rookie veteran legend star champion winner athlete analyst economist strategist researcher scientist
    scholar professor lecturer teacher academic historian expert specialist author writer journalist reporter
    editor columnist correspondent commentator pundit host presenter anchor producer broadcaster critic
    blogger youtuber streamer influencer creator designer engineer developer architect programmer doctor
    physician surgeon nurse dietitian nutritionist veterinarian vet psychologist psychiatrist therapist
    epidemiologist virologist pharmacist dentist singer rapper actor actress artist musician composer
    director filmmaker comedian model dancer weaver farmer fisherman worker employee staffer member fellow
    student graduate resident citizen activist campaigner organizer organiser volunteer founder entrepreneur
    businessman businesswoman banker trader broker accountant consultant contractor technologist inventor
    commander general colonel lieutenant sergeant soldier officer marshal admiral chaplain pastor priest
    bishop rabbi imam cleric monk king queen prince princess emir sheikh pope speaker whip agent
    manufacturer maker company firm startup group agency fund organization organisation association union
    federation league club team body authority regulator watchdog ministry department office commission
    council committee board institute university school college hospital lab laboratory bank lender insurer
    retailer publisher studio network platform service outlet newspaper magazine charity foundation nonprofit
    ngo think-tank tank coalition alliance party government administration court tribunal exchange operator
    provider carrier airline automaker carmaker brand subsidiary unit division parent conglomerate
    sources source insider insiders centre promoter referee umpire photographer fullback flanker halfback""".split()
)
# Endings of agent nouns the list above cannot all hold ('rusher', 'physician', 'consultant').
ROLE_SUFFIXES = ("er", "or", "ist", "ian", "eer", "man", "woman", "person")
# Everyday words with those endings that never name a function.
NOT_ROLE_NOUNS = frozenset(
    """other another number never after under over later former latter either neither rather whether together
    further however order border power water paper letter matter corner chapter cancer summer winter october
    november december september error factor sector color colour major minor senior junior prior superior
    interior exterior mirror labor labour floor indoor outdoor favor favour honor honour humor terror horror
    behavior behaviour quarter character computer customer meter filter cluster disaster shelter weather
    feather leather register monitor corridor vendor tutor election human german roman christian asian
    indian italian russian canadian australian brazilian egyptian iranian syrian ukrainian civilian median
    guardian woman man person shareholder holder""".split()
)

# -- synonyms --------------------------------------------------------------------------------------
# Stems that news copy uses interchangeably; a question about "deaths" is answered by "311 dead".
SYNONYMS: tuple[frozenset[str], ...] = tuple(
    frozenset(group)
    for group in (
        {"die", "dead", "death", "kill", "toll", "fatal"},
        {"start", "launch", "begin", "began", "trigger"},
        {"attack", "offens", "assault", "incurs", "raid"},
        {"seiz", "took", "captur", "conquer", "control", "take"},
        {"support", "back", "alli", "aid"},
        {"rebel", "jihadist", "insurg", "islamist", "opposit"},
        {"say", "said", "state", "declar", "claim", "assur", "underlin", "argu", "stress"},
    )
)


def expand(stems: list[str] | set[str]) -> set[str]:
    """Stems plus every stem of the synonym groups they touch."""
    out = set(stems)
    for group in SYNONYMS:
        if out & group:
            out |= group
    return out


# -- cue verbs -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Cue:
    """What a reporting verb can do besides attributing words in quotation marks (“…,” she said, which every
    cue verb does): `reported`: introduce reported speech (`X said (that) CLAUSE`); `that_only`: only with
    an explicit 'that' ('agreed that …', not 'agreed to …')."""

    reported: bool = True
    that_only: bool = False


_BOTH, _QUOTES_ONLY, _THAT_ONLY = Cue(), Cue(reported=False), Cue(that_only=True)
CUE_VERBS: dict[str, Cue] = {
    **dict.fromkeys(
        """say tell add write note explain argue assure underline stress emphasize emphasise insist claim state
        declare confirm announce warn acknowledge admit recall estimate accuse suggest comment conclude observe
        remark report reveal caution testify concede lament complain allege contend maintain quip promise vow urge
        reply respond specify indicate affirm predict detail imply mention repeat point expect highlight remind
        forecast""".split(),
        _BOTH,
    ),
    # they attribute words in quotation marks, but their clause is not reported speech ('he believes …',
    # 'posted on X', 'called it …', 'condemned the attacks')
    **dict.fromkeys(
        """believe think feel continue tweet post answer call describe term label bill dub read muse joke laugh
        reflect boast ask castigate condemn criticize criticise denounce deplore ensure hail judge justify signal
        tout welcome""".split(),
        _QUOTES_ONLY,
    ),
    **dict.fromkeys("agree share".split(), _THAT_ONLY),
}
# Also everyday nouns ('the point', 'a bill', 'the read'): rules that do not see parts of speech skip them;
# the parser, which does, takes them as verbs only.
NOUN_LIKE_CUES = frozenset("point share read detail mention highlight bill repeat forecast".split())
# Narrower sets for reading questions and answer statements, where a broad list misfires ('according to the
# report' is not a who-said question; 'is described as' is not a claim about someone's words).
STATEMENT_SPEECH_LEMMAS = frozenset(
    "say tell write state claim warn argue add note insist declare explain believe stress post quote".split()
)
QUESTION_SPEECH_LEMMAS = frozenset(
    "say think believe argue quote comment tell write claim react warn assure underline judge describe call".split()
)
QUESTION_SPEECH_WORDS = frozenset(
    "opinion view views statement stated words".split()
    + [
        "point out",
        "points out",
        "pointed out",
        "according to whom",
        "who said",
        "who says",
        "who warned",
        "who argued",
    ]
)
# Forms that are everyday words in questions ('the state of', 'a post on X'): not read as speech there.
_NOT_QUESTION_FORMS = frozenset({"states", "state", "stating", "posts", "post", "posting", "calls", "calling"})


def speech_forms(lemmas: frozenset[str]) -> set[str]:
    """Every written form of the given cue lemmas (one inflector for all)."""
    return {form for lemma in lemmas for form in inflect(lemma)}


def question_speech_words() -> set[str]:
    """Words that make a question ask who said what."""
    return (speech_forms(QUESTION_SPEECH_LEMMAS) - _NOT_QUESTION_FORMS) | QUESTION_SPEECH_WORDS


IRREGULAR_FORMS = {
    "say": ("said",),
    "tell": ("told",),
    "write": ("wrote", "written"),
    "think": ("thought",),
    "feel": ("felt",),
    "read": ("read",),
    "speak": ("spoke", "spoken"),
}
_DOUBLING = {"admit", "quip", "vow"}  # final consonant doubled before -ed/-ing (written as the rules had it)


@cache
def inflect(lemma: str) -> frozenset[str]:
    """Every written form of a verb: 'say' → say, says, saying, said; 'reply' → replies, replied."""
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    forms = {lemma, lemma + "s", stem + "ing", stem + "ed", lemma + "ed"}
    if lemma.endswith(("sh", "ch", "ss", "x")):
        forms |= {lemma + "es"}
    if lemma.endswith("y") and lemma[-2] not in "aeiou":
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if lemma in _DOUBLING:
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    return frozenset(forms | set(IRREGULAR_FORMS.get(lemma, ())))


def cue_forms(*, reported: bool | None = None, that_only: bool | None = None, nouns: bool = True) -> dict[str, str]:
    """Written form → lemma, for the cue verbs that allow what is asked (None: either way); `nouns=False`
    leaves out the verbs that are everyday nouns too (for patterns that cannot see parts of speech)."""
    out: dict[str, str] = {}
    for lemma, cue in CUE_VERBS.items():
        if reported is not None and cue.reported != reported:
            continue
        if that_only is not None and cue.that_only != that_only:
            continue
        if not nouns and lemma in NOUN_LIKE_CUES:
            continue
        for form in inflect(lemma):
            out.setdefault(form, lemma)
    return out


def alternation(words: set[str] | list[str] | tuple[str, ...] | frozenset[str]) -> str:
    """A regex alternation that tries longer words first ('said' before 'sai…', 'points out' before 'points')."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


# -- entailment vocabulary (answer/support.py): what a statement may not change about its evidence ------
# Words that negate what follows them ('not able', 'never won', 'without approval', 'failed to pass').
NEGATORS = frozenset(
    """not no never none nobody nothing neither nor without cannot can't won't don't doesn't didn't isn't aren't
    wasn't weren't hasn't haven't hadn't couldn't wouldn't shouldn't n't unable fail fails failed failing lack
    lacks lacked refuse refuses refused refusing deny denies denied""".split()
)
# Un-/in- words read as a negator plus the word: 'unable to grow' = 'not able to grow'.
NEGATED_WORDS = {"unable": "able", "unaware": "aware", "unwilling": "willing", "impossible": "possible"}
# Pairs that contradict each other when one replaces the other (either direction). Written as plain words;
# support.py compares their stems, so 'rose'/'rises'/'rising' need their own entries only when irregular.
CONTRARIES: tuple[tuple[str, str], ...] = tuple(
    tuple(pair.split("/"))  # type: ignore[misc]
    for pair in """confirm/deny confirmed/denied rise/fall rose/fell risen/fallen increase/decrease increase/decline
    increase/fall increase/drop rise/decline rise/drop grow/shrink grew/shrank gain/lose gain/loss win/lose won/lost
    beat/lost victory/defeat support/oppose support/withdraw accept/reject approve/reject allow/ban allow/forbid
    allowed/barred permit/bar permits/bars include/exclude more/less more/fewer higher/lower high/low up/down
    buy/sell bought/sold buyer/seller import/export imported/exported imports/exports open/close opened/closed
    expand/contract expand/shrink widen/narrow widened/closed recover/weaken recovered/weakened strengthen/weaken
    strong/weak stronger/weaker positive/negative likely/unlikely often/rarely always/never frequent/rare
    before/after above/below over/under early/late earlier/later first/last success/failure agree/disagree
    lift/impose raise/cut raise/lower hire/fire add/remove start/stop begin/end join/leave enter/exit
    arrive/depart slow/fast slowly/quickly slower/faster cheap/expensive cheaper/costlier good/bad best/worst
    easy/hard easier/harder safe/dangerous legal/illegal major/minor maximum/minimum majority/minority
    profit/loss surplus/deficit inside/outside most/least largest/smallest biggest/smallest north/south
    east/west outperform/underperform survive/collapse doubt/convinced doubted/convinced encourage/discourage
    possible/impossible known/unknown tight/loose tighten/loosen tightened/loosened reduced/increased
    reduce/increase lowered/raised cut/raised lower/higher less/more hope/fear hopeful/fearful
    optimistic/pessimistic bullish/bearish ally/enemy allies/enemies friend/foe peace/war attack/defend
    worsen/improve worse/better deteriorate/improve expected/unexpected give/take gave/took lend/borrow
    winner/loser winning/losing ahead/behind win/defeat won/defeated victory/loss favor/against favour/against
    free/restricted freedom/restriction tight/loosen tight/loose easing/tightening ease/tighten admit/deny
    admitted/denied acknowledge/deny acknowledged/denied much/few much/little many/few plenty/few up/lower
    down/higher boost/reduce boost/cut boost/lower boosted/reduced boosted/lowered loud/quiet louder/quieter""".split()
)
# Words that keep a claim uncertain; a statement that drops them states the evidence's maybe as a fact.
HEDGES = frozenset(
    """may might could should can possibly perhaps probably likely unlikely reportedly allegedly expected
    expect expects plan plans planned planning aim aims aimed aiming hope hopes hoped hoping seek seeks
    intend intends intended propose proposes proposed suggest suggests suggested suggesting seem seems seemed
    appear appears appeared potential potentially if unless whether bid looking consider considering
    considers predicted forecast forecasts projected estimated estimate rumored rumoured rumors rumours
    believed thought speculation goal target""".split()
)
# Contraries that are also function words ('before', 'over', 'more'): a contradiction only where one stands
# in the other's place, among the same neighbouring words, never merely because both occur.
LOCAL_CONTRARIES = frozenset(
    "before after over under up down first last early late earlier later high low higher lower above below more "
    "less most least fewer much many few little plenty".split()
)
# Verbs whose two participants can trade places without changing the fact ('A married B' = 'B married A').
SYMMETRIC_VERBS = frozenset("marry married meet met draw drew tie tied join joined merge merged partner partnered "
                            "agree agreed clash clashed talk talked play played face faced".split())  # fmt: skip
# Hedges that only allow for a possibility: a statement that turns one into an expectation ('could score' →
# 'is expected to score') claims more than its evidence.
WEAK_HEDGES = frozenset(
    "may might could possibly perhaps possibility potentially if unless whether rumored rumoured".split()
)
# Words that hedge in the way HEDGES do but only as a phrase head ('looks like', 'wants to').
HEDGES_EXTRA = frozenset("look looks looked resemble resembles want wants wanted".split())
# Verbs that hedge in any of their forms ('expecting', 'planned', 'is evaluating'): matched by stem.
HEDGE_VERBS = frozenset(
    "expect plan aim hope seek intend propose suggest seem appear consider predict forecast project estimate rumor "
    "rumour believe think want evaluate explore weigh mull".split()
)
# Units a number carries: a statement's unit must be in the same group as its evidence's ('5 mins' = 'five
# minutes'; '136 balls' is not '136 minutes'). Only words listed here are read as units.
UNIT_GROUPS: tuple[frozenset[str], ...] = tuple(
    frozenset(group.split())
    for group in """second seconds sec secs
    minute minutes min mins
    hour hours hr hrs
    day days
    week weeks
    month months
    year years yr yrs
    decade decades
    century centuries
    mile miles mi
    kilometre kilometres kilometer kilometers km kms
    metre metres meter meters m
    foot feet ft
    inch inches
    kilogram kilograms kg kgs
    pound pounds lb lbs
    ton tons tonne tonnes
    thousand k
    million millions mn
    billion billions bn
    trillion trillions tn
    crore crores
    lakh lakhs
    percent per cent %
    point points
    degree degrees
    mph
    goal goals
    run runs
    wicket wickets
    ball balls delivery deliveries
    over overs
    game games match matches
    seat seats
    vote votes
    people persons person
    dollar dollars
    euro euros
    rupee rupees
    peso pesos
    shekel shekels""".split("\n")
)
# Words the content-word check (answer/entail.py `check_words`) does not ask the evidence for: function words,
# pronouns, degree adverbs and light verbs that paraphrases add or drop without changing a claim. Words that do
# change a claim ('not', 'still', 'already', 'will', 'more') are left to their own layers (polarity, hedges,
# contraries), which look at them whether or not they are listed here.
FUNCTION_WORDS = frozenset(
    """because among amongst between through throughout under yet now far every nearly even though although while
    whenever wherever off out him himself herself itself themselves ourselves myself around across against since
    until till plus each another other others either neither both part thing things roughly about almost
    approximately initially currently fairly too also alone well still already just only really quite rather
    somewhat instead despite toward towards onto upon within without via per whose whom someone something
    anyone anything everyone everything one ones go goes going went gone come comes coming came get gets
    getting got gotten take takes taking took taken put puts putting give gives giving gave given make makes
    making made set sets setting keep keeps keeping kept hold holds holding held leave leaves leaving left
    back way ways lot lots kind sort become becomes became becoming during versus having let lets together""".split()
)
# Irregular past forms of verbs whose doer and done-to the roles layer compares ('gave' is 'give').
IRREGULAR_PAST = {
    past: lemma
    for lemma, forms in {
        "give": "gave given", "take": "took taken", "win": "won", "lose": "lost", "buy": "bought",
        "sell": "sold", "tell": "told", "send": "sent", "pay": "paid", "lead": "led", "hold": "held",
        "bring": "brought", "teach": "taught", "leave": "left", "hit": "hit", "fight": "fought",
        "catch": "caught", "get": "got gotten", "make": "made", "find": "found", "see": "saw seen",
        "beat": "beaten", "drive": "drove driven", "choose": "chose chosen", "throw": "threw thrown",
        "feed": "fed", "shoot": "shot", "strike": "struck", "steal": "stole stolen", "sue": "sued",
        "begin": "began begun", "mean": "meant", "spend": "spent", "draw": "drew drawn", "sit": "sat",
        "run": "ran", "meet": "met", "build": "built", "fly": "flew flown", "grow": "grew grown",
        "know": "knew known", "rise": "rose risen", "fall": "fell fallen", "speak": "spoke spoken",
        "write": "wrote written", "break": "broke broken", "become": "became", "come": "came",
        "go": "went gone", "keep": "kept", "stand": "stood", "think": "thought", "seek": "sought",
        "wear": "wore worn", "forget": "forgot forgotten", "hide": "hid hidden", "ride": "rode ridden",
        "sing": "sang sung", "swim": "swam swum", "freeze": "froze frozen", "shake": "shook shaken",
        "lend": "lent", "bear": "bore borne", "sink": "sank sunk", "spin": "spun", "sweep": "swept",
        "hang": "hung", "forbid": "forbade forbidden", "undertake": "undertook undertaken",
        "overtake": "overtook overtaken", "withdraw": "withdrew withdrawn", "rebuild": "rebuilt",
    }.items()
    for past in forms.split()
}  # fmt: skip
# Words a statement may never leave unaccounted for, even where one unknown word is tolerated (a speech
# paraphrase shown as the speaker's verbatim words): each turns the claim around or changes its time —
# aspect ('remains', 'began', 'stopped': whether something still holds) and the pro-verb 'do', which stands
# for a whole predicate ('something he has done').
ASPECT_WORDS = frozenset(
    """remain remains remained remaining stay stays stayed continue continues continued continuing begin begins
    began begun beginning start starts started starting stop stops stopped stopping cease ceases ceased resume
    resumes resumed finish finishes finished quit quits still already anymore again longer yet""".split()
)
PRO_VERBS = frozenset("do does did done doing happen happens happened".split())
# Words that turn a clause around: 'X beat Y' / 'Y was beaten by X'; 'sold to' / 'bought from'.
PASSIVE_MARKERS = frozenset({"by"})
DIRECTION_WORDS = frozenset({"from", "to", "into", "out", "toward", "towards", "onto"})
# Countries and unions by their other names, as news copy writes them (folded as `fold_name` folds: 'U.S.' is
# 'u s'): 'the US' is 'the United States'.
COUNTRY_NAMES: dict[str, tuple[str, ...]] = {
    "us": ("united states", "u s", "usa", "america"),
    "usa": ("united states", "u s", "us", "america"),
    "u s": ("united states", "us", "usa", "america"),
    "america": ("united states", "u s", "us", "usa"),
    "united states": ("u s", "us", "usa", "america"),
    "uk": ("united kingdom", "u k", "britain"),
    "u k": ("united kingdom", "uk", "britain"),
    "britain": ("united kingdom", "uk", "u k"),
    "united kingdom": ("uk", "u k", "britain"),
    "eu": ("european union",),
    "european union": ("eu",),
    "un": ("united nations",),
    "united nations": ("un",),
    "uae": ("united arab emirates",),
}
# Organisations referred to by what they are ('the NGO', 'the Observatory', 'the monitor').
ORGANISATION_NOUNS = frozenset(
    """ngo observatory monitor organisation organization group agency ministry department company firm army
    government institute council committee commission office authority authorities""".split()
)
# Number words read as digits (both sides), so 'five of six' meets '5 of 6'.
NUMBER_WORDS = {
    w: str(i)
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen twenty".split()
    )
} | {
    w: str(i)
    for i, w in enumerate(
        "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split()
    )
    if i > 2  # 'first'/'second' are too often not ordinals ('first reported', 'a second time')
}
# Words that bound a number from above or below: 'more than 300' is not '300', and is not 'under 300'.
MORE_THAN = ("more than", "over", "above", "at least", "upwards of", "exceeding", "in excess of", "+")
LESS_THAN = ("less than", "fewer than", "under", "below", "at most", "up to", "nearly", "almost", "just under")
CURRENCIES = {"$": "usd", "us$": "usd", "usd": "usd", "£": "gbp", "gbp": "gbp", "€": "eur", "eur": "eur",
              "₹": "inr", "rs": "inr", "inr": "inr", "nis": "ils", "p": "php", "php": "php", "¥": "jpy",
              "yen": "jpy", "yuan": "cny", "rmb": "cny"}  # fmt: skip
# Paraphrases news copy uses interchangeably, beyond SYNONYMS (which also drive retrieval): a statement's
# word is accounted for when its evidence has any word of the same group. Curated; each group is tested.
PARAPHRASES: tuple[frozenset[str], ...] = tuple(
    frozenset(group.split())
    for group in """say said says note notes noted observe observes observed tell told add added explain explained
    report reports reported write wrote state stated remark remarked point pointed recount recounted
    rise rose risen increase increased climb climbed grow grew gain gained jump jumped surge surged up raise raised
    fall fell fallen decline declined decrease decreased drop dropped slide slid slip slipped lose lost down slump
    buy bought acquire acquired purchase purchased
    show showed shown reveal revealed find found discover discovered unveil unveiled
    begin began start started launch launched debut debuted arrive arrived
    big large major huge massive
    help aid assist boost
    company firm business
    cut reduce reduced lower lowered trim
    mystery unknown unclear
    hard difficult
    able capable
    buy purchase
    win beat victory won
    chief head ceo leader
    country nation
    aim goal target
    owner owned owns
    test testing trial
    expect expected anticipate anticipated
    plan plans planned intend
    gap difference
    unlock release
    review reviewer critic
    researcher researchers scientist scientists
    doctor physician
    dogs canine
    car carmaker automaker
    fast quick rapid rapidly quickly swiftly
    slow slowly sluggish
    level levels
    pick choice selection favorite favourite top best
    game match fixture
    draw drew drawn level square
    deal offer discount
    debt borrowing borrowings
    worry worried concern concerned
    demand appetite
    rule rules regulation regulations law
    move moved moving shift shifted rotate rotating
    reach reached enter entered
    higher larger bigger greater
    score scored amass amassed tally
    ill sick
    link linked affiliated associated connected
    criticism commentary critique criticise criticize
    famous well-known iconic
    second sophomore
    entirely completely fully wholly
    full complete
    talk discuss discussion discussions
    worldwide globally global
    former previous
    know knew aware
    crowd onlookers spectators
    guide guided guidance
    times occasions
    extra additional
    early beginning start
    try tried attempt attempted
    better enhanced improved
    captain skipper
    hint hints clue clues
    minute minutes min mins
    problem problems issue issues
    phone telephone
    weapon weapons armament armaments arms
    share shares stock stocks
    biggest largest
    usually typically
    considerably significantly substantially
    tech technology
    right correct
    stay stayed remain remained
    expand expanded extend extended
    latest recent
    convicted guilty
    lawyer lawyers counsel attorney attorneys
    misuse misappropriation
    ability abilities skill skills
    money funds funding
    lose lost loss losses
    close near nearly
    watch watching observe observing monitor monitoring
    teamed paired
    withdraw withdrawn pull pulled
    """.split("\n")
    if group.strip()
)
