"""The chain as a LangChain Runnable: guard → condense → route → tools → retrieve → compose (→ LLM).

Each stage is a ``RunnableLambda`` over one :class:`Turn`; a question the guard rejects passes through
the later stages untouched. ``Assistant`` (assistant/service.py) builds this once and wraps it.

Example:
    >>> chain = build_chain(ChainDeps(settings, retriever))                       # doctest: +SKIP
    >>> turn = chain.invoke(Turn(raw="97110=33 97140=7, how many units?"))       # doctest: +SKIP
    >>> turn.composed.text.splitlines()[0]                                       # doctest: +SKIP
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from langchain_core.runnables import Runnable, RunnableLambda

from assistant.answer import Citation
from assistant.chain.compose import Composed, citation, compose
from assistant.chain.condense import Condensed, condense
from assistant.chain.evidence import Scorer, trusted
from assistant.chain.execute import ToolOutcome, run_plan
from assistant.chain.guard import clean_question
from assistant.chain.leads import prompts
from assistant.chain.llm import refine
from assistant.chain.route import Plan, analyze, route
from assistant.errors import InputRejectedError
from assistant.redact import redact
from assistant.retrieval.spans import sentences
from assistant.retrieval.types import Passage, RetrievalResult

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.config import Settings
    from assistant.retrieval.hybrid import HybridRetriever


@dataclass
class Turn:
    """One question travelling through the chain, filled in stage by stage."""

    raw: str
    history: list[dict[str, Any]] = field(default_factory=list)
    question: str = ""  # cleaned and redacted: the only form later stages see
    rejected: str | None = None
    condensed: Condensed | None = None
    plan: Plan | None = None
    outcome: ToolOutcome | None = None
    retrieval: RetrievalResult | None = None
    tool_passages: list[Passage] = field(default_factory=list)  # the guidance behind each tool that ran
    composed: Composed | None = None
    llm_fallback_reason: str | None = None


@dataclass
class ChainDeps:
    """What the chain needs: settings, a retriever, and optionally a chat model with its worker pool."""

    settings: Settings
    retriever: HybridRetriever
    chat_model: BaseChatModel | None = None
    executor: ThreadPoolExecutor | None = None
    scorer: Scorer | None = None


def _stage(fn: Any) -> RunnableLambda[Turn, Turn]:
    def run(turn: Turn) -> Turn:
        return turn if turn.rejected is not None else fn(turn)

    return RunnableLambda(run, name=fn.__name__.strip("_"))


def build_chain(deps: ChainDeps) -> Runnable[Turn, Turn]:
    """The whole question-to-answer pipeline as one Runnable over :class:`Turn`."""
    settings = deps.settings

    def _analyze(text: str) -> Any:
        return analyze(text, settings.data_dir)

    def guard(turn: Turn) -> Turn:
        try:
            turn.question = redact(clean_question(turn.raw, settings.max_question_chars))
        except InputRejectedError as err:
            turn.rejected = str(err)
        return turn

    def _history_turns(turn: Turn) -> list[dict[str, Any]]:
        cleaned = []
        for message in turn.history:
            if not isinstance(message, dict):
                continue  # tolerate junk history from API callers
            try:
                content = redact(clean_question(str(message.get("content", "")), settings.max_question_chars))
            except InputRejectedError:
                continue
            cleaned.append({"role": message.get("role"), "content": content})
        return cleaned

    def _condense(turn: Turn) -> Turn:
        turn.condensed = condense(_analyze(turn.question), turn.question, _history_turns(turn), _analyze)
        return turn

    def _route(turn: Turn) -> Turn:
        assert turn.condensed is not None
        turn.plan = route(turn.condensed.slots, settings.data_dir)
        return turn

    def _tools(turn: Turn) -> Turn:
        assert turn.plan is not None
        turn.outcome = run_plan(turn.plan, settings.data_dir)
        return turn

    def _retrieve(turn: Turn) -> Turn:
        assert turn.condensed is not None and turn.plan is not None
        query = turn.plan.retrieval_query(turn.condensed.query)
        turn.retrieval = deps.retriever.search(query, codes=turn.plan.retrieval_codes)
        if turn.outcome is not None and turn.outcome.calls:
            turn.tool_passages = _tool_guidance(deps.retriever, turn.plan.hints)
        return turn

    def _compose(turn: Turn) -> Turn:
        assert turn.condensed and turn.plan and turn.outcome and turn.retrieval
        turn.composed = compose(
            turn.plan.retrieval_query(turn.condensed.query),
            turn.plan,
            turn.outcome,
            turn.retrieval,
            deps.retriever.topics,
            deps.scorer,
            turn.tool_passages,
        )
        return turn

    def _llm(turn: Turn) -> Turn:
        if (
            deps.chat_model is None
            or deps.executor is None
            or turn.composed is None
            or turn.composed.abstained
        ):
            return turn
        _apply_llm(turn, deps)
        return turn

    stages = [guard, _condense, _route, _tools, _retrieve, _compose, _llm]
    chain: Runnable[Turn, Turn] = _stage(stages[0])
    for fn in stages[1:]:
        chain = chain | _stage(fn)
    return chain


def _tool_guidance(retriever: HybridRetriever, hints: list[str]) -> list[Passage]:
    """The best passage for each tool's retrieval hint (the rule the tool applies), one per document."""
    found: list[Passage] = []
    for hint in hints:
        result = retriever.search(hint, k=3)
        best = next((p for p in trusted(result.passages) if p.doc_id not in {f.doc_id for f in found}), None)
        if result.found and best is not None:
            found.append(best)
    return found


def _apply_llm(turn: Turn, deps: ChainDeps) -> None:
    """Let the chat model reword the grounded answer; keep the grounded one when its check fails."""
    composed, retrieval = turn.composed, turn.retrieval
    assert composed is not None and retrieval is not None and deps.chat_model and deps.executor
    # Passages numbered as the draft cites them ([1] = first citation), then the rest.
    cited = [next((p for p in retrieval.passages if c.snippet in p.text), None) for c in composed.citations]
    passages = [p for p in cited if p is not None]
    passages += [p for p in trusted(retrieval.passages) if p not in passages]
    result = refine(
        deps.chat_model,
        turn.question,
        composed.text,
        passages,
        composed.tool_calls,
        deps.settings.llm_timeout_s,
        deps.executor,
        deps.settings.data_dir,
    )
    if result.text is None:
        turn.llm_fallback_reason = result.fallback_reason
        return
    citations: list[Citation] = []
    text = result.text
    for new_index, n in enumerate(result.cited, 1):
        p = passages[n - 1]
        citations.append(citation(p, next(iter(sentences(p.text)), p.text[:300])))
        text = text.replace(f"[{n}]", f"[{{{new_index}}}]")
    text = text.replace("[{", "[").replace("}]", "]")
    sources = [
        prompts()["headings"]["sources"],
        *[f"[{i}] {c.title} — {c.section}" for i, c in enumerate(citations, 1)],
    ]
    composed.text = text + ("\n\n" + "\n".join(sources) if citations else "")
    composed.citations = citations
    composed.tool_calls = [*composed.tool_calls, *result.tool_calls]
