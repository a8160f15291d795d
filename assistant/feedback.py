"""Thumbs up/down and corrections on answers, kept in SQLite with patient identifiers redacted.

Example:
    >>> from pathlib import Path; import tempfile
    >>> store = FeedbackStore(Path(tempfile.mkdtemp()) / "fb.sqlite3")
    >>> row = store.add("How many units for 24 min of 97112?", {"answer": "2 units"}, rating=-1)
    >>> store.set_correction(row, "Correct: 2 units of 97112")
    >>> store.rows()[0].correction
    'Correct: 2 units of 97112'
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.errors import AssistantError
from assistant.redact import redact

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    rating INTEGER NOT NULL,
    question TEXT NOT NULL,
    history TEXT NOT NULL,
    answer TEXT NOT NULL,
    citations TEXT NOT NULL,
    tool_calls TEXT NOT NULL,
    correction TEXT NOT NULL DEFAULT ''
)
"""

# Tool name -> eval dataset category (see eval/dataset.py).
_CATEGORY_OF_TOOL = {"units": "units", "modifiers": "modifiers", "rate": "rates"}
# Result keys that pin down a tool's answer (the eval compares a subset of the tool result).
_RESULT_KEYS = ("method", "total_units", "units_by_code", "total", "rate", "units", "code", "payer", "year")


def _redact_deep(value: Any) -> Any:
    """Redact every string inside a JSON-like structure (keys kept as they are)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, Mapping):
        return {k: _redact_deep(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redact_deep(v) for v in value]
    return value


class FeedbackStoreError(AssistantError):
    """The feedback database cannot be opened or written (the message names the file and the setting)."""


@dataclass(frozen=True)
class FeedbackRow:
    """One stored rating: everything already redacted."""

    id: int
    created_at: str
    rating: int
    question: str
    history: list[dict[str, Any]]
    answer: str
    citations: list[dict[str, Any]]
    tool_calls: list[dict[str, Any]]
    correction: str


class FeedbackStore:
    """SQLite store of answer ratings (``settings.feedback_db``); nothing unredacted is written."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise self._unusable(err) from err
        with self._connect() as db:
            db.execute(_SCHEMA)

    def _unusable(self, err: Exception) -> FeedbackStoreError:
        reason = getattr(err, "strerror", None) or str(err)
        return FeedbackStoreError(
            f"The feedback database {self.path} cannot be used ({reason}). "
            "Set ASSISTANT_FEEDBACK_DB to a writable SQLite file path (a new file is created)."
        )

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            db = sqlite3.connect(self.path, timeout=10)
        except (OSError, sqlite3.Error) as err:
            raise self._unusable(err) from err
        try:
            with db:
                yield db
        except (OSError, sqlite3.Error) as err:
            raise self._unusable(err) from err
        finally:
            db.close()

    def add(
        self,
        question: str,
        answer: Mapping[str, Any],
        rating: int,
        history: list[dict[str, Any]] | None = None,
        correction: str = "",
    ) -> int:
        """Store a rating (+1 up, -1 down) of ``answer`` (Answer JSON) to ``question``; return its id."""
        if rating not in (1, -1):
            raise ValueError("rating must be 1 (thumbs up) or -1 (thumbs down)")
        row = (
            datetime.now(UTC).isoformat(timespec="seconds"),
            rating,
            redact(question),
            json.dumps(_redact_deep(history or [])),
            redact(str(answer.get("answer", ""))),
            json.dumps(_redact_deep(answer.get("citations", []))),
            json.dumps(_redact_deep(answer.get("tool_calls", []))),
            redact(correction),
        )
        with self._connect() as db:
            cur = db.execute(
                "INSERT INTO feedback (created_at, rating, question, history, answer, citations, tool_calls,"
                " correction) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
            return int(cur.lastrowid or 0)

    def set_correction(self, row_id: int, correction: str) -> None:
        """Attach (or replace) the user's correction on a stored rating."""
        with self._connect() as db:
            db.execute("UPDATE feedback SET correction = ? WHERE id = ?", (redact(correction), row_id))

    def rows(self) -> list[FeedbackRow]:
        """All ratings, oldest first."""
        with self._connect() as db:
            cur = db.execute(
                "SELECT id, created_at, rating, question, history, answer, citations, tool_calls, correction"
                " FROM feedback ORDER BY id"
            )
            return [
                FeedbackRow(
                    r[0], r[1], r[2], r[3], json.loads(r[4]), r[5], json.loads(r[6]), json.loads(r[7]), r[8]
                )
                for r in cur.fetchall()
            ]


def to_eval_case(row: FeedbackRow) -> dict[str, Any]:
    """A draft eval dataset case from one rating (a reviewer fills in the expected facts).

    Thumbs up: the tool result and the top source become the expectation. Thumbs down: nothing of the
    answer is trusted; the correction goes to ``notes`` for the reviewer. Always ``draft: true``.
    """
    expected: dict[str, Any] = {"facts": [], "any_of": [], "forbidden": [], "sources": [], "abstain": False}
    tool_names = [str(t.get("name", "")) for t in row.tool_calls]
    if row.rating > 0:
        first = next((t for t in row.tool_calls if t.get("name") in _CATEGORY_OF_TOOL), None)
        if first is not None:
            subset = {k: v for k, v in first.get("result", {}).items() if k in _RESULT_KEYS}
            expected["tool"] = {"name": first.get("name", ""), "result_subset": subset}
        expected["sources"] = [str(c["doc_id"]) for c in row.citations[:1] if "doc_id" in c]
    category = next((_CATEGORY_OF_TOOL[n] for n in tool_names if n in _CATEGORY_OF_TOOL), "concepts")
    if row.history:
        category = "followup"
    case: dict[str, Any] = {"id": f"feedback-{row.id}", "question": row.question, "category": category}
    if row.history:
        case["history"] = row.history
    case["expected"] = expected
    case["draft"] = True
    case["notes"] = row.correction
    case["rating"] = "up" if row.rating > 0 else "down"
    case["answer_given"] = row.answer
    case["created"] = row.created_at
    return case


def export_jsonl(store: FeedbackStore, out: Path) -> int:
    """Write every rating as one draft eval case per line; return how many were written."""
    rows = store.rows()
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(to_eval_case(row), ensure_ascii=False) + "\n")
    return len(rows)
