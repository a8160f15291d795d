"""The public entry point: ``Assistant.from_settings(settings).ask(question, history)`` → ``Answer``.

``ask`` never raises for a string: bad input and tool refusals come back as an abstaining Answer with
a clear message. Only infrastructure errors (index missing, Chroma server down) propagate, as
``AssistantError`` subclasses whose message says what to run.

Example:
    >>> bot = Assistant.from_settings(Settings())                                  # doctest: +SKIP
    >>> bot.ask("I did 24 min neuro re-ed and 23 of ther ex, Medicare").answer     # doctest: +SKIP
    'Bill 3 units in total: 2 units of 97112 and 1 unit of 97110 (...)'
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from assistant.answer import Answer
from assistant.audit import AuditLog
from assistant.chain.leads import prompts
from assistant.chain.rerank import SentenceScorer
from assistant.chain.runnable import ChainDeps, Turn, build_chain
from assistant.errors import AssistantError, IndexMissingError, StoreUnavailableError
from assistant.redact import redact

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.config import Settings
    from assistant.retrieval.embeddings import Embedder
    from assistant.retrieval.hybrid import HybridRetriever

log = logging.getLogger(__name__)
_INFRASTRUCTURE = (IndexMissingError, StoreUnavailableError)


class Assistant:
    """Answers billing questions with tools, retrieval and citations (see the module docstring)."""

    def __init__(
        self, settings: Settings, retriever: HybridRetriever, chat_model: BaseChatModel | None = None
    ):
        self.settings = settings
        self.retriever = retriever
        self.chat_model = chat_model
        self._executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="llm") if chat_model else None
        scorer = SentenceScorer(retriever.embedder, known=retriever.span_vectors)
        self.chain = build_chain(ChainDeps(settings, retriever, chat_model, self._executor, scorer))
        self.audit = AuditLog(settings.log_dir)

    @classmethod
    def from_settings(
        cls, settings: Settings, embedder: Embedder | None = None, chat_model: BaseChatModel | None = None
    ) -> Assistant:
        """Build the object graph: retriever (sharing ``embedder``), optional chat model, audit log."""
        from assistant.retrieval.hybrid import HybridRetriever

        if chat_model is None and settings.llm:
            from assistant.chain.llm import build_chat_model

            chat_model = build_chat_model(settings.llm)
        return cls(settings, HybridRetriever.from_settings(settings, embedder=embedder), chat_model)

    def topics(self) -> list[str]:
        """Topics of the indexed guidance (from the documents' front matter)."""
        return self.retriever.topics()

    def _run(self, question: Any, history: list[dict[str, Any]] | None) -> tuple[Answer, Turn | None]:
        if isinstance(question, bytes):
            question = question.decode("utf-8", errors="replace")
        turn = Turn(
            raw=question if isinstance(question, str) else "",
            history=list(history) if isinstance(history, list | tuple) else [],
        )
        try:
            turn = self.chain.invoke(turn)
        except _INFRASTRUCTURE:
            raise
        except AssistantError as err:
            return Answer(answer=str(err), abstained=True), turn
        except Exception:  # never a traceback for a question; the log keeps the details
            log.exception("answering failed for a question of %d characters", len(turn.raw))
            return Answer(answer=str(prompts()["friendly_error"]), abstained=True), turn
        if turn.rejected is not None or turn.composed is None:
            return Answer(answer=turn.rejected or str(prompts()["friendly_error"]), abstained=True), turn
        c = turn.composed
        answer = Answer(
            answer=c.text,
            citations=c.citations,
            tool_calls=c.tool_calls,
            abstained=c.abstained,
            confidence=c.confidence,
            data_vintage=c.data_vintage,
        )
        return answer, turn

    def ask(self, question: str, history: list[dict[str, Any]] | None = None) -> Answer:
        """Answer one question (with optional chat history of ``{"role", "content"}`` messages)."""
        started = time.perf_counter()
        answer, turn = self._run(question, history)
        answer.latency_ms = round((time.perf_counter() - started) * 1000, 1)
        self.audit.record(
            turn.question if turn and turn.question else redact(turn.raw[:2000] if turn else ""),
            answer,
            llm=(self.settings.llm or type(self.chat_model).__name__) if self.chat_model else None,
            llm_fallback_reason=turn.llm_fallback_reason if turn else None,
            prompts_version=prompts().get("version"),
        )
        return answer

    def stream(self, question: str, history: list[dict[str, Any]] | None = None) -> Iterator[str | Answer]:
        """Text pieces of the answer (line by line), then the final Answer."""
        answer = self.ask(question, history)
        yield from answer.answer.splitlines(keepends=True)
        yield answer
