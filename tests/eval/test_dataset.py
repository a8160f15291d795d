"""The dataset format: clear errors with line numbers, drafts accepted, shipped splits well-formed."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from assistant.config import KNOWLEDGE_BASE
from eval.dataset import CATEGORIES, DatasetError, EvalCase, load_dataset, load_split, parse_lines

GOOD = {"id": "c1", "question": "What is 97112?", "category": "concepts", "expected": {"facts": ["97112"]}}


def _lines(*objects: object) -> list[str]:
    return [o if isinstance(o, str) else json.dumps(o) for o in objects]


def test_valid_case_with_history_and_tool() -> None:
    case = {
        **GOOD,
        "id": "c2",
        "history": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}],
        "expected": {"tool": {"name": "rate", "result_subset": {"rate": "32.73"}}, "sources": ["d"]},
    }
    parsed = parse_lines(_lines(GOOD, case))
    assert [c.id for c in parsed] == ["c1", "c2"]
    assert parsed[1].history_dicts()[1] == {"role": "assistant", "content": "hello"}
    assert parsed[1].expected.tool is not None and parsed[1].expected.tool.name == "rate"


def test_draft_case_from_feedback_is_accepted() -> None:
    draft = {"id": "fb-1", "question": "q?", "expected": {}, "draft": True, "rating": "down", "created": "x"}
    (case,) = parse_lines(_lines(draft))
    assert case.draft and case.category is None and case.category_label == "uncategorized"
    assert case.expected.facts == [] and case.expected.abstain is False


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("{not json", r"line 2: not valid JSON"),
        ("[1, 2]", r"line 2: expected a JSON object"),
        ({"id": "x", "question": "q", "category": "weather"}, r"line 2: category"),
        ({"id": "x", "question": ""}, r"line 2: question"),
        (
            {"id": "x", "question": "q", "expected": {"facts": ["(unclosed"]}},
            r"line 2: expected\.facts.*invalid regex",
        ),
        ({"id": "x", "question": "q", "expected": {"any_of": [[]]}}, r"line 2: expected\.any_of"),
        ({"id": "x", "question": "q", "expected": {"fact": ["typo"]}}, r"line 2: expected\.fact"),
        (
            {"id": "x", "question": "q", "expected": {"tool": {"name": "calc"}}},
            r"line 2: expected\.tool\.name",
        ),
        (
            {"id": "x", "question": "q", "history": [{"role": "bot", "content": "c"}]},
            r"line 2: history\.0\.role",
        ),
        ({**GOOD}, r"line 2: duplicate id 'c1' \(first on line 1\)"),
    ],
)
def test_bad_line_names_its_line(bad: object, message: str) -> None:
    with pytest.raises(DatasetError, match=message):
        parse_lines(_lines(GOOD, bad), origin="cases.jsonl")


def test_blank_and_comment_lines_are_skipped_and_numbering_kept(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text("\n// a comment\n" + json.dumps(GOOD) + "\n{bad\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"d\.jsonl line 4"):
        load_dataset(path)


def test_missing_file_and_unknown_split(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="not found"):
        load_dataset(tmp_path / "nope.jsonl")
    with pytest.raises(DatasetError, match="unknown split"):
        load_split("train")


def _kb_ids() -> set[str]:
    ids = set()
    for path in (KNOWLEDGE_BASE / "guidance").glob("*.md"):
        found = re.search(r"^id:\s*(\S+)", path.read_text(encoding="utf-8"), re.M)
        assert found, path
        ids.add(found.group(1))
    return ids


def test_shipped_gold_set_is_complete() -> None:
    dev, test = load_split("dev"), load_split("test")
    every = load_split("all")  # also checks ids are unique across splits
    assert len(every) == len(dev) + len(test) >= 150
    assert 0.5 <= len(dev) / len(every) <= 0.7
    for split in (dev, test):
        assert set(Counter(c.category for c in split)) == set(CATEGORIES)
    kb_ids = _kb_ids()
    cited = {s for c in every for s in c.expected.sources}
    assert cited <= kb_ids, cited - kb_ids
    assert cited == kb_ids, f"topics with no case: {kb_ids - cited}"
    assert {c.expected.tool.name for c in every if c.expected.tool} == {"units", "modifiers", "rate"}
    assert all(not c.draft for c in every)


def test_every_gold_case_expects_something() -> None:
    for case in load_split("all"):
        exp = case.expected
        assert exp.facts or exp.any_of or exp.abstain or exp.tool, case.id
        if exp.abstain:
            assert not exp.sources and exp.tool is None, case.id
        else:
            assert exp.sources, case.id


def test_eval_case_is_importable_without_heavy_modules() -> None:
    import subprocess
    import sys

    heavy = "('torch', 'chromadb', 'gradio', 'sentence_transformers')"
    code = f"import sys, eval.dataset; print(sorted(m for m in {heavy} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert EvalCase.model_validate(GOOD).expected.facts == ["97112"]


def test_gold_tool_expectations_are_what_the_tools_compute() -> None:
    """Each case's ``result_subset`` is checked against the real tool run on the case's ``args``."""
    from assistant.tools.registry import run_tool
    from eval.metrics import subset_mismatch

    checked = 0
    for case in load_split("all"):
        tool = case.expected.tool
        if tool is None:
            continue
        assert tool.args is not None, f"{case.id}: gold tool cases record their args"
        problem = subset_mismatch(tool.result_subset, run_tool(tool.name, tool.args))
        assert problem is None, f"{case.id}: {problem}"
        checked += 1
    assert checked >= 100
