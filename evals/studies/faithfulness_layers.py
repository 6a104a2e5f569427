"""What each entailment layer contributes, on the faithfulness suite's TUNING half (the held-out half is never
read here): the direct run (evidence offered as [1]) with all layers, with each layer switched off, and with
none, per type: falsehoods shown / faithful kept.

    python -m evals.studies.faithfulness_layers --out docs/faithfulness-layers.md
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from assistant.answer.support import LAYERS
from assistant.evals import faithfulness as F


def variants() -> dict[str, tuple[str, ...]]:
    out = {"all layers": LAYERS}
    out |= {f"without {name}": tuple(x for x in LAYERS if x != name) for name in LAYERS}
    out["no layers (quotes and speakers only)"] = ()
    return out


def table(results: dict[str, dict[str, dict[str, float | int]]]) -> str:
    kinds = [*F.TYPES, "all"]
    lines = ["| layers | " + " | ".join(kinds) + " |", "|---|" + "---|" * len(kinds)]
    for name, summary in results.items():
        cells = [
            f"{summary[k]['falsehoods_shown']} / {summary[k]['faithful_kept']:.2f}" if k in summary else "—"
            for k in kinds
        ]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--data", type=Path, default=None, help="the MultiHop-RAG folder")
    args = parser.parse_args()
    pairs = F.load_pairs("tune")
    articles = F.articles_for(F.source_records(pairs, args.data))
    results = {}
    for name, layers in variants().items():
        rows = [r for r in F.direct(pairs, articles, layers) if r["run"] == "direct"]
        results[name] = F.summarise(rows)["direct"]
        print(name, results[name]["all"], flush=True)
    text = "cells: falsehoods shown (of the type's pairs) / faithful kept\n\n" + table(results)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
