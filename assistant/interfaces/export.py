"""A conversation as Markdown (to paste into a story or a fact-check file) or as JSON (the Answer contract).

Markdown: each answer keeps its statements, its [n] markers become footnotes `[^t.n]`, and each footnote
names outlet, date, title, page (PDFs), speaker, role, medium and URL, then the verbatim words. A direct quote is shown
in quotation marks; reported speech (the reporter's paraphrase) is labelled as such and never quoted; the
article's own narration is labelled as reporting. Text from articles and users is escaped for Markdown
(backslashes before the characters that would format or link), so a rendered export shows the words as
they are; the JSON export carries them exactly.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from typing import Any

from assistant.interfaces.web.html import safe_url, via_phrase
from assistant.models import Answer, Citation

EXPORT_VERSION = 1
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
_MARKERS = re.compile(r"((?:\s*\[\d+\])+)\s*$")
_ONE = re.compile(r"\[(\d+)\]")


def md_escape(text: str) -> str:
    """Text shown as itself in rendered Markdown: formatting, links and raw HTML are neutralised."""
    text = _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
    return re.sub(r"^(\d+)([.)])|^([#+-])", r"\1\\\2\3", text)  # a heading or list marker at the start


def _footnote_words(c: Citation) -> str:
    if c.quote_kind == "indirect":
        return f"Reported speech (the reporter's paraphrase, not the speaker's words): {md_escape(c.quote)}"
    if c.speaker:
        return f"“{md_escape(c.quote)}”"
    return f"Reporting (the article's own words): “{md_escape(c.quote)}”"


def footnote(turn: int, c: Citation) -> str:
    """`[^t.n]: outlet, date, title, page. Speaker, role, medium. URL. words`."""
    where = "; ".join(
        [md_escape(c.outlet or "outlet not stated"), str(c.published or "undated")]
        + ([f"“{md_escape(c.title)}”"] if c.title else [])
        + ([f"p. {c.page}"] if c.page else [])
    )
    if c.speaker:
        parts = [f"Speaker: {md_escape(c.speaker)}"]
        parts += [f"role: {md_escape(c.speaker_role)}"] if c.speaker_role else []
        parts += [f"medium: {md_escape(via_phrase(c.via))}"] if c.via else []
        who = ", ".join(parts) + "."
    else:
        who = "No speaker: the article's own reporting."
    url = safe_url(c.url)
    link = f" <{url}>" if url else " (no URL)"
    return f"[^{turn}.{c.id}]: {where}.{link} {who} {_footnote_words(c)}"


def _statement(line: str, turn: int, valid: set[int]) -> str:
    match = _MARKERS.search(line)
    if not match:
        return md_escape(line)
    numbers = [int(n) for n in _ONE.findall(match.group(1))]
    if not set(numbers) <= valid:
        return md_escape(line)
    refs = "".join(f"[^{turn}.{n}]" for n in dict.fromkeys(numbers))
    return md_escape(line[: match.start()].strip()) + refs


def turn_markdown(answer: Answer, turn: int) -> str:
    """One question and its answer, with footnotes."""
    lines = [f"## {turn}. {md_escape(answer.question)}", ""]
    if answer.standalone_question:
        lines += [f"*Understood as:* {md_escape(answer.standalone_question)}", ""]
    if answer.filters:
        lines += ["*Filters:* " + md_escape(", ".join(f"{k} {v}" for k, v in answer.filters.items())), ""]
    if answer.refused:
        return "\n".join(lines + [f"**No answer.** {md_escape(answer.answer)}", ""])
    valid = {c.id for c in answer.citations}
    lines += [_statement(line, turn, valid) + "  " for line in answer.answer.splitlines() if line.strip()]
    lines += [""] + [footnote(turn, c) for c in answer.citations] + [""]
    return "\n".join(lines)


def conversation_markdown(answers: Sequence[Answer], title: str = "News Q&A conversation", when: Any = None) -> str:
    """The whole conversation: a header, then each turn with its own footnotes."""
    when = when or dt.datetime.now().astimezone().isoformat(timespec="seconds")
    head = [
        f"# {md_escape(title)}",
        "",
        f"Exported {when}. Every statement cites the passage it comes from; quotation marks mark a speaker's "
        "own words, reported speech is labelled as the reporter's paraphrase.",
        "",
    ]
    if not answers:
        return "\n".join(head + ["*(no questions asked yet)*", ""])
    return "\n".join(head + [turn_markdown(a, i) for i, a in enumerate(answers, 1)])


def conversation_json(answers: Sequence[Answer], when: Any = None) -> str:
    """`{"export_version", "exported", "turns": [Answer JSON, …]}` — the Answer contract, exactly."""
    when = when or dt.datetime.now().astimezone().isoformat(timespec="seconds")
    turns = [a.model_dump(mode="json") for a in answers]
    body = {"export_version": EXPORT_VERSION, "exported": when, "turns": turns}
    return json.dumps(body, ensure_ascii=False, indent=2)
