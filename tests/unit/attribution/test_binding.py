"""Speaker binding: a shared surname, a given name alone and an owner before a name point at the right person."""

from __future__ import annotations

import pytest

from assistant.attribution.coref import Inventory

pytestmark = pytest.mark.unit


def test_a_shared_surname_is_the_person_the_article_names_most():
    text = (
        "Her father, Jamie Spears, ran the conservatorship. Britney Spears wrote a memoir. Britney Spears recalls "
        "her youth, and Britney sings. In court, Spears alleged that she had been forced to work."
    )
    inv = Inventory(text)
    inv.persons = ["Jamie Spears", "Britney Spears"]
    assert inv.canonical("Spears") == "Britney Spears"


def test_a_surname_is_not_given_to_a_brother_called_by_his_given_name():
    text = (
        "Travis Kelce spoke on New Heights with Jason and Travis Kelce. Jason asked. Jason added. Jason said. "
        "“It is fun,” Kelce replied. The Taylor Swift and Travis Kelce news spread."
    )
    inv = Inventory(text)
    inv.persons = ["Travis Kelce", "Jason Kelce"]
    assert inv.canonical("Kelce") == "Travis Kelce"


def test_a_lone_surname_held_as_a_name_does_not_outvote_the_full_name():
    text = "JP Morgan and its analyst Christopher Brown wrote. Brown added more. Concluded Brown: “It is up to them.”"
    inv = Inventory(text)
    inv.persons = ["Brown", "Christopher Brown"]
    assert inv.canonical("Brown") == "Christopher Brown"


def test_an_owners_apostrophe_is_no_part_of_a_name():
    inv = Inventory("Here is everything about Britney Spears’ relationships.")
    assert inv._add_person("Britney Spears’") == "Britney Spears"


def _salient(text: str, persons: list[str]) -> str | None:
    inv = Inventory(text)
    inv.persons = persons
    inv._sentence_openers()
    found = inv.salient(len(text), pronoun="she")
    return found[1] if found else None


def test_a_given_name_alone_keeps_the_person_salient_for_a_pronoun():
    text = (
        "Britney Spears wrote a memoir. One night Lynne Spears screams at her.\n\n"
        "As the rules get tighter, Britney acts out and ends up without freedom.\n\nShe writes"
    )
    assert _salient(text, ["Britney Spears", "Lynne Spears"]) == "Britney Spears"


def test_a_name_owned_by_a_show_after_a_preposition_is_not_a_subject():
    text = (
        "Jada Pinkett Smith spoke about her marriage.\n\nJada repeated that belief in an interview with Today’s "
        "Hoda Kotb, which aired on Friday.\n\nShe said"
    )
    assert _salient(text, ["Jada Pinkett Smith", "Hoda Kotb"]) == "Jada Pinkett Smith"


def test_a_given_name_called_out_inside_a_quotation_is_not_a_subject():
    text = (
        "Jada Pinkett Smith spoke with Hoda Kotb for Today.\n\n"
        "“It is a partnership,” Jada explained. “Now, ten years from now, Hoda, who knows?”\n\nShe said"
    )
    assert _salient(text, ["Jada Pinkett Smith", "Hoda Kotb"]) == "Jada Pinkett Smith"


def test_a_person_named_in_a_side_clause_is_not_who_he_refers_to():
    from assistant.attribution.coref import _subordinate
    from assistant.text.nlp import parse_spans, pos

    text = "In 2011, Cain won sole custody, which he kept until Christopher became an adult."
    doc = next(iter(parse_spans(text, [(0, len(text))]))).doc
    subjects = {t.text: _subordinate(t) for t in doc if t.dep_ == "nsubj" and pos(t) == "PROPN"}
    assert subjects == {"Cain": False, "Christopher": True}


def test_a_given_name_the_tagger_called_a_body_is_still_the_persons_when_pronouns_follow():
    text = "Jada Pinkett Smith wrote a memoir. Jada said she was happy. She smiled, and she laughed."
    inv = Inventory(text)
    inv.persons = ["Jada Pinkett Smith"]
    inv.org_names = {"jada": 2}
    inv._given_names_tagged_as_bodies()
    assert inv.given_names == {"Jada"}
    product = Inventory("Beeper Mini launched. Beeper said it works. It is fast, and it is cheap.")
    product.persons = ["Beeper Mini"]
    product.org_names = {"beeper": 3}
    product._given_names_tagged_as_bodies()
    assert product.given_names == set()
