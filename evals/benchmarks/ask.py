"""Ask latency on the shipped corpus: cold (a fresh `assistant ask` process) and warm (in-process).

    python -m evals.benchmarks.ask [--repeat 3]

Cold includes interpreter start, imports (sentence-transformers is the slow one) and model load;
warm is the p50/p95 of `Assistant.ask` over the labelled seed questions after one warm-up call.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from assistant import Assistant, Settings
from evals.studies.calibrate_refusal import ROOT, load_questions


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="cold runs")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="bench-ask-"))
    bot = Assistant(Settings(data_dir=data_dir))
    bot.ingest([ROOT / "corpus"])
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(data_dir)}
    exe = Path(sys.executable).parent / "assistant"
    cold = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        subprocess.run(
            [str(exe), "ask", "--json", "What did Charles Lister say on X?"], env=env, check=True, capture_output=True
        )
        cold.append(time.perf_counter() - start)
    bot.ask("warm up")
    warm = []
    for case in load_questions():
        start = time.perf_counter()
        bot.ask(case["question"])
        warm.append(time.perf_counter() - start)
    print(f"machine: {os.cpu_count()} cores; corpus: {len(bot.articles())} article(s), {bot.store.counts()[1]} chunks")
    print(
        f"cold CLI ask  : median {statistics.median(cold):.2f} s over {len(cold)} runs "
        f"({', '.join(f'{c:.2f}' for c in cold)})"
    )
    print(
        f"warm API ask  : p50 {percentile(warm, 0.5) * 1000:.0f} ms, p95 {percentile(warm, 0.95) * 1000:.0f} ms over "
        f"{len(warm)} questions"
    )


if __name__ == "__main__":
    main()
