"""The audit log: one JSON line per answer in ``<log_dir>/audit.jsonl``, patient identifiers redacted.

Thread-safe (the UI answers many users at once); does nothing when ``log_dir`` is None.

Example:
    >>> log = AuditLog(Path("/tmp/logs"))                                     # doctest: +SKIP
    >>> log.record("Pt John Smith DOB 1/2/1950: 97110=33", answer)            # doctest: +SKIP
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.answer import Answer
from assistant.errors import AssistantError
from assistant.redact import redact

AUDIT_FILE = "audit.jsonl"


def _redact_all(value: Any) -> Any:
    """Redact every string inside nested dicts/lists (tool args can carry pasted text)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: _redact_all(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact_all(v) for v in value]
    return value


class AuditLog:
    """Appends one redacted record per answer; safe to share between threads."""

    def __init__(self, log_dir: Path | None):
        self.path = log_dir / AUDIT_FILE if log_dir else None
        self._lock = threading.Lock()

    def record(self, question: str, answer: Answer, **extra: Any) -> None:
        """Append the question (redacted), the answer and its evidence, tool calls and timings."""
        if self.path is None:
            return
        entry = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "question": redact(question),
            "answer": redact(answer.answer),
            "abstained": answer.abstained,
            "confidence": answer.confidence,
            "citations": [{"doc_id": c.doc_id, "section": c.section} for c in answer.citations],
            "tool_calls": [{"name": t.name, "args": _redact_all(t.args)} for t in answer.tool_calls],
            "data_vintage": answer.data_vintage,
            "latency_ms": answer.latency_ms,
            **_redact_all(extra),
        }
        line = json.dumps(entry, ensure_ascii=False, default=str)
        try:
            with self._lock:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with self.path.open("a", encoding="utf-8", errors="replace") as fh:
                    fh.write(line + "\n")
        except OSError as err:  # an answer that cannot be audited is not given (and never a traceback)
            raise AssistantError(
                f"Cannot write the audit log {self.path} ({err.strerror or err}). Set ASSISTANT_LOG_DIR "
                "to a folder you can write to (an empty value turns the audit log off)."
            ) from err
