"""CLI: ``coding-assistant chat [--host H] [--port P]`` and ``coding-assistant feedback export --out F``."""

from __future__ import annotations

from pathlib import Path

import typer

from assistant.cli import settings_of


def _chat(
    ctx: typer.Context,
    host: str | None = typer.Option(None, "--host", help="Address to bind (env ASSISTANT_HOST; 127.0.0.1)."),
    port: int | None = typer.Option(None, "--port", help="Port (env ASSISTANT_PORT; 7860)."),
) -> None:
    """Start the web UI (chat, tools, learn, sources) and the /ask API."""
    settings = settings_of(ctx)
    updates = {k: v for k, v in {"host": host, "port": port}.items() if v is not None}
    if updates:
        settings = settings.model_copy(update=updates)
    from ui.app import serve

    serve(settings)


def _export(
    ctx: typer.Context,
    out: Path = typer.Option(..., "--out", help="JSONL file to write (eval dataset format, draft cases)."),
) -> None:
    """Write every thumbs up/down as a draft eval case (identifiers already redacted)."""
    from assistant.feedback import FeedbackStore, export_jsonl

    settings = settings_of(ctx)
    count = export_jsonl(FeedbackStore(settings.feedback_db), out)
    typer.echo(f"wrote {count} feedback case{'s' * (count != 1)} to {out}")


def register(app: typer.Typer) -> None:
    """Add ``chat`` and the ``feedback`` group to the root app."""
    app.command("chat")(_chat)
    feedback = typer.Typer(
        help="Feedback given in the UI (thumbs up/down, corrections).", no_args_is_help=True
    )
    feedback.command("export")(_export)
    app.add_typer(feedback, name="feedback")
