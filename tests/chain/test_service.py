"""Assistant contract: bad input never raises, audit log written and redacted, stream, missing index."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from assistant.answer import Answer
from assistant.config import Settings
from assistant.errors import IndexMissingError
from assistant.service import Assistant

pytestmark = pytest.mark.integration

PHI_QUESTION = (
    "Patient John Smith, DOB 03/14/1950, SSN 123-45-6789, MRN 884213, phone (312) 555-0199, "
    "jsmith@example.com: 24 min neuro re-ed and 23 min ther ex for Medicare, how do I bill?"
)
PHI_VALUES = ["John", "Smith", "03/14/1950", "123-45-6789", "884213", "555-0199", "jsmith@example.com"]


@pytest.fixture
def bot(kb_index_dir: Path, embedder: Any, tmp_path: Path) -> Assistant:
    return Assistant.from_settings(
        Settings(index_dir=kb_index_dir, log_dir=tmp_path / "logs"), embedder=embedder
    )


def _audit_lines(tmp_path: Path) -> list[dict[str, Any]]:
    text = (tmp_path / "logs" / "audit.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def test_patient_identifiers_never_reach_the_audit_log_or_the_answer(bot: Assistant, tmp_path: Path) -> None:
    answer = bot.ask(PHI_QUESTION)
    assert "2 units of 97112" in answer.answer
    raw = (tmp_path / "logs" / "audit.jsonl").read_text(encoding="utf-8")
    for value in [*PHI_VALUES]:
        assert value not in raw
        assert value not in answer.answer
    entry = _audit_lines(tmp_path)[0]
    assert "[NAME]" in entry["question"] and "[DOB]" in entry["question"] and "[SSN]" in entry["question"]
    assert entry["tool_calls"][0] == {
        "name": "units",
        "args": {"minutes": {"97112": 24, "97110": 23}, "method": "cms"},
    }
    assert entry["citations"] and entry["data_vintage"] and entry["latency_ms"] > 0


def test_audit_log_has_one_line_per_answer_including_rejections(bot: Assistant, tmp_path: Path) -> None:
    bot.ask("What is the 2026 KX threshold?")
    bot.ask("")
    bot.ask("What does Cigna pay for 97112?")
    entries = _audit_lines(tmp_path)
    assert len(entries) == 3
    assert [e["abstained"] for e in entries] == [False, True, True]


def test_no_audit_log_when_log_dir_is_none(kb_index_dir: Path, embedder: Any, tmp_path: Path) -> None:
    bot = Assistant.from_settings(Settings(index_dir=kb_index_dir, log_dir=None), embedder=embedder)
    assert not bot.ask("What is MPPR?").abstained
    assert not list(tmp_path.rglob("audit.jsonl"))


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("", "Please type a question"),
        ("   \n\t ", "Please type a question"),
        ("\x00\x01\x02", "Please type a question"),
        ("?!?! ***", "could not find any words"),
        ("x" * 100_000, "the limit is 4,000"),
    ],
)
def test_bad_input_gets_a_clear_message(bot: Assistant, question: str, message: str) -> None:
    answer = bot.ask(question)
    assert answer.abstained and message in answer.answer and answer.citations == []


def test_odd_but_valid_input_is_answered_or_abstains(bot: Assistant) -> None:
    for question in [
        "'; DROP TABLE claims; -- 97110=33",
        "<script>alert(1)</script> what is 97112?",
        "¿Cuántas unidades son 38 minutos de 97110?",
        " ".join(f"971{n:02d}" for n in range(60)) + " modifiers?",
        "👍👍 97110=33 👍",
    ]:
        answer = bot.ask(question)
        assert isinstance(answer, Answer) and answer.answer


@given(st.text(max_size=300))
@hyp_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_ask_never_raises_for_any_string(bot: Assistant, text: str) -> None:
    answer = bot.ask(text)
    assert answer.abstained or answer.citations or answer.tool_calls


def test_stream_yields_text_then_the_answer(bot: Assistant) -> None:
    pieces = list(bot.stream("97110=33 97140=7 how many units?"))
    final = pieces[-1]
    assert isinstance(final, Answer) and all(isinstance(p, str) for p in pieces[:-1])
    assert "".join(str(p) for p in pieces[:-1]) == final.answer
    assert "2 units of 97110" in final.answer


def test_history_is_used(bot: Assistant) -> None:
    history = [
        {"role": "user", "content": "What does Aetna pay for 97112?"},
        {"role": "assistant", "content": "Aetna pays $34.50 per unit for 97112."},
    ]
    answer = bot.ask("and UnitedHealthcare?", history)
    assert "$36.10" in answer.answer


def test_topics_come_from_the_index(bot: Assistant) -> None:
    assert {"units", "modifiers", "payer rates"} <= set(bot.topics())


def test_missing_index_propagates_a_clear_error(embedder: Any, tmp_path: Path) -> None:
    bot = Assistant.from_settings(
        Settings(index_dir=tmp_path / "nothing-here", log_dir=None), embedder=embedder
    )
    assert bot.ask("").abstained  # the guard answers without the index
    with pytest.raises(IndexMissingError, match="ingest"):
        bot.ask("What is the 8-minute rule?")


def test_sentence_scorer_ranks_by_meaning_and_caches(embedder: Any) -> None:
    from assistant.chain.rerank import SentenceScorer

    scorer = SentenceScorer(embedder)
    texts = [
        "Stroke and brain injury patients often get neuromuscular re-education.",
        "Bake the bread at 220 C.",
    ]
    first = scorer("which patients get neuro re-ed?", texts)
    assert first[0] > first[1]
    assert scorer("which patients get neuro re-ed?", texts) == first
    assert len(scorer._vectors) == 2


def test_junk_history_is_ignored(bot: Assistant) -> None:
    junk: Any = ["not a message", {"role": "user"}, {"role": "user", "content": 42}, None]
    assert "2 units of 97110" in bot.ask("97110=33 97140=7 units?", junk).answer
    assert "2 units of 97110" in bot.ask("97110=33 97140=7 units?", "not a list").answer  # type: ignore[arg-type]


def test_sentence_scorer_uses_the_index_vectors_first(embedder: Any) -> None:
    from assistant.chain.rerank import SentenceScorer

    known_text, other = "Neuromuscular re-education retrains balance.", "Bake the bread at 220 C."
    stored = embedder.encode([known_text])[0]
    scorer = SentenceScorer(
        embedder, known=lambda texts: [stored if t == known_text else None for t in texts]
    )
    scores = scorer("balance training", [known_text, other])
    assert list(scorer._vectors) == [other]  # only the span the index did not know was embedded
    assert scores[0] == pytest.approx(float(stored @ np.asarray(embedder.embed_query("balance training"))))


@pytest.mark.parametrize(
    ("question", "history"),
    [
        ("What does United pay for 2 units of 97112?", []),
        ("and UnitedHealthcare?", [{"role": "user", "content": "What does Aetna pay for 97112?"}]),
    ],
)
def test_a_payer_rate_quotes_that_payers_line_and_no_other_amount(
    bot: Assistant, question: str, history: list[dict[str, str]]
) -> None:
    answer = bot.ask(question, history)
    guidance = answer.answer.split("**From the guidance**", 1)[1].split("**Sources**")[0]
    assert "UnitedHealthcare" in guidance and "$36.10" in guidance
    assert "$34.50" not in answer.answer and "$33.50" not in answer.answer  # Aetna's, BCBS's amounts


def test_money_off_the_rate_tool_is_not_quoted() -> None:
    from assistant.chain.compose import _money_off_tool

    results = ['{"rate": "32.02", "steps": ["source page: $32.40"]}']
    assert _money_off_tool("The clinic rate is $999 per unit.", results)
    assert not _money_off_tool("Medicare pays $32.73 in 2026 (2025: $32.02).", results)  # states the tool's
    assert not _money_off_tool("The source page gives $32.40.", results)
    assert not _money_off_tool("Bill 97112 with GP.", results)  # no money at all
