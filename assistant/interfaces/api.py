"""The HTTP API served next to the web chat: an OpenAI-compatible chat endpoint whose answers keep their
citations, and REST endpoints for ingest, articles, exports and feedback.

    POST /v1/chat/completions   OpenAI chat format, streaming or not. The message text carries the [n]
                                markers; the response carries `citations` (the Answer contract's array) and
                                `answer` (the whole Answer JSON) as extra top-level fields — in streaming, on
                                the last chunk, because a statement's sources are final only once the
                                verifier has seen the whole answer. Optional extra body field `filters`
                                ({"outlet", "speaker", "since", "until"}).
    GET  /v1/models             the one model this server answers as (`MODEL_ID`)
    POST /v1/ingest             multipart `files` (the types `assistant ingest` reads) or JSON
                                {"articles": [records like a .jsonl line], "urls": ["https://…"]}
    GET  /v1/articles           stored articles (metadata and quote counts), `?limit=&offset=&outlet=`
    POST /v1/export             {"answers": [Answer JSON…], "format": "markdown" | "json"}
    POST /v1/feedback           {"answer": Answer JSON, "rating": 1 | -1 | 0, "comment": "…"}

Authentication is the web chat's: `Authorization: Bearer <ASSISTANT_API_KEY>` when that key is set, or HTTP
Basic with the web login when one is set; with neither, the API is open (the server then binds loopback
only). `/healthz` and `/metrics` are in `assistant.interfaces.server`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from assistant.errors import AssistantError, QuestionError
from assistant.interfaces.context import Served
from assistant.interfaces.export import conversation_json, conversation_markdown
from assistant.interfaces.ingest_api import ingest_request
from assistant.interfaces.service import REQUEST_ID, BusyError, new_request_id
from assistant.models import Answer

MODEL_ID = "news-assistant"
MAX_MESSAGES = 200


class ApiError(Exception):
    """An error the API returns in OpenAI's shape: {"error": {"message", "type", "code", "param"}}."""

    def __init__(self, status: int, message: str, kind: str = "invalid_request_error", code: str | None = None):
        super().__init__(message)
        self.status, self.message, self.kind, self.code = status, message, kind, code

    def response(self) -> JSONResponse:
        body = {"error": {"message": self.message, "type": self.kind, "code": self.code, "param": None}}
        headers = {"WWW-Authenticate": "Bearer"} if self.status == 401 else None
        return JSONResponse(body, status_code=self.status, headers=headers)


class Message(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: str
    content: str | list[dict[str, Any]] | None = None

    @property
    def text(self) -> str:
        if isinstance(self.content, list):  # [{"type": "text", "text": …}, …]
            return " ".join(str(p.get("text", "")) for p in self.content if p.get("type") == "text")
        return self.content or ""


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="allow")  # temperature, max_tokens, …: accepted and ignored
    model: str
    messages: list[Message] = Field(min_length=1, max_length=MAX_MESSAGES)
    stream: bool = False
    filters: dict[str, str] = Field(default_factory=dict)


class ExportRequest(BaseModel):
    answers: list[Answer] = Field(max_length=500)
    format: Literal["markdown", "json"] = "markdown"
    title: str = Field("News Q&A conversation", max_length=200)


class FeedbackRequest(BaseModel):
    answer: Answer
    rating: Literal[-1, 0, 1]
    comment: str | None = Field(None, max_length=2000)
    conversation_id: str | None = Field(None, max_length=100, description="Groups ratings; one per answer.")
    history: list[str] = Field(default_factory=list, max_length=50, description="Earlier questions, in order.")


def _conversation(served: Served, messages: list[Message]) -> tuple[Any, str]:
    """A conversation holding the earlier turns of `messages`, and the last user question."""
    turns = [m for m in messages if m.role in {"user", "assistant"}]
    if not turns or turns[-1].role != "user":
        raise ApiError(400, "the last message must be the user's question (role 'user').", code="no_question")
    conversation = served.bot.conversation()
    pending: str | None = None
    for m in turns[:-1]:
        if m.role == "user":
            pending = m.text
        elif pending is not None:
            conversation.remember(pending, m.text)
            pending = None
    return conversation, turns[-1].text


def _completion(rid: str, model: str, answer: Answer) -> dict[str, Any]:
    message = {"role": "assistant", "content": answer.answer}
    return {
        "id": f"chatcmpl-{rid}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
        "citations": [c.model_dump(mode="json") for c in answer.citations],
        "answer": answer.model_dump(mode="json"),
    }


def _chunk(rid: str, model: str, delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
    body = {
        "id": f"chatcmpl-{rid}",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(body | extra, ensure_ascii=False)}\n\n"


def _sse(rid: str, model: str, first: str | Answer, items: Iterator[str | Answer]) -> Iterator[str]:
    """Server-sent events: a role chunk, one chunk per verified statement, the last chunk with the citations."""
    yield _chunk(rid, model, {"role": "assistant", "content": ""})
    sent = 0
    try:
        for item in [first] if isinstance(first, Answer) else _chain(first, items):
            if isinstance(item, Answer):
                if item.refused:
                    yield _chunk(rid, model, {"content": item.answer})
                citations = [c.model_dump(mode="json") for c in item.citations]
                yield _chunk(rid, model, {}, "stop", citations=citations, answer=item.model_dump(mode="json"))
                break
            yield _chunk(rid, model, {"content": ("\n" if sent else "") + item})
            sent += 1
    except AssistantError as exc:
        yield f"data: {json.dumps({'error': {'message': str(exc), 'type': 'invalid_request_error'}})}\n\n"
    except Exception:  # logged by the AnswerService; the client gets a message, not a traceback
        yield f"data: {json.dumps({'error': {'message': 'answering failed', 'type': 'server_error'}})}\n\n"
    yield "data: [DONE]\n\n"


def _chain(first: str, rest: Iterator[str | Answer]) -> Iterator[str | Answer]:
    yield first
    yield from rest


def chat_completions(served: Served, body: ChatRequest) -> Response:
    """One question (the last user message) answered with the earlier messages as its conversation."""
    if body.model != MODEL_ID:
        message = f"unknown model {body.model!r}; this server answers as {MODEL_ID!r}."
        raise ApiError(404, message, code="model_not_found")
    conversation, question = _conversation(served, body.messages)
    rid = REQUEST_ID.get() or new_request_id()
    try:  # errors (empty question, bad filter, busy) become an HTTP status, not a broken stream
        if not body.stream:
            answer = served.answers.ask(conversation.ask, question, body.filters, "api", request_id=rid)
            return JSONResponse(_completion(rid, body.model, answer), headers={"X-Request-Id": rid})
        items = served.answers.stream(conversation.ask_stream, question, body.filters, "api", request_id=rid)
        first = next(items)
    except BusyError as exc:
        raise ApiError(503, str(exc), "server_error", "busy") from None
    except AssistantError as exc:
        raise ApiError(400, str(exc), code="bad_question" if isinstance(exc, QuestionError) else None) from None
    headers = {"Cache-Control": "no-cache", "X-Request-Id": rid}
    return StreamingResponse(_sse(rid, body.model, first, items), media_type="text/event-stream", headers=headers)


def article_rows(served: Served, limit: int, offset: int, outlet: str | None) -> dict[str, Any]:
    articles = [a for a in served.bot.articles() if not outlet or (a.outlet or "").casefold() == outlet.casefold()]
    page = articles[offset : offset + limit]
    rows = [a.model_dump(mode="json", exclude={"text", "quotes"}) | {"quotes": len(a.quotes)} for a in page]
    return {"object": "list", "total": len(articles), "offset": offset, "data": rows}


def api_router(served: Served) -> APIRouter:
    """The /v1 routes, each behind the served app's authentication."""
    router = APIRouter(prefix="/v1", dependencies=[Depends(served.authorize)])

    @router.get("/models")
    def models() -> dict[str, Any]:
        model = {"id": MODEL_ID, "object": "model", "created": int(served.metrics.started), "owned_by": "local"}
        return {"object": "list", "data": [model]}

    @router.post("/chat/completions")
    def completions(body: ChatRequest) -> Response:
        return chat_completions(served, body)

    @router.post("/ingest")
    async def ingest(request: Request) -> dict[str, Any]:
        return await ingest_request(served, request)

    @router.get("/articles")
    def articles(limit: int = 100, offset: int = 0, outlet: str | None = None) -> dict[str, Any]:
        if not (1 <= limit <= 1000 and offset >= 0):
            raise ApiError(400, "use 1 <= limit <= 1000 and offset >= 0.")
        return article_rows(served, limit, offset, outlet)

    @router.post("/export")
    def export(body: ExportRequest) -> Response:
        if body.format == "json":
            return Response(conversation_json(body.answers), media_type="application/json")
        return Response(conversation_markdown(body.answers, body.title), media_type="text/markdown; charset=utf-8")

    @router.post("/feedback")
    def feedback(body: FeedbackRequest) -> dict[str, Any]:
        session = body.conversation_id or new_request_id()
        turn = len(body.history)
        fid = served.feedback.rate(session, turn, body.answer, body.rating, history=body.history, channel="api")
        if body.comment:
            served.feedback.comment(fid, body.comment)
        served.metrics.inc("assistant_feedback_total", rating={1: "up", -1: "down", 0: "cleared"}[body.rating])
        return {"id": fid, "conversation_id": session}

    return router
