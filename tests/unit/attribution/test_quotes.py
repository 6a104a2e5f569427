"""Attribution against the hand-labelled seed gold (assistant/evals/gold/seed_quotes.json) and typography."""

import json

import pytest

from assistant.attribution.quotes import attributed, extract_quotes
from assistant.evals.data import gold_dir

pytestmark = pytest.mark.unit
GOLD = json.loads((gold_dir() / "seed_quotes.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def extracted(seed_text):
    return {(q.start, q.end): q for q in extract_quotes(seed_text, "seed")}


def test_gold_offsets_are_the_quoted_words(seed_text):
    for g in GOLD["quotes"]:
        assert seed_text[g["start"] : g["end"]] == g["quote"]


# Reported speech the rules do not read yet (listed in the issue's closing note); strict, so a fix shows up.
KNOWN_SEED_MISSES: set[str] = set()


def _seed_case(gold):
    known = any(gold["quote"].startswith(k) for k in KNOWN_SEED_MISSES)
    return pytest.param(gold, marks=pytest.mark.xfail(strict=True, reason="known miss")) if known else gold


@pytest.mark.parametrize(
    "gold", [_seed_case(g) for g in GOLD["quotes"]], ids=lambda g: f"{g['kind']}:{g['quote'][:30]}"
)
def test_every_seed_quote_matches_gold(extracted, gold):
    quote = extracted.get((gold["start"], gold["end"]))
    assert quote is not None, "quote span not found"
    assert (quote.speaker, quote.speaker_role, quote.via) == (gold["speaker"], gold["speaker_role"], gold["via"])
    assert quote.kind == gold["kind"]
    if gold["speaker"]:
        assert quote.cue == gold["cue"]


def test_seed_direct_quotes_are_the_quotation_mark_spans(extracted):
    direct = {(g["start"], g["end"]) for g in GOLD["quotes"] if g["kind"] == "direct"}
    assert len(direct) == 26
    assert {span for span, q in extracted.items() if q.kind == "direct"} == direct


def test_no_quote_outside_gold(extracted):
    gold_spans = {(g["start"], g["end"]) for g in GOLD["quotes"]}
    known = {(g["start"], g["end"]) for g in GOLD["quotes"] if any(g["quote"].startswith(k) for k in KNOWN_SEED_MISSES)}
    assert set(extracted) == gold_spans - known


def test_hard_cases_named_in_the_issue(extracted, seed_text):
    def by_text(prefix):
        (quote,) = [q for q in extracted.values() if q.text.startswith(prefix)]
        return quote

    shaar = by_text("The pace of the collapse ")
    assert (shaar.speaker, shaar.via) == ("Karam Shaar", "Libération")
    assert by_text("He made the decision to w").speaker == "Karam Shaar"  # "he believes"
    assert by_text("They think that now the I").speaker == "Dareen Khalifa"  # "underlines the specialist"
    caption = by_text("The offensive was present")
    assert (caption.speaker, caption.via) == ("Dareen Khalifa", "AFP")
    assert by_text("armed terrorist organizati").speaker == "Syrian army"
    assert by_text("deterrence of aggression").speaker is None  # a name, not a quote


def test_straight_quotes_and_plain_news_style():
    text = (
        'The company said the outage was over. "We are sorry for the disruption," said Jane Doe, a spokeswoman for '
        "Acme Corp. "
        '"It will not happen again," she added.\n'
        'Analysts were unconvinced. "This is the third outage this year," Mark Roe, an analyst at Big Bank, told '
        "Reuters."
    )
    quotes = attributed(extract_quotes(text, "x"))
    got = [(q.text, q.speaker, q.speaker_role, q.via) for q in quotes]
    assert got == [
        ("We are sorry for the disruption,", "Jane Doe", "spokeswoman for Acme Corp", None),
        ("It will not happen again,", "Jane Doe", "spokeswoman for Acme Corp", None),
        ("This is the third outage this year,", "Mark Roe", "analyst at Big Bank", "Reuters"),
    ]
    for q in quotes:
        assert text[q.start : q.end] == q.text


def test_unclosed_and_empty_input_never_crash():
    assert extract_quotes("", "x") == []
    for text in ["“", "”", '"', "“unclosed quote", "a ” b “ c", "said “x”", "“x” said"]:
        for q in extract_quotes(text, "x"):
            assert 0 <= q.start <= q.end <= len(text)
            assert text[q.start : q.end] == q.text


# --- English news conventions (synthetic texts; spaCy + rules) ---------------------------------------


def _got(text):
    quotes = attributed(extract_quotes(text, "x"))
    for q in quotes:
        assert text[q.start : q.end] == q.text
    return {q.text: q for q in quotes}


def test_typography_curly_straight_and_missing_space():
    text = (
        "Acme chief executive Dana Whitfield spoke on Monday.\n"
        "“We will ship in May,”said Whitfield.\n"
        '"It is ready," she added. ‘Nested ’ marks stay inside: “Outer ‘inner’ words,” Whitfield said.'
    )
    got = _got(text)
    assert got["We will ship in May,"].speaker == "Dana Whitfield"
    assert got["It is ready,"].speaker == "Dana Whitfield"
    assert got["Outer ‘inner’ words,"].speaker == "Dana Whitfield"


def test_surname_and_pronoun_resolve_to_the_first_full_name():
    text = (
        "Manchester Rovers boss Tom Albright has defended his squad.\n"
        '"We are much better than last season," Albright said.\n'
        '"The pressing is very good," he added.'
    )
    got = _got(text)
    assert {q.speaker for q in got.values()} == {"Tom Albright"}
    assert got["We are much better than last season,"].speaker_role == "Manchester Rovers boss"


def test_role_from_apposition_carries_over():
    text = (
        'Mara Quist, a researcher at the Northfield Institute, said the data were clear. "Nobody expected this," '
        "Quist said."
    )
    got = _got(text)
    quote = got["Nobody expected this,"]
    assert (quote.speaker, quote.speaker_role) == ("Mara Quist", "researcher at the Northfield Institute")


def test_indirect_speech_span_is_the_reported_clause():
    text = "Lena Fischer said that the bridge would reopen in June. Officials were cautious."
    got = _got(text)
    assert "the bridge would reopen in June" in got
    assert got["the bridge would reopen in June"].speaker == "Lena Fischer"
    assert got["the bridge would reopen in June"].cue == "said"
    assert got["the bridge would reopen in June"].kind == "indirect"


def test_indirect_speech_stops_before_a_verb_phrase_of_the_speaker():
    text = "Kyle Brandt told reporters he did not notice a difference in the heat, but spoke positively of the idea."
    got = _got(text)
    assert got["he did not notice a difference in the heat"].speaker == "Kyle Brandt"


def test_broken_quote_gives_two_spans_with_one_speaker():
    text = (
        "Coach Ian Porter was asked about the semi-final.\n“Firstly, we are not favourites,” Porter said. “We know "
        "these games are do or die.”"
    )
    got = _got(text)
    assert got["Firstly, we are not favourites,"].speaker == "Ian Porter"
    assert got["We know these games are do or die."].speaker == "Ian Porter"


def test_multi_paragraph_quote_keeps_the_speaker():
    text = (
        'Asked about the defeat, Sara Lindqvist said: "We made mistakes. We will learn.\n\n'
        '"The second half was better. We pressed higher.\n\n'
        "Advertisement\n\n"
        '"Now we move on to Saturday."\n\n'
        'Fans were less forgiving. "A disgrace," one wrote.'
    )
    quotes = [q for q in extract_quotes(text, "x") if q.text.startswith(("We made", "The second", "Now we"))]
    assert [q.speaker for q in quotes] == ["Sara Lindqvist"] * 3


def test_organisation_and_document_sources():
    text = (
        "Brightwave Inc. said it had fixed the outage. "
        "“We apologise to every customer,” the company said in a statement.\n"
        "“The update restores service,” the blog post reads.\n"
        "A spokesperson for the Harbor Authority said the port would stay open."
    )
    got = _got(text)
    statement = got["We apologise to every customer,"]
    assert (statement.speaker, statement.via) == ("Brightwave Inc", "statement")
    assert (got["The update restores service,"].speaker, got["The update restores service,"].via) == (
        "Brightwave Inc",
        "blog post",
    )
    assert got["the port would stay open"].speaker == "Harbor Authority"


def test_scare_quotes_and_titles_stay_unattributed():
    text = 'The film "Silent Harbour" opened on Friday. Critics called the plot a "mess" of ideas.'
    quotes = extract_quotes(text, "x")
    assert quotes and all(q.speaker is None for q in quotes if q.text == "Silent Harbour")


def test_garbage_and_long_input_never_crash():
    samples = ["\x00\x01“\ufffd”" * 50, "“" * 500, "said said said " * 200, '"' * 301, "A" * 30_000, "“a”\n" * 1000]
    for text in samples:
        for q in extract_quotes(text, "x"):
            assert text[q.start : q.end] == q.text


# --- rules added for issue 4 (each test fails without its rule) ---------------------------------------


def test_reported_speech_has_kind_indirect_and_quotations_kind_direct():
    text = 'Nora Lind said the plant would close in March. "It is a sad day," Lind said.'
    got = _got(text)
    assert got["the plant would close in March"].kind == "indirect"
    assert got["It is a sad day,"].kind == "direct"


def test_clause_first_and_according_to_reported_speech():
    text = (
        "Ticket sales rose by a third in the first week, the Harbor Theatre said.\n"
        "According to Mia Ross, the tour will continue into next year."
    )
    got = _got(text)
    assert got["Ticket sales rose by a third in the first week"].speaker == "Harbor Theatre"
    assert got["the tour will continue into next year"].speaker == "Mia Ross"
    assert got["the tour will continue into next year"].cue == "according to"


def test_reported_clause_after_the_verb_wins_over_a_clause_before_it():
    text = "More tests are coming, too, as it adds staff: Brightwave says HPV screening is next on its list."
    got = _got(text)
    assert got["HPV screening is next on its list"].speaker == "Brightwave"
    assert not any(t.startswith("More tests") for t in got)


def test_reported_clause_stops_at_the_reporters_dash_aside():
    text = "Ola Berg says the app has had thousands of users — which is a lot for a service this new."
    got = _got(text)
    assert "the app has had thousands of users" in got


def test_reported_clause_may_hold_partial_quotations():
    text = 'Farid Osman said he was "deeply saddened" by the death of his "great friend".'
    got = _got(text)
    clause = got['he was "deeply saddened" by the death of his "great friend']
    assert (clause.speaker, clause.kind) == ("Farid Osman", "indirect")


def test_denied_speech_and_embedded_questions_are_not_reported_speech():
    text = (
        "Kai Moreno hasn't said how the firm made that happen. "
        "Picking out the strengths, Lena Park explained why she thinks the coach is destined for the top. "
        "It was announced the club will move to a new stadium next year."
    )
    assert not [q for q in extract_quotes(text, "x") if q.speaker and q.kind == "indirect"]


def test_cue_keeps_its_particle():
    text = "But Dana Reyes points out that the budget has grown every year since 2019."
    got = _got(text)
    assert got["the budget has grown every year since 2019"].cue == "points out"


def test_the_ngo_refers_back_to_the_organisation():
    text = (
        "The Coastal Rights Observatory (CRO) said the strike hit a school. "
        "The assault, launched on Monday, has so far left 31 dead – mainly fighters, adds the NGO based in Geneva."
    )
    got = _got(text)
    clause = got[
        "The assault, launched on Monday, has so far left 31 dead – mainly fighters"
    ]  # clause-first: the dash stays
    assert (clause.speaker, clause.cue) == ("Coastal Rights Observatory", "adds")


def test_role_stated_later_carries_back_to_an_earlier_quote():
    text = (
        'On X, Ruth Amsel argues that the reaction could well be "a way of forcing the regime to negotiate." '
        '"Nobody expected it," said Ruth Amsel, of the Newline Institute.'
    )
    got = _got(text)
    first = [q for q in got.values() if q.text.startswith("the reaction could")][0]
    assert first.speaker_role == "of the Newline Institute"


def test_single_curly_quotes_are_quotations_but_apostrophes_are_not():
    text = (
        "“Firstly, we are not favourites,” Coach Ian Porter said.\n‘We know these games are do or die. We’re ready,’ "
        "he said."
    )
    got = _got(text)
    assert got["We know these games are do or die. We’re ready,"].speaker == "Ian Porter"
    spans = extract_quotes("The players’ union met Levy’s staff and they didn’t agree on the ‘new deal’ at all.", "x")
    assert not [q for q in spans if q.kind == "direct"]


def test_scare_quoted_terms_do_not_continue_the_previous_speaker():
    text = '"We will ship in May," said Dana Whitfield. The device is part of the "Inspiring Women" range.'
    quotes = {q.text: q for q in extract_quotes(text, "x")}
    assert quotes["Inspiring Women"].speaker is None


def test_an_organisation_is_not_extended_into_a_person_name():
    text = (
        "Beeper Mini, the app bringing blue bubble iMessage texts to Android users, is back in operation on Monday "
        "after "
        "a long weekend that saw Apple putting an end to Beeper’s services, claiming it was a security risk.\n"
        "On Monday, Beeper announced on its blog that it has updated the Beeper Mini app to fix the issue."
    )
    got = _got(text)
    assert got["it has updated the Beeper Mini app to fix the issue"].speaker == "Beeper"


def test_a_surname_form_the_tagger_knows_as_an_organisation_is_no_person_mention():
    from assistant.attribution.coref import Inventory

    text = "Man United lost on Wednesday. United have also conceded 14 goals."
    inv = Inventory(text)
    inv.persons, inv.org_names = ["Man United"], {"united": 2}  # 'Man United' once tagged PERSON, 'United' twice ORG
    inv._sentence_openers()
    assert [o for o, name, _ in inv.subjects if name == "Man United"] == [0]  # not 'United have …' at 30


def test_as_clause_and_parenthetical_frames_report_the_main_clause():
    text = (
        "And as Adam Shore notes, the team's game against the Bears may be the most important one left.\n"
        "Daye didn't invent the idea of using tampons to test for infections, as founder Vera Milan explained last "
        "year.\n"
        "As expected, the city will host the final again."
    )
    got = _got(text)
    assert got["the team's game against the Bears may be the most important one left"].speaker == "Adam Shore"
    assert got["Daye didn't invent the idea of using tampons to test for infections"].speaker == "Vera Milan"
    assert not any(t.startswith("the city will host") for t in got)  # 'As expected' frames nobody


def test_per_x_closing_a_sentence_reports_it():
    text = "Users who test positive will receive a free five minute call with a nurse, per Brightwave."
    got = _got(text)
    assert got["Users who test positive will receive a free five minute call with a nurse"].cue == "per"


def test_agree_and_share_report_speech_only_with_that():
    text = "Tom Griff agreed that the console was a side goal of the team. Tom Griff agreed the plan."
    got = _got(text)
    assert got["the console was a side goal of the team"].speaker == "Tom Griff"


def test_participle_that_clause_continues_a_cue_verbs_report():
    text = "The Syrian army confirmed the information, ensuring that rebels had been able to enter the city."
    got = _got(text)
    clause = got["rebels had been able to enter the city"]
    assert (clause.speaker, clause.cue, clause.kind) == ("Syrian army", "ensuring", "indirect")


def test_for_a_named_person_frames_their_view():
    text = (
        "Lina Okafor spoke to reporters on Friday.\n"
        "For Lina Okafor, analyst at the Delta Institute, the offensive had been prepared for months.\n"
        "For Europe, the stakes are high."
    )
    got = _got(text)
    view = got["the offensive had been prepared for months"]
    assert (view.speaker, view.speaker_role, view.cue) == ("Lina Okafor", "analyst at the Delta Institute", "for")
    assert "the stakes are high" not in got


def test_termed_introduces_a_partial_quote_and_then_titles_are_not_names():
    text = (
        "Justin Thomas, a part of the policy board, termed it “selfish” on the USGA’s part. “I think they made some "
        "pretty "
        "selfish decisions,” he stated.\n"
        "The Warriors introduced their picks, with then-GM Bob Myers to their left.\n“We’re excited,” Myers said."
    )
    got = _got(text)
    assert got["selfish"].speaker == "Justin Thomas"
    assert got["I think they made some pretty selfish decisions,"].speaker == "Justin Thomas"
    assert got["We’re excited,"].speaker == "Bob Myers"


def test_a_one_sentence_paragraph_introduces_the_quotation_after_it():
    text = (
        "Pochettino praised his friend.\n\n"
        "Mikel Arteta shared a similar sentiment.\n\n"
        "\"It's great that after those years we're both managing great clubs. It doesn't get better than that.\"\n\n"
        "The derby kicks off at 5.30pm."
    )
    got = _got(text)
    assert (
        got[
            "It's great that after those years we're both managing great clubs. It doesn't get better than that."
        ].speaker
        == "Mikel Arteta"
    )


def test_a_pronoun_never_goes_to_a_name_in_a_list_or_of_the_other_gender():
    """Found in a hand check of the whole corpus: 'He said …' after a list of names went to the last woman
    named in the list; Travis Kelce's words were credited to Katy Perry."""
    text = (
        "Travis Kelce hosts a podcast with his brother, and he often talks about music. Kelce said he liked pop. "
        "Speaking with a TV show, Kelce was given the options of Taylor Swift, Katy Perry and Ariana Grande. "
        "He said he would ultimately marry Perry. Ms Perry has not commented, and she rarely gives interviews."
    )
    quotes = attributed(extract_quotes(text, "x"))
    marry = next(q for q in quotes if "marry" in q.text)
    assert marry.speaker in {"Travis Kelce", "Kelce"}
    assert all(q.speaker != "Katy Perry" for q in quotes if "he would" in q.text or "marry" in q.text)


# -- identity inside one article: a wrong speaker here becomes a wrong merge across articles (issue 16) ----------
_BOARD = (
    "OpenAI said on Friday that it would begin a search for a permanent chief executive.\n\n"
    "“OpenAI was deliberately structured to advance our mission,” the board wrote in a joint statement. "
    "“The board remains fully committed to serving this mission.”\n"
)
_NESTED = (
    "OpenAI said on Friday that it would begin a search for a permanent chief executive.\n\n"
    "Sam Altman has been fired from OpenAI.\n\n"
    "In a blog post from OpenAI, the company writes that the board “no longer has confidence in his ability "
    "to continue leading OpenAI.”\n"
)


def test_the_board_is_the_companys_board_not_the_company():
    quotes = {q.text[:20]: q for q in extract_quotes(_BOARD, "t")}
    assert quotes["OpenAI was deliberat"].speaker == "OpenAI board"
    assert quotes["The board remains fu"].speaker == "OpenAI board"
    assert quotes["it would begin a sea"].speaker == "OpenAI"


def test_a_quotation_whose_subject_is_the_board_is_the_boards():
    quotes = extract_quotes(_NESTED, "t")
    board = [q for q in quotes if "no longer has confidence" in q.text]
    assert [(q.kind, q.speaker, q.via) for q in board] == [("direct", "OpenAI board", "blog post")]


_SECTIONS = (
    "OpenAI announced in a tweet that the ChatGPT mobile app is now available on iOS in Europe.\n\n"
    "{heading}\n\n"
    "{body}\n"
)


def test_the_company_does_not_reach_back_across_a_live_blog_heading():
    other = _SECTIONS.format(
        heading="Opera GX integrates ChatGPT-powered AI",
        body="Powered by OpenAI’s ChatGPT, the AI browser Aria launched on Opera in May to give users an easier "
        "way to search. Today, the company announced it is bringing Aria to Opera GX, a version of its browser.",
    )
    quote = next(q for q in extract_quotes(other, "t") if q.text.startswith("it is bringing Aria"))
    assert quote.speaker != "OpenAI"
    same = _SECTIONS.format(  # the section names OpenAI itself: 'the company' is still OpenAI
        heading="OpenAI launches a ChatGPT app for iOS",
        body="ChatGPT is officially going mobile. The new ChatGPT app will be free to use, the company says, "
        "but will initially be limited to U.S. users at launch.",
    )
    quote = next(q for q in extract_quotes(same, "t") if q.text.startswith("The new ChatGPT app"))
    assert quote.speaker == "OpenAI"


def test_a_surname_used_before_a_relatives_full_name_is_not_the_relative():
    text = (
        "Fans spotted Travis Kelce in a suite at the game on Sunday.\n\n"
        "After the game the two left Arrowhead Stadium in Kelce’s convertible, according to photos posted online.\n\n"
        "During an episode of his podcast, he mocked his brother Jason Kelce for joking that he “100 per cent” "
        "believed the rumours.\n\n"
        "“It’s hilarious how much traction this has actually gotten,” Kelce said. “No one actually knows.”\n"
    )
    quote = next(q for q in extract_quotes(text, "t") if q.text.startswith("It’s hilarious"))
    assert quote.speaker == "Travis Kelce"
