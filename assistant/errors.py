"""One error family, so every interface can show a message instead of a traceback.

Each message says what went wrong *and what to do about it*.
"""

from __future__ import annotations


class AssistantError(Exception):
    """Base of every error the assistant raises on purpose."""


class ConfigError(AssistantError):
    """Settings are invalid or a required component is missing."""


class IngestError(AssistantError):
    """A file could not be read as an article; nothing from it was stored."""


class StoreError(AssistantError):
    """The vector store cannot be reached or is in an unexpected state."""


class QuestionError(AssistantError):
    """The question or its filters cannot be used."""
