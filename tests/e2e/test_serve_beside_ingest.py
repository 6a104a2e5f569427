"""The running app survives its own workflow: a real `assistant serve` process answers through `/ask` while
`assistant ingest` processes add articles beside it (issue 12). Ten rounds, each a new article only it can
answer: every question answered and cited, no error in the server's log, nothing lost. Embedded store and a
`chroma run` server."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT, free_port

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
ROUNDS = 10
PEOPLE = [
    ("Orla Venn", "Kestrel Bay"),
    ("Tomas Brede", "Dunmore"),
    ("Ilse Marr", "Ashvale"),
    ("Quinn Adair", "Corrin"),
    ("Pavel Rusk", "Belmark"),
    ("Nadia Okoro", "Tarrow"),
    ("Ferris Lund", "Ellsmere"),
    ("Greta Holm", "Vantor"),
    ("Yusuf Demir", "Greyholt"),
    ("Lena Sorvik", "Morrow"),
]


def write_report(folder: Path, n: int) -> None:
    name, town = PEOPLE[n]
    folder.mkdir(parents=True)
    (folder / f"plant-{n}.md").write_text(
        f"---\ntitle: Water plant opens in {town}\noutlet: Harbour Post {n}\npublished: 2024-03-{n + 1:02d}\n---\n"
        f"A new desalination plant opened in {town} on Monday. “It will supply forty thousand homes,” said "
        f"{name}, the town's chief engineer. The plant cost {12 + n} million euros.\n",
        encoding="utf-8",
    )


def cited(answer: dict, n: int) -> bool:
    name, _ = PEOPLE[n]
    return (
        "error" not in answer
        and not answer["refused"]
        and any(c["speaker"] == name and c["outlet"] == f"Harbour Post {n}" for c in answer["citations"])
    )


@pytest.fixture(params=["embedded", "server"])
def store_args(request, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False"}
    args = [sys.executable, "-m", "assistant", "--data-dir", str(tmp_path / "store")]
    if request.param == "server":
        args += ["--chroma-url", request.getfixturevalue("chroma_server")]
        env["ASSISTANT_COLLECTION"] = f"serve_{tmp_path.name[-20:]}".replace("-", "_")
    return args, env


def start_server(args: list[str], env: dict, log: Path):
    from gradio_client import Client

    port = free_port()
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [*args, "serve", "--port", str(port), "--ingest", str(CORPUS)], env=env, stdout=out, stderr=out
        )
    deadline = time.time() + 300
    while True:
        try:
            return proc, Client(f"http://127.0.0.1:{port}/", verbose=False)
        except Exception:
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                pytest.fail(f"serve did not start: {log.read_text()[-3000:]}")
            time.sleep(1)


def test_ten_cli_ingests_beside_a_running_server(store_args, tmp_path):
    args, env = store_args
    log = tmp_path / "serve.log"
    proc, client = start_server(args, env, log)
    try:
        results = []
        for n in range(ROUNDS):
            write_report(tmp_path / f"new{n}", n)
            done = subprocess.run([*args, "ingest", str(tmp_path / f"new{n}")], env=env, capture_output=True, text=True)
            assert done.returncode == 0 and "articles added: 1" in done.stdout, done.stderr[-2000:]
            name, town = PEOPLE[n]
            started = time.perf_counter()
            answer = client.predict(f"What did {name} say about the plant in {town}?", "", "", "", "", api_name="/ask")
            results.append((cited(answer, n), round(time.perf_counter() - started, 2)))
            assert results[-1][0], (n, answer)
        again = [
            cited(client.predict(f"What did {p} say about the plant in {t}?", "", "", "", "", api_name="/ask"), n)
            for n, (p, t) in enumerate(PEOPLE)
        ]  # nothing lost: every earlier article still answers
        listed = subprocess.run([*args, "articles", "--json"], env=env, capture_output=True, text=True)
        print(
            f"\n{sum(ok for ok, _ in results)}/{ROUNDS} answered and cited; seconds per /ask: {[s for _, s in results]}"
        )
        assert all(again) and len(json.loads(listed.stdout)) == ROUNDS + 1
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert "Traceback" not in log.read_text() and "InternalError" not in log.read_text(), log.read_text()[-3000:]
