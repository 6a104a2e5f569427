"""Eval output: summary table, report.md, report.html (inline SVG plots, no plotting dependency),
results.jsonl (one line per case) and a comparison of two runs.

Everything in the HTML that came from a question, an answer or an article is escaped.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

SUMMARY_KEYS = [
    ("cases", "{:.0f}"),
    ("answer_accuracy", "{:.3f}"),
    ("refusal_precision", "{:.3f}"),
    ("refusal_recall", "{:.3f}"),
    ("verbatim_rate", "{:.3f}"),
    ("cited_sentence_rate", "{:.3f}"),
    ("citation_precision", "{:.3f}"),
    ("citation_recall", "{:.3f}"),
    ("faithfulness", "{:.3f}"),
    ("speaker_accuracy", "{:.3f}"),
    ("outlet_correct", "{:.3f}"),
    ("hits@4", "{:.3f}"),
    ("hits@10", "{:.3f}"),
    ("mrr@10", "{:.3f}"),
    ("map@10", "{:.3f}"),
    ("nonverbatim", "{:.0f}"),
    ("uncited_sentences", "{:.0f}"),
    ("unretrieved_citations", "{:.0f}"),
    ("wrong_speaker_citations", "{:.0f}"),
    ("latency_p50_ms", "{:.0f}"),
    ("latency_p95_ms", "{:.0f}"),
]
ATTRIBUTION_KEYS = [
    "gold_quotes",
    "predicted_quotes",
    "exact_f1",
    "overlap_precision",
    "overlap_recall",
    "overlap_f1",
    "speaker_accuracy",
    "role_accuracy",
    "via_accuracy",
]
HARD = ("nonverbatim", "uncited_sentences", "unretrieved_citations")


def _fmt(value: Any, pattern: str = "{:.3f}") -> str:
    return "—" if value is None else pattern.format(value)


def summary_table(summaries: dict[str, dict[str, Any]]) -> str:
    """A markdown table: one column per suite, one row per metric that any suite has."""
    names = list(summaries)
    lines = ["| metric | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for key, pattern in SUMMARY_KEYS:
        if any(summaries[n].get(key) is not None for n in names):
            lines.append(f"| {key} | " + " | ".join(_fmt(summaries[n].get(key), pattern) for n in names) + " |")
    return "\n".join(lines)


def attribution_table(tables: dict[str, dict[str, Any]]) -> str:
    names = [n for n in tables if n not in _NOT_COLUMNS]
    lines = ["| metric | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for key in ATTRIBUTION_KEYS:
        lines.append(
            f"| {key} | "
            + " | ".join(_fmt(tables[n].get(key), "{:.3f}" if "quotes" not in key else "{:.0f}") for n in names)
            + " |"
        )
    return "\n".join(lines)


_NOT_COLUMNS = ("misses", "confusion")


def confusion_list(tables: dict[str, Any], examples: int = 3) -> str:
    """The misses grouped by cause for each gold set, with counts and a few examples each (markdown)."""
    lines = []
    for name, counts in tables.get("confusion", {}).items():
        lines.append(f"**{name}**: " + (", ".join(f"{cause} {n}" for cause, n in counts.items()) or "no misses"))
        for cause in counts:
            shown = [m for m in tables.get("misses", []) if m.get("cause") == cause and _in_set(m, name)][:examples]
            for m in shown:
                lines.append(f"  - {cause}: “{m['quote']}” — gold {m['gold']!s}, got {m['got']!s}")
    return "\n".join(lines)


def _in_set(miss: dict[str, Any], name: str) -> bool:
    return miss.get("set", name) == name


def by_type(rows: list[dict[str, Any]], metric: str = "answer_correct") -> dict[str, float]:
    groups: dict[str, list[float]] = {}
    for row in rows:
        value = row["metrics"].get(metric)
        if value is not None:
            groups.setdefault(f"{row['suite']}:{row['type']}", []).append(float(value))
    return {k: sum(v) / len(v) for k, v in sorted(groups.items())}


def corroboration_table(summary: dict[str, Any]) -> str:
    """The corroboration suite's scores (markdown)."""
    lines = ["| metric | value |", "|---|---|"]
    for key, value in summary.items():
        lines.append(f"| {key} | {_fmt(value, '{:.0f}' if isinstance(value, int) else '{:.3f}')} |")
    return "\n".join(lines)


def type_table(rows: list[dict[str, Any]]) -> str:
    """Per suite and question type: cases, answer accuracy, the always-Yes baseline (for types with Yes/No
    golds) and the share refused."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        if row["metrics"].get("answer_correct") is not None:
            groups.setdefault(f"{row['suite']}:{row['type']}", []).append(row["metrics"])
    lines = ["| type | cases | accuracy | always-Yes | refused |", "|---|---|---|---|---|"]
    for name, ms in sorted(groups.items()):
        acc = sum(bool(m["answer_correct"]) for m in ms) / len(ms)
        yes_no = any(m.get("always_yes_correct") for m in ms)
        base = sum(bool(m.get("always_yes_correct")) for m in ms) / len(ms) if yes_no else None
        refused = sum(bool(m.get("refused")) for m in ms) / len(ms)
        lines.append(f"| {name} | {len(ms)} | {acc:.3f} | {_fmt(base)} | {refused:.3f} |")
    return "\n".join(lines)


def worst_cases(rows: list[dict[str, Any]], n: int = 12) -> list[dict[str, Any]]:
    def badness(row: dict[str, Any]) -> tuple:
        m = row["metrics"]
        hard = sum(m.get(k) or 0 for k in HARD)
        return (hard, m.get("answer_correct") is False, not m.get("refusal_correct", True), row.get("latency_ms", 0))

    return sorted((r for r in rows if r["metrics"]), key=badness, reverse=True)[:n]


def svg_bars(values: dict[str, float], title: str, width: int = 640) -> str:
    e = html.escape
    bar_h, left = 22, 230
    height = 30 + bar_h * len(values)
    parts = [
        f'<svg width="{width}" height="{height}" role="img" aria-label="{e(title)}">'
        f'<text x="0" y="16" font-weight="bold">{e(title)}</text>'
    ]
    for i, (label, value) in enumerate(values.items()):
        y = 26 + i * bar_h
        w = max(0.0, min(1.0, value)) * (width - left - 60)
        parts.append(f'<text x="0" y="{y + 15}" font-size="12">{e(label)}</text>')
        parts.append(f'<rect x="{left}" y="{y + 3}" width="{w:.1f}" height="{bar_h - 6}" fill="#4a78a8"/>')
        parts.append(f'<text x="{left + w + 4:.1f}" y="{y + 15}" font-size="12">{value:.2f}</text>')
    return "".join(parts) + "</svg>"


def svg_histogram(latencies: list[float], title: str, bins: int = 20, width: int = 640, height: int = 180) -> str:
    if not latencies:
        return ""
    e = html.escape
    top = max(latencies)
    step = top / bins or 1
    counts = [0] * bins
    for v in latencies:
        counts[min(bins - 1, int(v / step))] += 1
    peak = max(counts)
    bar_w = (width - 40) / bins
    parts = [
        f'<svg width="{width}" height="{height + 40}" role="img" aria-label="{e(title)}">'
        f'<text x="0" y="16" font-weight="bold">{e(title)}</text>'
    ]
    for i, c in enumerate(counts):
        h = c / peak * height
        parts.append(
            f'<rect x="{20 + i * bar_w:.1f}" y="{24 + height - h:.1f}" width="{bar_w - 2:.1f}" '
            f'height="{h:.1f}" fill="#a8744a"/>'
        )
    parts.append(
        f'<text x="20" y="{height + 38}" font-size="12">0 ms</text>'
        f'<text x="{width - 90}" y="{height + 38}" font-size="12">{top:.0f} ms</text>'
    )
    return "".join(parts) + "</svg>"


def write_report(
    out_dir: Path,
    rows: list[dict[str, Any]],
    summaries: dict[str, dict[str, Any]],
    attribution: dict[str, Any] | None,
    notes: list[str],
    header: str,
    *,
    faithfulness: dict[str, Any] | None = None,
) -> dict[str, Path]:
    """Write results.jsonl, report.md and report.html into out_dir; returns their paths. `faithfulness`: the
    faithfulness suite's tables (evals/faithfulness.py), shown per run and type."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"results": out_dir / "results.jsonl", "md": out_dir / "report.md", "html": out_dir / "report.html"}
    with paths["results"].open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
    md = [f"# Evaluation report\n\n{header}\n", "## Summary\n", summary_table(summaries), ""]
    if attribution:
        md += [
            "## Attribution\n",
            attribution_table(attribution),
            "",
            "### Misses by cause\n",
            confusion_list(attribution, 5),
            "",
        ]
    if faithfulness:
        md += [f"## Faithfulness ({faithfulness.get('half', 'tune')} half)\n", faithfulness_markdown(faithfulness), ""]
    md += ["## Notes\n"] + [f"- {n}" for n in notes] + ["", "## Answer accuracy by question type\n"]
    md += [type_table(rows)]
    md += ["", "## Worst cases\n"]
    for row in worst_cases(rows):
        md.append(
            f"- **{row['id']}** ({row['type']}): {row.get('question', '')!s}\n"
            f"  - answer: {str(row.get('answer', ''))[:300]}"
        )
    paths["md"].write_text("\n".join(md) + "\n", encoding="utf-8")
    page = _html(rows, summaries, attribution, notes, header)
    if faithfulness:
        page = page.replace("<h2>Notes</h2>", faithfulness_html(faithfulness) + "<h2>Notes</h2>", 1)
    paths["html"].write_text(page, encoding="utf-8")
    return paths


def faithfulness_markdown(tables: dict[str, Any]) -> str:
    from assistant.evals.faithfulness import markdown

    return markdown(tables["summary"])


def faithfulness_html(tables: dict[str, Any]) -> str:
    """Per run (direct, direct-unmarked, end-to-end): type → falsehoods shown, faithful kept (escaped)."""
    e = html.escape
    out = f"<h2>Faithfulness ({e(str(tables.get('half', 'tune')))} half)</h2>"
    for run, table in tables["summary"].items():
        out += f"<h3>{e(run)}</h3><table><tr><th>type</th><th>falsehoods shown</th><th>faithful kept</th></tr>"
        for kind, t in table.items():
            out += (
                f"<tr><td>{e(kind)}</td><td>{t['falsehoods_shown']}/{t['false_total']}</td>"
                f"<td>{t['faithful_kept']:.3f} ({t['faithful_total']})</td></tr>"
            )
        out += "</table>"
    shown = [r for r in tables.get("rows", []) if r["side"] == "false" and r["outcome"] in ("as written", "verbatim")]
    if shown:
        out += "<h3>Falsehoods shown</h3><ul>"
        out += "".join(f"<li>{e(r['run'])} · {e(r['id'])} ({e(r['type'])}): {e(str(r['line']))}</li>" for r in shown)
        out += "</ul>"
    return out


def _html(
    rows: list[dict[str, Any]],
    summaries: dict[str, dict[str, Any]],
    attribution: dict[str, Any] | None,
    notes: list[str],
    header: str,
) -> str:
    e = html.escape
    names = list(summaries)
    table = "<table><tr><th>metric</th>" + "".join(f"<th>{e(n)}</th>" for n in names) + "</tr>"
    for key, pattern in SUMMARY_KEYS:
        if any(summaries[n].get(key) is not None for n in names):
            table += (
                f"<tr><td>{e(key)}</td>"
                + "".join(f"<td>{e(_fmt(summaries[n].get(key), pattern))}</td>" for n in names)
                + "</tr>"
            )
    table += "</table>"
    attr = ""
    if attribution:
        cols = [n for n in attribution if n not in _NOT_COLUMNS]
        attr = "<h2>Attribution</h2><table><tr><th>metric</th>" + "".join(f"<th>{e(c)}</th>" for c in cols) + "</tr>"
        for key in ATTRIBUTION_KEYS:
            attr += (
                f"<tr><td>{e(key)}</td>"
                + "".join(f"<td>{e(_fmt(attribution[c].get(key)))}</td>" for c in cols)
                + "</tr>"
            )
        attr += "</table><h3>Misses by cause</h3><pre>" + e(confusion_list(attribution, 0)) + "</pre>"
        attr += "<h3>Misses</h3><table><tr><th>set</th><th>cause</th><th>quote</th><th>gold</th><th>got</th></tr>"
        for miss in sorted(attribution.get("misses", []), key=lambda m: (m.get("set", ""), m.get("cause", "")))[:400]:
            attr += (
                "<tr>"
                + "".join(f"<td>{e(str(miss.get(k) or ''))}</td>" for k in ("set", "cause", "quote", "gold", "got"))
                + "</tr>"
            )
        attr += "</table>"
    worst = "<table><tr><th>case</th><th>question</th><th>answer</th><th>cited quotes</th></tr>"
    for row in worst_cases(rows):
        quotes = "".join(
            f"<li>[{c['id']}] {e(c.get('speaker') or 'narration')}: “{e(c['quote'][:200])}”</li>"
            for c in row.get("citations", [])
        )
        worst += (
            f"<tr><td>{e(row['id'])}<br><small>{e(row['type'])}</small></td>"
            f"<td>{e(str(row.get('question', '')))}</td><td>{e(str(row.get('answer', ''))[:400])}</td>"
            f"<td><ul>{quotes}</ul></td></tr>"
        )
    worst += "</table>"
    latencies = [r["latency_ms"] for r in rows if r.get("latency_ms") is not None and r["suite"] != "attribution"]
    return (
        "<!doctype html><meta charset='utf-8'><title>Evaluation report</title>"
        "<style>body{font-family:sans-serif;max-width:1100px;margin:auto}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:3px 6px;vertical-align:top;font-size:13px}</style>"
        f"<h1>Evaluation report</h1><p>{e(header)}</p><h2>Summary</h2>{table}{attr}"
        f"<h2>Notes</h2><ul>{''.join(f'<li>{e(n)}</li>' for n in notes)}</ul>"
        f"<h2>Plots</h2>{svg_bars(by_type(rows), 'Answer accuracy by question type')}<br>"
        f"{svg_bars(by_type(rows, 'refusal_correct'), 'Refusal correct by question type')}<br>"
        f"{svg_histogram(latencies, 'Latency per question (ms)')}"
        f"<h2>Worst cases</h2>{worst}"
    )


def compare(old_path: Path, rows: list[dict[str, Any]]) -> str:
    """What got better and worse, per case and per metric, against an earlier results.jsonl."""
    old = {(r["suite"], r["id"]): r for r in map(json.loads, old_path.read_text("utf-8").splitlines()) if r}
    better, worse = [], []
    for row in rows:
        before = old.get((row["suite"], row["id"]))
        if before is None:
            continue
        for key in ("answer_correct", "refusal_correct"):
            a, b = before["metrics"].get(key), row["metrics"].get(key)
            if a is not None and b is not None and a != b:
                (better if b else worse).append(f"{row['suite']}/{row['id']}: {key} {a} → {b}")
        for key in HARD:
            a, b = before["metrics"].get(key) or 0, row["metrics"].get(key) or 0
            if a != b:
                (better if b < a else worse).append(f"{row['suite']}/{row['id']}: {key} {a} → {b}")
    lines = [f"compared with {old_path}: {len(better)} better, {len(worse)} worse"]
    lines += [f"  + {x}" for x in better] + [f"  - {x}" for x in worse]
    return "\n".join(lines)
