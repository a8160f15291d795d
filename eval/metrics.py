"""Offline scoring: one ``Prediction`` per case → a ``CaseScore`` → overall and per-category metrics,
and the regression gate (minimum scores checked in as ``eval/thresholds.json``).

No LLM judge: answers are checked with the case's regexes, tools by a recursive subset of their result,
retrieval by where the expected documents rank.

Example:
    >>> from eval.dataset import EvalCase
    >>> case = EvalCase.model_validate({"id": "c", "question": "q", "category": "rates",
    ...     "expected": {"facts": [r"\\$32\\.73"], "sources": ["rates-doc"]}})
    >>> score = score_case(case, Prediction(answer="It is $32.73.", ranked_doc_ids=["x", "rates-doc"]))
    >>> score.correct, score.hits[1], score.hits[3], score.reciprocal_rank
    (True, False, True, 0.5)
    >>> violations({"accuracy": 0.9, "hit@3": 1.0}, {"accuracy": 0.95, "hit@3": 0.95})
    ['accuracy 0.900 < 0.950']
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from assistant.errors import AssistantError
from eval.dataset import EvalCase

HIT_KS: tuple[int, ...] = (1, 3, 5)
THRESHOLDS_FILE = Path(__file__).resolve().parent / "thresholds.json"


@dataclass
class Prediction:
    """What one system produced for one case, in the shape every metric reads."""

    answer: str
    ranked_doc_ids: list[str] = field(default_factory=list)  # retrieval order (ours: citation order)
    cited_doc_ids: list[str] = field(default_factory=list)
    tool_calls: list[dict[str, Any]] = field(default_factory=list)  # {"name", "args", "result"}
    abstained: bool = False
    latency_ms: float = 0.0
    error: str | None = None

    @classmethod
    def from_answer(cls, answer: Mapping[str, Any], latency_ms: float) -> Prediction:
        """Build from the Answer JSON (``Answer.model_dump()`` or the ``/ask`` API payload)."""
        cited = [str(c.get("doc_id", "")) for c in answer.get("citations", [])]
        return cls(
            answer=str(answer.get("answer", "")),
            ranked_doc_ids=cited,
            cited_doc_ids=cited,
            tool_calls=[dict(t) for t in answer.get("tool_calls", [])],
            abstained=bool(answer.get("abstained", False)),
            latency_ms=latency_ms,
        )


@dataclass
class CaseScore:
    """Every per-case judgement, with the reasons a case failed."""

    id: str
    category: str
    correct: bool
    reasons: list[str]
    abstain_expected: bool
    abstained: bool
    latency_ms: float
    tool_match: bool | None = None  # None: the case expects no tool
    hits: dict[int, bool] = field(default_factory=dict)  # empty: the case expects no sources
    reciprocal_rank: float | None = None
    citation_precision: float | None = None


def _as_number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        return None
    try:
        return Decimal(str(value).strip().lstrip("$"))
    except InvalidOperation:
        return None


def subset_mismatch(expected: Any, actual: Any, path: str = "result") -> str | None:
    """Where ``expected`` is not contained in ``actual`` (None when it is).

    Dicts: every expected key present with a matching value. Lists: every expected item matches some
    actual item. Numbers compare by value (``"32.73" == 32.73``); strings ignore case.
    """
    if isinstance(expected, Mapping):
        if not isinstance(actual, Mapping):
            return f"{path}: expected an object, got {actual!r}"
        for key, value in expected.items():
            if key not in actual:
                return f"{path}.{key}: missing"
            problem = subset_mismatch(value, actual[key], f"{path}.{key}")
            if problem:
                return problem
        return None
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return f"{path}: expected a list, got {actual!r}"
        for i, item in enumerate(expected):
            if all(subset_mismatch(item, candidate) for candidate in actual):
                return f"{path}[{i}]: no item matches {item!r}"
        return None
    if isinstance(expected, bool) or isinstance(actual, bool) or expected is None:
        same = expected == actual and isinstance(expected, bool) == isinstance(actual, bool)
        return None if same else f"{path}: expected {expected!r}, got {actual!r}"
    left, right = _as_number(expected), _as_number(actual)
    if left is not None and right is not None:
        return None if left == right else f"{path}: expected {expected}, got {actual}"
    if str(expected).casefold() == str(actual).casefold():
        return None
    return f"{path}: expected {expected!r}, got {actual!r}"


def _unique(ids: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(i for i in ids if i))


def _text_reasons(case: EvalCase, text: str) -> list[str]:
    reasons = [f"missing fact /{p}/" for p in case.expected.facts if not re.search(p, text, re.I)]
    for group in case.expected.any_of:
        if not any(re.search(p, text, re.I) for p in group):
            reasons.append(f"none of /{' | '.join(group)}/")
    reasons += [f"forbidden /{p}/ present" for p in case.expected.forbidden if re.search(p, text, re.I)]
    return reasons


def _tool_reason(case: EvalCase, pred: Prediction) -> str | None:
    tool = case.expected.tool
    assert tool is not None
    calls = [c for c in pred.tool_calls if c.get("name") == tool.name]
    if not calls:
        ran = ", ".join(str(c.get("name")) for c in pred.tool_calls) or "none"
        return f"tool {tool.name} did not run (ran: {ran})"
    problems = [subset_mismatch(tool.result_subset, c.get("result", {})) for c in calls]
    return None if any(p is None for p in problems) else f"tool {tool.name}: {problems[0]}"


def score_case(case: EvalCase, pred: Prediction) -> CaseScore:
    """Judge one prediction against its case."""
    exp = case.expected
    reasons: list[str] = []
    if pred.error:
        reasons.append(f"error: {pred.error}")
    if exp.abstain and not pred.abstained:
        reasons.append("should have abstained")
    if not exp.abstain and pred.abstained:
        reasons.append("abstained but should answer")
    reasons += _text_reasons(case, pred.answer)
    score = CaseScore(
        id=case.id,
        category=case.category_label,
        correct=not reasons,
        reasons=reasons,
        abstain_expected=exp.abstain,
        abstained=pred.abstained,
        latency_ms=pred.latency_ms,
    )
    if exp.tool is not None:
        problem = _tool_reason(case, pred)
        score.tool_match = problem is None
        if problem:
            score.reasons.append(problem)
    if exp.sources:
        ranked = _unique(pred.ranked_doc_ids)
        wanted = set(exp.sources)
        first = next((i for i, d in enumerate(ranked, start=1) if d in wanted), None)
        score.hits = {k: first is not None and first <= k for k in HIT_KS}
        score.reciprocal_rank = 1.0 / first if first else 0.0
        if first is None or first > 3:
            score.reasons.append(f"expected source {sorted(wanted)} not in top 3 (got {ranked[:3]})")
        cited = _unique(pred.cited_doc_ids)
        if cited:
            score.citation_precision = sum(d in wanted for d in cited) / len(cited)
    return score


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (``q`` in 0..100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def aggregate(scores: Sequence[CaseScore]) -> dict[str, float | int | None]:
    """Every metric over a set of case scores; None where no case applies."""
    tools = [s.tool_match for s in scores if s.tool_match is not None]
    ranked = [s for s in scores if s.hits]
    true_pos = sum(s.abstained and s.abstain_expected for s in scores)
    predicted = sum(s.abstained for s in scores)
    actual = sum(s.abstain_expected for s in scores)
    latencies = [s.latency_ms for s in scores]
    metrics: dict[str, float | int | None] = {
        "n": len(scores),
        "accuracy": _mean([float(s.correct) for s in scores]),
        "tool_exact_match": _mean([float(t) for t in tools]),
        "n_tool_cases": len(tools),
    }
    for k in HIT_KS:
        metrics[f"hit@{k}"] = _mean([float(s.hits[k]) for s in ranked])
    metrics["mrr"] = _mean([s.reciprocal_rank or 0.0 for s in ranked])
    metrics["n_retrieval_cases"] = len(ranked)
    metrics["citation_precision"] = _mean(
        [s.citation_precision for s in scores if s.citation_precision is not None]
    )
    metrics["abstention_precision"] = true_pos / predicted if predicted else None
    metrics["abstention_recall"] = true_pos / actual if actual else None
    metrics["latency_p50_ms"] = percentile(latencies, 50)
    metrics["latency_p95_ms"] = percentile(latencies, 95)
    return metrics


def summarize(scores: Sequence[CaseScore]) -> dict[str, Any]:
    """``{"overall": metrics, "per_category": {category: metrics}}``."""
    categories = sorted({s.category for s in scores})
    return {
        "overall": aggregate(scores),
        "per_category": {c: aggregate([s for s in scores if s.category == c]) for c in categories},
    }


def load_thresholds(path: Path = THRESHOLDS_FILE, block: str = "min") -> dict[str, float]:
    """One block of the thresholds file: ``min`` (the regression gate, set at what the assistant
    reaches) or ``target`` (the acceptance targets); metric name → lowest accepted value."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {str(k): float(v) for k, v in data[block].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
        raise AssistantError(f"cannot read thresholds from {path}: {err}") from err


def violations(metrics: Mapping[str, float | int | None], minimums: Mapping[str, float]) -> list[str]:
    """One line per metric below its minimum (or not measured at all)."""
    problems = []
    for name, minimum in minimums.items():
        value = metrics.get(name)
        if value is None:
            problems.append(f"{name} not measured (minimum {minimum:.3f})")
        elif value < minimum - 1e-9:
            problems.append(f"{name} {value:.3f} < {minimum:.3f}")
    return problems
