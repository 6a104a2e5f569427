"""The HTTP API of the served app, against a real running server (uvicorn, real store, real embedder): the
OpenAI-compatible chat through the `openai` client and llama-index's `OpenAILike`, streaming included; ingest,
articles, export, feedback; the bearer key; the concurrency limit; request ids."""

import threading

import httpx
import pytest
from conftest import CORPUS, ROOT, assert_answer_contract, free_port
from pydantic import SecretStr

from assistant import REFUSAL, Assistant, Settings
from assistant.interfaces.api import MODEL_ID
from assistant.interfaces.web.app import launch
from assistant.models import Answer

pytestmark = [pytest.mark.integration, pytest.mark.slow]
QUESTION = "What did Charles Lister say on X?"
UPLOAD = ROOT / "tests" / "data" / "velmar-ferry.md"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """An open server (no key) over its own store with the shipped corpus (the tests ingest into it)."""
    bot = Assistant(Settings(data_dir=tmp_path_factory.mktemp("api")))
    bot.ingest([CORPUS])
    port = free_port()
    running = launch(bot, port=port, prevent_thread_lock=True)
    yield f"http://127.0.0.1:{port}", bot
    running.close()


@pytest.fixture(scope="module")
def locked(server):
    """The same store served with a bearer key and one answer slot (waits at most 1 s for it)."""
    settings = server[1].settings.model_copy(update={"api_key": SecretStr("k-123"), "concurrency": 1})
    bot = Assistant(settings.model_copy(update={"queue_timeout": 1.0}))
    port = free_port()
    running = launch(bot, port=port, prevent_thread_lock=True)
    yield f"http://127.0.0.1:{port}", bot, running
    running.close()


def openai_client(url: str, key: str = "unused"):
    from openai import OpenAI

    return OpenAI(base_url=f"{url}/v1", api_key=key, max_retries=0, timeout=60)


def test_openai_client_gets_a_cited_answer(server):
    url, bot = server
    client = openai_client(url)
    assert [m.id for m in client.models.list()] == [MODEL_ID]
    response = client.chat.completions.create(model=MODEL_ID, messages=[{"role": "user", "content": QUESTION}])
    text = response.choices[0].message.content
    answer = Answer.model_validate(response.model_extra["answer"])
    assert text == answer.answer and "[1]" in text and "Charles Lister" in text
    citations = response.model_extra["citations"]
    assert citations == [c.model_dump(mode="json") for c in answer.citations]
    assert (citations[0]["speaker"], citations[0]["via"], citations[0]["published"]) == (
        "Charles Lister",
        "X",
        "2024-11-30",
    )
    assert_answer_contract(answer, bot.store.get_articles([c.article_id for c in answer.citations]))
    assert answer == bot.ask(QUESTION)  # the same Answer the Python API gives


def test_openai_client_streams_verified_statements_then_the_citations(server):
    url, bot = server
    stream = openai_client(url).chat.completions.create(
        model=MODEL_ID, messages=[{"role": "user", "content": "Which countries support Bashar al-Assad?"}], stream=True
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    last = chunks[-1]
    assert last.choices[0].finish_reason == "stop" and all(c.choices[0].finish_reason is None for c in chunks[:-1])
    answer = Answer.model_validate(last.model_extra["answer"])
    assert text == answer.answer and "Russia, Iran and Hezbollah" in text and "[1]" in text
    assert last.model_extra["citations"] == [c.model_dump(mode="json") for c in answer.citations]
    assert len({c.id for c in chunks}) == 1 and chunks[0].id.startswith("chatcmpl-")
    refused = list(
        openai_client(url).chat.completions.create(
            model=MODEL_ID, messages=[{"role": "user", "content": "Who won the World Cup in 2022?"}], stream=True
        )
    )
    assert "".join(c.choices[0].delta.content or "" for c in refused) == REFUSAL
    assert refused[-1].model_extra["citations"] == [] and refused[-1].model_extra["answer"]["refused"] is True


def test_llama_index_openailike_as_a_client(server):
    from llama_index.core.llms import ChatMessage
    from llama_index.llms.openai_like import OpenAILike

    llm = OpenAILike(
        model=MODEL_ID, api_base=f"{server[0]}/v1", api_key="unused", is_chat_model=True, max_retries=0, timeout=60
    )
    reply = llm.chat([ChatMessage(role="user", content=QUESTION)])
    assert "Charles Lister" in reply.message.content and "[1]" in reply.message.content
    assert reply.raw.model_extra["citations"][0]["speaker"] == "Charles Lister"  # raw: the ChatCompletion
    streamed = list(llm.stream_chat([ChatMessage(role="user", content=QUESTION)]))
    assert streamed[-1].message.content == reply.message.content
    assert "".join(r.delta or "" for r in streamed) == reply.message.content


def test_earlier_messages_are_the_conversation(server):
    messages = [
        {"role": "system", "content": "ignored: the server's rules apply"},
        {"role": "user", "content": "Who is Charles Lister?"},
        {"role": "assistant", "content": "Charles Lister, expert at the Middle East Institute … [1]"},
        {"role": "user", "content": [{"type": "text", "text": "What did he say about the armed opposition?"}]},
    ]
    response = openai_client(server[0]).chat.completions.create(model=MODEL_ID, messages=messages)
    answer = response.model_extra["answer"]
    assert answer["standalone_question"] == "What did Charles Lister say about the armed opposition?"
    assert "round 2" in response.choices[0].message.content


def test_errors_are_openai_shaped(server):
    import openai

    client = openai_client(server[0])
    with pytest.raises(openai.NotFoundError, match="news-assistant"):
        client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": QUESTION}])
    with pytest.raises(openai.BadRequestError, match="empty"):
        client.chat.completions.create(model=MODEL_ID, messages=[{"role": "user", "content": "  "}])
    with pytest.raises(openai.BadRequestError, match="last message"):
        client.chat.completions.create(model=MODEL_ID, messages=[{"role": "assistant", "content": "hi"}])
    with pytest.raises(openai.BadRequestError, match="since"):
        client.chat.completions.create(
            model=MODEL_ID, messages=[{"role": "user", "content": QUESTION}], extra_body={"filters": {"since": "soon"}}
        )
    filtered = client.chat.completions.create(
        model=MODEL_ID,
        messages=[{"role": "user", "content": QUESTION}],
        extra_body={"filters": {"since": "2025-01-01"}},
    )
    assert filtered.model_extra["answer"]["refused"] and filtered.model_extra["answer"]["filters"] == {
        "since": "2025-01-01"
    }


def test_ingest_files_and_records_then_list_and_ask(server):
    url, _ = server
    record = {"title": "Dam report", "source": "Rivertown Post", "published_at": "2024-12-07", "body": (
        "The Kessel dam will reopen in March, officials said.\n"
        "“The repairs are finished and the turbines are tested,” said Orla Venn, chief engineer of the dam, "
        "to the Rivertown Post."
    )}  # fmt: skip
    got = httpx.post(f"{url}/v1/ingest", json={"articles": [record, {"title": "no body"}]}, timeout=120).json()
    assert got["articles_added"] == 1 and got["items"][0]["result"] == "added"
    assert any("articles.jsonl:2" in e for e in got["items"][0]["errors"])  # the bad record, by its position
    files = [("files", ("velmar-ferry.md", UPLOAD.read_bytes())), ("files", ("notes.exe", b"MZ"))]
    got = httpx.post(f"{url}/v1/ingest", files=files, timeout=120).json()
    assert [i["result"] for i in got["items"]] == ["added", "error"] and "unsupported type" in got["items"][1][
        "errors"
    ][0]
    again = httpx.post(f"{url}/v1/ingest", files=files[:1], timeout=120).json()
    assert again["items"][0]["result"] == "already stored" and again["articles_added"] == 0
    refused = httpx.post(f"{url}/v1/ingest", json={"urls": ["file:///etc/passwd", "/etc/hosts"]}, timeout=30).json()
    assert [i["result"] for i in refused["items"]] == ["error", "error"]
    assert all("not an http(s) URL" in i["errors"][0] for i in refused["items"])
    assert httpx.post(f"{url}/v1/ingest", json={"paths": ["/etc"]}).status_code == 400
    listed = httpx.get(f"{url}/v1/articles", params={"outlet": "velmar courier"}).json()
    assert listed["total"] == 1 and listed["data"][0]["title"] == "Ferry strike halts crossings to Port Velmar"
    assert "text" not in listed["data"][0] and listed["data"][0]["quotes"] >= 1
    assert httpx.get(f"{url}/v1/articles", params={"limit": 0}).status_code == 400
    answer = openai_client(url).chat.completions.create(
        model=MODEL_ID, messages=[{"role": "user", "content": "What did Orla Venn say about the repairs?"}]
    )
    assert answer.model_extra["citations"][0]["outlet"] == "Rivertown Post"


def test_export_and_feedback_endpoints(server):
    url, bot = server
    answer = bot.ask(QUESTION)
    md = httpx.post(f"{url}/v1/export", json={"answers": [answer.model_dump(mode="json")]})
    assert md.headers["content-type"].startswith("text/markdown") and "[^1.1]: " in md.text
    assert "Speaker: Charles Lister, role: expert at the Middle East Institute, medium: on X." in md.text
    js = httpx.post(f"{url}/v1/export", json={"answers": [answer.model_dump(mode="json")], "format": "json"}).json()
    assert Answer.model_validate(js["turns"][0]) == answer
    rated = httpx.post(f"{url}/v1/feedback", json={"answer": answer.model_dump(mode="json"), "rating": 1}).json()
    stored = {f.id: f for f in bot_feedback(bot)}
    assert stored[rated["id"]].rating == 1 and stored[rated["id"]].answer == answer
    assert httpx.post(f"{url}/v1/feedback", json={"answer": {}, "rating": 5}).status_code == 400


def bot_feedback(bot):
    from assistant.interfaces.feedback import FeedbackStore

    return FeedbackStore(bot.settings.data_dir).all()


def test_bearer_key_guards_the_api_but_not_the_health_probe(locked):
    import openai

    url = locked[0]
    with pytest.raises(openai.AuthenticationError):
        openai_client(url, "wrong").models.list()
    assert httpx.get(f"{url}/v1/articles").status_code == 401
    assert httpx.get(f"{url}/metrics").status_code == 401
    assert httpx.get(f"{url}/healthz").status_code == 200
    response = openai_client(url, "k-123").chat.completions.create(
        model=MODEL_ID, messages=[{"role": "user", "content": QUESTION}]
    )
    assert response.model_extra["citations"][0]["speaker"] == "Charles Lister"
    assert "assistant_questions_total" in httpx.get(f"{url}/metrics", headers={"Authorization": "Bearer k-123"}).text


def test_concurrency_limit_turns_away_what_cannot_wait(locked):
    """One slot, taken by an answer in progress (a stream paused after its first statement, as a slow model
    would be): an API question waits 1 s, then gets 503 busy; once that answer ends, questions pass again."""
    url, bot, running = locked
    served = running.config.app.state.served
    headers = {"Authorization": "Bearer k-123"}
    body = {"model": MODEL_ID, "messages": [{"role": "user", "content": QUESTION}]}
    in_progress = served.answers.stream(bot.ask_stream, QUESTION, {}, "web", wait=True)
    assert isinstance(next(in_progress), str)  # its first verified statement: the slot is taken
    busy = httpx.post(f"{url}/v1/chat/completions", json=body, headers=headers, timeout=30)
    assert busy.status_code == 503 and busy.json()["error"]["code"] == "busy"
    streamed = httpx.post(f"{url}/v1/chat/completions", json=body | {"stream": True}, headers=headers, timeout=30)
    assert streamed.status_code == 503  # a stream is refused before it starts, not broken halfway
    assert isinstance(list(in_progress)[-1], Answer)  # the answer ends and frees its slot
    again = httpx.post(f"{url}/v1/chat/completions", json=body, headers=headers, timeout=60)
    assert again.status_code == 200 and again.headers["x-request-id"] == again.json()["id"].removeprefix("chatcmpl-")
    assert 'assistant_busy_total{channel="api"} 2' in httpx.get(f"{url}/metrics", headers=headers).text


def test_request_ids_are_echoed_and_logged_per_answer(server, caplog):
    import logging

    caplog.set_level(logging.INFO, logger="assistant.answers")
    body = {"model": MODEL_ID, "messages": [{"role": "user", "content": QUESTION}]}
    response = httpx.post(
        f"{server[0]}/v1/chat/completions", json=body, headers={"X-Request-Id": "trace-42"}, timeout=60
    )
    assert response.headers["x-request-id"] == "trace-42" and response.json()["id"] == "chatcmpl-trace-42"
    (record,) = [r for r in caplog.records if getattr(r, "request_id", None) == "trace-42"]
    assert (record.channel, record.refused, record.citations) == ("api", False, 1) and record.latency_ms > 0
    assert QUESTION not in record.getMessage()  # questions are not logged at INFO
    evil = httpx.get(f"{server[0]}/healthz", headers={"X-Request-Id": "a b<script>"})
    assert evil.headers["x-request-id"] != "a b<script>" and len(evil.headers["x-request-id"]) == 16


def test_parallel_api_questions_all_get_their_own_answer(server):
    questions = [QUESTION, "Which countries support Bashar al-Assad?", "Who won the World Cup in 2022?"] * 2
    results: dict[int, dict] = {}

    def ask(i: int) -> None:
        body = {"model": MODEL_ID, "messages": [{"role": "user", "content": questions[i]}]}
        results[i] = httpx.post(f"{server[0]}/v1/chat/completions", json=body, timeout=120).json()

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(len(questions))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i, question in enumerate(questions):
        assert results[i]["answer"]["question"] == question
    assert results[2]["answer"]["refused"] and not results[0]["answer"]["refused"]
