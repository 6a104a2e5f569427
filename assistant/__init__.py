"""Sourced-news Q&A: answers only from ingested articles, every statement cited to outlet and speaker."""

from assistant.config import Settings
from assistant.core import Assistant
from assistant.errors import AssistantError, ConfigError, IngestError, QuestionError, StoreError
from assistant.models import REFUSAL, Answer, Article, Chunk, Citation, IngestReport, Quote

__all__ = [
    "REFUSAL",
    "Answer",
    "Article",
    "Assistant",
    "AssistantError",
    "Chunk",
    "Citation",
    "ConfigError",
    "IngestError",
    "IngestReport",
    "QuestionError",
    "Quote",
    "Settings",
    "StoreError",
]
