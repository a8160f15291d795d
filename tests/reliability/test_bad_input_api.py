"""Bad input through the Python API: every odd question gets an Answer (message or normal), never an error."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.answer import Answer

from .inputs import BAD_QUESTIONS, MUST_ABSTAIN

pytestmark = pytest.mark.integration


def check_answer(answer: Any) -> Answer:
    """The Answer contract holds and the whole Answer serialises to JSON (what the CLI and UI send)."""
    assert isinstance(answer, Answer)
    assert answer.answer.strip(), "an answer always carries a message"
    assert 0.0 <= answer.confidence <= 1.0
    if not answer.abstained:
        assert answer.citations or answer.tool_calls, "a non-abstained answer is grounded"
    assert json.loads(answer.model_dump_json())["answer"] == answer.answer
    return answer


@pytest.mark.parametrize(("name", "question"), BAD_QUESTIONS, ids=[n for n, _ in BAD_QUESTIONS])
def test_bad_question_gets_a_message_or_an_answer(kb_assistant: Any, name: str, question: str) -> None:
    answer = check_answer(kb_assistant.ask(question))
    if name in MUST_ABSTAIN:
        assert answer.abstained
        assert not answer.tool_calls and not answer.citations


def test_too_long_question_says_so(kb_assistant: Any) -> None:
    limit = kb_assistant.settings.max_question_chars
    answer = check_answer(kb_assistant.ask("x" * (limit + 1)))
    assert answer.abstained
    assert str(limit) in answer.answer.replace(",", "") or "long" in answer.answer.lower()


def test_empty_question_says_what_to_do(kb_assistant: Any) -> None:
    answer = check_answer(kb_assistant.ask("   "))
    assert answer.abstained
    assert "question" in answer.answer.lower()


@pytest.mark.parametrize(
    "history", [[{"role": "user"}], [{"content": 5}], [{"role": "x", "content": "\x00"}], []]
)
def test_malformed_history_is_tolerated(kb_assistant: Any, history: list[dict[str, Any]]) -> None:
    check_answer(kb_assistant.ask("and for 97110?", history=history))


billing_words = st.sampled_from(
    ["97112", "97110", "97140", "G0283", "59", "XU", "GP", "KX", "CQ", "units", "min", "minutes",
     "Medicare", "Aetna", "rate", "2025", "2026", "ther ex", "neuro re-ed", "modifier", "$", "-", "?"]
)  # fmt: skip
any_text = st.text(alphabet=st.characters(exclude_categories=()), max_size=300)  # surrogates included
questions = st.one_of(
    st.text(max_size=200),
    any_text,
    st.lists(
        st.one_of(billing_words, st.integers(-(10**9), 10**9).map(str), st.text(max_size=5)), max_size=30
    ).map(" ".join),
)

histories = st.one_of(
    st.none(),
    st.lists(
        st.fixed_dictionaries(
            {"role": st.sampled_from(["user", "assistant", "system", ""]), "content": questions}
        ),
        max_size=3,
    ),
)


@pytest.mark.slow
@settings(
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(question=questions, history=histories)
def test_fuzzed_questions_never_raise(
    kb_assistant: Any, question: str, history: list[dict[str, Any]] | None
) -> None:
    check_answer(kb_assistant.ask(question, history=history))


@pytest.mark.parametrize(
    "question",
    ["9999 minutes of 97112, how many units?", "How many units for 2000 minutes of 97112 and 30 of 97110?"],
)
def test_impossible_minutes_get_the_tools_refusal_not_another_example(
    kb_assistant: Any, question: str
) -> None:
    from assistant.retrieval.codes import extract_codes

    answer = check_answer(kb_assistant.ask(question))
    lead = answer.answer.strip().splitlines()[0]
    assert set(extract_codes(lead)) <= set(extract_codes(question)), (
        f"the answer leads with other codes: {lead}"
    )
    assert "24 hours" in answer.answer or answer.abstained, "the units tool's refusal reaches the user"
