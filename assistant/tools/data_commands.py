"""``coding-assistant data …``: derive the PFS tables, import the official NCCI PTP and MUE files."""

from __future__ import annotations

from pathlib import Path

import typer

data_app = typer.Typer(no_args_is_help=True, help="Build and import the tools' data tables.")


@data_app.command("derive")
def derive_cmd(
    ctx: typer.Context,
    src: Path = typer.Option(
        ..., "--from", help="Folder with pfs_rvu_<year>.csv, gpci_<year>.csv, counties."
    ),
    out: Path | None = typer.Option(None, "--out", help="Where to write (default: the data folder)."),
) -> None:
    """Write pfs_rvu_therapy_<year>.csv, gpci_<year>.csv and medicare_localities_<year>.csv."""
    from assistant.cli import settings_of
    from assistant.tools.derive import derive_tables

    for path in derive_tables(src, out or settings_of(ctx).data_dir):
        typer.echo(f"wrote {path}")


@data_app.command("import-ncci")
def import_ncci_cmd(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="CMS practitioner PTP edits file (tab-separated)."),
) -> None:
    """Load the current quarter's practitioner PTP edits (therapy codes kept)."""
    from assistant.cli import settings_of
    from assistant.tools.ncci_import import import_ptp
    from assistant.tools.tables import IMPORTED_DIR

    data_dir = settings_of(ctx).data_dir
    summary = import_ptp(file, data_dir, data_dir / IMPORTED_DIR)
    typer.echo(
        f"read {summary.rows_read} edits, kept {summary.rows_kept} among therapy codes → {summary.written}"
    )


@data_app.command("import-mue")
def import_mue_cmd(
    ctx: typer.Context, file: Path = typer.Argument(..., help="CMS practitioner services MUE file (CSV).")
) -> None:
    """Load the current quarter's practitioner MUE values (therapy codes kept)."""
    from assistant.cli import settings_of
    from assistant.tools.ncci_import import import_mue
    from assistant.tools.tables import IMPORTED_DIR

    data_dir = settings_of(ctx).data_dir
    summary = import_mue(file, data_dir, data_dir / IMPORTED_DIR)
    typer.echo(f"read {summary.rows_read} codes, kept {summary.rows_kept} therapy codes → {summary.written}")
