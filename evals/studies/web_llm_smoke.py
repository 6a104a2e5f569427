"""The web chat with a real generative model, in a real browser: does it stream verified statements?

    python -m evals.studies.web_llm_smoke [--model PATH] [--question "…"]...

Serves the shipped corpus with ASSISTANT_ENGINE=llm (the embedded GGUF from `make llm`) on a free loopback
port, asks each question in Debian's chromium (Playwright, no browser download), and prints a timeline
per question: seconds from the click to each new verified statement on the page, and to the finished
answer (sources panel ready). A screenshot lands in test-artifacts/web-llm-<n>.png. This is a measurement,
not a CI test: the 1.5B model needs tens of seconds per answer on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from assistant import Assistant, Settings
from assistant.interfaces.web.app import launch

ROOT = Path(__file__).resolve().parents[2]
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
QUESTIONS = ["What did Charles Lister say about Assad?", "How many people have died in the offensive?"]
STATE = """() => { const b = document.querySelectorAll('#chat [data-testid=bot]'); const last = b[b.length - 1];
  return last ? [b.length, last.querySelectorAll('.stmt, .refusal, .error').length,
                 !!last.querySelector('.answer:not(.streaming), .error'), last.innerText] : [0, 0, false, '']; }"""


def timeline(page, question: str, timeout_s: float = 600) -> tuple[list[tuple[float, int]], float, str]:
    """[(seconds, statements shown)], seconds to the finished answer, and its text."""
    before = page.evaluate(STATE)[0]
    page.fill("#question textarea", question)
    start = time.perf_counter()
    page.click("#ask")
    marks, shown = [], 0
    while time.perf_counter() - start < timeout_s:
        count, statements, done, text = page.evaluate(STATE)
        if count > before and statements > shown:
            shown = statements
            marks.append((round(time.perf_counter() - start, 1), statements))
        if count > before and done:
            return marks, round(time.perf_counter() - start, 1), text
        time.sleep(0.1)
    raise TimeoutError(f"no finished answer after {timeout_s} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--model",
        type=Path,
        default=Path("~/.cache/news-assistant/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf").expanduser(),
    )
    parser.add_argument("--question", action="append", default=None)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    data = Path(tempfile.mkdtemp(prefix="web-llm-"))
    bot = Assistant(Settings(data_dir=data, engine="llm", llm_model_path=args.model))
    bot.ingest([ROOT / "corpus"])
    bot.warm_up()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    demo = launch(bot, port=port, prevent_thread_lock=True)
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=FLAGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"http://127.0.0.1:{port}/")
            page.wait_for_selector("#question textarea")
            for n, question in enumerate(args.question or QUESTIONS, 1):
                marks, total, text = timeline(page, question)
                page.screenshot(path=str(artifacts / f"web-llm-{n}.png"), full_page=True)
                steps = ", ".join(f"{count} at {s} s" for s, count in marks) or "none"
                print(f"Q{n}: {question}\n  statements on screen: {steps}; finished (sources ready) at {total} s")
                print("  " + " ".join(text.split())[:400])
            browser.close()
    finally:
        demo.close()
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
