"""Load: 50 concurrent conversations, through the Python API and through the web app's API (gradio_client).

Each conversation asks about a different person, then a follow-up with a pronoun: if histories ever mixed,
the rewritten follow-up would name someone else. Latency percentiles are printed (this is a check, not a
benchmark: no timing is asserted).
"""

import statistics
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import free_port

from assistant.interfaces.web.app import build

pytestmark = [pytest.mark.integration, pytest.mark.slow]
PEOPLE = [
    "Charles Lister",
    "Karam Shaar",
    "Dareen Khalifa",
    "Haid Haid",
    "Caroline Rose",
    "Abbas Araghchi",
    "Mohammad al-Bashir",
]
CONVERSATIONS = 50


def p95(values):
    return sorted(values)[int(0.95 * (len(values) - 1))]


def conversation_script(ask):
    """Two turns; returns (person, standalone follow-up, latencies)."""

    def run(i):
        person = PEOPLE[i % len(PEOPLE)]
        t0 = time.perf_counter()
        first = ask(i, f"Who is {person}?")
        t1 = time.perf_counter()
        second = ask(
            i, "What did he say?" if person not in {"Dareen Khalifa", "Caroline Rose"} else "What did she say?"
        )
        t2 = time.perf_counter()
        return person, first, second, [t1 - t0, t2 - t1]

    return run


def check(results, label):
    latencies = [x for *_, lat in results for x in lat]
    for person, first, second, _ in results:
        assert "error" not in first and "error" not in second, (first, second)
        assert second["standalone_question"] and person in second["standalone_question"], (
            person,
            second["standalone_question"],
        )
    print(
        f"\n{label}: {len(results)} conversations, {len(latencies)} answers, p50 {statistics.median(latencies):.2f} "
        f"s, p95 {p95(latencies):.2f} s"
    )


def test_python_api_50_conversations(seeded_bot):
    convs = [seeded_bot.conversation() for _ in range(CONVERSATIONS)]
    ask = lambda i, q: convs[i].ask(q).model_dump(mode="json")  # noqa: E731
    with ThreadPoolExecutor(max_workers=CONVERSATIONS) as pool:
        results = list(pool.map(conversation_script(ask), range(CONVERSATIONS)))
    check(results, "python api")


@pytest.mark.e2e
def test_web_api_50_conversations(seeded_bot):
    from gradio_client import Client

    demo = build(seeded_bot)
    port = free_port()
    demo.queue(default_concurrency_limit=8).launch(
        server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True
    )
    try:
        ids = [""] * CONVERSATIONS  # the server issues each conversation's id on its first turn
        # one client per conversation, connected before the load starts: a client's start-up fetches the app's
        # config and API info (~0.1 s of server work each), and 50 of them at once would queue behind each
        # other past httpx's 5 s default timeout — a bootstrap stampede, not the conversations under test
        clients = [Client(f"http://127.0.0.1:{port}/", verbose=False) for _ in range(CONVERSATIONS)]

        def ask(i, question):
            answer = clients[i].predict(ids[i], question, "", "", "", "", api_name="/chat")
            ids[i] = answer["conversation_id"]
            return answer

        with ThreadPoolExecutor(max_workers=CONVERSATIONS) as pool:
            results = list(pool.map(conversation_script(ask), range(CONVERSATIONS)))
        check(results, "web api (gradio_client)")
    finally:
        demo.close()
