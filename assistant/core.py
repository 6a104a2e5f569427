"""Assistant: wires the stages. Heavy parts (Chroma client, embedder, BM25) are created lazily, once."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path

from assistant.answer.chat import Conversation
from assistant.answer.engines import AnswerEngine
from assistant.answer.question import content_terms
from assistant.answer.respond import Responder
from assistant.attribution.identity import Speaker, SpeakerRegistry
from assistant.config import Settings
from assistant.errors import AssistantError, QuestionError
from assistant.ingest.feeds import FeedRun, new_items, read_feed, stored_urls
from assistant.ingest.loaders import expand_paths, load_file
from assistant.ingest.pipeline import Indexer, Progress, with_quotes
from assistant.ingest.web import Fetcher, FetchOptions, WebSource, is_url
from assistant.models import Answer, Article, Chunk, IngestReport, Quote
from assistant.retrieval.embedding import LocalEmbedding
from assistant.retrieval.filters import Filters
from assistant.retrieval.hybrid import HybridRetriever
from assistant.retrieval.rerank import ClauseReranker
from assistant.retrieval.sentences import SentenceVectors
from assistant.retrieval.store import Store

log = logging.getLogger(__name__)


class Assistant:
    """The public face: ingest articles, ask cited questions, browse quotes.

    >>> bot = Assistant(Settings(data_dir=tmp))
    >>> bot.ingest(["corpus/"]); bot.ask("What did Charles Lister say on X?")
    """

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self._lock = threading.RLock()

    # -- lazily built parts ------------------------------------------------------------------
    @cached_property
    def store(self) -> Store:
        return Store(self.settings)

    @cached_property
    def embedder(self) -> LocalEmbedding:
        return LocalEmbedding(self.settings.embed_model_path, batch_size=self.settings.embed_batch_size)

    @cached_property
    def retriever(self) -> HybridRetriever:
        return HybridRetriever(self.store, self.embedder, self.settings.dense_weight)

    @cached_property
    def sentence_vectors(self) -> SentenceVectors:
        """Evidence sentence vectors: stored at ingest, else embedded once per process."""
        return SentenceVectors(self.embedder.embed, self.store.sentence_vectors)

    @cached_property
    def indexer(self) -> Indexer:
        return Indexer(self.settings, self.store, self.embedder)

    @cached_property
    def engine(self) -> AnswerEngine:
        """The answer engine chosen by settings.engine: `extractive` (default, offline) or `llm`."""
        from assistant.answer.engines.extractive import ExtractiveEngine

        extractive = ExtractiveEngine(
            self.embedder, self.settings.refusal_threshold, self.settings.max_answer_sentences, self.sentence_vectors
        )
        if self.settings.engine == "extractive":
            return extractive
        from assistant.answer.engines.llm import LLMEngine
        from assistant.answer.llm_client import build_llm

        return LLMEngine(build_llm(self.settings), extractive)

    def warm_up(self) -> None:
        """Load the models and the indexes now rather than on the first question (spaCy, which the entity
        vote and attribution of uploaded articles use, takes 1–2 s to load)."""
        from assistant.text.nlp import pipeline

        self.recover()
        self.embedder.warm_up()
        self.retrieve("warm up", top_k=1)
        pipeline()

    # -- ingestion ---------------------------------------------------------------------------
    def ingest(
        self,
        paths: Iterable[str | Path | WebSource],
        progress: Progress | None = None,
        max_records: int | None = None,
    ) -> IngestReport:
        """Store the articles of files, folders and http(s) URLs (fetched politely: see assistant.ingest.web);
        every file, URL and record is its own unit (see IngestReport)."""
        fetcher = Fetcher(FetchOptions.from_settings(self.settings))
        sources = [WebSource(str(p).strip(), fetcher, stored=self.stored_urls) if is_url(p) else p for p in paths]
        with self._lock:
            report = self.indexer.ingest(sources, progress, max_records)
            if report.articles_added:
                self.retriever.invalidate()
            return report

    def recover(self) -> int:
        """Remove what an interrupted ingest or delete left (chunks without their article); returns how many.
        Skipped while another process holds the ingest lock: that ingest is not interrupted, it is running."""
        with self._lock, self.indexer.exclusive(wait=False) as held:
            return self.store.purge_unfinished() if held else 0

    def ingest_feeds(self, feeds: Iterable[str], progress: Progress | None = None) -> list[FeedRun]:
        """Read RSS/Atom feeds and ingest their new items; one FeedRun per feed (a failing feed is reported in
        its run, the others go on)."""
        fetcher = Fetcher(FetchOptions.from_settings(self.settings))
        runs = []
        for feed in feeds:
            run = FeedRun(feed)
            try:
                items, run.problems = read_feed(feed, fetcher)
                fresh = new_items(items, self.stored_urls)
                run.items, run.new = len(items), len(fresh)
                if fresh:
                    sources = [WebSource(i.link, fetcher, i.hints(), self.stored_urls) for i in fresh]
                    run.report = self.ingest(sources, progress)
            except AssistantError as exc:
                run.error = str(exc)
            runs.append(run)
        return runs

    def stored_urls(self, urls: list[str]) -> set[str]:
        """Which of these URLs are the URL of a stored article."""
        return stored_urls(self.store, urls)

    def delete_article(self, article_id: str) -> bool:
        """Remove one article and its chunks, holding the ingest lock (never racing an ingest's writes)."""
        with self._lock, self.indexer.exclusive():
            removed = self.store.delete_article(article_id)
            self.retriever.invalidate()
            return removed

    def articles(self) -> list[Article]:
        return sorted(self.store.iter_articles(), key=lambda a: (a.published is None, a.published, a.title or ""))

    # -- questions ---------------------------------------------------------------------------
    def _check_question(self, question: str) -> str:
        question = (question or "").strip()
        if not question:
            raise QuestionError("the question is empty; type a question about the articles.")
        if len(question) > self.settings.max_question_chars:
            raise QuestionError(
                f"the question is {len(question)} characters; keep it under {self.settings.max_question_chars}."
            )
        return question

    def retrieve(self, question: str, top_k: int | None = None, **filters: object) -> list[Chunk]:
        """Ranked chunks (text, article metadata, score) for a question."""
        question = self._check_question(question)
        return self.responder.retrieve(question, top_k or self.settings.top_k, Filters.parse(**filters))

    @cached_property
    def responder(self) -> Responder:
        reranker = ClauseReranker(budget_s=self.settings.rerank_budget_s) if self.settings.rerank else None
        return Responder(
            self.store,
            self.retriever,
            self.engine,
            self.settings.top_k,
            self.sentence_vectors,
            reranker=reranker,
            corroborate=self.settings.corroborate,
            presume=self.settings.presume_verdicts,
        )

    def ask(self, question: str, **filters: object) -> Answer:
        """A cited answer or the fixed refusal. Filters: outlet, speaker, since, until."""
        return self.responder.ask(self._check_question(question), Filters.parse(**filters))

    def ask_stream(self, question: str, **filters: object) -> Iterable[str | Answer]:
        """Like `ask`, streamed: yields each *verified* statement as a line of text (markers final,
        numbered as in the Answer) as soon as the engine has written and the verifier has checked it, then
        the Answer itself (last item). Nothing unverified is ever yielded."""
        question, parsed = self._check_question(question), Filters.parse(**filters)  # errors before the first item
        return self.responder.ask_stream(question, parsed)

    def conversation(self) -> Conversation:
        """A chat that keeps its own history; follow-ups are rewritten by the rules or, when the engine can,
        by its model (the engine is built only when a follow-up needs it)."""
        return Conversation(
            self.ask,
            self.settings.max_history_turns,
            condenser=lambda question, history: self.engine.condense(question, history),
            stream_fn=self.ask_stream,
        )

    # -- quotes ------------------------------------------------------------------------------
    def quotes(
        self,
        paths: Iterable[str | Path] | None = None,
        *,
        speaker: str | None = None,
        outlet: str | None = None,
        about: str | None = None,
    ) -> list[tuple[Article, Quote]]:
        """Attributed quotes of the given files (nothing stored) or, without paths, of the store;
        filtered by speaker, outlet, and a topic (`about`, searched in the store). Each quote's speaker is its
        canonical identity across the articles (see attribution/identity.py), with that identity's role when
        the article states none; the speaker filter selects identities ('Altman' → every quote of Sam Altman,
        never one of another Altman the evidence does not join)."""
        if paths is not None:
            articles = [
                with_quotes(a)
                for path in expand_paths(paths)
                for a in load_file(path, self.settings.max_file_bytes).articles
            ]
        else:
            articles = list(self.store.iter_articles())
        registry = SpeakerRegistry.from_articles(articles)
        wanted = {id(s) for s in registry.find(speaker)} if speaker else set()
        found = []
        for article in articles:
            if outlet and (article.outlet or "").casefold() != outlet.casefold():
                continue
            for quote in article.quotes:
                identity = registry.of_quote(quote, article.id)
                if speaker and (identity is None or id(identity) not in wanted):
                    continue
                found.append((article, _canonical(quote, identity)))
        if about and paths is not None:  # files are not indexed: match the topic's words in the quote
            terms = set(content_terms(about))
            return [f for f in found if terms & set(content_terms(f[1].text))]
        if about:  # topic search: quotes inside the chunks retrieved for the topic, in rank order
            rank = {
                q: i
                for i, c in enumerate(self.retrieve(about, top_k=10, **({"outlet": outlet} if outlet else {})))
                for q in c.quote_ids
            }
            found = sorted((f for f in found if f[1].id in rank), key=lambda f: rank[f[1].id])
        return found

    def speakers(self, name: str | None = None) -> list[Speaker]:
        """Canonical speakers of the store, most quoted first: name, kind, roles seen (and `role`, the most
        stated), outlets that quoted them, first/last publication dates, quote and article counts;
        `Speaker.as_dict()` is the JSON view. `name` keeps only the identities a user means by it."""
        registry = SpeakerRegistry.from_articles(self.store.iter_articles())
        return registry.find(name) if name else registry.speakers()


def _canonical(quote: Quote, identity: Speaker | None) -> Quote:
    """The quote under its speaker's canonical name, with the identity's role when the article gives none."""
    if identity is None:
        return quote
    return quote.model_copy(update={"speaker": identity.name, "speaker_role": quote.speaker_role or identity.role})
