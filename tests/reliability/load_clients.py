"""Many parallel clients on a running chat UI's ``/ask`` endpoint; every answer must match a serial run.

Usage::

    python tests/reliability/load_clients.py --url http://127.0.0.1:7860/ --clients 20 --seconds 60

First each question (plain, or a follow-up with its own history) is asked once, serially, to record
the expected answer. Then ``--clients`` threads, each with its own gradio_client connection, ask them
round-robin until ``--seconds`` have passed. A call that raises is an error; an answer that differs from
the serial one (ignoring latency) is a mismatch. Exit code 0 only when both are zero.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

QUESTIONS = (
    "I did 24 minutes of neuro re-ed and 23 of ther ex on a Medicare patient, how do I bill?",
    "Does 97112 need the GP modifier?",
    "Can I bill 97140 and 97530 on the same day?",
    "What is the 8-minute rule?",
    "How many units for 38 minutes of 97112?",
    "What documentation supports 97112?",
    "What is the weather in Chicago tomorrow?",
    "97112 vs 97110: what is the difference?",
)
# Follow-ups whose meaning depends on their own history: answers must not leak between parallel users.
FOLLOW_UPS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("and for 97110?", (("user", "What is the 2025 Medicare rate for 97112?"),)),
    ("and for 97530?", (("user", "How many units for 38 minutes of 97112?"),)),
    ("what about Aetna?", (("user", "What does BCBS pay for 97112?"),)),
    ("and with 40 minutes instead?", (("user", "How many units for 24 minutes of 97110 for Medicare?"),)),
)


@dataclass
class LoadReport:
    """What the load run saw."""

    calls: int = 0
    errors: list[str] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.calls > 0 and not self.errors and not self.mismatches

    def line(self) -> str:
        rate = self.calls / self.seconds if self.seconds else 0.0
        return (
            f"calls {self.calls}, errors {len(self.errors)}, mismatches {len(self.mismatches)}, "
            f"{self.seconds:.1f} s, {rate:.1f} calls/s"
        )


def comparable(answer: Any, exact: bool = True) -> str:
    """Canonical JSON of the answer without latency; not ``exact``: only whether it abstained and its tools.

    The loose form is for runs where the index legitimately grows (an ingest while serving): citations
    may change, but an answered question must stay answered with the same tool results.
    """
    data = json.loads(answer) if isinstance(answer, str) else dict(answer)
    data.pop("latency_ms", None)
    for citation in data.get("citations", []):
        citation["score"] = round(float(citation.get("score", 0.0)), 4)
    if not exact:
        data = {"abstained": data.get("abstained"), "tool_calls": data.get("tool_calls")}
    return json.dumps(data, sort_keys=True)


def connect(url: str, auth: tuple[str, str] | None = None) -> Any:
    """A quiet gradio_client connection (no telemetry, no file downloads)."""
    from gradio_client import Client

    return Client(url, auth=auth, verbose=False, analytics_enabled=False, download_files=False)


Case = tuple[str, tuple[tuple[str, str], ...]]
CASES: tuple[Case, ...] = tuple((q, ()) for q in QUESTIONS) + FOLLOW_UPS


def ask(client: Any, case: Case, exact: bool = True) -> str:
    question, history = case
    messages = [{"role": role, "content": content} for role, content in history]
    return comparable(client.predict(question, messages, api_name="/ask"), exact)


def run_load(
    url: str,
    clients: int = 20,
    seconds: float = 60.0,
    cases: Sequence[Case] = CASES,
    auth: tuple[str, str] | None = None,
    exact: bool = True,
) -> LoadReport:
    """Serial baseline, then ``clients`` threads asking round-robin for ``seconds`` (see ``comparable``)."""
    baseline_client = connect(url, auth)
    expected = {case: ask(baseline_client, case, exact) for case in cases}
    report = LoadReport()
    lock = threading.Lock()
    started = time.monotonic()
    deadline = started + seconds

    def worker(offset: int) -> None:
        try:
            client = connect(url, auth)
        except Exception as err:
            with lock:
                report.errors.append(f"client {offset}: connect: {type(err).__name__}: {err}")
            return
        n = offset
        while time.monotonic() < deadline:
            case = cases[n % len(cases)]
            n += 1
            try:
                got = ask(client, case, exact)
            except Exception as err:
                with lock:
                    report.calls += 1
                    report.errors.append(f"client {offset}: {type(err).__name__}: {err}"[:500])
                continue
            with lock:
                report.calls += 1
                if got != expected[case]:
                    report.mismatches.append(f"client {offset}: {case[0]!r} differs from the serial answer")

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 300)
    report.seconds = time.monotonic() - started
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:7860/")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--user", help="login as user:password when the UI has auth on")
    args = parser.parse_args(argv)
    user, _, password = (args.user or "").partition(":")
    report = run_load(args.url, args.clients, args.seconds, auth=(user, password) if args.user else None)
    print(report.line())
    for problem in (report.errors + report.mismatches)[:20]:
        print(" ", problem)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
