"""A failing scale point is recorded with its error and does not stop the other points."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.bench import scale
from assistant.config import Settings


def test_a_failed_point_is_recorded_and_the_next_one_still_runs(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def fake_point(size: int, *args: Any, **kwargs: Any) -> dict[str, Any]:
        if size == 10:
            raise OSError("disk full")
        return {"chunks": size, "build_s": 1.0}

    monkeypatch.setattr(scale, "scale_point", fake_point)
    points = scale.scale_report([10, 20], Settings(index_dir=tmp_path), tmp_path, object(), [], True)  # type: ignore[arg-type]
    assert points["10"] == {"error": "OSError: disk full"}
    assert points["20"]["chunks"] == 20
