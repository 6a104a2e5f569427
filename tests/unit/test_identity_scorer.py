"""The identity scorer maps a gold mention to the quote it introduces (pure function, no corpus)."""

from __future__ import annotations

import pytest

from assistant.evals.identity import quote_for
from assistant.models import Article, Quote

pytestmark = pytest.mark.unit


def test_an_unnamed_mention_introduces_the_words_of_its_own_sentence():
    text = "Eric Migicovsky said: “We built it for everyone.”\n\nThe company also said that the app would stay free."
    article = Article(id="a", text=text)
    opens, said = text.index("We built"), text.index("the app")

    def quote(qid: str, start: int, end: int, speaker: str) -> Quote:
        return Quote(id=qid, article_id="a", text=text[start:end], start=start, end=end, speaker=speaker)

    quotes = (quote("q1", opens, text.index("”"), "Eric Migicovsky"), quote("q2", said, len(text) - 1, "Beeper"))
    article = article.model_copy(update={"quotes": quotes})
    mention = text.index("The company")
    row = {"start": mention, "end": mention + len("The company"), "mention": "The company"}
    assert quote_for(row, article).speaker == "Beeper"
