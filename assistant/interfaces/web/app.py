"""The web app (Gradio Blocks): a thin adapter over Assistant, launched by `app.py` and `assistant serve`.

One module per tab — chat.py (Chat, plus the /ask and /chat API), corpus.py (Corpus and Quotes),
evaluation.py (Evaluation) — and html.py for every piece of markup, which escapes everything from articles
and users. This module assembles the tabs and serves them.
"""

import logging
import os
from typing import Any

from assistant.core import Assistant
from assistant.errors import ConfigError
from assistant.interfaces.context import Served
from assistant.interfaces.web.chat import build_chat_tab, wire_chat
from assistant.interfaces.web.corpus import CorpusView, build_corpus_tab, wire_corpus
from assistant.interfaces.web.evaluation import build_eval_tab
from assistant.interfaces.web.quotes import QuoteBrowser, build_quotes_tab, wire_quotes
from assistant.interfaces.web.review import build_review_row, wire_review

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
log = logging.getLogger(__name__)
LOOPBACK_NAMES = {"localhost", "ip6-localhost"}


def auth_from_env(env: dict[str, str] | os._Environ = os.environ) -> tuple[str, str] | None:
    """Optional login: ASSISTANT_UI_USER and ASSISTANT_UI_PASSWORD (both or neither; surrounding spaces, as a
    shell or an .env file leaves them, are not part of either)."""
    user, password = env.get("ASSISTANT_UI_USER", "").strip(), env.get("ASSISTANT_UI_PASSWORD", "").strip()
    if not user and not password:
        return None
    if not (user and password):
        raise ConfigError("set both ASSISTANT_UI_USER and ASSISTANT_UI_PASSWORD to require a login, or neither.")
    return user, password


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and localhost: reachable from this machine only."""
    import ipaddress

    if host.strip().lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def check_exposure(host: str, auth: tuple[str, str] | None, insecure: bool = False) -> None:
    """Beyond loopback, anyone who reaches the app can upload, delete and start evaluations: a login is
    required unless the operator says otherwise (`--insecure`, e.g. behind their own authenticating proxy)."""
    if auth is None and not insecure and not is_loopback(host):
        raise ConfigError(
            f"serving on {host} would let anyone who reaches it upload and delete articles: set "
            "ASSISTANT_UI_USER and ASSISTANT_UI_PASSWORD to require a login, or pass --insecure to serve "
            "without one (only behind your own access control)."
        )


def build(bot: Assistant, served: Served | None = None) -> Any:
    """The Blocks app: four tabs, their events, and the page-load refresh of the store's tables. `served` is
    the served app's shared part (answer slots, metrics, feedback store); a fresh one when not given."""
    import gradio as gr

    served = served or Served(bot)
    corpus = CorpusView(bot)
    with gr.Blocks(title="News Q&A — cited answers") as demo:
        gr.Markdown("## News Q&A\nAnswers come only from the stored articles; every statement cites its source.")
        with gr.Tabs():
            with gr.Tab("Chat", id="chat-tab"):
                chat = build_chat_tab()
                review = build_review_row()
            with gr.Tab("Corpus", id="corpus-tab"):
                corpus_tab = build_corpus_tab()
            with gr.Tab("Quotes", id="quotes-tab") as quotes_page:
                quotes_tab = build_quotes_tab()
            with gr.Tab("Evaluation", id="eval-tab"):
                build_eval_tab(bot)
        wire_review(served, chat, review, wire_chat(bot, chat, served.answers))
        refresh, refreshed = wire_corpus(bot, corpus, corpus_tab, quotes_tab, [chat.outlet, chat.speaker])
        wire_quotes(quotes_tab, QuoteBrowser(bot, corpus), quotes_page)
        demo.load(refresh, quotes_tab.search, refreshed, api_visibility="private")
    return demo


def launch(bot: Assistant, host: str = "127.0.0.1", port: int = 7860, insecure: bool = False, **kwargs: Any) -> Any:
    """Build and serve the chat with its HTTP API (`assistant.interfaces.server`). Login from
    ASSISTANT_UI_USER/ASSISTANT_UI_PASSWORD unless `auth` is given, required beyond loopback unless `insecure`
    (see check_exposure); `root_path` for a reverse proxy.

    `prevent_thread_lock=True` (tests) returns the running server at once; its `close()` stops it.
    """
    from assistant.interfaces.server import serve

    auth = kwargs.pop("auth", None) or auth_from_env()
    check_exposure(host, auth, insecure)
    if auth is None and not is_loopback(host):
        log.warning("serving on %s without a login (--insecure)", host)
    bot.warm_up()
    block = not kwargs.pop("prevent_thread_lock", False)
    return serve(bot, host, port, login=auth, root_path=kwargs.pop("root_path", None), block=block)
