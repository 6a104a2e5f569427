"""Reading isolates failure: every file and every JSONL line is its own unit, and whatever one holds (a lone
surrogate, a 5,000-digit number, deep nesting, bytes that are not UTF-8) becomes one problem line naming the
file, the line and the reason, never an exception (issue 12)."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.ingest.loaders import SUPPORTED, iter_file
from assistant.models import Article

pytestmark = pytest.mark.unit
GOOD = {"title": "Ferries resume", "source": "Harbour Post", "published_at": "2024-03-01", "body": "Ferries resumed."}


def jsonl_with_bad_lines() -> bytes:
    lines = [
        json.dumps(GOOD).encode(),
        b'{"title": "x", "source": "Wire", "body": "Lone \\ud800 surrogate."}',
        b'{"title": "x", "body": "Big number.", "n": ' + b"9" * 5000 + b"}",
        b'{"title": "x", "body": "Deep.", "nested": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        b'{"title": "x", "body": "caf\xe9 latin-1"}',
        b'["not", "an", "object"]',
        b'{"title": {"a": 1}, "body": "A title that is an object."}',
        json.dumps(GOOD | {"body": "Ferries resumed again."}).encode(),
    ]
    return b"\n".join(lines) + b"\n"


def test_each_bad_jsonl_line_is_its_own_problem_and_the_good_lines_are_read(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(jsonl_with_bad_lines())
    items = list(iter_file(path, 10_000_000))
    articles = [i for i in items if isinstance(i, Article)]
    problems = [i for i in items if isinstance(i, str)]
    assert [a.text for a in articles] == ["Ferries resumed.", "Ferries resumed again."]
    assert [p.split(": skipped, ")[0] for p in problems] == [f"{path}:{n}" for n in range(2, 8)]
    reasons = " | ".join(problems)
    for words in ("invalid character (U+D800", "over 4,300 digits", "nested too deeply", "UTF-8", "not a JSON object"):
        assert words in reasons
    assert "'title' is a dict" in reasons


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("deep.json", b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        ("big.json", b'{"body": "x", "n": ' + b"1" * 5000 + b"}", "4,300 digits"),
        ("surrogate.json", b'{"body": "\\udc00 text"}', "invalid character"),
        ("nul.md", b"---\ntitle: T\n---\nA NUL \x00 inside", "binary"),
    ],
)
def test_a_bad_whole_file_is_one_problem_not_an_exception(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    (problem,) = list(iter_file(path, 10_000_000))
    assert isinstance(problem, str) and problem.startswith(str(path)) and reason in problem


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(["body", "title", "source", "x"]), inner)
    ),
    max_leaves=20,
)
CONTENT = st.one_of(
    st.binary(max_size=400),
    JSON.map(lambda v: json.dumps(v).encode()),
    st.lists(JSON.map(json.dumps), max_size=5).map(lambda lines: "\n".join(lines).encode()),
    st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.sampled_from([b'{"body": "\\ud800"}', b"[" * 50_000, b'{"body": "x", "n": ' + b"7" * 5000 + b"}"]),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(suffix=st.sampled_from(sorted(SUPPORTED)), data=CONTENT)
def test_reading_never_raises_whatever_the_bytes(tmp_path_factory, suffix, data):
    path = tmp_path_factory.mktemp("any") / f"input{suffix}"
    path.write_bytes(data)
    for item in iter_file(path, 100_000):
        assert isinstance(item, Article) or (isinstance(item, str) and item.startswith(str(path)))
        if isinstance(item, Article):
            item.text.encode("utf-8")  # whatever is read can be stored
