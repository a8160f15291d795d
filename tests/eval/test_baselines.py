"""Baselines over the real shipped index: ranked passages, answer = top passage, no tools, never abstain."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.config import Settings
from assistant.errors import AssistantError, IndexMissingError
from eval.baselines import build_baselines
from eval.dataset import EvalCase

pytestmark = pytest.mark.integration

CASE = EvalCase.model_validate(
    {
        "id": "b1",
        "question": "How do I bill 24 minutes of 97112 and 23 minutes of 97110?",
        "category": "units",
    }
)


def test_each_baseline_ranks_the_eight_minute_rule(kb_index_dir: Path, embedder: Any) -> None:
    baselines = build_baselines(Settings(index_dir=kb_index_dir), embedder=embedder)
    assert [b.name for b in baselines] == ["bm25", "dense", "naive"]
    for baseline in baselines:
        prediction = baseline.predict(CASE)
        assert prediction.error is None
        assert "eight-minute-rule" in prediction.ranked_doc_ids[:5], (
            baseline.name,
            prediction.ranked_doc_ids,
        )
        assert prediction.answer and prediction.cited_doc_ids == prediction.ranked_doc_ids[:1]
        assert prediction.tool_calls == [] and prediction.abstained is False
    assert embedder.cache_size > 0  # the baselines' uncached copy leaves the shared embedder alone


def test_unknown_baseline_and_missing_index_are_clear(tmp_path: Path, embedder: Any) -> None:
    with pytest.raises(AssistantError, match="unknown baseline"):
        build_baselines(Settings(index_dir=tmp_path), embedder=embedder, names=["bm25", "llm"])
    with pytest.raises(IndexMissingError):
        build_baselines(Settings(index_dir=tmp_path / "none"), embedder=embedder)
