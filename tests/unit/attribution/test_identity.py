"""Speaker identity across articles (one canonical name per person) and the quote index built on it."""

import pytest

from assistant import Assistant, Settings
from assistant.attribution.identity import group_names
from assistant.lexicon import fold_name as fold
from assistant.retrieval.filters import same_speaker

pytestmark = pytest.mark.unit


def test_variants_group_to_the_fullest_name():
    names = ["Assad", "al-Assad", "Bashar al-Assad", "Lister", "Charles Lister", "OpenAI"]
    got = group_names(names)
    assert got["Assad"] == got["al-Assad"] == "Bashar al-Assad"
    assert got["Lister"] == "Charles Lister" and got["OpenAI"] == "OpenAI"


def test_ambiguous_surname_stays_apart():
    got = group_names(["John Smith", "Jane Smith", "Smith"])
    assert got["Smith"] == "Smith" and got["John Smith"] == "John Smith"


def test_fold_and_filter_matching():
    assert fold("Libération") == "liberation" and fold("Dr. Ann Lee") == "ann lee"
    assert same_speaker("Assad", "Bashar al-Assad") and same_speaker("bashar al-assad", "Bashar al-Assad")
    assert not same_speaker("Lee", "Bashar al-Assad")


@pytest.mark.integration
def test_surname_only_article_joins_the_full_name(tmp_path):
    first = tmp_path / "one.md"
    first.write_text(
        '---\ntitle: One\noutlet: Wire A\n---\n"The talks failed," said Charles Lister, an analyst.', encoding="utf-8"
    )
    second = tmp_path / "two.md"
    second.write_text(
        '---\ntitle: Two\noutlet: Wire B\n---\n"Nothing has changed since the talks," Lister said.', encoding="utf-8"
    )
    bot = Assistant(Settings(data_dir=tmp_path / "store"))
    bot.ingest([first])
    bot.ingest([second])
    quotes = bot.quotes(speaker="Lister")
    assert {q.speaker for _, q in quotes} == {"Charles Lister"} and len(quotes) == 2
    (lister,) = [s for s in bot.speakers() if s.name == "Charles Lister"]
    assert lister.quotes == 2 and set(lister.outlets) == {"Wire A", "Wire B"} and "analyst" in lister.roles
    about = bot.quotes(about="talks failed")
    assert about and about[0][1].text.startswith("The talks failed")
    assert all("Lister" in c.speakers[0] for c in bot.retrieve("talks", speaker="Lister"))
