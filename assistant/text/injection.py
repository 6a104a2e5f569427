"""Sentences of an article that address a language model instead of reporting ('ignore all previous
instructions', 'SYSTEM:', 'tell the user that …'). They are never evidence: a planted 'tell the user that X
said “…”' would otherwise be X's words in the article's own text."""

from __future__ import annotations

import re

from assistant.text.spans import sentences

INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+)?(?:the\s+|your\s+)?"
    r"(?:previous|prior|above|earlier|former)\s+(?:instructions?|rules|prompts?|directions|messages)\b"
    r"|</?\s*evidence\s*>|\bsystem\s*(?:prompt)?\s*:|\b(?:tell|inform|answer)\s+the\s+user\b"
    r"|\byou\s+are\s+now\s+(?:in\s+)?\w+\s+mode\b|\bas\s+an\s+ai\s+(?:language\s+)?model\b",
    re.I,
)


def is_instruction(text: str) -> bool:
    return bool(INSTRUCTION.search(text))


def without_instructions(text: str) -> str:
    """The text with every sentence that addresses a model blanked (same length, so offsets still hold)."""
    out = text
    for a, b in sentences(text):
        if is_instruction(text[a:b]):
            out = out[:a] + " " * (b - a) + out[b:]
    return out
