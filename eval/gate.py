"""The regression gate: minimum scores, checked in as ``eval/thresholds.json``.

Example:
    >>> violations({"accuracy": 0.9, "hit@3": 1.0}, {"accuracy": 0.95, "hit@3": 0.95})
    ['accuracy 0.900 < 0.950']
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from assistant.errors import AssistantError

THRESHOLDS_FILE = Path(__file__).resolve().parent / "thresholds.json"


def load_thresholds(path: Path = THRESHOLDS_FILE) -> dict[str, float]:
    """The ``min`` block of the thresholds file: metric name → lowest accepted value."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {str(k): float(v) for k, v in data["min"].items()}
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
