"""What the served app shares between the web chat and the HTTP API: the Assistant, the answer service
(concurrency limit, request ids, logs, metrics), the feedback store, and the credentials both accept."""

from __future__ import annotations

import base64
import hmac
from dataclasses import dataclass, field
from functools import cached_property

from pydantic import SecretStr
from starlette.requests import Request

from assistant.core import Assistant
from assistant.interfaces.feedback import FeedbackStore
from assistant.interfaces.health import Metrics
from assistant.interfaces.service import AnswerService


class Unauthorized(Exception):
    """No or wrong credentials for the API."""


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


@dataclass
class Served:
    """One served app's shared parts. `login` is the web chat's (user, password), when it requires one."""

    bot: Assistant
    login: tuple[str, str] | None = None
    metrics: Metrics = field(default_factory=Metrics)

    @cached_property
    def answers(self) -> AnswerService:
        return AnswerService(self.metrics, self.bot.settings.concurrency, self.bot.settings.queue_timeout)

    @cached_property
    def feedback(self) -> FeedbackStore:
        return FeedbackStore(self.bot.settings.data_dir)

    @property
    def api_key(self) -> SecretStr | None:
        return self.bot.settings.api_key

    def allowed(self, authorization: str | None) -> bool:
        """Bearer ASSISTANT_API_KEY, or HTTP Basic with the web login; anything goes when neither is set."""
        key = self.api_key.get_secret_value() if self.api_key else None
        if not key and not self.login:
            return True
        scheme, _, value = (authorization or "").partition(" ")
        if key and scheme.lower() == "bearer":
            return _same(value.strip(), key)
        if self.login and scheme.lower() == "basic":
            try:
                user, _, password = base64.b64decode(value.strip(), validate=True).decode("utf-8").partition(":")
            except (ValueError, UnicodeDecodeError):
                return False
            return _same(user, self.login[0]) & _same(password, self.login[1])
        return False

    def authorize(self, request: Request) -> None:
        """FastAPI dependency: raises Unauthorized (a 401 in OpenAI's error shape) unless `allowed`."""
        if not self.allowed(request.headers.get("authorization")):
            raise Unauthorized()
