"""What the knowledge base and the index hold, and safe admin uploads into the knowledge base.

Example:
    >>> sanitize_filename("../../etc/passwd.md")
    'passwd.md'
    >>> sanitize_filename("Payer notes (2026).PDF")
    'Payer-notes-2026.pdf'
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.errors import AssistantError, DocumentError
from assistant.ingest.manifest import Manifest
from ui.auth import Users

UPLOAD_SUFFIXES = (".md", ".txt", ".html", ".pdf")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_MAX_NAME = 100


@dataclass(frozen=True)
class DocumentRow:
    """One line of the Sources table."""

    file: str
    doc_id: str
    chunks: int
    ingested_at: str


def sanitize_filename(name: str) -> str:
    """A plain file name: no folders, no leading dots, only letters, digits, '.', '_' and '-'.

    Raises DocumentError when nothing usable is left or the type is not one of UPLOAD_SUFFIXES.
    """
    base = re.split(r"[\\/]", name or "")[-1]
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = _UNSAFE.sub("-", stem).strip(".-_")[:_MAX_NAME]
    suffix = f".{suffix.lower()}"
    if suffix not in UPLOAD_SUFFIXES:
        raise DocumentError(f"'{base}': only {', '.join(UPLOAD_SUFFIXES)} documents can be uploaded")
    if not stem:
        raise DocumentError(f"'{base}' is not a usable file name")
    return stem + suffix


def save_upload(uploaded: Path, original_name: str, settings: Settings) -> Path:
    """Copy an uploaded file into the knowledge-base folder under a sanitized name; return its path."""
    size_mb = uploaded.stat().st_size / (1024 * 1024)
    if size_mb > settings.upload_max_mb:
        name = Path(original_name).name
        raise DocumentError(
            f"'{name}' is {size_mb:.1f} MB; the upload limit is {settings.upload_max_mb:g} MB"
        )
    folder = settings.guidance_dir.resolve()
    target = (folder / sanitize_filename(original_name)).resolve()
    if target.parent != folder:  # belt and braces: sanitize_filename already removed folders
        raise DocumentError(f"'{original_name}' is not a usable file name")
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(uploaded, target)
    return target


def document_rows(settings: Settings) -> list[DocumentRow]:
    """Every knowledge-base file and every ingested file, with its chunk count and ingest time."""
    manifest = Manifest.load(settings.index_dir)
    by_path = {Path(p).resolve(): entry for p, entry in manifest.documents.items()}
    folder = settings.guidance_dir
    files = sorted(p.resolve() for p in folder.glob("*") if p.suffix.lower() in UPLOAD_SUFFIXES)
    rows = []
    for path in sorted(set(files) | set(by_path)):
        entry = by_path.get(path)
        shown = path.name if path.parent == folder.resolve() else str(path)
        if entry is None:
            rows.append(DocumentRow(shown, "", 0, "not ingested"))
        else:
            rows.append(DocumentRow(shown, entry.doc_id, len(entry.chunk_ids), entry.ingested_at))
    return rows


def index_summary(settings: Settings) -> str:
    """One line: documents and chunks in the index, and when it was last ingested."""
    manifest = Manifest.load(settings.index_dir)
    if not manifest.documents:
        return f"The index at {settings.index_dir} is empty: run `coding-assistant ingest`."
    chunks = sum(len(e.chunk_ids) for e in manifest.documents.values())
    last = max(e.ingested_at for e in manifest.documents.values())
    return f"Index: {len(manifest.documents)} documents, {chunks} chunks; last ingested {last}."


def upload_as(username: str | None, users: Users, uploaded: Path | None, settings: Settings) -> str:
    """The Sources tab's upload: admins only; returns the message to show."""
    if not users.is_admin(username):
        return "Only an admin can change the knowledge base."
    if uploaded is None:
        return "Choose a file first."
    try:
        saved = save_upload(uploaded, uploaded.name, settings)
    except AssistantError as err:
        return f"⚠ {err}"
    return f"Saved **{saved.name}** to the knowledge base. Press **Re-ingest** to index it."


def reingest_as(username: str | None, users: Users, reindex: Callable[[], str]) -> str:
    """The Sources tab's re-ingest: admins only; returns the ingest report or the refusal."""
    if not users.is_admin(username):
        return "Only an admin can change the knowledge base."
    try:
        return reindex()
    except AssistantError as err:
        return f"⚠ {err}"


def make_reindexer(settings: Settings, embedder: Any = None) -> Callable[[], str]:
    """A function that re-ingests the knowledge-base folder (sharing the app's embedder) and reports."""

    def reindex() -> str:
        from assistant.ingest.pipeline import ingest

        summary = ingest([settings.guidance_dir], settings, embedder=embedder)
        skipped = "; ".join(f"{p.name}: {why}" for p, why in summary.skipped)
        text = (
            f"Re-ingested {summary.documents} documents ({summary.chunks} chunks: {summary.added} added, "
            f"{summary.updated} updated, {summary.removed} removed) in {summary.seconds:.1f} s."
        )
        return text + (f" Skipped: {skipped}" if skipped else "")

    return reindex
