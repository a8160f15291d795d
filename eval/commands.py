"""`coding-assistant eval`: score the assistant and the baselines on a gold dataset and write reports."""

from __future__ import annotations

from pathlib import Path

import typer


def eval_command(
    ctx: typer.Context,
    dataset: Path | None = typer.Option(
        None, "--dataset", help="A JSONL dataset file (default: the shipped split).", show_default=False
    ),
    split: str = typer.Option("test", "--split", help="Shipped split to run: dev, test or all."),
    url: str | None = typer.Option(
        None,
        "--url",
        help="Evaluate a running chat server through its /ask API (e.g. http://127.0.0.1:7860).",
    ),
    report_dir: Path = typer.Option(Path("out/eval"), "--report", help="Folder for report.json/.md/.png."),
    baselines: bool = typer.Option(True, "--baselines/--no-baselines", help="Also score the baselines."),
    gate: bool = typer.Option(False, "--gate", help="Exit 1 when a score is below thresholds.json."),
) -> None:
    """Score the assistant (in-process, or a server with --url) and the baselines on the same cases."""
    from rich.console import Console

    from assistant.cli import settings_of
    from eval.dataset import load_dataset, load_split
    from eval.metrics import load_thresholds
    from eval.report import build_report, print_scorecard, write_reports
    from eval.runner import AssistantSystem, RemoteSystem, System, run_systems

    settings = settings_of(ctx)
    cases = load_dataset(dataset) if dataset else load_split(split)
    source = str(dataset) if dataset else f"eval/datasets/{split}.jsonl"
    console = Console(stderr=True)
    embedder = None
    systems: list[System] = []
    if url:
        systems.append(RemoteSystem(url))
    else:
        from assistant.retrieval.embeddings import Embedder
        from assistant.service import Assistant

        embedder = Embedder.from_settings(settings)
        systems.append(AssistantSystem(Assistant.from_settings(settings, embedder=embedder)))
    if baselines:
        from assistant.errors import AssistantError
        from eval.baselines import build_baselines

        try:
            systems.extend(build_baselines(settings, embedder=embedder))
        except AssistantError as err:  # e.g. --url without a local index: score the server alone
            console.print(f"baselines skipped: {err}")
    console.print(f"{len(cases)} cases from {source}; systems: {', '.join(s.name for s in systems)}")
    runs = run_systems(cases, systems, progress=True)
    mode = f"server {url}" if url else "in-process"
    report = build_report(
        cases, runs, source, mode, thresholds=load_thresholds(), targets=load_thresholds(block="target")
    )
    paths = write_reports(report, report_dir)
    print_scorecard(report, Console())
    console.print("wrote " + ", ".join(str(p) for p in paths))
    if gate and not report["gate"]["passed"]:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``eval`` to the root app."""
    app.command("eval")(eval_command)
