"""The served app: one FastAPI application holding the HTTP API (`api.py`), `/healthz` and `/metrics`, with
the Gradio web chat mounted at `/` (`gr.mount_gradio_app`), run by uvicorn.

Behind a reverse proxy that strips a prefix (nginx `location /news/ { proxy_pass http://127.0.0.1:7860/; }`)
give the prefix as `root_path` (`assistant serve --root-path /news`): uvicorn and Gradio then write
every URL under it. See docs/deployment.md.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from typing import Any

from assistant.core import Assistant
from assistant.interfaces.api import ApiError, api_router
from assistant.interfaces.context import Served, Unauthorized
from assistant.interfaces.health import health
from assistant.interfaces.ingest_api import IngestRequestError
from assistant.interfaces.service import REQUEST_ID, new_request_id

log = logging.getLogger(__name__)


class RequestIds:
    """ASGI middleware: every HTTP request gets a request id (the caller's X-Request-Id when it is a plain
    token), visible to the handlers (`REQUEST_ID`) and echoed in the response's X-Request-Id header."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        given = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        request_id = new_request_id(given)
        token = REQUEST_ID.set(request_id)

        async def send_with_id(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"x-request-id"]
                message = message | {"headers": headers + [(b"x-request-id", request_id.encode())]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            REQUEST_ID.reset(token)


def _error_handlers(app: Any) -> None:
    from fastapi.exceptions import RequestValidationError
    from starlette.exceptions import HTTPException

    def shaped(status: int, message: str, kind: str = "invalid_request_error", code: str | None = None) -> Any:
        return ApiError(status, message, kind, code).response()

    app.add_exception_handler(ApiError, lambda _r, exc: exc.response())
    app.add_exception_handler(
        Unauthorized,
        lambda _r, _e: shaped(401, "missing or wrong credentials: send Authorization: Bearer <ASSISTANT_API_KEY>.",
                              "authentication_error", "invalid_api_key"),
    )  # fmt: skip
    app.add_exception_handler(IngestRequestError, lambda _r, exc: shaped(400, str(exc)))
    app.add_exception_handler(
        RequestValidationError,
        lambda _r, exc: shaped(400, "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())),
    )
    app.add_exception_handler(HTTPException, lambda _r, exc: shaped(exc.status_code, str(exc.detail)))


def create_app(bot: Assistant, login: tuple[str, str] | None = None, root_path: str | None = None) -> Any:
    """The FastAPI app (API, health, metrics) with the web chat at `/`; `app.state.served` is the shared part."""
    import gradio as gr
    from fastapi import Depends, FastAPI
    from fastapi.responses import JSONResponse, PlainTextResponse

    from assistant.interfaces.web.app import build
    from assistant.interfaces.web.html import CSS, HEAD

    served = Served(bot, login)
    app = FastAPI(title="News Q&A API", docs_url=None, redoc_url=None, openapi_url="/v1/openapi.json")
    app.state.served = served
    app.add_middleware(RequestIds)
    _error_handlers(app)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> JSONResponse:
        status, body = health(bot, served.metrics)
        return JSONResponse(body, status_code=status)

    @app.get("/metrics", include_in_schema=False, dependencies=[Depends(served.authorize)])
    def metrics() -> PlainTextResponse:
        return PlainTextResponse(served.metrics.render(), media_type="text/plain; version=0.0.4")

    app.include_router(api_router(served))
    demo = build(bot, served)
    demo.queue(default_concurrency_limit=bot.settings.concurrency)
    root = root_path if root_path is not None else bot.settings.root_path
    options = {"show_error": False, "ssr_mode": False, "max_file_size": bot.settings.max_file_bytes}
    gr.mount_gradio_app(app, demo, path="/", auth=login, root_path=root or None, css=CSS, head=HEAD, **options)
    return app


class _ShutdownCancels(logging.Filter):
    """At shutdown uvicorn cancels connections still open after the grace period (a browser's or a client's
    event stream) and logs each as an ASGI exception with a traceback; that is a normal stop, logged as one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[0] is asyncio.CancelledError:
            log.info("closed an open connection at shutdown")
            return False
        return True


def _uvicorn() -> Any:
    import uvicorn

    logging.getLogger("uvicorn.error").addFilter(_ShutdownCancels())

    class Server(uvicorn.Server):
        """uvicorn, optionally in a thread (tests, notebooks): `close()` stops it."""

        thread: threading.Thread | None = None

        def start_in_thread(self) -> Server:
            self.thread = threading.Thread(target=self.run, daemon=True, name="assistant-server")
            self.thread.start()
            deadline = time.time() + 30
            while not self.started:
                if time.time() > deadline or not self.thread.is_alive():
                    raise RuntimeError("the server did not start; is the port free?")
                time.sleep(0.01)
            return self

        def close(self) -> None:
            self.should_exit = True
            if self.thread is not None:
                self.thread.join(timeout=10)

    return Server


def serve(
    bot: Assistant,
    host: str = "127.0.0.1",
    port: int = 7860,
    *,
    login: tuple[str, str] | None = None,
    root_path: str | None = None,
    block: bool = True,
) -> Any:
    """Serve the app; blocks until stopped (Ctrl-C, SIGTERM) unless `block=False`, which returns the running
    server (its `close()` stops it)."""
    import uvicorn

    root = root_path if root_path is not None else bot.settings.root_path
    app = create_app(bot, login, root)
    config = uvicorn.Config(app, host=host, port=port, root_path=root, log_config=None, timeout_graceful_shutdown=10)
    server = _uvicorn()(config)
    where = f"http://{host}:{port}{root}/"
    print(f"News Q&A: {where}  (API: {where}v1, health: {where}healthz)" + ("  login required" if login else ""))
    if not block:
        return server.start_in_thread()
    server.run()
    return server
