"""CLI contract, through click's runner with a real store."""

import json

import pytest
from click.testing import CliRunner
from conftest import CORPUS, SEED_FILE

from assistant.interfaces.cli import main

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def cli(tmp_path_factory):
    data = str(tmp_path_factory.mktemp("cli"))
    runner = CliRunner()

    def run(*args):
        return runner.invoke(main, ["--data-dir", data, *args], catch_exceptions=False)

    return run


def test_ingest_then_ask_json(cli):
    result = cli("ingest", str(CORPUS))
    assert result.exit_code == 0 and "articles added: 1" in result.output and "quotes: 34" in result.output
    assert "articles added: 0" in cli("ingest", str(CORPUS)).output
    out = cli("ask", "--json", "What did Charles Lister say on X?")
    assert out.exit_code == 0
    answer = json.loads(out.output)
    assert set(answer) >= {"question", "answer", "refused", "citations"}
    cite = answer["citations"][0]
    assert set(cite) >= {
        "id",
        "article_id",
        "outlet",
        "title",
        "published",
        "url",
        "quote",
        "start",
        "end",
        "speaker",
        "speaker_role",
        "via",
    }
    assert (cite["speaker"], cite["via"], cite["outlet"]) == ("Charles Lister", "X", None)
    refused = json.loads(cli("ask", "--json", "What did Emmanuel Macron say about Aleppo?").output)
    assert refused["refused"] and refused["citations"] == []


def test_ask_plain_shows_sources_and_filters(cli):
    cli("ingest", str(CORPUS))
    out = cli("ask", "--speaker", "Karam Shaar", "What did he say about the collapse of the regime?").output
    assert "Karam Shaar" in out and "outlet not stated" in out


def test_quotes_json_without_storing(cli, tmp_path):
    result = CliRunner().invoke(main, ["--data-dir", str(tmp_path), "quotes", str(SEED_FILE), "--json"])
    rows = json.loads(result.output)
    assert len([r for r in rows if r["kind"] == "direct"]) == 24  # plus the report's attributed reported speech
    assert {r["kind"] for r in rows} == {"direct", "indirect"}
    assert set(rows[0]) >= {"file", "quote", "start", "end", "speaker", "speaker_role", "cue", "via", "kind"}
    lister = [r for r in rows if r["speaker"] == "Charles Lister" and r["via"] == "X"]
    assert lister and lister[0]["speaker_role"] == "expert at the Middle East Institute"
    assert (
        not (tmp_path / "chroma").exists()
        or "articles" not in CliRunner().invoke(main, ["--data-dir", str(tmp_path), "articles"]).output
    )


def test_articles_lists_outlet_not_stated(cli):
    cli("ingest", str(CORPUS))
    out = cli("articles").output
    assert "outlet not stated" in out and "2024-11-30" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("ask", ""), "question is empty"),
        (("ask", "--since", "soon", "x"), "not a date"),
        (("ingest", "/no/such/path"), "no such file"),
        (("delete", "nope"), "no article"),
    ],
)
def test_errors_are_messages_not_tracebacks(cli, args, message):
    result = cli(*args)
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output
