"""Minimal-edit falsehoods that the entailment layers must refuse, each beside a faithful paraphrase of the
same evidence that they must keep (issue 14: every sentence shown is supported in meaning by its words)."""

import pytest

from assistant.answer.support import support
from assistant.models import Article

pytestmark = pytest.mark.unit

CASES = [
    pytest.param(  # a quantity word turned into its contrary
        "Dealers were surprised by how few buyers turned up at the auction.",
        "Dealers were surprised that few buyers turned up at the auction.",
        "Dealers were surprised by how many buyers turned up at the auction.",
        "contrast",
        id="few-many",
    ),
    pytest.param(  # a hedging verb has a polarity of its own
        "Asked whether they would sell the club, the owner replied: “We don't want to.”",
        "Asked whether they would sell the club, the owner replied that they don't want to.",
        "Asked whether they would sell the club, the owner replied that they do want to.",
        "polarity",
        id="negated-want",
    ),
    pytest.param(  # 'not as …' negates what follows 'as'
        "She praised his work at the club, especially as captain of the side.",
        "She praised his work at the club, especially as captain.",
        "She praised his work at the club, though not as captain.",
        "polarity",
        id="not-as",
    ),
    pytest.param(  # a passive read as such by the parse: who supports whom
        "Several militias are supported by Iran, which also controls the border.",
        "Iran, which also controls the border, supports several militias.",
        "Several militias support Iran, which also controls the border.",
        "roles",
        id="passive-swap",
    ),
    pytest.param(  # pronouns keep their places around the verb
        "Her husband read the letters. He suggested that she call the bank.",
        "Her husband read the letters, and he suggested that she call the bank.",
        "Her husband read the letters, and she suggested that he call the bank.",
        "roles",
        id="pronoun-swap",
    ),
    pytest.param(  # where a movement started is not where it went
        "The strike was launched from Gaza, officials said.",
        "Officials said the strike was launched from Gaza.",
        "Officials said the strike was launched into Gaza.",
        "roles",
        id="from-into",
    ),
    pytest.param(  # the label signed to is not the label signed through
        "The singer signed to Sony in May via Ultra.",
        "In May the singer signed to Sony through Ultra.",
        "In May the singer signed to Ultra through Sony.",
        "roles",
        id="to-via",
    ),
    pytest.param(  # what was moved is not where it went
        "The firm shifted its Slack integration over to Teams.",
        "The firm moved its Slack integration over to Teams.",
        "The firm moved its Teams integration over to Slack.",
        "roles",
        id="moved-over-to",
    ),
    pytest.param(  # a comparison turned round
        "We race the coupe, and we sell coupes because of it. But we sell more trucks to fans.",
        "They sell coupes because they race one, but they sell more trucks to fans.",
        "Because they race the coupe, they sell more coupes than trucks to fans.",
        "roles",
        id="more-than",
    ),
    pytest.param(  # a name keeps its month
        "Smith will be sentenced in March. Jones's hearing is set for June.",
        "Jones's hearing is set for June, while Smith will be sentenced in March.",
        "Jones's hearing is set for March, while Smith will be sentenced in June.",
        "dates",
        id="months-swapped",
    ),
    pytest.param(  # a second clause restating the hedged claim must stay hedged
        "The coating could protect bridges from rust. It may even be used to protect ships.",
        "The coating could protect bridges from rust, and may be used to protect ships.",
        "The coating could protect bridges from rust, and is already used to protect ships.",
        "hedges",
        id="hedge-second-clause",
    ),
    pytest.param(  # a hedging verb governed by a hedge is hedged content too
        "Both sides are waiting for the court to potentially weigh in.",
        "Both sides are waiting for the court to possibly weigh in.",
        "The court will weigh in.",
        "hedges",
        id="potentially-weigh-in",
    ),
    pytest.param(  # one thing only is *the* main driver
        "Everyone is watching the election and oil prices. The fall in oil prices is the main driver this week.",
        "Everyone is watching the election and oil prices, and falling oil prices are the main driver this week.",
        "Everyone is watching the election and oil prices, and the election is the main driver this week.",
        "roles",
        id="the-main-driver",
    ),
    pytest.param(  # a belief stated as a fact
        "Analysts think that the currency is now weakened and exports are stuck.",
        "Analysts think the currency is now weakened and exports are stuck.",
        "The currency is now weakened and exports are stuck.",
        "hedges",
        id="think-as-fact",
    ),
    pytest.param(  # an agent noun: 'his mentor' mentored him
        "“It is an honour to work with Ann Cole,” Baker said of his mentor.",
        "Baker said it is an honour to work with his mentor, Ann Cole.",
        "Baker said it is an honour to work with Ann Cole, whom he mentored.",
        "roles",
        id="his-mentor",
    ),
    pytest.param(  # an action named only as a noun does not say who did it to whom
        "The utility has long-term agreements with Delta Mining for the supply of coal.",
        "The utility has long-term agreements with Delta Mining for the supply of coal over many years.",
        "Under long-term agreements, the utility supplies Delta Mining with coal.",
        "roles",
        id="supply-of",
    ),
    pytest.param(  # a negated denial: the thing denied is no longer denied
        "The coach has again denied any contact with the rival club.",
        "The coach again denied any contact with the rival club.",
        "The coach did not deny contact with the rival club.",
        "polarity",
        id="did-not-deny",
    ),
    pytest.param(  # a rate keeps its period
        "The firm is connecting 450,000 vehicles to its platform each month.",
        "The firm is connecting 450,000 vehicles to its platform every month.",
        "The firm is connecting 450,000 vehicles to its platform every year.",
        "numbers",
        id="rate-period",
    ),
    pytest.param(  # who gains: 'lose X to Y' is not 'take X from Y'
        "Stripe could end up losing market share to nimble competitors.",
        "Nimble competitors could end up taking market share from Stripe.",
        "Stripe could end up taking market share from nimble competitors.",
        "roles",
        id="lose-to-take-from",
    ),
    pytest.param(  # another verb, the same two parties the other way round
        "James sued Trump a year ago.",
        "A year ago James took Trump to court.",
        "A year ago Trump took James to court.",
        "roles",
        id="reversed-other-verb",
    ),
    pytest.param(  # the one acted on made the one who acts, by a change of verb
        "He testified that he had asked Bankman-Fried about the hole in June.",
        "He testified that he raised the hole with Bankman-Fried in June.",
        "He testified that Bankman-Fried raised the hole with him in June.",
        "roles",
        id="acted-on-made-actor",
    ),
    pytest.param(  # quoted words stay with the speaker the cited sentence gives them
        "Commentator Sergio Mora described the knockout as “devastating and scary” while pundit Mike Costello "
        "added: “It was clinical”.",
        "Commentator Sergio Mora called the knockout “devastating and scary”.",
        "Commentator Mike Costello called the knockout “devastating and scary”.",
        "sources",
        id="quote-other-speaker",
    ),
]


@pytest.mark.parametrize(("evidence", "faithful", "false", "layer"), CASES)
def test_a_minimal_edit_is_refused_and_its_faithful_twin_kept(evidence: str, faithful: str, false: str, layer: str):
    article = Article(id="m", text=evidence)
    spans = [(article, 0, len(evidence))]
    assert not support(false, spans).supported
    alone = support(false, spans, layers=(layer,))  # the layer named catches it by itself
    assert not alone.supported and alone.layer == layer, alone
    assert support(faithful, spans).supported, support(faithful, spans)


def test_an_article_topic_may_stand_for_the_company_but_not_for_something_else():
    """A name the article keeps coming back to may replace 'the company' in a span, never a common noun that
    cannot refer to it ('wants the games to win' is not 'wants Microsoft to win')."""
    text = (
        "Microsoft bought the studio last year. Microsoft said the deal had closed. Microsoft shares rose. "
        "The company plans a new console. She just wants the games to win."
    )
    article = Article(id="t", text=text)
    plans, wants = text.index("The company"), text.index("She just")
    assert support("Microsoft plans a new console.", [(article, plans, wants)]).supported
    assert not support("She just wants Microsoft to win.", [(article, wants, len(text))]).supported


def test_a_word_the_evidence_misspells_is_still_accounted_for():
    """News copy drops letters ('postive'); a paraphrase that spells the word right says the same thing."""
    text = "We maintain our postive stance on the stock, the broker said."
    article = Article(id="p", text=text)
    statement = "The broker said it maintains its positive stance on the stock."
    assert support(statement, [(article, 0, len(text))], unknown_words=0).supported


def test_a_speakers_own_i_think_is_reported_by_said():
    """'I think X', said Lee: 'Lee said X' reports the speaker's own view — not a belief turned into a fact."""
    text = "“I think that when the players come together, they create a wonderful show,” Lee added."
    article = Article(id="i", text=text)
    statement = "Lee said that when the players come together they create a wonderful show."
    assert support(statement, [(article, 0, len(text))], layers=("hedges",)).supported


def test_linking_words_are_not_content_a_paraphrase_must_match():
    """'during', 'versus', 'having', 'together' join a claim's parts; a paraphrase may add them."""
    text = "Shares of the firm rose 5% over the week."
    article = Article(id="w", text=text)
    statement = "Shares of the firm rose 5% during the week."
    assert support(statement, [(article, 0, len(text))], unknown_words=0).supported


def _strict(statement: str, evidence: str) -> bool:
    """Supported with every content word accounted for (as a statement shown as written must be)."""
    article = Article(id="w", text=evidence)
    return support(statement, [(article, 0, len(evidence))], unknown_words=0).supported


@pytest.mark.parametrize(
    ("evidence", "paraphrase"),
    [
        pytest.param("The club will spend heavily in January.", "The club spent heavily in January.", id="lemma"),
        pytest.param(
            "Police opened a new center in the city.", "Police opened a new centre in the city.", id="spelling"
        ),
        pytest.param(
            "He spoke at the post-match press conference.", "He spoke at the match press conference.", id="part"
        ),
        pytest.param("The skipper was fined after the game.", "The captain was fined after the game.", id="synonym"),
    ],
)
def test_inflection_spelling_hyphen_parts_and_curated_synonyms_are_accounted_for(evidence: str, paraphrase: str):
    assert _strict(paraphrase, evidence)


def test_a_negating_prefix_or_reordered_parts_are_not_the_word():
    """'non-searchable' does not hold 'searchable'; 'text-to-image' is not 'image-to-text'."""
    assert not _strict("Teen accounts are searchable on the app.", "Teen accounts are non-searchable on the app.")
    assert not _strict("It is an image-to-text generator.", "It is a text-to-image generator.")


def test_a_common_noun_place_keeps_its_role_in_a_movement():
    """'moved into the city centre' is not 'withdrawn from the city center' (names: the endpoint rule)."""
    evidence = "The governor and the police commanders have withdrawn from the city center."
    article = Article(id="p", text=evidence)
    spans = [(article, 0, len(evidence))]
    moved = support("The governor and the police commanders have moved into the city centre.", spans)
    assert moved.contradicted and moved.layer == "roles", moved
    assert support("The governor and the police commanders have pulled out of the city centre.", spans).supported


def test_has_yet_to_is_a_negation_and_a_hedge_earlier_in_the_clause_governs():
    article = Article(id="y", text="Ohtani has never played a postseason game in his career.")
    assert support(
        "Ohtani has yet to play a postseason game in his career.", [(article, 0, len(article.text))]
    ).supported
    fight = Article(id="h", text="Opetaia's next fight could be on the Fury-Usyk card in Riyadh on February 17.")
    spans = [(fight, 0, len(fight.text))]
    assert support("Opetaia may fight next on the Fury-Usyk card in Riyadh on February 17.", spans).supported


def test_according_to_reaches_past_the_role_words_to_the_source():
    evidence = (
        "According to Bloomberg Intelligence credit analyst Stephane Kovatchev, cash flow may drop 80% this year."
    )
    article = Article(id="a", text=evidence)
    statement = "Bloomberg Intelligence analyst Stephane Kovatchev says cash flow may drop 80% this year."
    assert support(statement, [(article, 0, len(evidence))]).supported


def test_a_first_name_the_article_gives_elsewhere_may_complete_the_spans_short_name():
    """The span says 'Jones'; the article calls him 'Eddie Jones' earlier: the same man, more fully named. A first
    name the article never gives, or a changed last word, is not."""
    text = "Eddie Jones spoke on Monday. Jones was named coach at the start of the year, with Apple Watch sales up."
    article = Article(id="n", text=text)
    start = text.index("Jones was")
    spans = [(article, start, len(text))]
    assert support("Eddie Jones was named coach at the start of the year.", spans).supported
    assert not support("Mike Jones was named coach at the start of the year.", spans).supported
    assert not support("Jones was named coach at the start of the year, with Apple Pencil sales up.", spans).supported


def test_not_just_asserts_what_follows():
    """'It wasn't just to join a contender' says it was to join one (and more): no contradiction of 'to join'."""
    text = "When Kane was traded to the Rangers, it wasn't just to join a playoff contender."
    article = Article(id="k", text=text)
    spans = [(article, 0, len(text))]
    assert not support("Kane was traded to join a playoff contender.", spans, layers=("polarity",)).contradicted
    denial = "When Kane was traded to the Rangers, it wasn't to join a playoff contender."
    denied = [(Article(id="d", text=denial), 0, len(denial))]
    assert support("Kane was traded to join a playoff contender.", denied, layers=("polarity",)).contradicted


def test_hasnt_got_any_negates_what_is_had():
    """'She hasn't got any superpowers' denies the superpowers: 'she has superpowers' is contradicted, 'she has
    no superpowers' is what it says."""
    text = "Yes, she hasn’t got any superpowers, but she’s got other means to help herself out."
    spans = [(Article(id="g", text=text), 0, len(text))]
    assert support("She has superpowers.", spans, layers=("polarity",)).contradicted
    assert not support("She has no superpowers.", spans, layers=("polarity",)).contradicted


def test_stopping_short_of_saying_is_not_saying():
    article = Article(id="s", text="Schefter stopped short of saying that Reich was on the hot seat.")
    spans = [(article, 0, len(article.text))]
    result = support("Schefter went as far as saying Reich was on the hot seat.", spans)
    assert not result.supported and result.contradicted


def test_a_move_down_is_not_a_move_higher_and_a_boost_is_not_a_cut():
    market = Article(id="m", text="The Dow Jones fell 0.5 per cent and the Nasdaq composite edged 0.1 per cent higher.")
    spans = [(market, 0, len(market.text))]
    assert support(
        "The Nasdaq composite inched down 0.1 per cent while the Dow Jones lost 0.5 per cent.", spans
    ).contradicted
    car = Article(id="c", text="The alternate splitter significantly reduced downforce.")
    assert support("The alternate splitter boosted downforce.", [(car, 0, len(car.text))]).contradicted
