"""Follow-ups carry codes, payer, minutes, year and method over from earlier user turns."""

from __future__ import annotations

from assistant.chain.condense import condense, is_followup
from assistant.chain.extract import Slots
from assistant.chain.route import analyze
from assistant.config import Settings

DATA = Settings().data_dir


def _analyze(text: str) -> Slots:
    return analyze(text, DATA)


def _condensed(question: str, *previous: str) -> Slots:
    history = []
    for turn in previous:
        history += [{"role": "user", "content": turn}, {"role": "assistant", "content": "97999 $1.00 answer"}]
    return condense(_analyze(question), question, history, _analyze).slots


def test_new_payer_keeps_code_and_intent() -> None:
    s = _condensed("and UnitedHealthcare?", "What does Aetna pay for 97112?")
    assert s.codes == ["97112"] and s.payer == "UnitedHealthcare" and "rate" in s.intents


def test_units_follow_up_keeps_code_and_payer() -> None:
    s = _condensed("what would 4 units come to?", "What does Aetna pay for 97112?")
    assert s.codes == ["97112"] and s.payer == "Aetna" and s.units == 4


def test_year_follow_up() -> None:
    s = _condensed("and in 2025?", "What's the Medicare rate for 97110 in 2026?")
    assert s.codes == ["97110"] and s.year == 2025 and s.payer == "Medicare"


def test_commercial_per_code_follow_up_drops_medicare() -> None:
    s = _condensed(
        "what if it were a commercial plan using the per-code method?",
        "10 min ther ex, 10 min manual, 10 min attended e-stim for Medicare, how many units?",
    )
    assert s.minutes == {"97110": 10, "97140": 10, "97032": 10} and s.method == "ama"
    assert s.payer is None and s.commercial


def test_two_turns_back() -> None:
    s = _condensed("and in 2025?", "What does Aetna pay for 97112?", "and UnitedHealthcare?")
    assert s.codes == ["97112"] and s.payer == "UnitedHealthcare" and s.year == 2025


def test_assistant_answers_are_ignored() -> None:
    s = _condensed("and in 2025?", "What's the Medicare rate for 97110 in 2026?")
    assert "97999" not in s.codes


def test_a_new_question_stands_alone() -> None:
    slots = _analyze("What does the KX modifier mean?")
    assert not is_followup(slots, "What does the KX modifier mean?")
    s = _condensed("What does the KX modifier mean?", "97110=33 97140=7 how many units?")
    assert s.codes == [] and s.minutes == {}


def test_no_history_changes_nothing() -> None:
    slots = _analyze("and UnitedHealthcare?")
    assert condense(slots, "and UnitedHealthcare?", None, _analyze).slots is slots


def test_changing_one_codes_minutes_keeps_the_others() -> None:
    s = _condensed(
        "what if the ther ex had been 38 minutes instead?", "24 min neuro re-ed and 23 min ther ex, Medicare"
    )
    assert s.minutes == {"97112": 24, "97110": 38} and set(s.codes) == {"97112", "97110"}
