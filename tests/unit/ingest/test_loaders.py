import json
from pathlib import Path

import pytest
from conftest import MULTIHOP, SEED_FILE

from assistant.errors import IngestError
from assistant.ingest.loaders import load_file, parse_date, split_front_matter

pytestmark = pytest.mark.unit
LIMIT = 1_000_000


def test_seed_front_matter_keeps_outlet_unknown():
    (article,) = load_file(SEED_FILE, LIMIT).articles
    assert article.outlet is None  # the report does not name its publisher
    assert str(article.published) == "2024-11-30"
    assert article.language == "en"
    assert article.text.startswith("The HTS Islamists")


def test_article_id_is_stable_and_content_based(tmp_path):
    a = tmp_path / "a.md"
    a.write_text("---\ntitle: T\noutlet: O\n---\nBody text.", encoding="utf-8")
    first = load_file(a, LIMIT).articles[0].id
    assert load_file(a, LIMIT).articles[0].id == first
    a.write_text("---\ntitle: T\noutlet: O\n---\nOther body.", encoding="utf-8")
    assert load_file(a, LIMIT).articles[0].id != first


def test_plain_text_offsets_are_the_files_text(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("  Leading spaces kept.\n", encoding="utf-8")
    assert load_file(path, LIMIT).articles[0].text == "  Leading spaces kept.\n"


def test_jsonl_skips_bad_lines_with_numbers(tmp_path):
    path = tmp_path / "c.jsonl"
    good = {
        "title": "T",
        "source": "Outlet",
        "published_at": "2023-11-27 08:45:59.000000000Z",
        "url": "u",
        "body": "Text.",
    }
    path.write_text(json.dumps(good) + "\n{bad json\n" + json.dumps({"title": "no body"}) + "\n", encoding="utf-8")
    result = load_file(path, LIMIT)
    assert [a.outlet for a in result.articles] == ["Outlet"]
    assert str(result.articles[0].published) == "2023-11-27"
    assert any(":2:" in p for p in result.problems) and any(":3:" in p for p in result.problems)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "empty"),
        ("bin.txt", b"\x00\x01\x02abc", "binary"),
        ("latin.txt", "caf\xe9".encode("latin-1"), "UTF-8"),
        ("doc.pdf", b"%PDF", "not a readable PDF"),
        ("doc.docx", b"PK\x03\x04", "unsupported"),
        ("bad.json", b"{not json", "invalid JSON"),
        ("fm.md", b"---\nowner: me\n---\ntext", "unknown front-matter"),
    ],
)
def test_bad_files_get_a_clear_error(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(IngestError, match=message):
        load_file(path, LIMIT)


def test_size_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("x" * 100, encoding="utf-8")
    with pytest.raises(IngestError, match="limit"):
        load_file(path, 10)


def test_dates():
    assert str(parse_date("2023-09-26T21:11:15+00:00")) == "2023-09-26"
    assert str(parse_date("30 November 2024")) == "2024-11-30"
    assert parse_date("unknown") is None and parse_date("not a date") is None


def test_front_matter_absent():
    assert split_front_matter("no front matter") == ({}, "no front matter")


@pytest.mark.skipif(not (MULTIHOP / "corpus.jsonl").exists(), reason="MultiHop-RAG data not present beside the repo")
def test_multihop_corpus_loads_as_is():
    result = load_file(MULTIHOP / "corpus.jsonl", 50_000_000)
    assert len(result.articles) == 609 and not result.problems
    assert len({a.outlet for a in result.articles}) == 49
    assert all(a.published for a in result.articles)


def test_saved_html_page_gives_text_and_metadata():
    (article,) = load_file(Path(__file__).resolve().parents[2] / "data" / "harbour-ferry.html", LIMIT).articles
    assert (article.title, article.outlet, article.author) == (
        "Ferry crews strike over pay",
        "Harbour Gazette",
        "Mira Okafor",
    )
    assert str(article.published) == "2024-03-14" and article.url.endswith("/ferry-strike")
    assert "should never be read" not in article.text and "Home" not in article.text
    assert "“We have asked for a fair deal" in article.text
