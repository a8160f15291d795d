"""Run systems over cases: the assistant in-process or behind a running server, plus the baselines.

Example:
    >>> runs = run_systems(cases, [AssistantSystem(assistant)], progress=False)  # doctest: +SKIP
    >>> runs[0].summary["overall"]["accuracy"]                                    # doctest: +SKIP
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from assistant.errors import AssistantError
from eval.dataset import EvalCase
from eval.metrics import CaseScore, Prediction, score_case, summarize


class System(Protocol):
    """Anything that answers a case with a Prediction."""

    name: str

    def predict(self, case: EvalCase) -> Prediction: ...


class AskFn(Protocol):
    def ask(self, question: str, history: list[dict[str, str]] | None = None) -> Any: ...


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000.0


@dataclass
class AssistantSystem:
    """The assistant in this process (``Assistant.ask``); any error becomes a failed case, not a crash."""

    assistant: AskFn
    name: str = "ours"

    def predict(self, case: EvalCase) -> Prediction:
        start = time.perf_counter()
        try:
            answer = self.assistant.ask(case.question, history=case.history_dicts() or None)
        except AssistantError as err:
            return Prediction(answer="", error=str(err), latency_ms=_ms(start))
        except Exception as err:  # a bug in the chain fails this case and is reported; the run goes on
            return Prediction(answer="", error=f"{type(err).__name__}: {err}", latency_ms=_ms(start))
        return Prediction.from_answer(answer.model_dump(mode="json"), _ms(start))


@dataclass
class RemoteSystem:
    """The assistant behind a running ``coding-assistant chat`` server, through its ``/ask`` API."""

    url: str
    name: str = "ours"
    _client: Any = field(default=None, init=False, repr=False)

    def _connect(self) -> Any:
        if self._client is None:
            from gradio_client import Client

            try:
                self._client = Client(self.url, verbose=False)
            except Exception as err:  # httpx/ValueError/...: any failure to reach the server
                raise AssistantError(f"cannot reach the assistant server at {self.url}: {err}") from err
        return self._client

    def predict(self, case: EvalCase) -> Prediction:
        client = self._connect()
        start = time.perf_counter()
        try:
            payload = client.predict(case.question, case.history_dicts(), api_name="/ask")
        except Exception as err:  # the server's error comes back as a gradio/httpx exception
            return Prediction(answer="", error=f"{type(err).__name__}: {err}", latency_ms=_ms(start))
        latency = _ms(start)
        if isinstance(payload, str):
            payload = json.loads(payload)
        return Prediction.from_answer(payload, latency)


@dataclass
class SystemRun:
    """One system's predictions and scores over the cases, with their summary."""

    name: str
    predictions: list[Prediction]
    scores: list[CaseScore]

    @property
    def summary(self) -> dict[str, Any]:
        return summarize(self.scores)

    def failures(self, cases: Sequence[EvalCase]) -> list[dict[str, Any]]:
        """Cases with any problem (wrong answer, tool mismatch, source missed), for the report."""
        out = []
        for case, pred, score in zip(cases, self.predictions, self.scores, strict=True):
            if score.reasons:
                out.append(
                    {
                        "id": case.id,
                        "category": score.category,
                        "correct": score.correct,
                        "question": case.question,
                        "reasons": score.reasons,
                        "answer_start": pred.answer[:300],
                    }
                )
        return out


def run_systems(
    cases: Sequence[EvalCase], systems: Sequence[System], progress: bool = True, warm_up: bool = True
) -> list[SystemRun]:
    """Every system over every case, in order, with a rich progress bar.

    ``warm_up`` answers the first case once, unscored, before timing, so model loading and first-query
    set-up do not land in one system's latency figures.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    runs = [SystemRun(s.name, [], []) for s in systems]
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, disable=not progress, transient=False) as bar:
        for system, run in zip(systems, runs, strict=True):
            task = bar.add_task(f"eval {system.name:<6}", total=len(cases))
            if warm_up and cases:
                system.predict(cases[0])
            for case in cases:
                prediction = system.predict(case)
                run.predictions.append(prediction)
                run.scores.append(score_case(case, prediction))
                bar.advance(task)
    return runs
