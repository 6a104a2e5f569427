"""The web chat without a browser: HTML escaping and highlighting, streaming chat turns, per-session memory,
upload results, corpus tables, login settings and the `/ask` API (gradio_client). Browser: test_browser.py."""

import datetime as dt
import html
import re
from types import SimpleNamespace

import pytest
from conftest import free_port

from assistant.answer.chat import Conversation
from assistant.errors import ConfigError
from assistant.interfaces.web.app import auth_from_env, build, launch
from assistant.interfaces.web.chat import MAX_SOURCE_TURNS, Session, chat_turn
from assistant.interfaces.web.corpus import CorpusView, ingest_uploads
from assistant.interfaces.web.html import (
    answer_html,
    panel_html,
    passage_html,
    quote_passage_html,
    safe_url,
    source_html,
    speaker_line,
    statement_html,
    turn_html,
    user_html,
    via_phrase,
)
from assistant.models import REFUSAL, Answer, Article, Citation, Quote

HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">'
TEXT = "First paragraph about nothing.\nSecond one: “the quoted words” said someone, then more.\nThird."


def hostile_citation(**update) -> Citation:
    cite = Citation(
        id=1,
        article_id="a",
        outlet=HOSTILE,
        title=HOSTILE,
        published=None,
        url="javascript:alert(3)",
        quote=HOSTILE,
        start=0,
        end=len(HOSTILE),
        speaker=HOSTILE,
        speaker_role=HOSTILE,
        via=HOSTILE,
    )
    return cite.model_copy(update=update)


def assert_inert(page: str) -> None:
    assert "<script" not in page and "<img" not in page and "javascript:" not in page and 'onerror="' not in page


# -- HTML (unit) -----------------------------------------------------------------------------------
@pytest.mark.unit
def test_everything_from_articles_and_users_is_escaped():
    cite = hostile_citation()
    article = Article(id="a", text=HOSTILE + "\nmore", title=HOSTILE, outlet=HOSTILE)
    answer = Answer(
        question=HOSTILE, answer=f"{HOSTILE} [1]", refused=False, citations=(cite,), filters={"outlet": HOSTILE}
    )
    pages = [
        answer_html(answer, 0),
        turn_html(answer, 0, {"a": article}),
        source_html(cite, 0, None),
        user_html(HOSTILE),
        quote_passage_html(
            article, Quote(id="q", article_id="a", text=HOSTILE, start=0, end=len(HOSTILE), speaker=HOSTILE)
        ),
    ]
    for page in pages:
        assert_inert(page)
        assert "&lt;script&gt;" in page
    assert "<mark>&lt;script&gt;" in turn_html(answer, 0, {"a": article})


@pytest.mark.unit
def test_only_http_urls_become_links():
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    for bad in ("javascript:alert(1)", "data:text/html,x", "/relative", 'https://x.org/"onmouseover=', None, ""):
        assert safe_url(bad) is None
    linked = source_html(hostile_citation(url="https://example.org/a", title="T"), 0, None)
    assert '<a href="https://example.org/a" target="_blank" rel="noopener noreferrer nofollow">T</a>' in linked


@pytest.mark.unit
def test_unknown_outlet_and_narration_are_said_plainly():
    page = source_html(hostile_citation(outlet=None, speaker=None, speaker_role=None, via=None), 3, None)
    assert "outlet not stated" in page and "no speaker" in page and "id='src-3-1'" in page


@pytest.mark.unit
def test_speaker_line_names_role_and_medium():
    assert speaker_line("Karam Shaar", "researcher, New Lines Institute", "Libération") == (
        "Karam Shaar — researcher, New Lines Institute — to Libération"
    )
    assert speaker_line("Charles Lister", None, "X") == "Charles Lister — on X"
    assert speaker_line("Cal Moss", None, None, "indirect") == "Cal Moss — reported speech (paraphrase)"
    assert speaker_line("Cal Moss", None, None, "direct") == "Cal Moss"
    assert via_phrase("press release") == "in a press release"
    assert via_phrase("AFP") == "to AFP"


@pytest.mark.unit
def test_passage_marks_exactly_the_cited_span_inside_its_paragraph():
    start = TEXT.index("“the")
    end = TEXT.index("”") + 1
    page = passage_html(TEXT, start, end)
    assert re.search(r"<mark>(.*)</mark>", page).group(1) == "“the quoted words”"
    assert page.startswith("Second one: ") and page.endswith("then more.")
    long = "word " * 2000 + "TARGET" + " word" * 2000
    trimmed = passage_html(long, long.index("TARGET"), long.index("TARGET") + 6, max_chars=200)
    assert "<mark>TARGET</mark>" in trimmed and len(trimmed) < 260 and trimmed.startswith("…") and trimmed.endswith("…")
    assert passage_html(TEXT, 5, 999) == ""


@pytest.mark.unit
def test_trailing_markers_become_chips_and_quoted_brackets_stay_text():
    line = "He said: “In many ways, [Bachar al-Assad] was weak [2]” [1][3]"
    page = statement_html(line, 4, {1, 2, 3})
    assert page.count('class="chip"') == 2 and 'href="#src-4-1"' in page and 'href="#src-4-3"' in page
    assert "[Bachar al-Assad] was weak [2]”" in page
    assert 'class="chip"' not in statement_html("Claim [7]", 0, {1})


@pytest.mark.unit
def test_refusal_filters_and_follow_up_are_shown_on_the_answer():
    refused = Answer.refusal("q", filters={"since": "2025-01-01"}, standalone_question="What did Lister say?")
    page = answer_html(refused, 0)
    assert "class='refusal'" in page and REFUSAL in page
    assert "Filters: since: 2025-01-01" in page and "Understood as: What did Lister say?" in page
    assert "No sources" in turn_html(refused, 0, {})


@pytest.mark.unit
def test_panel_shows_the_latest_turn():
    assert "Sources appear here" in panel_html([])
    sections = [turn_html(Answer.refusal(f"q{i}"), i, {}) for i in range(3)]
    page = panel_html(sections)
    assert page.count("class='turn current'") == 1 and "id='turn-2'" in page.split("current")[1][:20]


@pytest.mark.unit
def test_login_comes_from_both_variables_or_none():
    assert auth_from_env({}) is None
    assert auth_from_env({"ASSISTANT_UI_USER": "ann", "ASSISTANT_UI_PASSWORD": "pw"}) == ("ann", "pw")
    with pytest.raises(ConfigError, match="both"):
        auth_from_env({"ASSISTANT_UI_USER": "ann"})


@pytest.mark.unit
def test_long_sessions_keep_sources_for_recent_turns_only():
    fake_bot = SimpleNamespace(store=SimpleNamespace(get_articles=lambda ids: {}))
    session = Session(Conversation(lambda q, **_: Answer.refusal(q), max_turns=2))
    for i in range(MAX_SOURCE_TURNS + 2):
        list(chat_turn(fake_bot, session, f"question {i}", {}))
    assert len(session.sections) == MAX_SOURCE_TURNS + 2 and session.sections[:2] == ["", ""]
    assert f"id='turn-{MAX_SOURCE_TURNS + 1}'" in panel_html(session.sections).split("turn current")[1][:40]
    assert len(session.messages) == 2 * (MAX_SOURCE_TURNS + 2)


# -- chat turns, corpus, uploads (real store) -------------------------------------------------------
@pytest.mark.integration
def test_chat_turn_streams_statements_and_fills_the_panel(seeded_bot):
    session = Session(seeded_bot.conversation())
    steps = [
        s.messages[-1]["content"]
        for s in chat_turn(seeded_bot, session, "How many people have died in the offensive?", {})
    ]
    assert "Searching" in steps[0]
    assert len(steps) >= 3 and steps[1].count("class='stmt'") == 1 and steps[-1].count("class='stmt'") >= 2
    assert all("answer streaming" in step for step in steps[1:-1]) and "streaming" not in steps[-1]
    assert len(session.sections) == 1 and "<mark>" in session.sections[0]
    answer = session.conversation.history[-1].answer
    for c in answer.citations:
        assert f"id='src-0-{c.id}'" in session.sections[0]
    quote = re.search(r"<mark>(.*?)</mark>", session.sections[0], re.S).group(1)
    assert quote == html.escape(answer.citations[0].quote)  # the mark holds the verbatim quote, escaped


@pytest.mark.integration
def test_sessions_keep_their_own_memory(seeded_bot):
    first, second = Session(seeded_bot.conversation()), Session(seeded_bot.conversation())
    list(chat_turn(seeded_bot, first, "Who is Charles Lister?", {}))
    list(chat_turn(seeded_bot, first, "What did he say about the armed opposition?", {}))
    assert "Understood as: What did Charles Lister say about the armed opposition?" in first.messages[-1]["content"]
    assert "round 2" in first.messages[-1]["content"]
    list(chat_turn(seeded_bot, second, "What did he say about the armed opposition?", {}))
    assert "Understood as" not in second.messages[-1]["content"]
    assert len(first.messages) == 4 and len(second.messages) == 2


@pytest.mark.integration
def test_bad_filters_show_the_error_and_record_no_turn(seeded_bot):
    session = Session(seeded_bot.conversation())
    list(chat_turn(seeded_bot, session, "What did Charles Lister say?", {"since": "last tuesday-ish"}))
    assert "class='error'" in session.messages[-1]["content"] and "YYYY-MM-DD" in session.messages[-1]["content"]
    assert session.sections == [] and session.conversation.history == []


@pytest.mark.integration
def test_bad_uploads_get_a_clear_error_each(seeded_bot, tmp_path):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "broken.json").write_text('{"title": ')
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "memo.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "front.md").write_text("---\nheadline: x\n---\nBody.")
    before = seeded_bot.store.counts()
    seen = []
    rows = ingest_uploads(seeded_bot, [str(p) for p in sorted(tmp_path.iterdir())], lambda f, d: seen.append(f))
    results = {row[0]: row for row in rows}
    assert {r[1] for r in rows} == {"error"} and seeded_bot.store.counts() == before
    assert "invalid JSON" in results["broken.json"][6] and "empty" in results["empty.txt"][6]
    assert "not a readable PDF" in results["scan.pdf"][6] and "front-matter" in results["front.md"][6]
    assert "unsupported type .docx" in results["memo.docx"][6]
    assert all(str(tmp_path) not in r[6] for r in rows)  # named by file name, not by the server's temp path
    assert seen[-1] == 1.0 and seen == sorted(seen)


@pytest.mark.integration
def test_corpus_view_lists_articles_quotes_and_chunk_counts(seeded_bot):
    snap = CorpusView(seeded_bot).snapshot()
    (row,) = [r for r in snap.article_rows() if r[2].startswith("HTS Islamists")]
    chunks = [c for c in seeded_bot.store.iter_chunks() if c.article_id == row[-1]]
    assert row[0] == "outlet not stated" and row[1] == "2024-11-30" and row[4] == len(chunks) > 0 and row[3] > 10
    shaar = snap.quote_rows("shaar")
    assert shaar and all(r[0] == "Karam Shaar" and r[3] == "Libération" for r in shaar)
    assert snap.quote_rows("libération") == shaar  # search covers the medium too
    assert "Charles Lister" in snap.speakers and snap.quote_rows("no such words at all") == []


# -- the served app (HTTP) --------------------------------------------------------------------------
@pytest.mark.e2e
def test_app_answers_through_its_api(seeded_bot):
    from gradio_client import Client

    demo = build(seeded_bot)
    port = free_port()
    demo.queue().launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    try:
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        assert sorted(client.view_api(print_info=False, return_format="dict")["named_endpoints"]) == ["/ask", "/chat"]
        answer = client.predict("What did Charles Lister say on X?", "", "", "", "", api_name="/ask")
        assert answer["citations"][0]["speaker"] == "Charles Lister" and answer["citations"][0]["via"] == "X"
        assert dt.date.fromisoformat(answer["citations"][0]["published"]) == dt.date(2024, 11, 30)
        refused = client.predict("Who won the World Cup in 2022?", "", "", "", "", api_name="/ask")
        assert refused["refused"] is True
        filtered = client.predict("What did Charles Lister say on X?", "", "", "2025-01-01", "", api_name="/ask")
        assert filtered["refused"] is True and filtered["filters"] == {"since": "2025-01-01"}
        error = client.predict("", "", "", "", "", api_name="/ask")
        assert "empty" in error["error"]
    finally:
        demo.close()


@pytest.mark.e2e
def test_login_is_required_when_configured(seeded_bot, monkeypatch):
    import httpx
    from gradio_client import Client

    monkeypatch.setenv("ASSISTANT_UI_USER", "ann")
    monkeypatch.setenv("ASSISTANT_UI_PASSWORD", "s3cret")
    port = free_port()
    demo = launch(seeded_bot, port=port, prevent_thread_lock=True)
    try:
        url = f"http://127.0.0.1:{port}"
        assert httpx.get(f"{url}/config").status_code == 401
        assert httpx.post(f"{url}/login", data={"username": "ann", "password": "wrong"}).status_code == 400
        client = Client(f"{url}/", auth=("ann", "s3cret"), verbose=False)
        assert client.predict("Who won the World Cup in 2022?", "", "", "", "", api_name="/ask")["refused"] is True
    finally:
        demo.close()


@pytest.mark.integration
def test_quotes_tab_labels_reported_speech(seeded_bot):
    snap = CorpusView(seeded_bot).snapshot()
    kinds = {q.id: q.kind for _, q in snap.quotes.values()}
    rows = snap.quote_rows()
    assert {kinds[r[-1]] for r in rows} == {"direct", "indirect"}  # the seed has both
    for row in rows:
        assert row[1].startswith("(reported speech) ") == (kinds[row[-1]] == "indirect")
