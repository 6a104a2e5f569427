"""Web chat (Gradio Blocks): a thin adapter over Assistant. Launched by `app.py` and `assistant serve`.

Tabs: Chat (streaming answers with [n] chips, sources panel, filters, examples, new conversation),
Corpus (articles table, upload with progress and per-file results, delete), Quotes (who said what).
Every browser session owns one `Session` (its Conversation, messages and sources), created lazily in a
gr.State; nothing is shared between sessions. All markup comes from `ui_html`, which escapes everything
from articles and users. The stateless `/ask` API endpoint returns the Answer JSON contract.
"""

import html
import logging
import os
import tempfile
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.answer.chat import Conversation
from assistant.core import Assistant
from assistant.errors import AssistantError, ConfigError
from assistant.interfaces.web.html import (
    CSS,
    HEAD,
    answer_parts,
    error_html,
    esc,
    outlet_text,
    panel_html,
    pending_html,
    quote_passage_html,
    statement_html,
    turn_html,
    user_html,
)
from assistant.models import Answer, Article, Quote

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
log = logging.getLogger(__name__)

EXAMPLES = [
    "What did Charles Lister say on X?",
    "How many people have died in the offensive?",
    "What did Karam Shaar tell Libération?",
    "Which countries support Bashar al-Assad?",
    "Who is Dareen Khalifa?",
]
ARTICLE_HEADERS = ["Outlet", "Date", "Title", "Quotes", "Chunks", "ID"]
QUOTE_HEADERS = ["Speaker", "Quote", "Role", "Via", "Outlet", "Date", "Article", "ID"]
UPLOAD_HEADERS = ["File", "Result", "Added", "Unchanged", "Chunks", "Quotes", "Details"]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
MAX_SOURCE_TURNS = 30


# -- chat ------------------------------------------------------------------------------------------
@dataclass
class Session:
    """One browser session: its conversation memory, its chat messages and the sources of each turn."""

    conversation: Conversation
    messages: list[dict[str, str]] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)


def _message(role: str, content: str) -> dict[str, str]:
    return {"role": role, "content": content}


def chat_turn(bot: Assistant, session: Session, question: str, filters: dict[str, str]) -> Iterator[Session]:
    """Ask in the session's conversation; yields after each visible change (streaming, statement by statement)."""
    session.messages += [_message("user", user_html(question)), _message("assistant", pending_html())]
    yield session
    turn = len(session.sections)
    try:
        answer, shown = None, []
        # each statement appears as soon as the engine has written it and `cite` has verified it (with the
        # LLM engine: while the model is still writing the next one); unverified tokens are never shown
        for item in session.conversation.ask_stream(question, **filters):
            if isinstance(item, Answer):
                answer = item
                continue
            shown.append(statement_html(item, turn, set()))  # markers become chips with the sources panel
            session.messages[-1] = _message("assistant", f"<div class='answer streaming'>{''.join(shown)}</div>")
            yield session
        if answer is None:
            raise RuntimeError("the answer stream ended without an Answer")
        section = turn_html(answer, turn, bot.store.get_articles([c.article_id for c in answer.citations]))
    except AssistantError as exc:
        session.messages[-1] = _message("assistant", error_html(str(exc)))
        yield session
        return
    except Exception:  # the user gets a message, the log gets the traceback
        log.exception("answering %r failed", question)
        session.messages[-1] = _message("assistant", error_html("answering failed; the server log has the details."))
        yield session
        return
    session.sections.append(section)
    if turn >= MAX_SOURCE_TURNS:  # bound what every update sends: very old turns lose their sources panel
        session.sections[turn - MAX_SOURCE_TURNS] = ""
    parts, footer = answer_parts(answer, turn)
    session.messages[-1] = _message("assistant", f"<div class='answer'>{''.join(parts)}{footer}</div>")
    yield session


def _filters(outlet: str | None, speaker: str | None, since: str | None, until: str | None) -> dict[str, str]:
    raw = {"outlet": outlet, "speaker": speaker, "since": since, "until": until}
    return {k: str(v).strip() for k, v in raw.items() if v and str(v).strip()}


# -- corpus and quotes -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Snapshot:
    """What the Corpus and Quotes tabs show, computed from the store."""

    articles: list[Article]
    chunks: Counter
    quotes: dict[str, tuple[Article, Quote]]

    @property
    def outlets(self) -> list[str]:
        return sorted({a.outlet for a in self.articles if a.outlet}, key=str.casefold)

    @property
    def speakers(self) -> list[str]:
        return sorted({q.speaker for a in self.articles for q in a.quotes if q.speaker}, key=str.casefold)

    def article_rows(self) -> list[list[Any]]:
        return [
            [outlet_text(a.outlet), _date(a), a.title or _untitled(a), len(a.quotes), self.chunks[a.id], a.id]
            for a in self.articles
        ]

    def quote_rows(self, search: str = "") -> list[list[str]]:
        needle = (search or "").strip().casefold()
        rows = []
        for quote_id, (a, q) in self.quotes.items():
            words = q.text if q.kind == "direct" else f"(reported speech) {q.text}"  # not the speaker's own words
            row = [
                q.speaker or "",
                words,
                q.speaker_role or "",
                q.via or "",
                outlet_text(a.outlet),
                _date(a),
                a.title or _untitled(a),
                quote_id,
            ]
            if not needle or any(needle in cell.casefold() for cell in row[:-1]):
                rows.append(row)
        return rows

    def summary(self) -> str:
        chunks = sum(self.chunks.values())
        return f"{len(self.articles)} article(s), {chunks} chunk(s), {len(self.quotes)} attributed quote(s)."

    def article_choices(self) -> list[tuple[str, str]]:
        return [(f"{a.title or _untitled(a)} — {outlet_text(a.outlet)} — {_date(a)}", a.id) for a in self.articles]


def _untitled(article: Article) -> str:
    return f"(untitled: {Path(article.source_path).name})" if article.source_path else "(untitled)"


def _date(article: Article) -> str:
    return str(article.published or "undated")


def chunk_counts(bot: Assistant, page: int = 5000) -> Counter:
    """Chunks per article, from chunk metadata only (no documents, no vectors)."""
    counts: Counter = Counter()
    offset = 0
    while True:
        got = bot.store.chunks.get(limit=page, offset=offset, include=["metadatas"])
        if not got["ids"]:
            return counts
        counts.update(m["article_id"] for m in got["metadatas"])
        offset += len(got["ids"])


class CorpusView:
    """The store as tables; recomputed only when the store's article/chunk counts change."""

    def __init__(self, bot: Assistant) -> None:
        self.bot = bot
        self._lock = threading.Lock()
        self._key: tuple[int, int] | None = None
        self._snapshot: Snapshot | None = None

    def snapshot(self, force: bool = False) -> Snapshot:
        with self._lock:
            key = self.bot.store.counts()
            if force or self._snapshot is None or key != self._key:
                articles = self.bot.articles()
                quotes = {q.id: (a, q) for a in articles for q in a.quotes if q.speaker}
                self._snapshot = Snapshot(articles, chunk_counts(self.bot), quotes)
                self._key = key
            return self._snapshot


def ingest_uploads(
    bot: Assistant, paths: list[str], progress: Callable[[float, str], None] | None = None
) -> list[list[Any]]:
    """Ingest each uploaded file on its own, so every file gets its own result row."""
    rows: list[list[Any]] = []
    for number, raw in enumerate(paths):
        path = Path(raw)
        name = path.name

        def tell(done: int, total: int, _title: str, number: int = number, name: str = name) -> None:
            if progress:
                progress((number + done / max(total, 1)) / len(paths), f"{name}: {done}/{total} article(s) embedded")

        if progress:
            progress(number / len(paths), f"reading {name}")
        try:
            report = bot.ingest([path], progress=tell)
        except AssistantError as exc:
            rows.append([name, "error", 0, 0, 0, 0, _short(str(exc), path)])
            continue
        except Exception:
            log.exception("ingesting upload %s failed", path)
            rows.append([name, "error", 0, 0, 0, 0, "ingest failed; the server log has the details."])
            continue
        details = "; ".join(_short(e, path) for e in report.errors)
        if report.articles_added:
            result = "added, with problems" if report.errors else "added"
        elif report.articles_skipped:
            result = "already stored"
        else:
            result = "error"
        rows.append(
            [
                name,
                result,
                report.articles_added,
                report.articles_skipped,
                report.chunks_added,
                report.quotes_added,
                details,
            ]
        )
    if progress:
        progress(1.0, "done")
    return rows


def _short(message: str, path: Path) -> str:
    """Error messages name the upload by its file name, not by Gradio's temporary path."""
    return message.replace(str(path), path.name)


def auth_from_env(env: dict[str, str] | os._Environ = os.environ) -> tuple[str, str] | None:
    """Optional login: ASSISTANT_UI_USER and ASSISTANT_UI_PASSWORD (both or neither)."""
    user, password = env.get("ASSISTANT_UI_USER", ""), env.get("ASSISTANT_UI_PASSWORD", "")
    if not user and not password:
        return None
    if not (user and password):
        raise ConfigError("set both ASSISTANT_UI_USER and ASSISTANT_UI_PASSWORD to require a login, or neither.")
    return user, password


# -- the app ---------------------------------------------------------------------------------------
class ConversationPool:
    """Conversations of API clients by id (bounded, least recently used dropped first)."""

    def __init__(self, bot: Assistant, size: int = 1000) -> None:
        self.bot, self.size = bot, size
        self._items: OrderedDict[str, Conversation] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, conversation_id: str) -> Conversation:
        if not conversation_id or len(conversation_id) > 100:
            raise AssistantError("give a conversation_id of 1-100 characters; reuse it for follow-ups.")
        with self._lock:
            conv = self._items.pop(conversation_id, None) or self.bot.conversation()
            self._items[conversation_id] = conv
            while len(self._items) > self.size:
                self._items.popitem(last=False)
            return conv


def eval_report_html(folder: Path) -> str:
    """The last HTML report, isolated in a sandboxed iframe (no scripts; its content is escaped twice)."""
    page = folder / "report.html"
    if not page.exists():
        return "<p class='empty'>No evaluation has been run yet.</p>"
    return (
        f"<iframe sandbox='' style='width:100%;height:900px;border:0' "
        f'srcdoc="{html.escape(page.read_text(encoding="utf-8"), quote=True)}"></iframe>'
    )


def build(bot: Assistant) -> Any:
    import gradio as gr

    corpus = CorpusView(bot)

    def respond(question: str, session: Session | None, outlet: str, speaker: str, since: str, until: str):
        question = (question or "").strip()
        if not question:
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        session = session or Session(bot.conversation())
        for _ in chat_turn(bot, session, question, _filters(outlet, speaker, since, until)):
            yield "", [dict(m) for m in session.messages], session, panel_html(session.sections)

    def new_conversation():
        return None, [], panel_html([]), ""

    def ask_api(question: str, outlet: str = "", speaker: str = "", since: str = "", until: str = "") -> dict:
        """Stateless ask for programmatic clients: returns the Answer JSON contract (or {"error": message})."""
        try:
            return bot.ask(question, **_filters(outlet, speaker, since, until)).model_dump(mode="json")
        except AssistantError as exc:
            return {"error": str(exc)}

    def refresh(search: str, force: bool = False):
        snap = corpus.snapshot(force)
        return (
            snap.summary(),
            snap.article_rows(),
            gr.update(choices=snap.article_choices(), value=None),
            gr.update(choices=[("any outlet", "")] + snap.outlets),
            gr.update(choices=[("any speaker", "")] + snap.speakers),
            snap.quote_rows(search),
        )

    def upload(files: list[str] | None, search: str, progress=gr.Progress()):
        if not files:
            return ([["", "error", 0, 0, 0, 0, "choose one or more files first."]], *refresh(search))
        rows = ingest_uploads(bot, list(files), lambda f, desc: progress(f, desc=desc))
        return (rows, *refresh(search, force=True))

    def delete(article_id: str | None, search: str):
        if not article_id:
            return ("<p>Pick an article to delete first.</p>", *refresh(search))
        title = next((a.title for a in corpus.snapshot().articles if a.id == article_id), None) or article_id
        removed = bot.delete_article(article_id)
        status = (
            f"<p>Deleted “{esc(title)}”.</p>" if removed else f"<p>No article {esc(article_id)} (already deleted?).</p>"
        )
        return (status, *refresh(search, force=True))

    # (no `from __future__ import annotations` in this module: Gradio reads these annotations at runtime)
    def pick_article(evt: gr.SelectData):
        row = evt.row_value or []
        return row[-1] if row else None

    def show_quote(evt: gr.SelectData):
        row = evt.row_value or []
        found = corpus.snapshot().quotes.get(row[-1]) if row else None
        return quote_passage_html(*found) if found else "<p class='empty'>That quote is no longer stored.</p>"

    conversations = ConversationPool(bot)

    def chat_api(
        conversation_id: str, question: str, outlet: str = "", speaker: str = "", since: str = "", until: str = ""
    ) -> dict:
        """Multi-turn ask for programmatic clients: the same conversation_id keeps its own history."""
        try:
            answer = conversations.get(conversation_id).ask(question, **_filters(outlet, speaker, since, until))
            return answer.model_dump(mode="json") | {"conversation_id": conversation_id}
        except AssistantError as exc:
            return {"error": str(exc), "conversation_id": conversation_id}

    def run_eval():
        from assistant.evals import run

        target = bot.settings.data_dir / "reports" / "latest"
        with tempfile.TemporaryDirectory(prefix="ui-eval-") as tmp:
            run(["quick"], bot.settings.model_copy(update={"data_dir": Path(tmp)}), report_dir=target)
        return eval_report_html(target)

    with gr.Blocks(title="News Q&A — cited answers") as demo:
        gr.Markdown("## News Q&A\nAnswers come only from the stored articles; every statement cites its source.")
        session = gr.State(None)
        with gr.Tabs():
            with gr.Tab("Chat", id="chat-tab"):
                with gr.Row():
                    with gr.Column(scale=3):
                        chat = gr.Chatbot(
                            label="Conversation",
                            height=520,
                            elem_id="chat",
                            buttons=[],
                            render_markdown=False,
                            latex_delimiters=[],  # our HTML, no Markdown/LaTeX
                            placeholder="Ask about the stored articles.",
                        )
                        box = gr.Textbox(label="Question", placeholder="Ask about the articles…", elem_id="question")
                        with gr.Row():
                            send = gr.Button("Ask", variant="primary", elem_id="ask")
                            reset = gr.Button("New conversation", elem_id="reset")
                        gr.Examples(EXAMPLES, inputs=box, label="Example questions")
                    with gr.Column(scale=2):
                        with gr.Accordion("Filters (applied to retrieval)", open=False, elem_id="filters"):
                            outlet = gr.Dropdown(
                                [("any outlet", "")],
                                value="",
                                label="Outlet",
                                allow_custom_value=True,
                                elem_id="f-outlet",
                            )
                            speaker = gr.Dropdown(
                                [("any speaker", "")],
                                value="",
                                label="Speaker",
                                allow_custom_value=True,
                                elem_id="f-speaker",
                            )
                            since = gr.Textbox(label="Since (YYYY-MM-DD)", elem_id="f-since")
                            until = gr.Textbox(label="Until (YYYY-MM-DD)", elem_id="f-until")
                        gr.Markdown("### Sources")
                        panel = gr.HTML(panel_html([]), elem_id="sources", js_on_load=None)
            with gr.Tab("Corpus", id="corpus-tab"):
                summary = gr.Markdown(elem_id="corpus-summary")
                articles = gr.Dataframe(
                    headers=ARTICLE_HEADERS,
                    interactive=False,
                    wrap=True,
                    max_height=420,
                    column_widths=["14%", "10%", "46%", "7%", "7%", "16%"],
                    elem_id="articles",
                    show_search="search",
                )
                with gr.Row():
                    with gr.Column():
                        files = gr.File(
                            label="Add articles (.txt, .md, .html, .json, .jsonl)",
                            file_count="multiple",
                            elem_id="upload",
                        )
                        add = gr.Button("Add to corpus", variant="primary", elem_id="add")
                    with gr.Column():
                        to_delete = gr.Dropdown([], label="Article (or click its row above)", elem_id="delete-pick")
                        remove = gr.Button("Delete article", variant="stop", elem_id="delete")
                        deleted = gr.HTML(elem_id="delete-status")  # article titles: escaped HTML, never Markdown
                results = gr.Dataframe(
                    headers=UPLOAD_HEADERS,
                    interactive=False,
                    wrap=True,
                    label="Upload results",
                    column_widths=["18%", "12%", "7%", "9%", "7%", "7%", "40%"],
                    elem_id="upload-results",
                )
            with gr.Tab("Quotes", id="quotes-tab"):
                search = gr.Textbox(label="Search speakers, roles, outlets and quotes", elem_id="quote-search")
                quotes = gr.Dataframe(
                    headers=QUOTE_HEADERS,
                    interactive=False,
                    wrap=True,
                    max_height=420,
                    column_widths=["12%", "34%", "14%", "8%", "9%", "8%", "9%", "6%"],
                    elem_id="quotes",
                )
                passage = gr.HTML(
                    "<p class='empty'>Click a quote to see its passage.</p>", elem_id="passage", js_on_load=None
                )

            with gr.Tab("Evaluation", id="eval-tab"):
                gr.Markdown(
                    "The quick evaluation suite (a slice of seed, MultiHop-RAG and attribution; a few minutes) "
                    "runs in a separate temporary store and writes its report under the data folder."
                )
                run_button = gr.Button("Run the quick evaluation", elem_id="run-eval")
                report = gr.HTML(eval_report_html(bot.settings.data_dir / "reports" / "latest"), elem_id="eval-report")

        private = {"api_visibility": "private"}
        run_button.click(run_eval, None, report, **private)
        gr.api(chat_api, api_name="chat")
        chat_in, chat_out = [box, session, outlet, speaker, since, until], [box, chat, session, panel]
        send.click(respond, chat_in, chat_out, **private)
        box.submit(respond, chat_in, chat_out, **private)
        reset.click(new_conversation, None, [session, chat, panel, box], **private)
        chat.clear(new_conversation, None, [session, chat, panel, box], **private)
        refreshed = [summary, articles, to_delete, outlet, speaker, quotes]
        demo.load(refresh, search, refreshed, **private)
        add.click(upload, [files, search], [results, *refreshed], **private).then(lambda: None, None, files, **private)
        remove.click(delete, [to_delete, search], [deleted, *refreshed], **private)
        articles.select(pick_article, None, to_delete, **private)
        search.change(lambda s: corpus.snapshot().quote_rows(s), search, quotes, **private)
        quotes.select(show_quote, None, passage, **private)
        gr.api(ask_api, api_name="ask")
    return demo


def launch(bot: Assistant, host: str = "127.0.0.1", port: int = 7860, **kwargs: Any) -> Any:
    """Build and serve the chat. Login from ASSISTANT_UI_USER/ASSISTANT_UI_PASSWORD unless `auth` is given.

    Extra kwargs go to `Blocks.launch` (e.g. prevent_thread_lock=True in tests).
    """
    auth = kwargs.pop("auth", None) or auth_from_env()
    if auth is None and host not in LOOPBACK:
        log.warning("serving on %s without a login; set ASSISTANT_UI_USER and ASSISTANT_UI_PASSWORD", host)
    bot.warm_up()
    demo = build(bot)
    demo.queue(default_concurrency_limit=4)
    options = {"show_error": False, "quiet": True, "ssr_mode": False, "max_file_size": bot.settings.max_file_bytes}
    print(f"News Q&A: http://{host}:{port}/" + ("  (login required)" if auth else ""), flush=True)
    demo.launch(server_name=host, server_port=port, auth=auth, css=CSS, head=HEAD, **(options | kwargs))
    return demo
