"""Ingest isolates failure, against a real store: a bad file or record is one problem line (file, line,
reason) and everything else is stored; the run ends with a summary and the CLI exits non-zero only if
something failed; files are streamed, not all read before the first is stored. The same through
`app.py --corpus` and web uploads (issue 12)."""

import json
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant import Assistant, Settings
from assistant.interfaces.cli import main as cli
from assistant.interfaces.web.corpus import ingest_uploads

pytestmark = pytest.mark.integration
GOOD_MD = "---\ntitle: Ferries resume\noutlet: Harbour Post\npublished: 2024-03-01\n---\n{body}\n"
RECORD = {"title": "Dock strike ends", "source": "Port Wire", "published_at": "2024-03-02"}


@pytest.fixture()
def bot(tmp_path, seeded_bot):
    bot = Assistant(Settings(data_dir=tmp_path / "store"))
    bot.__dict__["embedder"] = seeded_bot.embedder  # one model load for the session
    return bot


def mixed_folder(folder: Path) -> Path:
    """The issue's folder: a good .md beside a .jsonl whose records hold a lone surrogate, a 5,000-digit
    integer and deep nesting, between two good records."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "good.md").write_text(GOOD_MD.format(body="Ferries resumed on Tuesday, the port said."), "utf-8")
    lines = [
        json.dumps(RECORD | {"body": "The dock strike ended on Friday, the union said."}),
        '{"title": "x", "source": "Wire", "body": "Lone \\ud800 surrogate."}',
        '{"title": "x", "body": "Big.", "n": ' + "9" * 5000 + "}",
        '{"title": "x", "body": "Deep.", "n": ' + "[" * 50_000 + "]" * 50_000 + "}",
        json.dumps(RECORD | {"title": "Cranes return", "body": "The cranes returned to work on Monday."}),
    ]
    (folder / "records.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    return folder


def test_bad_records_are_reported_and_everything_else_is_stored(bot, tmp_path):
    report = bot.ingest([mixed_folder(tmp_path / "in")])
    assert report.articles_added == 3 and report.articles_failed == 3
    assert {a.title for a in bot.articles()} == {"Ferries resume", "Dock strike ends", "Cranes return"}
    jsonl = tmp_path / "in" / "records.jsonl"
    assert [e.split(": skipped, ")[0] for e in report.errors] == [f"{jsonl}:{n}" for n in (2, 3, 4)]
    again = bot.ingest([tmp_path / "in"])
    assert (again.articles_added, again.articles_skipped, again.articles_failed) == (0, 3, 3)


def test_the_cli_prints_each_problem_and_a_summary_and_exits_1_only_if_something_failed(bot, tmp_path):
    data = str(tmp_path / "store")
    failed = CliRunner().invoke(cli, ["--data-dir", data, "ingest", str(mixed_folder(tmp_path / "in"))])
    assert failed.exit_code == 1 and "Traceback" not in failed.output
    assert (
        f"skipped: {tmp_path / 'in' / 'records.jsonl'}:2: skipped, the article text holds an invalid" in failed.output
    )
    assert "articles added: 3, unchanged/skipped: 0, failed: 3," in failed.output
    good = tmp_path / "good"
    good.mkdir()
    (good / "a.md").write_text(GOOD_MD.format(body="The harbour opened a new quay."), "utf-8")
    ok = CliRunner().invoke(cli, ["--data-dir", data, "ingest", str(good)])
    assert ok.exit_code == 0 and "articles added: 1, unchanged/skipped: 0, failed: 0," in ok.output


def test_app_corpus_serves_the_good_files_of_a_folder_with_bad_ones(bot, tmp_path, capsys):
    import app

    report = app.ingest_corpus(bot, mixed_folder(tmp_path / "in"))
    out = capsys.readouterr()
    assert report.articles_added == 3 and "3 could not be read" in out.out and "records.jsonl:3" in out.err


def test_an_upload_with_bad_records_stores_its_good_records(bot, tmp_path):
    folder = mixed_folder(tmp_path / "in")
    rows = {r[0]: r for r in ingest_uploads(bot, [str(folder / "good.md"), str(folder / "records.jsonl")])}
    assert rows["good.md"][1:3] == ["added", 1]
    assert rows["records.jsonl"][1:3] == ["added, with problems", 2] and "records.jsonl:2" in rows["records.jsonl"][6]


def test_files_are_streamed_not_all_read_before_the_first_is_stored(seeded_bot, tmp_path, monkeypatch):
    """Articles are prepared and stored in batches of ≥ 64 chunks (4 × embed_batch_size) while later files
    are still unread: memory holds a batch or two, not the folder."""
    import assistant.ingest.loaders as loaders

    bot = Assistant(Settings(data_dir=tmp_path / "store", embed_batch_size=16))
    bot.__dict__["embedder"] = seeded_bot.embedder

    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(240):
        (folder / f"{i:03d}.md").write_text(GOOD_MD.format(body=f"Ferry number {i} sailed at dawn."), "utf-8")
    reads, at_first_store = [], []
    real = loaders._read_text
    monkeypatch.setattr(loaders, "_read_text", lambda path, limit: reads.append(path) or real(path, limit))
    report = bot.ingest([folder], progress=lambda done, total, title: at_first_store.append(len(reads)))
    assert report.articles_added == 240 and len(reads) == 240
    assert at_first_store[0] < 240  # stored while later files were still unread


GOOD_BODIES = ["The ferry to Kestrel Bay sailed at dawn.", "Dock workers ended their strike on Friday."]
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["body", "title", "source"]), inner),
    max_leaves=12,
)
BAD_FILE = st.tuples(
    st.sampled_from([".md", ".txt", ".json", ".jsonl", ".html"]),
    st.one_of(
        st.binary(max_size=300),
        JSON.map(lambda v: json.dumps(v).encode()),
        st.lists(JSON.map(json.dumps), max_size=4).map(lambda lines: "\n".join(lines).encode()),
        st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.sampled_from([b'{"body": "\\ud800"}', b"[" * 50_000, b'{"body": "x", "n": ' + b"7" * 5000 + b"}"]),
    ),
)


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(bad=st.lists(BAD_FILE, min_size=1, max_size=4))
def test_property_good_files_are_always_stored_whatever_lies_beside_them(bot, bad):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for i, body in enumerate(GOOD_BODIES):
            (folder / f"good-{i}.md").write_text(GOOD_MD.format(body=body), "utf-8")
        for i, (suffix, data) in enumerate(bad):
            (folder / f"bad-{i}{suffix}").write_bytes(data)
        report = bot.ingest([folder])
        stored = {a.text.strip() for a in bot.articles()}
        assert set(GOOD_BODIES) <= stored
        assert all(e.startswith(tmp) for e in report.errors), report.errors
