"""`coding-assistant` (also `python -m assistant`): the composition root of the command line.

Each area registers its own sub-commands from a small, cheap-to-import module; heavy imports
(torch, chromadb, gradio) happen inside the command bodies, so `--help` and the tools stay fast.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import typer
from pydantic import ValidationError

from assistant.config import Settings
from assistant.errors import AssistantError

# Modules exposing ``register(app: typer.Typer) -> None``.
COMMAND_MODULES = (
    "assistant.ingest.commands",  # ingest
    "assistant.chain.commands",  # ask
    "assistant.tools.commands",  # units, modifiers, rate, data
    "assistant.bench.commands",  # bench
    "ui.commands",  # chat, feedback
    "eval.commands",  # eval
)


def _root(
    ctx: typer.Context,
    index_dir: Path | None = typer.Option(
        None, "--index-dir", help="Index folder (env ASSISTANT_INDEX_DIR).", show_default=False
    ),
    chroma_url: str | None = typer.Option(
        None, "--chroma-url", help="Chroma server URL (env ASSISTANT_CHROMA_URL).", show_default=False
    ),
) -> None:
    """Answer outpatient-therapy billing questions with citations and worked calculations."""
    overrides: dict[str, object] = {}
    if index_dir is not None:
        overrides["index_dir"] = index_dir
    if chroma_url is not None:
        overrides["chroma_url"] = chroma_url
    ctx.obj = Settings(**overrides)  # type: ignore[arg-type]


def settings_of(ctx: typer.Context) -> Settings:
    """The Settings built by the root callback (global options applied)."""
    root = ctx.find_root()
    if not isinstance(root.obj, Settings):
        root.obj = Settings()
    return root.obj


def build_app() -> typer.Typer:
    app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
    app.callback()(_root)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(app)
    return app


def _describe_invalid(err: ValidationError) -> str:
    """One line per bad field, named as the user sets it (ASSISTANT_<FIELD>)."""
    lines = []
    for problem in err.errors():
        field = ".".join(str(part) for part in problem["loc"]) or "settings"
        value = problem.get("input")
        lines.append(f"  ASSISTANT_{field.upper()}={value!r}: {problem['msg']}")
    return "\n".join(lines)


def main() -> None:
    """Run the CLI: usage errors are click's (usage, exit 2); user-facing errors one line, exit 2."""
    app = build_app()
    try:
        app()  # standalone: click prints usage errors itself and exits 2
    except AssistantError as err:
        typer.echo(f"error: {err}", err=True)
        sys.exit(2)
    except ValidationError as err:  # a bad ASSISTANT_* value or option: name it, no traceback
        typer.echo(f"error: invalid setting(s):\n{_describe_invalid(err)}", err=True)
        sys.exit(2)
