"""Issue 16, cause 1: a capitalised occupation or reporting verb that opens a sentence is not a first name."""

from __future__ import annotations

import re

import pytest

from assistant.attribution.coref import Inventory, _person_of
from assistant.attribution.identity import SpeakerRegistry
from assistant.attribution.mentions import split_title
from assistant.attribution.quotes import attributed, extract_quotes
from assistant.attribution.roles import stated_roles
from assistant.models import Article, Quote

pytestmark = pytest.mark.unit


def _speakers(text: str) -> list[str | None]:
    return [q.speaker for q in attributed(extract_quotes(text, "t"))]


def test_an_occupation_opening_the_only_full_mention_is_left_out_of_the_name():
    text = (
        "Radiologist Bhavik Patel, M.D., has been named chief officer for the clinic.\n\n"
        'In an interview, Patel described AI as a "transformative force that can change health care."\n'
    )
    assert _speakers(text) == ["Bhavik Patel"]


def test_a_reporting_verb_opening_the_sentence_is_not_a_given_name():
    text = (
        "Analysts watched the fund. Christopher Brown wrote a note.\n\n"
        'Concluded Brown: "It is up to the board to satisfy itself that the valuer is up to the job."\n'
    )
    assert _speakers(text) == ["Christopher Brown"]


def test_the_opener_stays_when_the_text_writes_it_mid_sentence_too():
    inv = Inventory("Radiologist Ann Lee spoke. Later, the team met Radiologist Ann Lee again.")
    assert inv.without_opener("Radiologist Ann Lee") == "Radiologist Ann Lee"


def test_a_given_name_that_ends_like_an_occupation_stays():
    inv = Inventory("Peter Hunter Smith spoke first.")
    assert inv.without_opener("Peter Hunter Smith") == "Peter Hunter Smith"
    assert Inventory("Hunter Biden spoke.").without_opener("Hunter Biden") == "Hunter Biden"


def test_an_occupation_before_the_given_name_ends_the_full_name():
    inv = Inventory("Pastor Jesse Bradley runs a church.\n\nSaid Bradley, “Reject and replace.”")
    assert inv._expand("Bradley") == "Jesse Bradley"


def test_an_abbreviated_title_before_the_given_name_is_left_out():
    assert Inventory("It is damning, as AG Rob Bonta of California put it.")._expand("Bonta") == "Rob Bonta"


def test_a_capitalised_function_word_inside_a_sentence_can_be_a_given_name():
    inv = Inventory("One gram “can cover a football field,” notes Per Persson. Persson suspects it.")
    assert inv._expand("Persson") == "Per Persson"
    assert Inventory("Per Persson spoke. Persson agreed.")._expand("Persson") is None  # 'Per' opens a sentence


def test_a_hyphenated_title_is_a_title():
    assert split_title("Secretary-General Hans Ellegren") == ("Secretary-General", "Hans Ellegren")


def test_a_person_tagged_with_their_organisation_is_a_person():
    assert _person_of("Louis Brus of Columbia University") == ("Louis Brus", "Columbia University")
    assert _person_of("Louis Brus of") == ("Louis Brus", None)
    assert _person_of("Swedish Academy of Sciences") is None
    assert _person_of("Bank of America") is None


def _tagged(text: str, persons: set[str]) -> Inventory:
    inv = Inventory(text)
    inv.person_tagged.update(p.casefold() for p in persons)
    return inv


def test_a_lone_given_name_is_the_person_the_text_names_in_full():
    text = "Mikaela is the second child of Eileen and Jeff Shiffrin. This is the essence of Mikaela Shiffrin."
    inv = _tagged(text, {"Mikaela", "Eileen"})
    assert inv.canonical("Mikaela") == "Mikaela Shiffrin"
    assert inv.canonical("Eileen") == "Eileen Shiffrin"


def test_a_company_short_name_is_not_a_given_name():
    inv = _tagged("Amot Investments has offices. Amot raises concerns about the war.", set())
    assert inv.canonical("Amot") == "Amot"


def test_a_photo_caption_is_not_who_he_refers_to():
    text = (
        "Samu Kerevi spoke after training.\n\nEddie Jones with fans during a training session. (Getty)\n\nHe went on."
    )
    inv = Inventory(text)
    inv.subjects = [(0, "Samu Kerevi", "person"), (text.index("Eddie"), "Eddie Jones", "person")]
    assert inv.salient(len(text), pronoun="he") == (0, "Samu Kerevi")


def test_a_name_modifying_a_noun_is_no_subject():
    text = "Kerevi is an unabashed Jones fan. Jones works hard."
    inv = Inventory(text)
    first, second = list(re.finditer("Jones", text))
    assert not inv._subject_at(first)
    assert inv._subject_at(second)


def _quoted(id_: str, speaker: str, role: str | None, text: str) -> Article:
    quote = Quote(id=f"{id_}:q0", article_id=id_, text="We ship.", start=0, end=8, speaker=speaker, speaker_role=role)
    return Article(id=id_, title=id_, text=text, source_path=id_, quotes=[quote])


def test_a_given_name_with_a_shared_role_does_not_join_another_article_s_full_name():
    twitch = _quoted("a1", "Dan Clancy", "CEO", "We ship, said Twitch CEO Dan Clancy.")
    convoy = _quoted("a2", "Dan", "CEO", "Convoy CEO Dan Lewis wrote a memo. We ship, Dan said.")
    registry = SpeakerRegistry.from_articles([twitch, convoy])
    assert registry.canonical("Dan", "a2") != "Dan Clancy"


def test_a_lone_body_word_is_not_one_identity_across_articles():
    one = _quoted("a1", "Alliance", None, "IBM and Meta formed the AI Alliance. The Alliance said it.")
    two = _quoted("a2", "Alliance", None, "Alliance, the web3 accelerator, said it.")
    three = _quoted("a3", "Alliance", None, "The Peace Alliance and the Trade Alliance met. Alliance said it.")
    registry = SpeakerRegistry.from_articles([one, two, three])
    speakers = [registry.speaker_of("Alliance", a) for a in ("a1", "a2", "a3")]
    assert len({id(s) for s in speakers}) == 3
    assert registry.speaker_of("Alliance", "a3").kind == "org"


def test_a_lone_body_word_joins_the_one_full_name_its_article_gives():
    one = _quoted("a1", "Commission", None, "The European Commission fined Meta. The Commission said so.")
    two = _quoted("a2", "European Commission", None, "The European Commission said it.")
    registry = SpeakerRegistry.from_articles([one, two])
    assert registry.speaker_of("Commission", "a1") is registry.speaker_of("European Commission", "a2")


def test_an_appointment_states_the_role_and_a_degree_is_no_role():
    text = "Radiologist Bhavik Patel, M.D., has been named chief AI officer for Mayo Clinic Arizona. Patel spoke."
    assert stated_roles(text, ["Bhavik Patel"]) == {"Bhavik Patel": "chief AI officer for Mayo Clinic Arizona"}


def test_he_is_a_opening_the_next_sentence_states_the_role():
    text = "“It can cover a football field,” notes Per Persson. He’s a materials scientist at Linköping University."
    assert stated_roles(text, ["Per Persson"]) == {"Per Persson": "materials scientist at Linköping University"}


def test_a_described_apposition_after_the_surname_states_the_role_but_not_a_former_post():
    text = "Louis Brus won. Brus, a professor emeritus at Columbia, said so."
    assert stated_roles(text, ["Louis Brus"]) == {"Louis Brus": "professor emeritus at Columbia"}
    assert stated_roles("Jon Smith won. Smith, a former quarterback for the Beavers, said so.", ["Jon Smith"]) == {}


def test_an_apposition_after_a_name_governed_by_a_preposition_describes_someone_else():
    text = "Enter Google. His counterpart at Google, an engineer named Matt Cutts, ran the team."
    assert stated_roles(text, ["Enter Google"]) == {}


def test_a_description_set_off_before_the_name_is_the_role_but_a_body_is_not():
    text = '"He was ill," said his mother, Jessica Goeller, in an interview with Fox News Digital.'
    assert stated_roles(text, ["Jessica Goeller"]) == {"Jessica Goeller": "mother"}
    assert stated_roles("As a guest of the team, Joe Gibbs was seen there.", ["Joe Gibbs"]) == {}
    assert stated_roles("Asked about it, Jessica Goeller said no.", ["Jessica Goeller"]) == {}


def test_a_word_opening_a_headline_before_a_full_name_written_alone_elsewhere_is_no_given_name():
    text = (
        "Sam Altman was fired by the board on Friday.\n\n"
        "Confirmation Sam Altman will not return as OpenAI’s CEO\n\n"
        "Investors tried to bring him back.\n"
    )
    assert Inventory(text).without_opener("Confirmation Sam Altman") == "Sam Altman"
    assert Inventory("Confirmation Sam Altman will not return.").without_opener("Confirmation Sam Altman") == (
        "Confirmation Sam Altman"  # nothing shows that 'Sam Altman' is the name
    )
