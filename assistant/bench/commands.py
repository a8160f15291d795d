"""CLI: ``coding-assistant bench [--quick] [--json OUT] [--cache-dir DIR]``."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from assistant.cli import settings_of


def _bench(
    ctx: typer.Context,
    quick: bool = typer.Option(
        False, "--quick", help="Under a minute: 60 questions; scale at 1k chunks only, if already cached."
    ),
    json_out: Path | None = typer.Option(None, "--json", help="Also write the figures to this JSON file."),
    sizes: str | None = typer.Option(
        None,
        "--sizes",
        help="Comma-separated scale points in chunks (default 1000,10000,100000; 1000 with --quick).",
        show_default=False,
    ),
    cache_dir: Path | None = typer.Option(
        None,
        "--cache-dir",
        help="Synthetic corpus and its vectors, kept between runs (default: <index-dir>/../.cache/bench).",
        show_default=False,
    ),
) -> None:
    """Measure latency against the embedding floor and a naive chain, ingest, cold start, memory and scale."""
    from assistant.bench.report import print_report
    from assistant.bench.runner import default_cache_dir, run_bench

    settings = settings_of(ctx)
    result = run_bench(
        settings,
        quick=quick,
        cache_dir=cache_dir or default_cache_dir(settings),
        sizes=_sizes(sizes),
        say=lambda line: typer.echo(f"bench: {line}", err=True),
    )
    print_report(result)
    if json_out is not None:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        typer.echo(f"wrote {json_out}", err=True)


def _sizes(text: str | None) -> list[int] | None:
    if not text:
        return None
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise typer.BadParameter(f"--sizes takes numbers such as 1000,10000 (got {text!r})") from None
    if not sizes or min(sizes) < 1:
        raise typer.BadParameter("--sizes needs at least one positive number of chunks")
    return sizes


def register(app: typer.Typer) -> None:
    """Add ``bench`` to the root app."""
    app.command("bench")(_bench)
