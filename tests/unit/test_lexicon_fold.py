"""`fold` was made faster (2026-12-01: str.translate and str.split instead of three regex passes, long texts
cached, since whole articles are folded many times per question). It must fold exactly as before."""

import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.lexicon import _FOLD_CACHED_FROM, fold

pytestmark = pytest.mark.unit


def ref_fold(text: str) -> str:
    """The code before the speed-up, verbatim."""
    text = re.sub(r"[’‘]", "'", text)
    text = re.sub(r"[“”]", '"', text)
    return re.sub(r"\s+", " ", text).casefold().strip()


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_any_text_folds_as_before(text):
    assert fold(text) == ref_fold(text)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [" ", "\n", "\t", "\u00a0", "\u2003", "\x1c", "’", "‘", "“", "”", "ß", "İ", "A"]
            + ["Word", "don’t", "“Quote”"]
        ),
        max_size=120,
    ).map("".join)
)
def test_spaces_quotes_and_case_fold_as_before(text):
    assert fold(text) == ref_fold(text)


def test_every_whitespace_character_collapses_as_before():
    spaces = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if re.match(r"\s", c))
    text = f"{spaces}a{spaces}B’s “c”{spaces}"
    assert fold(text) == ref_fold(text) == 'a b\'s "c"'


def test_long_texts_are_cached_and_still_right(seed_text):
    assert len(seed_text) >= _FOLD_CACHED_FROM
    assert fold(seed_text) == ref_fold(seed_text)
    assert fold(seed_text) is fold(seed_text)  # the second fold is the cached one
