"""Below the chat: rate an answer (👍/👎 on each answer, or a named problem under the flag) with an optional
comment, and download the conversation as Markdown or JSON.

Ratings go to the served app's FeedbackStore with the full Answer JSON; the export files are rewritten after
every answer, so the download buttons always hold the conversation so far.
(No `from __future__ import annotations` here: Gradio reads handler annotations at run time.)
"""

import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.errors import AssistantError
from assistant.interfaces.context import Served
from assistant.interfaces.export import conversation_json, conversation_markdown
from assistant.interfaces.web.chat import ChatTab, Session
from assistant.interfaces.web.html import feedback_note_html

log = logging.getLogger(__name__)
PROBLEMS = ["Wrong speaker", "Misquoted", "Wrong outlet or date", "Should have answered", "Should have refused"]
FEEDBACK_OPTIONS = ["Like", "Dislike", *PROBLEMS]
EXPORT_DIR = Path(tempfile.gettempdir()) / "news-assistant-exports"


@dataclass
class ReviewRow:
    status: Any
    comment: Any
    send_comment: Any
    markdown: Any
    json: Any


def build_review_row() -> ReviewRow:
    """The rating note, the comment box and the two download buttons (inside the Chat tab)."""
    import gradio as gr

    with gr.Row(equal_height=True):
        with gr.Column(scale=3):
            status = gr.HTML(feedback_note_html(None), elem_id="feedback-status")
            with gr.Row():
                comment = gr.Textbox(
                    label="Comment on the answer you rated (optional)", max_length=2000, elem_id="feedback-comment"
                )
                send_comment = gr.Button("Send comment", elem_id="send-comment", scale=0)
        with gr.Column(scale=2):
            gr.Markdown("Download this conversation, with its sources:")
            with gr.Row():
                markdown = gr.DownloadButton(
                    "Markdown", value=None, elem_id="export-md", interactive=False, size="sm", variant="secondary"
                )
                json_button = gr.DownloadButton(
                    "JSON", value=None, elem_id="export-json", interactive=False, size="sm", variant="secondary"
                )
    return ReviewRow(status, comment, send_comment, markdown, json_button)


def rating_of(liked: Any) -> tuple[int, str | None]:
    """Gradio's LikeData.liked → (rating, named problem): True 👍, False 👎, "" cleared, a problem's name 👎."""
    if liked is True or liked == "Like":
        return 1, None
    if liked is False or liked == "Dislike":
        return -1, None
    if not liked:
        return 0, None
    return -1, str(liked)


def rate(served: Served, session: Session | None, index: Any, liked: Any) -> tuple[str, Session | None]:
    """Store the rating of the message at `index`; returns the note to show and the session."""
    index = index[0] if isinstance(index, (list, tuple)) else index
    answer = session.answers.get(int(index)) if session else None
    if session is None or answer is None:
        return feedback_note_html("That message has no answer to rate."), session
    rating, label = rating_of(liked)
    history = [a.question for i, a in sorted(session.answers.items()) if i < int(index)]
    session.last_feedback = served.feedback.rate(session.id, int(index), answer, rating, label=label, history=history)
    served.metrics.inc("assistant_feedback_total", rating={1: "up", -1: "down", 0: "cleared"}[rating])
    return feedback_note_html(None, rating=rating, label=label, question=answer.question), session


def export_files(session: Session | None) -> tuple[Path, Path] | None:
    """Write the session's conversation as conversation.md and conversation.json (its own folder)."""
    if session is None or not session.answers:
        return None
    folder = EXPORT_DIR / session.id
    folder.mkdir(parents=True, exist_ok=True)
    answers = [a for _, a in sorted(session.answers.items())]
    md, js = folder / "conversation.md", folder / "conversation.json"
    md.write_text(conversation_markdown(answers), encoding="utf-8")
    js.write_text(conversation_json(answers), encoding="utf-8")
    return md, js


def wire_review(served: Served, chat: ChatTab, row: ReviewRow, asked: list[Any]) -> None:
    """Like/dislike on the chatbot, the comment, and refreshing the exports after every answer."""
    import gradio as gr

    private = {"api_visibility": "private"}
    chat.chat.feedback_options = FEEDBACK_OPTIONS  # 👍/👎 icons, the named problems under the flag

    def on_like(session: Session | None, evt: gr.LikeData):
        try:
            return rate(served, session, evt.index, evt.liked)
        except AssistantError as exc:
            return feedback_note_html(str(exc)), session

    def on_comment(session: Session | None, text: str):
        if session is None or not session.last_feedback:
            return feedback_note_html("Rate an answer with a thumb (or the flag) first, then add your comment."), text
        if not (text or "").strip():
            return feedback_note_html("Type a comment first."), text
        try:
            served.feedback.comment(session.last_feedback, text)
        except AssistantError as exc:
            return feedback_note_html(str(exc)), text
        return feedback_note_html("Comment saved with your rating. Thank you."), ""

    def refresh_exports(session: Session | None):
        files = export_files(session)
        if files is None:
            return gr.update(value=None, interactive=False), gr.update(value=None, interactive=False)
        return gr.update(value=str(files[0]), interactive=True), gr.update(value=str(files[1]), interactive=True)

    chat.chat.like(on_like, [chat.session], [row.status, chat.session], **private)
    row.send_comment.click(on_comment, [chat.session, row.comment], [row.status, row.comment], **private)
    for event in asked:
        event.then(refresh_exports, chat.session, [row.markdown, row.json], **private)
    chat.reset.click(lambda: (feedback_note_html(None), *refresh_exports(None)), None,
                     [row.status, row.markdown, row.json], **private)  # fmt: skip
