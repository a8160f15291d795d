"""Concept answers: evidence of the shape asked for, from the section whose title is the question."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.chain.evidence import pick_evidence, question_kinds
from assistant.retrieval.spans import sentences, spans
from assistant.retrieval.types import Passage

WRAPPED_LIST = """A complete 97112 note includes:
1. **Functional goal**: what the patient will be able to do, for example "improve
balance to prevent falls".
2. **Clinical rationale**: why this activity addresses the deficit.
3. **Patient response**: tolerance, cues and measurable
progress.
The note is signed by the therapist."""

TABLE_THEN_SENTENCE = """The two codes side by side:
| feature | 97112 | 97110 |
|---|---|---|
| purpose | balance and coordination | strength and range of motion |
So the purpose of the activity decides between 97112 and 97110."""


def _passage(text: str, section: str, doc: str = "doc", rank: int = 0) -> Passage:
    return Passage(f"{doc}-{rank}", doc, "Title", section, "source", text, 0.05, 0.6)


def test_question_kinds_name_the_answer_shape_asked_for() -> None:
    assert question_kinds("97112 vs 97110?") == {"compare"}
    assert "compare" in question_kinds("what's the difference between ther ex and neuro re-ed")
    assert question_kinds("what must the note include for 97112") == {"list"}
    assert question_kinds("documentation checklist for a re-eval") == {"list"}
    assert question_kinds("what percentage does medicare pay for a CQ line") == {"figure"}
    assert question_kinds("since when is the cut-off 10%") == {"figure"}
    assert question_kinds("what is 97112") == set()


def test_a_wrapped_list_item_stays_in_its_list() -> None:
    lists = [s for s in spans(WRAPPED_LIST) if s.kind == "list"]
    assert len(lists) == 1
    shown = lists[0].shown
    assert '"improve balance to prevent falls"' in shown
    assert shown.endswith("tolerance, cues and measurable progress.")
    assert "signed" not in shown  # the sentence after a finished item is not part of the list
    assert lists[0].text in WRAPPED_LIST


def test_the_sentence_after_a_table_is_quotable() -> None:
    assert "So the purpose of the activity decides between 97112 and 97110." in sentences(TABLE_THEN_SENTENCE)
    kinds = {s.kind for s in spans(TABLE_THEN_SENTENCE)}
    assert {"table", "sentence"} <= kinds


def test_a_list_question_gets_the_whole_list() -> None:
    passages = [
        _passage("Thin notes are the root of most 97112 denials. " + WRAPPED_LIST, "Documenting 97112"),
    ]
    best = pick_evidence("what does a 97112 note need to include?", passages, ["97112"], limit=1)[0]
    assert "A complete 97112 note includes: Functional goal" in best.display
    assert "Clinical rationale" in best.display and best.display.endswith("measurable progress.")


def test_a_figure_question_gets_the_sentence_with_the_figure() -> None:
    text = "MPPR applies to therapy on one day. For the second and later units MPPR pays the PE at 50%."
    best = pick_evidence("how much does MPPR cut?", [_passage(text, "Therapy payment")], [], limit=1)[0]
    assert best.display == "For the second and later units MPPR pays the PE at 50%."


def test_a_comparison_question_gets_the_span_that_compares() -> None:
    text = (
        "97112 is neuromuscular re-education of balance and coordination. "
        "The purpose decides between 97112 and 97110: balance work is 97112, strengthening is 97110."
    )
    best = pick_evidence("97112 vs 97110?", [_passage(text, "Codes")], ["97112", "97110"], limit=1)[0]
    assert best.display.startswith("The purpose decides between 97112 and 97110")


@pytest.mark.integration
@pytest.mark.parametrize(
    ("question", "section_words", "lead_facts"),
    [
        ("How are 97110 and 97112 different?", "differ", ["purpose", "strength"]),
        ("which conditions is neuro re-ed usually billed for?", "patients", ["stroke"]),
        ("what share of the fee schedule is paid for a service billed with CQ?", "CQ", ["85%"]),
    ],
)
def test_the_lead_comes_from_the_section_that_answers(
    kb_assistant: Any, question: str, section_words: str, lead_facts: list[str]
) -> None:
    answer = kb_assistant.ask(question)
    lead = answer.answer.split("\n\n")[0]
    assert not answer.abstained
    assert section_words in answer.citations[0].section
    for fact in lead_facts:
        assert fact in lead, lead


@pytest.mark.integration
def test_a_question_worded_like_a_section_title_is_answered(kb_assistant: Any) -> None:
    answer = kb_assistant.ask("name the X modifiers and what each stands for")
    assert not answer.abstained
    assert all(m in answer.answer for m in ("XE", "XS", "XP", "XU"))


def test_a_sentence_listing_items_inline_counts_as_a_list() -> None:
    text = (
        "Every 97112 note matters to the payer reviewing it. "
        "Each 97112 note needs a goal, what was done, the rationale, the minutes and the response."
    )
    question = "what does a 97112 note need to include?"
    best = pick_evidence(question, [_passage(text, "Notes")], ["97112"], 1)[0]
    assert best.display.startswith("Each 97112 note needs a goal")


def test_overlapping_spans_are_quoted_once() -> None:
    text = (
        "Since 2015 CMS has four X modifiers. Use one instead of 59:\n"
        "| modifier | meaning |\n|---|---|\n| XE | separate encounter |\n| XS | separate structure |\n"
        "59 remains for other distinct services."
    )
    picked = pick_evidence("what are the X modifiers?", [_passage(text, "X modifiers")], [], limit=3)
    whole = [e for e in picked if "XE" in e.display and "XS" in e.display]
    assert whole, [e.display for e in picked]
    shown = " ".join(e.display for e in picked)
    assert shown.count("Since 2015 CMS has four X modifiers") == 1


def test_a_comparison_prefers_the_section_that_compares_over_a_list_of_codes() -> None:
    listing = _passage("NCCI pairs 97150 with 97110, 97112, 97116 and 97164.", "Which pairs have NCCI edits?")
    compares = _passage(
        "97150 covers two or more patients treated at the same time, never one-on-one.",
        "What is the difference between one-on-one codes and 97150 group therapy?",
        doc="groups",
        rank=1,
    )
    best = pick_evidence("97150 vs 97110?", [listing, compares], ["97150", "97110"], 1)[0]
    assert best.passage.doc_id == "groups"
    assert question_kinds("97112 or 97110 for balance work?") == {"compare"}
