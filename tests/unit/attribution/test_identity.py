"""Speaker identity across articles (one canonical name per person) and the quote index built on it."""

import pytest

from assistant import Assistant, Settings
from assistant.attribution.identity import SpeakerRegistry, group_names, org_like
from assistant.lexicon import fold_name as fold
from assistant.models import Article, Quote
from assistant.retrieval.filters import same_speaker

pytestmark = pytest.mark.unit


def test_plain_names_group_only_when_they_fold_alike():
    got = group_names(["Assad", "al-Assad", "Bashar al-Assad", "Bashar Assad", "OpenAI", "Azure OpenAI"])
    assert got["Assad"] == got["al-Assad"] and got["Bashar al-Assad"] == got["Bashar Assad"]
    assert got["Assad"] != got["Bashar al-Assad"]  # no article says they are one person
    assert got["OpenAI"] == "OpenAI" and got["Azure OpenAI"] == "Azure OpenAI"


def test_ambiguous_surname_stays_apart():
    got = group_names(["John Smith", "Jane Smith", "Smith"])
    assert got["Smith"] == "Smith" and got["John Smith"] == "John Smith"


def _article(aid: str, text: str, *quotes: tuple[str, str | None], outlet: str = "Wire", day: int = 1) -> Article:
    return Article(
        id=aid,
        text=text,
        outlet=outlet,
        published=f"2023-11-{day:02d}",
        quotes=tuple(
            Quote(id=f"{aid}:q{i}", article_id=aid, text="x", start=0, end=1, speaker=s, speaker_role=r)
            for i, (s, r) in enumerate(quotes)
        ),
    )


def test_a_company_never_joins_its_product_or_its_board():
    registry = SpeakerRegistry.from_articles(
        [
            _article("a1", "Azure OpenAI said …", ("Azure OpenAI", None)),
            _article("a2", "OpenAI said …", ("OpenAI", "ChatGPT maker"), ("OpenAI board", None)),
            _article("a3", "OpenAI wrote …", ("OpenAI", None), day=3),
        ]
    )
    assert registry.canonical("OpenAI", "a2") == "OpenAI" and registry.canonical("Azure OpenAI", "a1") == "Azure OpenAI"
    (openai,) = registry.find("OpenAI")
    assert openai.quotes == 2 and openai.articles == {"a2", "a3"} and str(openai.first) == "2023-11-01"
    assert str(openai.last) == "2023-11-03" and openai.kind == "org" and openai.role == "ChatGPT maker"
    assert org_like("OpenAI") and org_like("FTX") and not org_like("Mike McCue") and not org_like("Bryson DeChambeau")


def test_a_lone_surname_joins_only_on_evidence():
    registry = SpeakerRegistry.from_articles(
        [
            _article("a1", "Fed chair Jerome Powell said …", ("Jerome Powell", "Fed chair")),
            _article("a2", "As Jerome Powell put it, … Powell said …", ("Powell", None)),  # the text names him
            _article("a3", "Powell, the Fed chair, said …", ("Powell", "Fed chair")),  # the same role
            _article("a4", "Mike Powell, a farmer, said … Powell added …", ("Powell", None)),  # another Powell
            _article("a5", "Will Smith said …", ("Will Smith", "actor")),
            _article("a6", "Jonathan Smith said … Smith added", ("Smith", "coach")),
        ]
    )
    jerome = registry.speaker_of("Jerome Powell")
    assert registry.speaker_of("Powell", "a2") is jerome and registry.speaker_of("Powell", "a3") is jerome
    assert registry.speaker_of("Powell", "a4") is not jerome and registry.canonical("Smith", "a6") == "Smith"
    assert {s.name for s in registry.find("Powell")} == {"Jerome Powell", "Powell"}


def test_an_unnamed_spokesperson_is_not_the_company():
    registry = SpeakerRegistry.from_articles(
        [
            _article("a1", "Google said …", ("Google", None)),
            _article("a2", "A Google spokesperson said …", ("Google", "spokesperson")),
            _article("a3", "Google announced …", ("Google", None)),
        ]
    )
    quote = Quote(id="a2:q0", article_id="a2", text="x", start=0, end=1, speaker="Google", speaker_role="spokesperson")
    assert registry.of_quote(quote, "a2").name == "Google spokesperson"
    assert registry.speaker_of("Google", "a1").quotes == 2


def test_unnamed_sources_and_groups_stay_in_their_article():
    """Found by the hand check of 50 canonical speakers: 'A source' pooled eight unrelated stories, and
    'EU' took in EU artists, EU lawmakers and EU officials."""
    registry = SpeakerRegistry.from_articles(
        [
            _article("a1", "A source said …", ("A source", None)),
            _article("a2", "A source told CNBC …", ("A source", None)),
            _article("a3", "EU officials confirmed …", ("EU", "officials")),
            _article("a4", "EU lawmakers warned …", ("EU", "lawmakers")),
            _article("a5", "The EU said …", ("EU", None)),
            _article("a6", "The EU added …", ("EU", None)),
        ]
    )
    assert registry.speaker_of("A source", "a1") is not registry.speaker_of("A source", "a2")
    officials = Quote(id="a3:q0", article_id="a3", text="x", start=0, end=1, speaker="EU", speaker_role="officials")
    assert registry.of_quote(officials, "a3").name == "EU officials"
    assert registry.speaker_of("EU", "a5") is registry.speaker_of("EU", "a6")
    assert registry.speaker_of("EU", "a5").quotes == 2


def test_fold_and_filter_matching():
    assert fold("Libération") == "liberation" and fold("Dr. Ann Lee") == "ann lee"
    assert same_speaker("Assad", "Bashar al-Assad") and same_speaker("bashar al-assad", "Bashar al-Assad")
    assert not same_speaker("Lee", "Bashar al-Assad")


@pytest.mark.integration
def test_quotes_and_speakers_use_identities_across_articles(tmp_path):
    texts = {
        "one.md": "---\ntitle: One\noutlet: Wire A\npublished: 2023-10-02\n---\n"
        '"The talks failed," said Charles Lister, an analyst at the Middle East Institute.',
        "two.md": "---\ntitle: Two\noutlet: Wire B\npublished: 2023-10-05\n---\n"
        '"Nothing has changed since the talks," said Lister, an analyst at the institute.',
        "three.md": "---\ntitle: Three\noutlet: Wire C\npublished: 2023-10-07\n---\n"
        '"I grow wheat," said Lister, a farmer from Kansas.',
    }
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    bot = Assistant(Settings(data_dir=tmp_path / "store"))
    bot.ingest([tmp_path / "one.md"])
    bot.ingest([tmp_path / "two.md", tmp_path / "three.md"])
    quotes = bot.quotes(speaker="Charles Lister")
    assert {q.speaker for _, q in quotes} == {"Charles Lister"} and len(quotes) == 2  # the farmer is not him
    assert len(bot.quotes(speaker="Lister")) == 3  # a user's surname means every Lister
    (lister,) = bot.speakers("Charles Lister")
    assert lister.quotes == 2 and set(lister.outlets) == {"Wire A", "Wire B"} and "analyst" in lister.role
    assert (str(lister.first), str(lister.last)) == ("2023-10-02", "2023-10-05")
    row = lister.as_dict()
    assert row["id"] == "person:charles lister" and row["outlets"] == ["Wire A", "Wire B"] and row["articles"] == 2
    about = bot.quotes(about="talks failed")
    assert about and about[0][1].text.startswith("The talks failed")
    assert all("Lister" in c.speakers[0] for c in bot.retrieve("talks", speaker="Lister"))


# -- look-alikes, fragments and roles (issue 16 item 5) ---------------------------------------------------------------
def test_an_org_and_its_board_unit_or_product_are_separate_identities():
    registry = SpeakerRegistry.from_articles(
        [
            _article("a1", "OpenAI said …", ("OpenAI", None)),
            _article("a2", "The board wrote …", ("OpenAI board", None)),
            _article("a3", "Meta said … Meta AI answered …", ("Meta", None), ("Meta AI", None)),
            _article("a4", "Google DeepMind said … Google said …", ("Google DeepMind", None), ("Google", None)),
            _article("a5", "Azure OpenAI said …", ("Azure OpenAI", None)),
        ]
    )
    ids = {
        n: registry.speaker_of(n, a).id
        for n, a in [
            ("OpenAI", "a1"),
            ("OpenAI board", "a2"),
            ("Meta", "a3"),
            ("Meta AI", "a3"),
            ("Google", "a4"),
            ("Google DeepMind", "a4"),
            ("Azure OpenAI", "a5"),
        ]
    }
    assert len(set(ids.values())) == len(ids)


def test_a_lone_given_name_is_not_one_person_across_articles():
    registry = SpeakerRegistry.from_articles(
        [
            _article("a1", "Jason Kelce said … Jason added …", ("Jason Kelce", None), ("Jason", None)),
            _article("a2", "Jason Blum said … Jason added …", ("Jason Blum", "producer"), ("Jason", None)),
            _article("a3", "Jason said …", ("Jason", None), day=3),
        ]
    )
    first, second = registry.speaker_of("Jason", "a1"), registry.speaker_of("Jason", "a2")
    assert first is not second and registry.speaker_of("Jason", "a3") not in (first, second)
    assert first is registry.speaker_of("Jason Kelce") and second is registry.speaker_of("Jason Blum")
    ids = [s.id for s in registry.speakers()]
    assert len(ids) == len(set(ids)) == 3  # 'Jason' of a3 is its own identity, with an id of its own


def test_sentence_openers_glued_to_a_name_go():
    registry = SpeakerRegistry.from_articles(
        [
            _article(
                "a1", "Confirmation Sam Altman will not return … his confirmation …", ("Confirmation Sam Altman", None)
            ),
            _article("a2", "Sam Altman said …", ("Sam Altman", "OpenAI CEO")),
            _article("a3", "Neither Apple nor Google replied … Apple said …", ("Neither Apple", None)),
            _article("a4", "Apple said …", ("Apple", None)),
            _article("a5", "Witness Adam Yedidia testified … the next witness …", ("Witness Adam Yedidia", None)),
            _article("a6", "Adam Yedidia said …", ("Adam Yedidia", None)),
            _article("a7", "First, Epic announced … Epic said …", ("Didn’t Epic", None), ("Epic", None)),
        ]
    )
    assert registry.speaker_of("Didn’t Epic", "a7") is registry.speaker_of("Epic", "a7")
    assert registry.speaker_of("Confirmation Sam Altman", "a1") is registry.speaker_of("Sam Altman", "a2")
    assert registry.speaker_of("Neither Apple", "a3") is registry.speaker_of("Apple", "a4")
    assert registry.speaker_of("Witness Adam Yedidia", "a5").name == "Adam Yedidia"


def test_fragments_are_never_canonical_speakers():
    text = "Among the things he wants … Research in monkeys has suggested that … more research … AI promises …"
    registry = SpeakerRegistry.from_articles(
        [
            _article("a1", text, ("Among the", None), ("Research", None), ("AI", None), ("Here", None)),
            _article("a2", "Shoppers wait … and Target said … The target is …", ("Target", None)),
            _article("a3", "Last week, The Roar revealed … the roar of the crowd …", ("Roar", None)),
            _article("a4", "Bashar al-Assad said …", ("al-Assad", None), ("Information, Altman", None)),
        ]
    )
    assert {s.name for s in registry.speakers()} == {"Target", "Roar", "al-Assad"}
    assert registry.speaker_of("Among the", "a1") is None and registry.speaker_of("AI", "a1") is None


def test_fragments_are_never_a_speakers_role():
    registry = SpeakerRegistry.from_articles(
        [
            _article("a1", "Azure OpenAI said …", ("Azure OpenAI", "month prior")),
            _article("a2", "Jon Morosi said …", ("Jon Morosi", "Hours after MLB Network’s")),
            _article("a3", "Jon Morosi said …", ("Jon Morosi", "MLB Network insider")),
        ]
    )
    assert registry.speaker_of("Azure OpenAI", "a1").role is None
    assert list(registry.speaker_of("Jon Morosi", "a2").roles) == ["MLB Network insider"]


def test_an_acronym_is_what_its_article_spells_out_never_another_articles_body():
    """Found on the fresh identity set: 'DPA' joined Italy's data protection authority and Norway's."""
    from assistant.attribution.identity import SpeakerRegistry
    from assistant.models import Article, Quote

    def article(aid: str, text: str, speaker: str) -> Article:
        start = text.index("“") + 1
        end = text.index("”")
        quote = Quote(id=f"{aid}:q0", article_id=aid, text=text[start:end], start=start, end=end, speaker=speaker)
        return Article(id=aid, text=text, quotes=(quote,))

    italy = article(
        "it", "The Italian Data Protection Authority (DPA) acted. “We will fine the company,” the DPA said.", "DPA"
    )
    norway = article("no", "Norway's Digital Privacy Agency (DPA) acted too. “The ban stands,” the DPA said.", "DPA")
    registry = SpeakerRegistry.from_articles([italy, norway])
    a, b = registry.speaker_of("DPA", "it"), registry.speaker_of("DPA", "no")
    assert a is not None and b is not None and a is not b
