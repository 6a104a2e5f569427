"""Serving in production, as deployed: `assistant serve` as its own process against a `chroma run` server (the
two services of docs/deployment.md). /healthz before and after an ingest, /metrics counters, JSON logs with a
request id per answer, the health probe failing when the store goes away, a clean stop on SIGTERM."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from conftest import ROOT, SEED_FILE, free_port

pytestmark = [pytest.mark.integration, pytest.mark.slow]
ENV = os.environ | {"HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False", "PYTHONPATH": str(ROOT)}


def wait_for(url: str, proc: subprocess.Popen, log: Path, seconds: float = 180) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.HTTPError:
            if proc.poll() is not None:
                pytest.fail(f"{proc.args[:3]} exited: {log.read_text()[-3000:]}")
            time.sleep(0.5)
    proc.kill()
    pytest.fail(f"{url} did not answer within {seconds} s: {log.read_text()[-3000:]}")


@pytest.fixture
def chroma(tmp_path):
    """A `chroma run` server of its own (this test stops it)."""
    exe = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    port, log = free_port(), tmp_path / "chroma.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [exe, "run", "--path", str(tmp_path / "chroma"), "--host", "127.0.0.1", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    wait_for(f"http://127.0.0.1:{port}/api/v2/heartbeat", proc, log, 60)
    yield f"http://127.0.0.1:{port}", proc
    if proc.poll() is None:
        proc.kill()
        proc.wait(10)


def test_app_against_a_chroma_server_health_before_and_after_ingest(chroma, tmp_path):
    chroma_url, chroma_proc = chroma
    port, log = free_port(), tmp_path / "serve.log"
    args = [sys.executable, "-m", "assistant", "--chroma-url", chroma_url, "--data-dir", str(tmp_path / "data")]
    with open(log, "w") as out:
        serve = subprocess.Popen([*args, "serve", "--port", str(port), "--log-json"], stdout=out, stderr=out, env=ENV)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{url}/healthz", serve, log)
        before = httpx.get(f"{url}/healthz").json()
        assert before.get("status") == "ok", before
        assert before["articles"] == 0 and before["store"]["kind"] == "server"
        assert before["models"]["embedder"] and before["store"]["reachable"]
        got = httpx.post(f"{url}/v1/ingest", files=[("files", (SEED_FILE.name, SEED_FILE.read_bytes()))], timeout=300)
        assert got.json()["articles_added"] == 1
        after = httpx.get(f"{url}/healthz").json()
        assert (after["articles"], after["chunks"] > 0) == (1, True)
        cli = subprocess.run([*args, "ingest", str(ROOT / "tests" / "data" / "velmar-ferry.md")], env=ENV,
                             capture_output=True, text=True, timeout=300)  # fmt: skip
        assert "articles added: 1" in cli.stdout, cli.stderr
        assert httpx.get(f"{url}/healthz").json()["articles"] == 2  # another process wrote to the server
        body = {
            "model": "news-assistant",
            "messages": [{"role": "user", "content": "What did Charles Lister say on X?"}],
        }
        answer = httpx.post(f"{url}/v1/chat/completions", json=body, headers={"X-Request-Id": "deploy-1"}, timeout=120)
        assert answer.json()["citations"][0]["speaker"] == "Charles Lister"
        metrics = httpx.get(f"{url}/metrics").text
        assert 'assistant_questions_total{channel="api"} 1' in metrics
        assert (
            "assistant_answer_latency_seconds_count 1" in metrics and "assistant_ingested_articles_total 1" in metrics
        )
        chroma_proc.kill()
        chroma_proc.wait(10)
        down = httpx.get(f"{url}/healthz", timeout=60)
        assert down.status_code == 503 and down.json()["store"]["reachable"] is False
        assert down.json()["status"] == "unavailable: store unreachable"
    finally:
        serve.send_signal(signal.SIGTERM)
        code = serve.wait(30)
    assert code in (0, -signal.SIGTERM)  # uvicorn stops gracefully, then re-raises the signal (as systemd expects)
    assert "Finished server process" in log.read_text()
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    (answered,) = [x for x in lines if x.get("event") == "answer"]
    assert answered["request_id"] == "deploy-1" and answered["channel"] == "api" and answered["citations"] == 1
    assert "Charles Lister" not in log.read_text()  # the question is not logged


def test_healthz_in_process_says_what_is_missing(tmp_path):
    from assistant import Assistant, Settings
    from assistant.interfaces.health import Metrics, health

    bot = Assistant(Settings(data_dir=tmp_path))
    status, body = health(bot, Metrics())
    assert status == 503 and body["status"] == "unavailable: embedding model not loaded" and body["articles"] == 0
    bot.embedder.warm_up()
    status, body = health(bot, Metrics())
    assert status == 200 and body["status"] == "ok" and body["questions"] == 0
