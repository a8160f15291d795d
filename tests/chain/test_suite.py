"""The biller question suite over the shipped knowledge base: answer text AND tool results checked."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.answer import Answer
from tests.chain.case import Case
from tests.chain.cases_text import CONCEPTS, FOLLOW_UPS, OUT_OF_SCOPE
from tests.chain.cases_tools import MODIFIERS, RATES, UNITS

pytestmark = pytest.mark.integration

ALL = UNITS + MODIFIERS + RATES + CONCEPTS + FOLLOW_UPS + OUT_OF_SCOPE


def _history(case: Case) -> list[dict[str, str]]:
    return [{"role": "user", "content": q} for q in case.history]


def _subset(expected: dict[str, Any], actual: dict[str, Any]) -> None:
    for key, value in expected.items():
        assert actual.get(key) == value, f"{key}: expected {value!r}, got {actual.get(key)!r}"


def _check_tools(case: Case, answer: Answer) -> None:
    for name, want in case.tools.items():
        calls = [c for c in answer.tool_calls if c.name == name and "error" not in c.result]
        assert calls, f"the {name} tool did not run: {[c.name for c in answer.tool_calls]}"
        call = calls[0]
        _subset(want.get("args", {}), call.args)
        _subset(want.get("result", {}), call.result)
        required = {f["modifier"] for f in call.result.get("findings", []) if f["required"]}
        for mod in want.get("required", ()):
            assert mod in required, f"{mod} not required in {required}"


def test_suite_is_large_enough() -> None:
    assert len(ALL) >= 60


def test_suite_ids_are_unique() -> None:
    assert len({c.id + "|".join(c.history) for c in ALL}) == len(ALL)


@pytest.fixture(scope="module")
def chunk_texts(kb_assistant: Any) -> list[str]:
    return list(kb_assistant.retriever.all_texts())


@pytest.mark.parametrize("case", ALL, ids=[c.id for c in ALL])
def test_question(case: Case, kb_assistant: Any, chunk_texts: list[str]) -> None:
    answer = kb_assistant.ask(case.question, _history(case))
    assert answer.abstained is case.abstained, answer.answer
    for fact in case.says:
        assert fact in answer.answer, f"{fact!r} missing from:\n{answer.answer}"
    for fact in case.never_says:
        assert fact not in answer.answer, f"{fact!r} should not be in:\n{answer.answer}"
    _check_tools(case, answer)
    if not answer.abstained:
        assert answer.citations or answer.tool_calls
        for i, citation in enumerate(answer.citations, 1):
            assert any(citation.snippet in text for text in chunk_texts), citation.snippet
            assert f"[{i}]" in answer.answer
        assert answer.data_vintage
        assert 0.0 < answer.confidence <= 1.0
