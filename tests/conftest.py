"""Shared fixtures: a real embedder, real ChromaDB (embedded and `chroma run`), the shipped corpus."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from assistant import REFUSAL, Assistant, Settings
from assistant.answer.verify import split_statements
from assistant.evals.data import multihop_dir
from assistant.ingest.loaders import split_front_matter

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SEED_FILE = CORPUS / "2024-11-30-hts-aleppo.md"
MULTIHOP = multihop_dir()


def assert_answer_contract(answer, articles) -> None:
    """The hard guarantees of every answer: verbatim quotes at their offsets, every statement cited, or a clean
    refusal."""
    if answer.refused:
        assert answer.answer == REFUSAL and answer.citations == ()
        return
    ids = {c.id for c in answer.citations}
    assert sorted(ids) == list(range(1, len(ids) + 1))
    for statement, markers in split_statements(answer.answer):
        assert markers and set(markers) <= ids, statement
    for c in answer.citations:
        assert articles[c.article_id].text[c.start : c.end] == c.quote


@pytest.fixture(scope="session")
def seed_text() -> str:
    return split_front_matter(SEED_FILE.read_text(encoding="utf-8"))[1]


@pytest.fixture(scope="session")
def seeded_bot(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """One embedded store with the shipped corpus, shared by read-only tests."""
    bot = Assistant(Settings(data_dir=tmp_path_factory.mktemp("seeded")))
    report = bot.ingest([CORPUS])
    assert report.articles_added >= 1
    return bot


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory):
    """A real `chroma run` server on loopback, for the client/server store contract."""
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    if chroma is None:
        pytest.fail("the `chroma` CLI is missing; it ships with the chromadb package")
    port = free_port()
    log = tmp_path_factory.mktemp("chroma-log") / "server.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [
                chroma,
                "run",
                "--path",
                str(tmp_path_factory.mktemp("chroma-server")),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    import urllib.request

    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1)
            break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"chroma run exited: {log.read_text()[-2000:]}")
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("chroma run did not answer within 60 s")
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(params=["embedded", "server"])
def store_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """The same store contract runs against embedded ChromaDB and a `chroma run` server."""
    if request.param == "server":
        url = request.getfixturevalue("chroma_server")
        return Settings(data_dir=tmp_path, chroma_url=url, collection=f"t{tmp_path.name[-20:]}".replace("-", "_"))
    return Settings(data_dir=tmp_path)
