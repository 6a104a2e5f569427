"""Feedback: stored safely under concurrency (threads and processes), exported as eval cases in the documented
format, and those cases evaluated by `assistant eval` (the CLI, a real store)."""

import json
import multiprocessing
import threading

import pytest
from click.testing import CliRunner
from conftest import CORPUS

from assistant.evals.cases import load_cases
from assistant.interfaces.cli import main
from assistant.interfaces.feedback import FeedbackStore, export_cases, to_case
from assistant.models import Answer

pytestmark = pytest.mark.integration
LISTER = "What did Charles Lister say on X?"


def _rate_many(folder: str, who: str, n: int) -> None:
    store = FeedbackStore(folder)
    answer = Answer(question=f"q from {who}", answer="a [1]", refused=False)
    for i in range(n):
        fid = store.rate(who, i, answer, 1 if i % 2 else -1, history=[f"earlier {i}"])
        store.comment(fid, f"comment {who} {i}")


def test_concurrent_writers_lose_nothing(tmp_path):
    context = multiprocessing.get_context("spawn")
    procs = [context.Process(target=_rate_many, args=(str(tmp_path), f"p{k}", 25)) for k in range(3)]
    threads = [threading.Thread(target=_rate_many, args=(str(tmp_path), f"t{k}", 25)) for k in range(3)]
    for worker in procs + threads:
        worker.start()
    for worker in procs + threads:
        worker.join(120)
    assert all(p.exitcode == 0 for p in procs)
    records = FeedbackStore(tmp_path).all()
    assert len(records) == 150 and len({f.id for f in records}) == 150
    assert all(f.comment == f"comment {f.session} {f.turn}" and f.history == (f"earlier {f.turn}",) for f in records)
    store = FeedbackStore(tmp_path)
    again = store.rate("p0", 3, records[0].answer, 0)  # a changed rating keeps its record and its comment
    changed = {f.id: f for f in store.all()}[again]
    assert changed.rating == 0 and changed.comment == "comment p0 3" and len(store.all()) == 150


@pytest.mark.slow
def test_feedback_export_is_evaluated_by_assistant_eval(seeded_bot, tmp_path):
    store = FeedbackStore(tmp_path / "served")
    conversation = seeded_bot.conversation()
    first = conversation.ask("Who is Charles Lister?")
    follow = conversation.ask("What did he say about the armed opposition?")
    up = store.rate("s1", 1, seeded_bot.ask(LISTER), 1)
    store.comment(up, "exactly the quote I needed")
    store.rate("s2", 1, seeded_bot.ask("Who won the World Cup in 2022?"), 1)  # a right refusal
    store.rate("s3", 1, first, 1)
    store.rate("s3", 3, follow, 1, history=["Who is Charles Lister?"])
    store.rate("s4", 1, seeded_bot.ask("Which countries support Bashar al-Assad?"), -1, label="Wrong speaker")
    store.rate("s5", 1, seeded_bot.ask("How many people have died in the offensive?"), 0)  # cleared
    cases_file = tmp_path / "feedback-cases.jsonl"
    runner = CliRunner()
    out = runner.invoke(
        main, ["--data-dir", str(tmp_path / "served"), "feedback", "export", "--cases", str(cases_file)]
    )
    assert out.exit_code == 0, out.output
    assert "cases written: 4" in out.output and "ratings cleared: 1" in out.output and "left out: 1" in out.output
    cases = {c.type: c for c in load_cases(cases_file)}  # the documented format parses
    assert set(cases) == {"feedback-answer-ok", "feedback-refusal-ok"}
    lister = next(c for c in load_cases(cases_file) if c.question == LISTER)
    assert lister.expected_speakers == ("Charles Lister",) and lister.evidence and not lister.should_refuse
    replay = next(c for c in load_cases(cases_file) if c.turns)
    assert replay.turns == ("Who is Charles Lister?", "What did he say about the armed opposition?")
    report = tmp_path / "report"
    evaluated = runner.invoke(
        main,
        [
            "--data-dir",
            str(tmp_path / "eval"),
            "eval",
            str(cases_file),
            "--corpus",
            str(CORPUS),
            "--report",
            str(report),
        ],
    )
    assert evaluated.exit_code == 0, evaluated.output
    rows = [json.loads(line) for line in (report / "results.jsonl").read_text().splitlines()]
    assert len(rows) == 4 and all(r["suite"] == "feedback-cases" for r in rows)
    assert all(r["metrics"]["refusal_correct"] for r in rows)
    assert all(r["metrics"]["answer_correct"] for r in rows if r["type"] == "feedback-answer-ok")
    assert "answer_accuracy" in evaluated.output and "100.0 % (n=" in evaluated.output


@pytest.mark.unit
def test_disputed_answers_are_exported_only_when_asked(tmp_path):
    store = FeedbackStore(tmp_path)
    answer = Answer(question="Q?", answer="Something [1]", refused=False)
    store.rate("s", 1, answer, -1, label="Misquoted")
    (item,) = store.all()
    assert to_case(item) is None
    disputed = to_case(item, include_disputed=True)
    assert disputed["type"] == "feedback-disputed" and disputed["extra"]["rejected_answer"]["answer"] == "Something [1]"
    assert disputed["extra"]["feedback"]["label"] == "Misquoted"
    refused = Answer.refusal("Q2?")
    store.rate("s", 3, refused, -1)
    counts = export_cases(store, tmp_path / "c.jsonl", include_disputed=True)
    assert counts == {"exported": 2, "cleared": 0, "disputed_left_out": 0}
    should_answer = [c for c in load_cases(tmp_path / "c.jsonl") if c.type == "feedback-should-answer"]
    assert should_answer and should_answer[0].should_refuse is False
