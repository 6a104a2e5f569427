"""`assistant eval multihop --data DIR`: a clear message naming the source when the data is absent, and a
user's own copy (here a tiny subset) works."""

import json
import random

import pytest
from click.testing import CliRunner
from conftest import MULTIHOP

from assistant.evals.data import MULTIHOP_SOURCE
from assistant.interfaces.cli import main

pytestmark = pytest.mark.integration


def test_missing_folder_names_the_source_and_exits_1(tmp_path):
    empty = tmp_path / "no-multihop-here"
    result = CliRunner().invoke(
        main,
        ["--data-dir", str(tmp_path / "store"), "eval", "multihop", "--data", str(empty), "--report", str(tmp_path)],
    )
    assert result.exit_code == 1
    assert f"MultiHop-RAG not found in {empty}" in result.output
    assert "missing corpus.jsonl, queries-dev.jsonl" in result.output and MULTIHOP_SOURCE in result.output
    assert "pass --data DIR or set ASSISTANT_MULTIHOP_DIR" in result.output
    assert "Traceback" not in result.output


@pytest.mark.slow
@pytest.mark.skipif(not (MULTIHOP / "corpus.jsonl").exists(), reason="MultiHop-RAG is not in ../shared/data")
def test_data_points_at_a_copy_of_a_tiny_subset(tmp_path):
    queries = [json.loads(x) for x in (MULTIHOP / "queries-dev.jsonl").read_text("utf-8").splitlines() if x.strip()]
    picked = [q for q in queries if q["question_type"] == "comparison_query"][:2]
    records = [json.loads(x) for x in (MULTIHOP / "corpus.jsonl").read_text("utf-8").splitlines() if x.strip()]
    evidence = {e["url"] for q in picked for e in q["evidence_list"]}
    others = random.Random(1).sample([r for r in records if r["url"] not in evidence], 41)
    subset = tmp_path / "my-multihop"
    subset.mkdir()
    (subset / "queries-dev.jsonl").write_text("\n".join(json.dumps(q) for q in picked), encoding="utf-8")
    kept = [r for r in records if r["url"] in evidence] + others
    (subset / "corpus.jsonl").write_text("\n".join(json.dumps(r) for r in kept), encoding="utf-8")
    report = tmp_path / "report"
    args = ["--data-dir", str(tmp_path / "store"), "eval", "multihop", "--data", str(subset), "--limit", "2"]
    result = CliRunner().invoke(main, [*args, "--report", str(report)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(x) for x in (report / "results.jsonl").read_text("utf-8").splitlines() if x.strip()]
    assert len(rows) == 2 and {r["question"] for r in rows} == {q["query"] for q in picked}
    assert all("hits@10" in r["metrics"] for r in rows)
    assert f"subset corpus: {len(evidence) + 40} of {len(kept)} articles" in result.output
