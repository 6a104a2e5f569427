"""Question → Answer, in one direction: retrieve the evidence (with a hop per missing name), let the engine
draft, let the verifier decide what is shown. `Assistant.ask` and `ask_stream` are this, and nothing else."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

from assistant.answer.corroborate import Corroborator, as_conflicts, as_reports
from assistant.answer.decompose import Plan, clause_queries
from assistant.answer.decompose import plan as plan_question
from assistant.answer.engines import AnswerEngine
from assistant.answer.engines.entity import entity_labels
from assistant.answer.evidence import missing_names
from assistant.answer.question import analyse
from assistant.answer.verdict import Verdict, clauses_to_find, decide, find
from assistant.answer.verdict import draft as verdict_draft
from assistant.answer.verify import Verifier, verify
from assistant.models import Answer, Article, Chunk, Citation, ClauseCheck, Conflict, Evidence
from assistant.retrieval.filters import Filters
from assistant.retrieval.hybrid import HybridRetriever
from assistant.retrieval.rerank import ClauseReranker
from assistant.retrieval.sentences import SentenceVectors
from assistant.retrieval.store import Store

UNDECIDED = "Undecided"  # opens the evidence lines of a question across reports that got no verdict
MAX_HOPS = 3  # extra retrievals per question, one per missing name
MAX_CORROBORATED = 3  # citations checked for other reports of their claim (each costs one retrieval)
HOP_K = 2  # chunks each extra retrieval adds
log = logging.getLogger(__name__)


def spans_of(chunks: list[Chunk]) -> list[Evidence]:
    """The retrieved chunks as spans the verifier may align an unmarked statement to (not only the sentences
    the engine offered)."""
    return [Evidence(n=0, article_id=c.article_id, start=c.start, end=c.end) for c in chunks]


class Responder:
    """Answers questions from the store through one engine; holds no per-question state."""

    def __init__(
        self,
        store: Store,
        retriever: HybridRetriever,
        engine: AnswerEngine,
        top_k: int,
        vectors: SentenceVectors | None = None,
        reranker: ClauseReranker | None = None,
        corroborate: bool = True,
        presume: bool = False,
    ) -> None:
        self.store, self.retriever, self.engine, self.top_k = store, retriever, engine, top_k
        self.vectors = vectors or SentenceVectors(retriever.embedder.embed, store.sentence_vectors)
        self.reranker, self.corroborating, self.presume = reranker, corroborate, presume

    def plan(self, question: str) -> Plan:
        """The question's clauses, each bound to the outlets, dates and names it mentions."""
        return plan_question(question, self.retriever.outlet_aliases())

    def retrieve(self, question: str, top_k: int, filters: Filters, plan: Plan | None = None) -> list[Chunk]:
        """Ranked chunks; a question across reports is retrieved clause by clause, each in its own scope."""
        plan = plan or self.plan(question)
        clauses = clause_queries(plan, filters) if plan.multi else None
        if self.reranker is not None and clauses:
            self.reranker.start()
            return self.retriever.retrieve(question, top_k, filters, clauses, rerank=self.reranker)
        return self.retriever.retrieve(question, top_k, filters, clauses)

    def evidence(self, question: str, filters: Filters, plan: Plan | None = None) -> list[Chunk]:
        """Retrieved chunks (per clause), plus a hop per missing name: a multi-hop question describes facts
        from several reports, and one ranking often misses the report behind one clause ("… compared with
        OpenAI's GPT-3.5 by TechCrunch …"). Each name of the question absent from the retrieved articles gets
        its clause retrieved on its own; a name no report contains stays missing, and the engine declines."""
        chunks = self.retrieve(question, self.top_k, filters, plan)
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

    def _gather(
        self, question: str, filters: Filters, plan: Plan
    ) -> tuple[list[Chunk], dict[str, Article], dict[str, object]]:
        chunks = self.evidence(question, filters, plan)
        articles = self.store.get_articles([c.article_id for c in chunks])
        extra = {"filters": filters.as_dict(), "retrieved": tuple(dict.fromkeys(c.article_id for c in chunks))}
        return chunks, articles, extra

    def corroborate(self, answer: Answer, articles: dict[str, Article]) -> Answer:
        """Each cited claim with the independent outlets that also report it, and the figures that disagree."""
        if answer.refused or not answer.citations or not self.corroborating:
            return answer
        checker = Corroborator(
            lambda text, k: self.retriever.retrieve(text, k, Filters()),
            self.store.get_articles,
            self.vectors.similarity,
        )
        citations, conflicts = [], []
        for i, citation in enumerate(answer.citations):
            article = articles.get(citation.article_id)
            if article is None or i >= MAX_CORROBORATED:
                citations.append(citation)
                continue
            found = checker.check(article, citation.start, citation.end)
            update = {"independent_outlets": tuple(found.independent), "also_reported_by": as_reports(found)}
            citations.append(citation.model_copy(update=update))
            conflicts += [c for c in as_conflicts(found, answer.citations) if _key(c) not in map(_key, conflicts)]
        return answer.model_copy(update={"citations": tuple(citations), "conflicts": tuple(conflicts)})

    def decide(self, plan: Plan, chunks: list[Chunk], articles: dict[str, Article]) -> Verdict | None:
        """A Yes/No question across reports (or about a change, an order, an amount) is decided in code,
        clause by clause, whatever the engine; None for every other question."""
        if not plan.yes_no or not (plan.multi or plan.relation not in ("claims", "open") or plan.choice):
            return None
        findings = [find(clause, chunks, articles, self.vectors.similarity) for clause in clauses_to_find(plan)]
        return decide(plan, findings, presume=self.presume)

    def ask(self, question: str, filters: Filters) -> Answer:
        """A cited answer or the fixed refusal."""
        plan = self.plan(question)
        chunks, articles, extra = self._gather(question, filters, plan)
        verdict = self.decide(plan, chunks, articles)
        if verdict is not None:
            return self.corroborate(verdict_answer(question, verdict, articles, extra), articles)
        unstored = unstored_sources(plan)
        if unstored:
            log.info("declined %r: it asks about reports from %s, which are not stored", question, unstored)
            return Answer.refusal(question, **extra)
        draft = self.engine.draft(analyse(question), chunks, articles)
        if not draft.text:
            log.info("declined %r: %s", question, draft.reason)
        context = spans_of(chunks)
        answer = verify(
            question, draft, articles, set(articles), similarity=self.engine.similarity, context=context, **extra
        )
        return self.corroborate(with_lead(answer, draft.lead), articles)

    def ask_stream(self, question: str, filters: Filters) -> Iterator[str | Answer]:
        """Each *verified* statement as a line of text (markers final, numbered as in the Answer) as soon as
        the engine has written it and the verifier has checked it, then the Answer (last item)."""
        plan = self.plan(question)
        chunks, articles, extra = self._gather(question, filters, plan)
        verdict = self.decide(plan, chunks, articles)
        if verdict is not None:  # decided at once: its lines, then the Answer
            answer = self.corroborate(verdict_answer(question, verdict, articles, extra), articles)
            yield from ([] if answer.refused else answer.answer.split("\n"))
            yield answer
            return
        if unstored_sources(plan):
            yield Answer.refusal(question, **extra)
            return
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
        yield self.corroborate(verifier.answer(**extra), articles)


def unstored_sources(plan: Plan) -> list[str]:
    """The sources an entity question ("Which company, reported by Bloomberg and …, …?") names that the store
    does not hold. Such a question is answered by voting over the retrieved reports with no support threshold,
    so a report it needs and cannot have would be replaced by whatever else was retrieved: it is declined."""
    if not entity_labels(plan.question):
        return []
    return list(dict.fromkeys(u for clause in plan.clauses for u in clause.unknown))


def _key(conflict: Conflict) -> frozenset[tuple[str, int]]:
    return frozenset((v.article_id, v.start) for v in conflict.values)


def clause_checks(verdict: Verdict, citations: tuple[Citation, ...]) -> tuple[ClauseCheck, ...]:
    """Each clause with its status, the reason and the citation holding its evidence."""
    by_span = {(c.article_id, c.start, c.end): c.id for c in citations}
    return tuple(
        ClauseCheck(
            text=f.clause.text,
            outlets=f.clause.outlets,
            dates=f.clause.dates,
            status=f.judgement.status,  # type: ignore[arg-type]
            reason=f.judgement.reason,
            citation=by_span.get((f.article.id, f.start, f.end)) if f.article else None,
        )
        for f in verdict.findings
    )


def with_lead(answer: Answer, lead: str | None) -> Answer:
    """The answer opened by the name it gives ("Google — …"), when a verified citation's words contain that
    name verbatim: the lead is then a reading of the cited evidence, never a claim of its own."""
    if not lead or answer.refused or not any(lead in c.quote for c in answer.citations):
        return answer
    return answer.model_copy(update={"answer": f"{lead} — {answer.answer}"})


STATUS_LABELS = {
    "supported": "Supported",
    "contradicted": "Contradicted",
    "unknown": "Not confirmed, not contradicted",
}


def labelled(verdict: Verdict, text: str, citations: tuple[Citation, ...]) -> str:
    """The verified lines after the verdict ("Yes: …", or "Undecided: …" when none is given), each led by what
    it shows for its clause (supported, contradicted, or neither — and then presumed to hold, when the verdict
    rests on that), or by the presumption a verdict not judged in code rests on. Written after verification,
    like the verdict word: they say what the check found, and every line still ends with its citation."""
    head = verdict.answer or UNDECIDED
    if text.startswith(f"{head}: "):
        text = text[len(f"{head}: ") :]
    by_span = {(f.article.id, f.start, f.end): f for f in verdict.findings if f.article is not None}
    by_id = {c.id: by_span.get((c.article_id, c.start, c.end)) for c in citations}
    lines = []
    for n, line in enumerate(text.split("\n")):
        ids = [int(i) for i in re.findall(r"\[(\d+)\]", line)]
        finding = next((by_id[i] for i in ids if by_id.get(i) is not None), None)
        if verdict.by_claims and finding is not None:
            label = STATUS_LABELS.get(finding.judgement.status, "Not confirmed")
            if verdict.presumed and finding.judgement.status == "unknown":
                label += ", presumed to hold"
            line = f"{label} — {line}"
        elif n == 0 and verdict.presumed and not verdict.by_claims:  # a presumption, not a finding: say so
            line = f"{verdict.reason[:1].upper()}{verdict.reason[1:]} — {line}"
        lines.append(line)
    return f"{head}: " + "\n".join(lines)


def verdict_answer(question: str, verdict: Verdict, articles: dict[str, Article], extra: dict[str, object]) -> Answer:
    """The verified answer for a verdict: it opens with the verdict. Undecided → no verdict, and `undecided`
    says why (the clause that could not be decided, or the presumption a verdict would rest on); the reports
    that were found are still shown, verbatim and cited, opened by "Undecided:" — what a reader needs to judge
    for themselves. With no report found, a refusal. Either way it counts as a refusal in the evaluation."""
    undecided = None
    if verdict.answer is None:
        log.info("undecided %r: %s", question, verdict.reason)
        undecided = verdict.reason[:1].upper() + verdict.reason[1:]
    answer = verify(question, verdict_draft(verdict, with_verdict=False), articles, set(articles), **extra)
    if answer.refused:  # also when no report was found: the draft is empty
        if undecided:
            return Answer.refusal(question, clauses=clause_checks(verdict, ()), undecided=undecided, **extra)
        why = "The evidence for the verdict did not pass the citation check"
        return answer.model_copy(update={"clauses": clause_checks(verdict, ()), "undecided": why})
    text = labelled(verdict, answer.answer, answer.citations)
    update = {"answer": text, "clauses": clause_checks(verdict, answer.citations)}
    return answer.model_copy(update=update | ({"undecided": undecided} if undecided else {"verdict": verdict.answer}))
