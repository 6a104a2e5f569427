"""What leaves the app for people and machines: conversation exports (Markdown footnotes, JSON), the metrics
text, the API's credentials, the evaluation report's numbers and markup, the quote browser's markup."""

import datetime as dt
import json
import re
from collections import Counter
from types import SimpleNamespace

import pytest
from pydantic import SecretStr

from assistant import Assistant, Settings
from assistant.evals.report import attribution_rows, fmt, md_inline, summary_rows, svg_bars, svg_histogram
from assistant.interfaces.context import Served
from assistant.interfaces.export import conversation_json, conversation_markdown, md_escape
from assistant.interfaces.health import Metrics
from assistant.interfaces.web.html import answer_parts, quote_rows_html, speaker_cards_html, speaker_detail_html
from assistant.models import REFUSAL, Answer, Article, Citation, ClauseCheck, Quote

pytestmark = pytest.mark.unit
HOSTILE = '<img src=x onerror="alert(1)"> **bold** [link](javascript:x)'


def citation(**update) -> Citation:
    base = Citation(
        id=1,
        article_id="a",
        outlet="AFP",
        title="Aleppo falls",
        published=dt.date(2024, 11, 30),
        url="https://example.org/aleppo",
        quote="more vulnerable than ever",
        start=0,
        end=25,
        speaker="Charles Lister",
        speaker_role="expert at the Middle East Institute",
        via="X",
        quote_kind="direct",
    )
    return base.model_copy(update=update)


def test_markdown_export_has_footnotes_with_everything_a_fact_checker_needs():
    reported = citation(
        id=2, quote="the regime is weaker", speaker="OSDH", speaker_role=None, via=None, quote_kind="indirect"
    )
    narration = citation(
        id=3, quote="Aleppo fell on Saturday", speaker=None, speaker_role=None, via=None, quote_kind=None, page=2
    )
    answer = Answer(
        question="What did Lister say?",
        answer="Lister wrote on X that Assad is weak. [1]\nOSDH said the regime is weaker. [2][3]",
        refused=False,
        citations=(citation(), reported, narration),
        standalone_question="What did Charles Lister say?",
    )
    md = conversation_markdown([answer, Answer.refusal("Who won?")], when="2024-12-01T10:00:00+00:00")
    assert "Lister wrote on X that Assad is weak.[^1.1]" in md and "OSDH said the regime is weaker.[^1.2][^1.3]" in md
    assert (
        "[^1.1]: AFP; 2024-11-30; “Aleppo falls”. <https://example.org/aleppo> Speaker: Charles Lister, "
        "role: expert at the Middle East Institute, medium: on X. “more vulnerable than ever”" in md
    )
    (line,) = [x for x in md.splitlines() if x.startswith("[^1.2]:")]
    assert "Reported speech (the reporter's paraphrase, not the speaker's words): the regime is weaker" in line
    assert "“the regime is weaker”" not in line  # reported speech is never in quotation marks
    assert "[^1.3]: AFP; 2024-11-30; “Aleppo falls”; p. 2." in md  # a PDF's page, as in the citation
    assert "No speaker: the article's own reporting." in md and "*Understood as:* What did Charles Lister say?" in md
    assert "## 2. Who won?" in md and f"**No answer.** {md_escape(REFUSAL)}" in md
    data = json.loads(conversation_json([answer], when="x"))
    assert data["export_version"] == 1 and Answer.model_validate(data["turns"][0]) == answer


def test_markdown_export_neutralises_markup_from_articles_and_users():
    hostile = citation(quote=HOSTILE, outlet=HOSTILE, title=HOSTILE, speaker=HOSTILE, url="javascript:alert(1)")
    md = conversation_markdown([Answer(question=HOSTILE, answer=f"{HOSTILE} [1]", refused=False, citations=(hostile,))])
    markdown_it = pytest.importorskip("markdown_it")  # a CommonMark renderer (it ships with Gradio)
    rendered = markdown_it.MarkdownIt("commonmark").render(md)
    assert "<img" not in rendered and "<strong>bold" not in rendered and 'href="javascript' not in rendered
    assert "&lt;img src=x" in rendered and "**bold**" in rendered and "(no URL)" in md
    assert md_escape("# 1. a_b") == "\\# 1. a\\_b" and md_escape("1. x") == "1\\. x"


def test_metrics_render_prometheus_text():
    metrics = Metrics()
    answer = Answer(question="q", answer="a [1]", refused=False, citations=(citation(),), dropped_sentences=("x", "y"))
    metrics.observe_answer(answer, 0.3, "api")
    metrics.observe_answer(Answer.refusal("q"), 12.0, "web")
    metrics.inc("assistant_feedback_total", rating='up"\n')
    text = metrics.render()
    assert 'assistant_questions_total{channel="api"} 1' in text and 'assistant_refusals_total{channel="web"} 1' in text
    assert 'assistant_dropped_statements_total{channel="api"} 2' in text
    assert 'assistant_answer_latency_seconds_bucket{le="0.5"} 1' in text
    assert (
        'assistant_answer_latency_seconds_bucket{le="+Inf"} 2' in text
        and "assistant_answer_latency_seconds_count 2" in text
    )
    assert 'rating="up\\"\\n"' in text  # label values escaped


def test_api_credentials(tmp_path):
    import base64

    open_bot = Served(Assistant(Settings(data_dir=tmp_path)))
    assert open_bot.allowed(None)
    keyed = Served(Assistant(Settings(data_dir=tmp_path, api_key=SecretStr("k1"))), login=("ann", "pw"))
    basic = "Basic " + base64.b64encode(b"ann:pw").decode()
    assert keyed.allowed("Bearer k1") and keyed.allowed(basic)
    for bad in (None, "Bearer k2", "Bearer ", "k1", "Basic " + base64.b64encode(b"ann:no").decode(), "Basic %%%"):
        assert not keyed.allowed(bad), bad
    assert "k1" not in repr(keyed.bot.settings)


def test_report_numbers_are_integers_percentages_with_n_and_markdown_renders():
    assert fmt("gold_quotes", 792.0) == "792" and fmt("cases", 1234) == "1,234"
    assert fmt("speaker_accuracy", 0.9345, 105) == "93.5 % (n=105)" and fmt("latency_p95_ms", 1043.2) == "1,043 ms"
    assert fmt("mrr@10", 0.6161) == "0.616" and fmt("answer_accuracy", None) == "—"
    rows = [
        {"suite": "s", "metrics": {"answer_correct": c, "refused": False, "should_refuse": False}} for c in (True, None)
    ]
    table = summary_rows({"s": {"cases": 2, "answer_accuracy": 1.0}}, rows)
    assert table == [["cases", "2"], ["answer_accuracy", "100.0 % (n=1)"]]
    attribution = {"all": {"gold_quotes": 10, "predicted_quotes": 8, "overlap_matches": 7, "speaker_accuracy": 6 / 7}}
    got = {r[0]: r[1] for r in attribution_rows(attribution)}
    assert got["gold_quotes"] == "10" and got["speaker_accuracy"] == "85.7 % (n=7)"
    assert md_inline("**seed**: <b>x</b> `c`") == "<strong>seed</strong>: &lt;b&gt;x&lt;/b&gt; <code>c</code>"
    bars = svg_bars({"seed:fact": (0.5, 4), "<t>": (1.0, 2)}, "Answer correct", "share", "type")
    assert "(n = 6)" in bars and "(n=4)" in bars and bars.count('class="axis-label"') == 2 and "&lt;t&gt;" in bars
    histogram = svg_histogram([10.0, 20.0, 400.0], "Latency")
    assert "(n = 3)" in histogram and "latency per question (ms)" in histogram


def test_quote_browser_markup_is_escaped_and_reported_speech_is_labelled():
    article = Article(id="a", text=f"Intro.\n“{HOSTILE},” she said.", title=HOSTILE, outlet=HOSTILE)
    start = article.text.index(HOSTILE)
    quote = Quote(id="a:q1", article_id="a", text=HOSTILE, start=start, end=start + len(HOSTILE), speaker=HOSTILE)
    entry = SimpleNamespace(
        key="k'1", name=HOSTILE, variants=(HOSTILE, "Other"), roles=(HOSTILE,), outlets=(HOSTILE,) * 5,
        quotes=((article, quote),), dates=(None, None),
    )  # fmt: skip
    pages = [
        speaker_cards_html([entry], 1, 1, 1, 1, 24),
        speaker_detail_html(entry, [(article, quote)], 1, 1, 20),
        quote_rows_html(
            [[HOSTILE, f"(reported speech) {HOSTILE}", "", "", HOSTILE, "undated", HOSTILE, "a:q1"]], 1, 1, 1, 50
        ),
    ]
    for page in pages:
        assert "<img" not in page and "&lt;img" in page
    assert "data-speaker='k&#x27;1'" in pages[0]
    assert "<span class='reported'>reported speech</span> &lt;img" in pages[2] and "“&lt;img" not in pages[2]
    assert "(+2)" in pages[0] and re.search(r"1 quote · undated", pages[0])
    assert Counter(re.findall(r"<mark>", pages[1]))["<mark>"] == 1


def test_a_refused_verdict_says_why_in_the_page_escaped():
    """A question across reports refused for want of a decision says which clause or presumption stopped it;
    the clause and the reason carry the user's and the articles' words, so they are escaped."""
    clause = ClauseCheck(text=HOSTILE, status="unknown", reason="no report from Fortune was found for it")
    answer = Answer.refusal("q", clauses=(clause,), undecided=f"cannot decide “{HOSTILE}”: no report")
    parts, footer = answer_parts(answer, 1)
    assert REFUSAL in parts[0] and "No verdict: cannot decide" in footer
    assert "<img" not in footer and "&lt;img" in footer
