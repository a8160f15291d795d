"""Optional LLM rewording: a LangChain chat model gets the passages and tools, and its numbers are checked.

The model may call the same tools (``langchain_tools()``); its final answer must cite a passage when
there are passages, and every number in it must appear in a tool result or a passage it cites. Anything
else (no citation, an unsupported number, an error, a timeout) keeps the grounded answer and says why.

Example:
    >>> model = build_chat_model("openai:gpt-4o-mini")                # doctest: +SKIP
    >>> outcome = refine(model, question, draft, passages, calls, timeout_s=30)   # doctest: +SKIP
    >>> outcome.text or outcome.fallback_reason                       # doctest: +SKIP
"""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.answer import ToolCall
from assistant.chain.leads import prompts
from assistant.errors import AssistantError, ToolInputError
from assistant.retrieval.types import Passage
from assistant.tools.registry import langchain_tools, run_tool

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

MAX_TOOL_ROUNDS = 3
_NUMBER = re.compile(
    r"(?<![\w.])\$?\d[\d,]*(?:\.\d+)?(?:\s*-?\s*(units?|minutes?|mins?|%|percent)(?![a-z]))?", re.IGNORECASE
)
_UNIT_WORDS = {"units": "unit", "minutes": "minute", "mins": "minute", "min": "minute", "percent": "%"}
_CITE = re.compile(r"\[(\d{1,2})\]")
_LIST_MARK = re.compile(r"^\s*\d+[.)]\s", re.M)


@dataclass
class LlmOutcome:
    """The model's checked answer text (None when falling back), its extra tool calls, or the reason."""

    text: str | None = None
    cited: list[int] = field(default_factory=list)
    tool_calls: list[ToolCall] = field(default_factory=list)
    fallback_reason: str | None = None


_MONEY = re.compile(r"\$\s?\d[\d,]*(?:\.\d+)?")


def build_chat_model(spec: str) -> BaseChatModel:
    """``provider:model`` → a LangChain chat model via ``init_chat_model`` (provider package needed)."""
    provider, _, model = spec.partition(":")
    if not provider or not model:
        raise AssistantError(
            f"ASSISTANT_LLM must look like provider:model (e.g. ollama:llama3), got '{spec}'."
        )
    from langchain.chat_models import init_chat_model

    try:
        return init_chat_model(model, model_provider=provider)
    except ImportError as err:
        package = f"langchain-{provider.replace('_', '-')}"
        raise AssistantError(
            f"The LLM provider '{provider}' needs a package: pip install {package} ({err})."
        ) from err
    except ValueError as err:
        raise AssistantError(f"Cannot build the chat model '{spec}': {err}") from err


def _norm_number(raw: str) -> str:
    try:
        value = Decimal(raw.replace("$", "").replace(",", ""))
    except InvalidOperation:
        return raw
    return format(value.normalize(), "f")


def numbers_in(text: str) -> set[str]:
    """Quantities of a text, normalised: '$2,480.00' → '2480', '5 units' → '5 unit', '85 percent' → '85 %'.

    Citation markers and list numbers are left out.
    """
    text = _LIST_MARK.sub(" ", _CITE.sub(" ", text))
    found = set()
    for m in _NUMBER.finditer(text):
        number = _norm_number(re.sub(r"\s*-?\s*[a-z%]+$", "", m.group(0), flags=re.IGNORECASE).rstrip(","))
        unit = (m.group(1) or "").lower()
        found.add(f"{number} {_UNIT_WORDS.get(unit, unit)}".strip())
    return found


def unsupported_money(text: str, sources: list[str]) -> list[str]:
    """Dollar amounts in ``text`` found in none of ``sources`` (for a rate answer: the tool results)."""
    return unsupported_numbers(" ".join(_MONEY.findall(text)), sources)


def unsupported_numbers(text: str, sources: list[str]) -> list[str]:
    """Quantities in ``text`` found in none of ``sources`` (a number with a unit must match with its unit)."""
    allowed: set[str] = set()
    for source in sources:
        allowed |= numbers_in(source)
    bare = {a.split(" ")[0] for a in allowed}
    return sorted(q for q in numbers_in(text) if q not in allowed and (" " in q or q not in bare))


def _messages(question: str, draft: str, passages: list[Passage], calls: list[ToolCall]) -> list[Any]:
    from langchain_core.messages import HumanMessage, SystemMessage

    t = prompts()["llm"]
    listed = "\n\n".join(f"[{i}] {p.title} — {p.section}\n{p.text}" for i, p in enumerate(passages, 1))
    tools = json.dumps([c.model_dump() for c in calls], ensure_ascii=False, default=str)
    user = str(t["user"]).format(question=question, tools=tools, passages=listed or "(none)", draft=draft)
    return [SystemMessage(content=str(t["system"])), HumanMessage(content=user)]


def _converse(model: BaseChatModel, messages: list[Any], extra: list[ToolCall], data_dir: Path | None) -> str:
    from langchain_core.messages import ToolMessage

    try:
        bound: Any = model.bind_tools(langchain_tools(data_dir))
    except NotImplementedError:
        bound = model
    for _ in range(MAX_TOOL_ROUNDS + 1):
        reply = bound.invoke(messages)
        messages.append(reply)
        if not getattr(reply, "tool_calls", None):
            return str(reply.text)
        for call in reply.tool_calls:
            try:
                result = run_tool(call["name"], dict(call["args"]), data_dir)
                extra.append(ToolCall(name=call["name"], args=dict(call["args"]), result=result))
                content = json.dumps(result, default=str)
            except ToolInputError as err:
                content = json.dumps({"error": str(err)})
            messages.append(ToolMessage(content=content, tool_call_id=call.get("id") or call["name"]))
    raise AssistantError(f"the model kept calling tools after {MAX_TOOL_ROUNDS} rounds")


def _check(
    text: str, draft: str, passages: list[Passage], calls: list[ToolCall], extra: list[ToolCall]
) -> LlmOutcome:
    cited = sorted({int(n) for n in _CITE.findall(text) if 1 <= int(n) <= len(passages)})
    if not text.strip():
        return LlmOutcome(fallback_reason="the model returned an empty answer")
    if passages and not cited:
        return LlmOutcome(fallback_reason="the model's answer cites no passage")
    tools = [draft, json.dumps([c.model_dump() for c in [*calls, *extra]], default=str)]
    bad = unsupported_numbers(text, tools + [passages[n - 1].text for n in cited])
    if not bad and any(c.name == "rate" for c in [*calls, *extra]):
        # a rate question: every dollar amount comes from the rate tool, never from a passage
        bad = unsupported_money(text, tools)
    if bad:
        return LlmOutcome(
            fallback_reason=f"numbers not in any tool result or cited passage: {', '.join(bad)}"
        )
    return LlmOutcome(text=text.strip(), cited=cited, tool_calls=extra)


def refine(
    model: BaseChatModel,
    question: str,
    draft: str,
    passages: list[Passage],
    calls: list[ToolCall],
    timeout_s: float,
    executor: ThreadPoolExecutor,
    data_dir: Path | None = None,
) -> LlmOutcome:
    """Ask the model for a better-worded answer (its tool calls read the tables in ``data_dir``); any
    failure returns a fallback reason instead."""
    extra: list[ToolCall] = []
    messages = _messages(question, draft, passages, calls)
    future = executor.submit(_converse, model, messages, extra, data_dir)
    try:
        text = future.result(timeout=timeout_s)
    except FutureTimeout:
        future.cancel()
        return LlmOutcome(fallback_reason=f"the model did not answer within {timeout_s:g} s")
    except Exception as err:  # any provider error keeps the grounded answer
        return LlmOutcome(fallback_reason=f"the model failed: {type(err).__name__}: {err}"[:300])
    return _check(text, draft, passages, calls, extra)
