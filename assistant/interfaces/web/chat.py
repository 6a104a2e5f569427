"""The Chat tab: streaming answers with [n] chips, the sources panel, filters, examples; and the API endpoints
`/ask` (stateless) and `/chat` (multi-turn) that return the Answer JSON contract.

Every browser session owns one `Session` (its Conversation, messages and sources) in a gr.State; nothing is
shared between sessions. All markup comes from `html`, which escapes everything from articles and users.
(No `from __future__ import annotations` here: Gradio reads handler annotations at run time.)
"""

import logging
import secrets
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from assistant.answer.chat import Conversation
from assistant.core import Assistant
from assistant.errors import AssistantError
from assistant.interfaces.service import AnswerService
from assistant.interfaces.web.html import (
    answer_parts,
    error_html,
    panel_html,
    pending_html,
    statement_html,
    turn_html,
    user_html,
)
from assistant.models import Answer

log = logging.getLogger(__name__)
EXAMPLES = [
    "What did Charles Lister say on X?",
    "How many people have died in the offensive?",
    "What did Karam Shaar tell Libération?",
    "Which countries support Bashar al-Assad?",
    "Who is Dareen Khalifa?",
]
MAX_SOURCE_TURNS = 30


@dataclass
class Session:
    """One browser session: its conversation memory, its chat messages and the sources of each turn; the
    Answer behind each assistant message (by message index, for ratings and exports) and a random id."""

    conversation: Conversation
    messages: list[dict[str, str]] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    answers: dict[int, Answer] = field(default_factory=dict)
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    last_feedback: str | None = None


def _message(role: str, content: str) -> dict[str, str]:
    return {"role": role, "content": content}


def chat_turn(
    bot: Assistant, session: Session, question: str, filters: dict[str, str], service: AnswerService | None = None
) -> Iterator[Session]:
    """Ask in the session's conversation; yields after each visible change (streaming, statement by statement).
    With a `service` (the served app's), the answer takes one of its slots and is logged and counted."""
    session.messages += [_message("user", user_html(question)), _message("assistant", pending_html())]
    yield session
    turn = len(session.sections)
    source = session.conversation.ask_stream
    try:
        answer, shown = None, []
        # each statement appears as soon as the engine has written it and `cite` has verified it (with the
        # LLM engine: while the model is still writing the next one); unverified tokens are never shown
        items = service.stream(source, question, filters, "web", wait=True) if service else source(question, **filters)
        for item in items:
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
    session.answers[len(session.messages) - 1] = answer
    if turn >= MAX_SOURCE_TURNS:  # bound what every update sends: very old turns lose their sources panel
        session.sections[turn - MAX_SOURCE_TURNS] = ""
    parts, footer = answer_parts(answer, turn)
    session.messages[-1] = _message("assistant", f"<div class='answer'>{''.join(parts)}{footer}</div>")
    yield session


def filters_of(outlet: str | None, speaker: str | None, since: str | None, until: str | None) -> dict[str, str]:
    raw = {"outlet": outlet, "speaker": speaker, "since": since, "until": until}
    return {k: str(v).strip() for k, v in raw.items() if v and str(v).strip()}


class ConversationPool:
    """Conversations of API clients (`/chat`). Ids are issued by the server (random, unguessable) and belong
    to the owner that started them — the logged-in user, else the client's session — so a reused or unknown
    id never reaches someone else's history. Each owner keeps at most `per_owner` conversations (its least
    recently used dropped first); when the pool is full, conversations idle for `idle_seconds` expire, and if
    none has, a new conversation is refused: a flood never evicts another owner's conversations."""

    def __init__(
        self,
        factory: Callable[[], Conversation],
        size: int = 1000,
        per_owner: int = 20,
        idle_seconds: float = 1800.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.factory, self.size, self.per_owner, self.idle, self.clock = factory, size, per_owner, idle_seconds, clock
        self._items: OrderedDict[str, tuple[str, Conversation, float]] = OrderedDict()  # id → owner, conv, last use
        self._lock = threading.Lock()

    def start(self, owner: str) -> tuple[str, Conversation]:
        """A new conversation for `owner`, and its id."""
        with self._lock:
            mine = [cid for cid, (who, _, _) in self._items.items() if who == owner]
            for cid in mine[: max(len(mine) - self.per_owner + 1, 0)]:  # the owner's oldest make room
                del self._items[cid]
            if len(self._items) >= self.size:
                now = self.clock()
                for cid in [cid for cid, (_, _, used) in self._items.items() if now - used > self.idle]:
                    del self._items[cid]
            if len(self._items) >= self.size:
                raise AssistantError("too many open conversations right now; try again later.")
            cid = secrets.token_urlsafe(16)
            conv = self.factory()
            self._items[cid] = (owner, conv, self.clock())
            return cid, conv

    def get(self, owner: str, conversation_id: str) -> Conversation:
        """The owner's conversation with this id; any other id (unknown, expired, someone else's) is an error."""
        with self._lock:
            found = self._items.get(conversation_id)
            if found is None or found[0] != owner:
                raise AssistantError(
                    "unknown conversation_id (expired, or not yours); send an empty conversation_id to start a new "
                    "conversation and reuse the id it returns."
                )
            self._items[conversation_id] = (owner, found[1], self.clock())
            self._items.move_to_end(conversation_id)
            return found[1]


def owner_of(request: Any) -> str:
    """Who a request comes from: the logged-in user, else the client's session."""
    user = getattr(request, "username", None)
    return f"user:{user}" if user else f"session:{getattr(request, 'session_hash', None) or 'anonymous'}"


@dataclass
class ChatTab:
    """The Chat tab's components that other tabs and events refer to."""

    session: Any
    chat: Any
    box: Any
    send: Any
    reset: Any
    outlet: Any
    speaker: Any
    since: Any
    until: Any
    panel: Any


def build_chat_tab() -> ChatTab:
    """The tab's layout (inside a gr.Tab of the app's Blocks)."""
    import gradio as gr

    session = gr.State(None)
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
                    [("any outlet", "")], value="", label="Outlet", allow_custom_value=True, elem_id="f-outlet"
                )
                speaker = gr.Dropdown(
                    [("any speaker", "")], value="", label="Speaker", allow_custom_value=True, elem_id="f-speaker"
                )
                since = gr.Textbox(label="Since (YYYY-MM-DD)", elem_id="f-since")
                until = gr.Textbox(label="Until (YYYY-MM-DD)", elem_id="f-until")
            gr.Markdown("### Sources")
            panel = gr.HTML(panel_html([]), elem_id="sources", js_on_load=None)
    return ChatTab(session, chat, box, send, reset, outlet, speaker, since, until, panel)


def wire_chat(bot: Assistant, tab: ChatTab, service: AnswerService | None = None) -> list[Any]:
    """Chat events, and the /ask and /chat API endpoints. Returns the events that answer a question."""
    import gradio as gr

    def respond(question: str, session: Session | None, outlet: str, speaker: str, since: str, until: str):
        question = (question or "").strip()
        if not question:
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        session = session or Session(bot.conversation())
        for _ in chat_turn(bot, session, question, filters_of(outlet, speaker, since, until), service):
            yield "", [dict(m) for m in session.messages], session, panel_html(session.sections)

    def new_conversation():
        return None, [], panel_html([]), ""

    def ask_api(question: str, outlet: str = "", speaker: str = "", since: str = "", until: str = "") -> dict:
        """Stateless ask for programmatic clients: returns the Answer JSON contract (or {"error": message})."""
        try:
            filters = filters_of(outlet, speaker, since, until)
            answer = service.ask(bot.ask, question, filters, "ask") if service else bot.ask(question, **filters)
            return answer.model_dump(mode="json")
        except AssistantError as exc:
            return {"error": str(exc)}

    conversations = ConversationPool(bot.conversation)

    def chat_api(
        conversation_id: str,
        question: str,
        outlet: str = "",
        speaker: str = "",
        since: str = "",
        until: str = "",
        request: gr.Request = None,
    ) -> dict:
        """Multi-turn ask for programmatic clients. Send an empty conversation_id to start a conversation; the
        answer carries the conversation_id the server issued: send it back for follow-ups."""
        try:
            owner = owner_of(request)
            if conversation_id:
                conv = conversations.get(owner, conversation_id)
            else:
                conversation_id, conv = conversations.start(owner)
            answer = conv.ask(question, **filters_of(outlet, speaker, since, until))
            return answer.model_dump(mode="json") | {"conversation_id": conversation_id}
        except AssistantError as exc:
            return {"error": str(exc), "conversation_id": conversation_id}

    private = {"api_visibility": "private"}
    chat_in = [tab.box, tab.session, tab.outlet, tab.speaker, tab.since, tab.until]
    chat_out = [tab.box, tab.chat, tab.session, tab.panel]
    asked = [tab.send.click(respond, chat_in, chat_out, **private)]
    asked.append(tab.box.submit(respond, chat_in, chat_out, **private))
    tab.reset.click(new_conversation, None, [tab.session, tab.chat, tab.panel, tab.box], **private)
    tab.chat.clear(new_conversation, None, [tab.session, tab.chat, tab.panel, tab.box], **private)
    gr.api(chat_api, api_name="chat")
    gr.api(ask_api, api_name="ask")
    return asked
