"""`coding-assistant ask "QUESTION" [--json]` and `ask --batch IN.jsonl [--out OUT.jsonl]`.

Batch input is one JSON object per line, ``{"id", "question", "history"?}``; each output line is the
Answer JSON with the same ``id``. A malformed line gets an error object (with its id or line number)
and the other lines are still answered. The model and index are loaded once for the whole batch.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import typer

if TYPE_CHECKING:
    from assistant.answer import Answer
    from assistant.service import Assistant


def _human(answer: Answer) -> str:
    lines = [answer.answer, ""]
    if answer.citations:
        lines.append("Cited text:")
        lines += [f'  [{i}] "{" ".join(c.snippet.split())}"' for i, c in enumerate(answer.citations, 1)]
    tools = ", ".join(t.name for t in answer.tool_calls) or "none"
    lines.append(f"(confidence {answer.confidence:.2f}; tools: {tools}; {answer.latency_ms:.0f} ms)")
    return "\n".join(lines)


def _batch_items(source: TextIO) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    """(line number, parsed item or None, error or None) for every non-blank line."""
    for number, raw in enumerate(source, 1):
        if not raw.strip():
            continue
        try:
            item = json.loads(raw)
        except json.JSONDecodeError as err:
            yield number, None, f"line {number} is not valid JSON: {err.msg}"
            continue
        if not isinstance(item, dict) or not isinstance(item.get("question"), str):
            yield number, item if isinstance(item, dict) else None, f'line {number} needs a "question" string'
            continue
        history = item.get("history")
        if history is not None and not isinstance(history, list):
            yield number, item, f'line {number}: "history" must be a list of {{"role", "content"}} messages'
            continue
        yield number, item, None


def run_batch(bot: Assistant, source: TextIO, out: TextIO) -> tuple[int, int]:
    """Answer every line of ``source`` into ``out``; returns (answered, errors)."""
    answered = errors = 0
    for number, item, error in _batch_items(source):
        item_id = item.get("id") if item else None
        if error is not None:
            record: dict[str, Any] = {"id": item_id, "line": number, "error": error}
            errors += 1
        else:
            assert item is not None
            answer = bot.ask(item["question"], item.get("history"))
            record = {"id": item_id, **answer.model_dump(mode="json")}
            answered += 1
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        out.flush()
    return answered, errors


def ask_command(
    ctx: typer.Context,
    question: str | None = typer.Argument(
        None, help="The billing question, in plain words.", show_default=False
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the Answer as JSON."),
    batch: Path | None = typer.Option(None, "--batch", help="JSONL file of {id, question, history?} lines."),
    out: Path | None = typer.Option(None, "--out", help="Where batch answers go (default: stdout)."),
) -> None:
    """Answer a billing question with citations and worked calculations."""
    from assistant.cli import settings_of
    from assistant.errors import InputRejectedError
    from assistant.service import Assistant

    if (question is None) == (batch is None):
        raise InputRejectedError(
            'Give a QUESTION, or --batch FILE.jsonl (not both). Example: ask "97110=33, units?"'
        )
    bot = Assistant.from_settings(settings_of(ctx))
    if batch is None:
        answer = bot.ask(question or "")
        typer.echo(json.dumps(answer.model_dump(mode="json"), indent=2) if as_json else _human(answer))
        return
    if not batch.is_file():
        raise InputRejectedError(f"Batch file not found: {batch}")
    with batch.open(encoding="utf-8-sig", errors="replace") as source:
        if out is None:
            answered, errors = run_batch(bot, source, sys.stdout)
        else:
            with out.open("w", encoding="utf-8") as sink:
                answered, errors = run_batch(bot, source, sink)
    typer.echo(f"answered {answered}, errors {errors}", err=True)


def register(app: typer.Typer) -> None:
    """Add the ``ask`` command to the root app."""
    app.command("ask")(ask_command)
