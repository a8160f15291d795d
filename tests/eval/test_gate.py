"""The regression gate: the `test` split, run in-process over the shipped knowledge base, vs thresholds."""

from __future__ import annotations

import json
from typing import Any

import pytest

from eval.dataset import load_split
from eval.metrics import THRESHOLDS_FILE, load_thresholds, violations
from eval.runner import AssistantSystem, run_systems

pytestmark = pytest.mark.integration


def test_test_split_meets_the_thresholds(kb_assistant: Any) -> None:
    split = json.loads(THRESHOLDS_FILE.read_text(encoding="utf-8"))["split"]
    cases = load_split(split)
    (run,) = run_systems(cases, [AssistantSystem(kb_assistant)], progress=False)
    overall = run.summary["overall"]
    problems = violations(overall, load_thresholds())
    failing = "\n".join(f"  {f['id']}: {'; '.join(f['reasons'])}" for f in run.failures(cases))
    assert not problems, f"below thresholds: {problems}\ncases with a problem:\n{failing}"
