"""Question → Answer, in one direction: retrieve the evidence (with a hop per missing name), let the engine
draft, let the verifier decide what is shown. `Assistant.ask` and `ask_stream` are this, and nothing else."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

from assistant.answer.engines import AnswerEngine
from assistant.answer.evidence import missing_names
from assistant.answer.question import analyse
from assistant.answer.verify import Verifier, verify
from assistant.models import Answer, Article, Chunk, Evidence
from assistant.retrieval.filters import Filters
from assistant.retrieval.hybrid import HybridRetriever
from assistant.retrieval.store import Store

MAX_HOPS = 3  # extra retrievals per question, one per missing name
HOP_K = 2  # chunks each extra retrieval adds
log = logging.getLogger(__name__)


def spans_of(chunks: list[Chunk]) -> list[Evidence]:
    """The retrieved chunks as spans the verifier may align an unmarked statement to (not only the sentences
    the engine offered)."""
    return [Evidence(n=0, article_id=c.article_id, start=c.start, end=c.end) for c in chunks]


class Responder:
    """Answers questions from the store through one engine; holds no per-question state."""

    def __init__(self, store: Store, retriever: HybridRetriever, engine: AnswerEngine, top_k: int) -> None:
        self.store, self.retriever, self.engine, self.top_k = store, retriever, engine, top_k

    def evidence(self, question: str, filters: Filters) -> list[Chunk]:
        """Retrieved chunks, plus a hop per missing name: a multi-hop question describes facts from several
        reports, and one ranking often misses the report behind one clause ("… compared with OpenAI's
        GPT-3.5 by TechCrunch …"). Each name of the question absent from the retrieved articles gets its
        clause retrieved on its own; a name no report contains stays missing, and the engine declines."""
        chunks = self.retriever.retrieve(question, self.top_k, filters)
        articles = self.store.get_articles([c.article_id for c in chunks])
        missing = missing_names(analyse(question).names, articles)
        seen = {c.id for c in chunks}
        for name in missing[:MAX_HOPS]:
            clause = next((c for c in re.split(r",|;|\bwhile\b|\band\b", question) if name in c), name)
            for chunk in self.retriever.retrieve(clause, HOP_K, filters):
                if chunk.id not in seen:
                    seen.add(chunk.id)
                    chunks.append(chunk)
        return chunks

    def _gather(self, question: str, filters: Filters) -> tuple[list[Chunk], dict[str, Article], dict[str, object]]:
        chunks = self.evidence(question, filters)
        articles = self.store.get_articles([c.article_id for c in chunks])
        extra = {"filters": filters.as_dict(), "retrieved": tuple(dict.fromkeys(c.article_id for c in chunks))}
        return chunks, articles, extra

    def ask(self, question: str, filters: Filters) -> Answer:
        """A cited answer or the fixed refusal."""
        chunks, articles, extra = self._gather(question, filters)
        draft = self.engine.draft(analyse(question), chunks, articles)
        if not draft.text:
            log.info("declined %r: %s", question, draft.reason)
        context = spans_of(chunks)
        return verify(
            question, draft, articles, set(articles), similarity=self.engine.similarity, context=context, **extra
        )

    def ask_stream(self, question: str, filters: Filters) -> Iterator[str | Answer]:
        """Each *verified* statement as a line of text (markers final, numbered as in the Answer) as soon as
        the engine has written it and the verifier has checked it, then the Answer (last item)."""
        chunks, articles, extra = self._gather(question, filters)
        stream = self.engine.stream(analyse(question), chunks, articles)
        if stream.reason:
            log.info("declined %r: %s", question, stream.reason)
        verifier = Verifier(
            question, stream.evidence, articles, set(articles), self.engine.similarity, context=spans_of(chunks)
        )
        for statement, numbers in stream.statements:
            line = verifier.add(statement, numbers)
            if line:
                yield line
        yield verifier.answer(**extra)
