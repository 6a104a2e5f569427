"""Reading an attribution phrase by rules: speaker, role and medium, as the seed report and wire copy write them."""

from __future__ import annotations

import pytest

from assistant.attribution.mentions import (
    Mention,
    abbreviations,
    canonical_medium,
    classify,
    clean_name,
    extract_via,
    looks_like_name,
    parse_mention,
    split_title,
    split_top_level,
)
from assistant.attribution.quotes import attributed, extract_quotes

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        (  # the seed report's translated copy: name, role, then the medium as a bare outlet name
            "Karam Shaar, researcher at the American think tank New Lines Institute, Liberation",
            Mention("Karam Shaar", "person", "researcher at the American think tank New Lines Institute", "Libération"),
        ),
        (
            "On X, Caroline Rose, of the Newlines Institute",
            Mention("Caroline Rose", "person", "of the Newlines Institute", "X"),
        ),
        ("the OSDH in a press release", Mention("OSDH", "org", None, "press release")),
        ("Iranian Foreign Minister Abbas Araghchi", Mention("Abbas Araghchi", "person", "Iranian Foreign Minister")),
        ("Dr. Jane Goodall, founder of the institute", Mention("Jane Goodall", "person", "founder of the institute")),
        ("On Friday, Charles Lister", Mention("Charles Lister", "person")),  # a date is not a role
        ("Charles Lister, last week", Mention("Charles Lister", "person")),
        ("Karam Shaar, 30 November 2024", Mention("Karam Shaar", "person")),
        ("he told AFP", Mention("he", "anaphor", None, "AFP")),
        ("the specialist", Mention("the specialist", "anaphor")),
        ("Meanwhile, the ministry", Mention("the ministry", "anaphor")),
    ],
)
def test_parse_mention_reads_speaker_role_and_medium(phrase, expected):
    assert parse_mention(phrase) == expected


@pytest.mark.parametrize(
    "phrase",
    [
        "“a lot” of people",  # quoted words, not an attribution
        "a very long phrase that goes on and on and on about many things without ever naming anyone at all here",
        "",
    ],
)
def test_parse_mention_declines_what_is_not_a_speaker(phrase):
    assert parse_mention(phrase) is None


@pytest.mark.parametrize(
    ("segment", "expected"),
    [
        ("the OSDH in a press release", ("the OSDH", "press release")),
        ("Charles Lister on X", ("Charles Lister", "X")),
        ("told the Orient-The Day", ("", "L'Orient-Le Jour")),
        ("Liberation", ("", "Libération")),
        ("posting on Truth Social", ("", "Truth Social")),
        ("in a statement released Monday", ("", "statement")),
        ("AP", ("AP", None)),  # alone, 'AP' is more often a name than the agency
    ],
)
def test_extract_via_separates_the_medium(segment, expected):
    assert extract_via(segment) == expected


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("Liberation", "Libération"),
        ("The Orient-The Day", "L'Orient-Le Jour"),
        ("the associated press", "AP"),
        ("Reuters.", "Reuters"),
        ("Some Blog", "Some Blog"),  # unknown media are kept as written
    ],
)
def test_canonical_medium(raw, canonical):
    assert canonical_medium(raw) == canonical


def test_split_title_takes_the_last_title_word():
    assert split_title("Iranian Foreign Minister Abbas Araghchi") == ("Iranian Foreign Minister", "Abbas Araghchi")
    assert split_title("then-GM Bob Myers") == ("then-GM", "Bob Myers")
    assert split_title("Charles Lister") == (None, "Charles Lister")


def test_classify_person_needs_two_name_tokens_and_no_organisation_word():
    assert classify("Charles Lister") == "person"
    assert classify("Lister") == "org"  # one token: resolved later against the article's people
    assert classify("New Lines Institute") == "org"
    assert classify("Syrian Observatory for Human Rights") == "org"


def test_clean_name_strips_articles_honorifics_and_keeps_the_abbreviation():
    assert clean_name("the Syrian Observatory for Human Rights (OSDH)") == (
        "Syrian Observatory for Human Rights",
        "OSDH",
    )
    assert clean_name("Dr. Jane Goodall") == ("Jane Goodall", None)
    assert clean_name("Mr Smith,") == ("Smith", None)


def test_split_top_level_ignores_commas_inside_quotes_and_parentheses():
    parts = split_top_level("Karam Shaar, researcher (at NLI, DC), “quote, here”, AFP")
    assert parts == ["Karam Shaar", "researcher (at NLI, DC)", "“quote, here”", "AFP"]


def test_looks_like_name_allows_particles_and_refuses_descriptions():
    assert looks_like_name("Bashar al-Assad")
    assert looks_like_name("Hayat Tahrir al-Sham (HTS)")
    assert looks_like_name("Ministry of Defence")
    assert not looks_like_name("the minister")


def test_abbreviations_map_to_the_name_they_follow():
    text = "The Syrian Observatory for Human Rights (OSDH) said. Hayat Tahrir al-Sham (HTS) took it."
    assert abbreviations(text) == {"OSDH": "Syrian Observatory for Human Rights", "HTS": "Hayat Tahrir al-Sham"}


@pytest.mark.parametrize(
    ("phrase", "name", "role"),
    [
        ("Promoter Eddie Hearn", "Eddie Hearn", "Promoter"),
        ("Astrophotographer Josh Dury", "Josh Dury", "Astrophotographer"),
        ("Senators Brian Schatz", "Brian Schatz", "Senators"),
        ("Sportsnet's Elliotte Friedman", "Elliotte Friedman", "Sportsnet"),
        ("U.K.-based Keira Megan", "Keira Megan", None),
        ("Christian Ruiz Lopez", "Christian Ruiz Lopez", None),
    ],
)
def test_a_description_before_a_full_name_is_no_part_of_it(phrase, name, role):
    mention = parse_mention(phrase)
    assert mention is not None and (mention.name, mention.role) == (name, role)


def test_quotes_credit_the_name_without_its_description():
    text = '"The aurora is bright," said Astrophotographer Josh Dury. "It works," Dury said.'
    assert {q.speaker for q in attributed(extract_quotes(text))} == {"Josh Dury"}
    text = '"Every fight man knows," Promoter Eddie Hearn said.'
    assert [q.speaker for q in attributed(extract_quotes(text))] == ["Eddie Hearn"]
