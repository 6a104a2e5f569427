"""The eval suite: metric definitions on hand-made inputs, and the quick suite end to end (as CI runs it)."""

import json

import pytest
from conftest import MULTIHOP

from assistant.errors import AssistantError
from assistant.evals import run
from assistant.evals.cases import Case, load_cases
from assistant.evals.faithfulness import e2e_outcome, summarise
from assistant.evals.metrics import answer_metrics, retrieval_metrics
from assistant.evals.report import compare, write_report
from assistant.models import Answer, Article, Chunk, Citation


def chunk(text):
    return Chunk(id=text[:5], article_id="a", text=text, start=0, end=len(text))


@pytest.mark.unit
def test_retrieval_metrics_follow_the_paper():
    chunks = [chunk("nothing here"), chunk("Fact one is here."), chunk("and “fact two” too")]
    m = retrieval_metrics(["Fact one is here.", 'and "fact two" too', "missing fact"], chunks)
    assert m["hits@4"] == pytest.approx(2 / 3) and m["hits@10"] == pytest.approx(2 / 3)
    assert m["mrr@10"] == pytest.approx(1 / 2)
    assert m["map@10"] == pytest.approx((1 / 2 + 2 / 3) / 3)


@pytest.mark.unit
def test_answer_metrics_catch_broken_guarantees():
    article = Article(id="a", outlet="Wire", text="Alpha beta. Gamma delta.")
    good = Citation(
        id=1, article_id="a", outlet="Wire", title=None, published=None, url=None, quote="Alpha beta.", start=0, end=11
    )
    bad = good.model_copy(update={"id": 2, "quote": "Alpha beta!", "outlet": "Other"})
    answer = Answer(
        question="q", answer="Alpha beta. [1]\nUncited claim.\nGamma [2]", refused=False, citations=(good, bad)
    )
    case = Case(id="c", question="q", evidence=("Gamma delta.",), expected_facts=("alpha",))
    m = answer_metrics(case, answer, {"a": article}, retrieved={"b"})
    assert (m["nonverbatim"], m["uncited_sentences"], m["unretrieved_citations"]) == (1, 1, 2)
    assert m["outlet_correct"] == 0.5 and m["citation_recall"] == 0.0 and m["answer_correct"] is True


@pytest.mark.unit
def test_an_undecided_question_counts_as_a_refusal_and_never_as_a_no():
    """Evidence shown without a verdict ("Undecided: …") is a refusal in the metrics (issue 15), and its
    opening word is not the verdict "No"."""
    article = Article(id="a", outlet="Wire", text="Alpha beta. Gamma delta.")
    cite = Citation(
        id=1, article_id="a", outlet="Wire", title=None, published=None, url=None, quote="Alpha beta.", start=0, end=11
    )
    answer = Answer(
        question="q",
        answer="Undecided: Wire reported: “Alpha beta.” [1]",
        refused=False,
        citations=(cite,),
        undecided="A verdict would be a presumption",
    )
    no = answer_metrics(Case(id="c", question="q", expected_facts=("No",)), answer, {"a": article}, {"a"})
    assert no["refused"] is True and no["answer_correct"] is False and no["uncited_sentences"] == 0
    null = answer_metrics(Case(id="n", question="q", should_refuse=True), answer, {"a": article}, {"a"})
    assert null["refusal_correct"] is True and null["answer_correct"] is True


@pytest.mark.unit
def test_a_statement_the_model_never_wrote_is_not_counted_as_shown():
    """End to end, an answer given without asking the scripted model (an entity question's vote) shows the
    article's own words, not the statement: the falsehood was never offered, so it is not 'shown'."""
    shown = Answer(question="q", answer="Digit — Fortune reported: “Agility’s Digit robot …” [1]", refused=False)
    assert e2e_outcome("Amazon bought Digit.", shown, model_asked=False) == "declined"
    assert e2e_outcome("Amazon bought Digit.", shown, model_asked=True) == "verbatim"
    written = Answer(question="q", answer="Amazon bought Digit. [1]", refused=False)
    assert e2e_outcome("Amazon bought Digit.", written, model_asked=True) == "as written"
    assert e2e_outcome("Amazon bought Digit.", Answer.refusal("q"), model_asked=True) == "dropped"


@pytest.mark.unit
def test_cases_file_errors_name_the_line(tmp_path):
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps({"id": "ok", "question": "q"}) + "\n" + json.dumps({"id": "no question"}) + "\n")
    with pytest.raises(AssistantError, match=":2:"):
        load_cases(path)


@pytest.mark.unit
def test_report_escapes_and_compare(tmp_path):
    row = {
        "suite": "s",
        "id": "c1",
        "type": "t",
        "question": "<script>x</script>",
        "answer": "<img onerror=1>",
        "citations": [],
        "latency_ms": 5.0,
        "metrics": {"answer_correct": True, "refusal_correct": True, "nonverbatim": 0},
    }
    paths = write_report(tmp_path, [row], {"s": {"cases": 1}}, None, ["note <b>"], "header")
    page = paths["html"].read_text()
    assert "<script>x" not in page and "<img onerror" not in page and "&lt;script&gt;" in page
    rows = [
        {"id": "p", "type": "negation", "side": side, "run": "direct", "outcome": outcome, "line": None}
        for side, outcome in (("faithful", "as written"), ("false", "dropped"))
    ]
    sets = [{"summary": summarise(rows), "half": half} for half in ("tune", "fresh")]
    both = write_report(tmp_path / "f", [row], {"s": {"cases": 1}}, None, [], "header", faithfulness=sets)
    text = both["md"].read_text()
    assert "Faithfulness (tune set)" in text and "Faithfulness (fresh set)" in text  # every set run is shown
    worse = dict(row, metrics={"answer_correct": False, "refusal_correct": True, "nonverbatim": 1})
    text = compare(paths["results"], [worse])
    assert "0 better, 2 worse" in text


@pytest.mark.integration
@pytest.mark.slow
def test_quick_suite_keeps_the_hard_guarantees(tmp_path):
    outcome = run(["quick"], report_dir=tmp_path / "report")
    assert outcome.hard_failures == {"nonverbatim": 0, "uncited_sentences": 0, "unretrieved_citations": 0}
    assert all(s.get("wrong_speaker_citations", 0) == 0 for s in outcome.summaries.values())
    assert outcome.summaries["seed"]["cases"] == 20
    assert outcome.attribution["seed"]["speaker_accuracy"] == 1.0
    if (MULTIHOP / "corpus.jsonl").exists():
        assert outcome.summaries["multihop"]["cases"] == 12 and outcome.summaries["multihop"]["hits@10"] is not None
    for name in ("report.md", "report.html", "results.jsonl"):
        assert (tmp_path / "report" / name).stat().st_size > 0


class ScriptedJudgeLLM:
    """A fake LLM for the judge: calls a statement supported unless it mentions 'invented'."""

    def __init__(self):
        self.prompts = []

    def complete(self, prompt):
        self.prompts.append(prompt)
        statement = prompt.split("Statement: ")[1].split("\n")[0]
        return type("R", (), {"text": "UNSUPPORTED" if "invented" in statement else "SUPPORTED"})()


@pytest.mark.unit
def test_judge_scores_statements_with_their_own_passages():
    from assistant.evals.judge import Judge

    cite = Citation(
        id=1, article_id="a", outlet=None, title=None, published=None, url=None, quote="Rain fell.", start=0, end=10
    )
    answer = Answer(question="q", answer="Rain fell. [1]\nAn invented claim. [1]", refused=False, citations=(cite,))
    llm = ScriptedJudgeLLM()
    assert Judge(llm).faithfulness(answer) == 0.5
    assert all("<passages>\n- Rain fell.\n</passages>" in p for p in llm.prompts)
    assert Judge(llm).faithfulness(Answer.refusal("q")) is None
