"""A scripted OpenAI-compatible server (stdlib only): /v1/chat/completions, streaming and not, answering with
whatever the eval sets as the next reply. The faithfulness suite points the Assistant at it
(ASSISTANT_LLM_BASE_URL) to send a chosen sentence down the same path a real model's answer takes.

    with ScriptedServer() as server:
        server.reply = lambda prompt: "Kuo said supply may remain tight until early 2024."
        bot = Assistant(Settings(engine="llm", llm_base_url=server.url, llm_model="scripted", ...))
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Reply = Callable[[str], str]  # the user prompt the engine sent → the model's answer


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *_: Any) -> None:  # quiet
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
        except json.JSONDecodeError:
            self.send_error(400, "request body is not JSON")
            return
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self.send_error(404, "only /v1/chat/completions is scripted")
            return
        prompt = "\n".join(str(m.get("content", "")) for m in body.get("messages", []) if m.get("role") == "user")
        text = self.server.reply(prompt)
        self.server.prompts.append(prompt)
        if body.get("stream"):
            self._stream(text, body.get("model", "scripted"))
        else:
            self._json(_completion(text, body.get("model", "scripted")))

    def _json(self, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _stream(self, text: str, model: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        words = text.split(" ")
        for i, word in enumerate(words):
            piece = word + (" " if i < len(words) - 1 else "")
            chunk = {
                "id": "chatcmpl-scripted",
                "object": "chat.completion.chunk",
                "created": int(time.time()),
                "model": model,
                "choices": [{"index": 0, "delta": {"role": "assistant", "content": piece}, "finish_reason": None}],
            }
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
        done = {
            "id": "chatcmpl-scripted",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": model,
            "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
        }
        self.wfile.write(f"data: {json.dumps(done)}\n\ndata: [DONE]\n\n".encode())


def _completion(text: str, model: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-scripted",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
    }


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    reply: Reply
    prompts: list[str]


class ScriptedServer:
    """Serves on 127.0.0.1 (a free port) in a daemon thread while the context is open."""

    def __init__(self, reply: Reply | None = None) -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.reply = reply or (lambda _prompt: "")
        self._server.prompts = []
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    @property
    def reply(self) -> Reply:
        return self._server.reply

    @reply.setter
    def reply(self, value: Reply) -> None:
        self._server.reply = value

    @property
    def prompts(self) -> list[str]:
        return self._server.prompts

    def __enter__(self) -> ScriptedServer:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()
