"""`coding-assistant ingest [PATH ...] [--reset]` (heavy imports happen inside the command)."""

from __future__ import annotations

from pathlib import Path

import typer


def ingest_command(
    ctx: typer.Context,
    paths: list[Path] | None = typer.Argument(
        None,
        help="Files or folders of .md/.txt/.html/.pdf (default: knowledge_base/guidance).",
        show_default=False,
    ),
    reset: bool = typer.Option(False, "--reset", help="Wipe the index and rebuild it from PATH."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Index guidance documents: unchanged chunks are kept, changed ones replaced, removed ones deleted."""
    from assistant.cli import settings_of
    from assistant.ingest.pipeline import ingest

    settings = settings_of(ctx)
    summary = ingest(paths or [settings.guidance_dir], settings, reset=reset, progress=not quiet)
    for path, reason in summary.skipped:
        typer.echo(f"skipped {path}: {reason}", err=True)
    typer.echo(summary.line())


def register(app: typer.Typer) -> None:
    """Add the ``ingest`` command to the root app."""
    app.command("ingest")(ingest_command)
