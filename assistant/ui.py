"""Web chat (Gradio Blocks): a thin adapter over Assistant.

Everything that comes from an article or a user is escaped before it reaches the page: the chat shows
escaped text and the sources panel is HTML built only from `html.escape`d fields.
Each browser session gets its own Conversation (history is never shared between sessions).
"""

from __future__ import annotations

import html
import os
import re
from typing import Any

from .core import Assistant
from .errors import AssistantError
from .models import Answer, Citation

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

EXAMPLES = [
    "What did Charles Lister say on X?",
    "How many people have died in the offensive?",
    "Who is Dareen Khalifa?",
    "What did Karam Shaar tell Libération?",
    "Which countries support Bashar al-Assad?",
]
_MD_SPECIAL = re.compile(r"([\\`*_{}#|~>!\-+])")
CSS = """
.src {border-left: 3px solid #888; padding: 4px 10px; margin: 8px 0;}
.src .meta {font-size: 0.85em; color: #555;}
.src blockquote {margin: 4px 0; font-style: italic;}
.refused {color: #a33; font-weight: 600;}
"""


def md_escape(text: str) -> str:
    """Plain text safe for the markdown chat: HTML escaped, markdown syntax neutralised."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def citation_html(c: Citation) -> str:
    e = lambda v: html.escape(str(v), quote=True)  # noqa: E731
    outlet = e(c.outlet) if c.outlet else "<em>outlet not stated</em>"
    title = e(c.title or "untitled")
    if c.url and c.url.startswith(("http://", "https://")):
        title = f'<a href="{e(c.url)}" target="_blank" rel="noopener noreferrer">{title}</a>'
    who = ""
    if c.speaker:
        who = " — ".join(x for x in (e(c.speaker), e(c.speaker_role) if c.speaker_role else "", f"via {e(c.via)}" if c.via else "") if x)
        who = f"<div class='who'><strong>{who}</strong></div>"
    return (
        f"<div class='src' id='src-{c.id}'><div class='meta'>[{c.id}] {outlet} · {e(c.published or 'undated')} · {title}</div>"
        f"{who}<blockquote>“{e(c.quote)}”</blockquote></div>"
    )


def sources_html(answer: Answer | None) -> str:
    if answer is None:
        return "<p>Sources appear here.</p>"
    if answer.refused:
        return "<p class='refused'>Refused: the articles do not support an answer.</p>"
    filters = ", ".join(f"{html.escape(k)}={html.escape(v)}" for k, v in answer.filters.items())
    head = f"<p class='meta'>Filters: {filters}</p>" if filters else ""
    return head + "".join(citation_html(c) for c in answer.citations)


def build(bot: Assistant) -> Any:
    import gradio as gr

    outlets = sorted({a.outlet for a in bot.articles() if a.outlet})
    speakers = sorted({q.speaker for a in bot.articles() for q in a.quotes if q.speaker})

    def respond(message: str, history: list, conv: Any, outlet: str, speaker: str, since: str, until: str):
        history = list(history or [])
        conv = conv or bot.conversation()
        filters = {k: v for k, v in {"outlet": outlet, "speaker": speaker, "since": since, "until": until}.items() if v}
        try:
            answer = conv.ask(message, **filters)
            text = md_escape(answer.answer)
            panel = sources_html(answer)
        except AssistantError as exc:
            text, panel = md_escape(f"⚠ {exc}"), sources_html(None)
        history += [{"role": "user", "content": md_escape(message)}, {"role": "assistant", "content": text}]
        return "", history, conv, panel

    def ask_api(question: str, outlet: str = "", speaker: str = "", since: str = "", until: str = "") -> dict:
        """Stateless ask for programmatic clients: returns the Answer JSON contract."""
        filters = {k: v for k, v in {"outlet": outlet, "speaker": speaker, "since": since, "until": until}.items() if v}
        try:
            return bot.ask(question, **filters).model_dump(mode="json")
        except AssistantError as exc:
            return {"error": str(exc)}

    with gr.Blocks(title="News Q&A — cited answers") as demo:
        gr.Markdown("## News Q&A\nAnswers come only from the stored articles; every statement is cited.")
        conv = gr.State(None)
        with gr.Row():
            with gr.Column(scale=3):
                chat = gr.Chatbot(label="Conversation", height=480, elem_id="chat")
                box = gr.Textbox(label="Question", placeholder="Ask about the articles…", elem_id="question")
                with gr.Row():
                    send = gr.Button("Ask", variant="primary", elem_id="ask")
                    reset = gr.Button("New conversation", elem_id="reset")
                gr.Examples(EXAMPLES, inputs=box)
            with gr.Column(scale=2):
                with gr.Accordion("Filters", open=False):
                    outlet = gr.Dropdown([""] + outlets, value="", label="Outlet", allow_custom_value=True)
                    speaker = gr.Dropdown([""] + speakers, value="", label="Speaker", allow_custom_value=True)
                    since = gr.Textbox(label="Since (YYYY-MM-DD)")
                    until = gr.Textbox(label="Until (YYYY-MM-DD)")
                panel = gr.HTML(sources_html(None), elem_id="sources")
        inputs = [box, chat, conv, outlet, speaker, since, until]
        outputs = [box, chat, conv, panel]
        send.click(respond, inputs, outputs, api_visibility="private")
        box.submit(respond, inputs, outputs, api_visibility="private")
        reset.click(lambda: ([], None, sources_html(None)), None, [chat, conv, panel], api_visibility="private")
        gr.api(ask_api, api_name="ask")
    return demo


def launch(bot: Assistant, host: str = "127.0.0.1", port: int = 7860, **kwargs: Any) -> Any:
    """Build and serve the chat. Extra kwargs go to `Blocks.launch` (e.g. prevent_thread_lock)."""
    bot.warm_up()
    demo = build(bot)
    demo.queue(default_concurrency_limit=4)
    demo.launch(server_name=host, server_port=port, css=CSS, show_error=False, quiet=True, **kwargs)
    return demo
