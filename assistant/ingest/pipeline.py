"""Idempotent ingestion: files → chunks → Chroma (only new chunk ids embedded) → manifest → BM25.

Chunk ids are content hashes, so an unchanged document costs no embedding; a changed document's
stale chunks and a removed document's chunks are deleted. Order of writes: Chroma, then the manifest,
then the BM25 index, each step safe to repeat, so a run killed anywhere converges on the next run.

Example:
    >>> summary = ingest([Path("knowledge_base/guidance")], Settings())   # doctest: +SKIP
    >>> summary.line()                                                    # doctest: +SKIP
    'documents 23, chunks 76, added 76, updated 0, removed 0, skipped 0, 14.5 s'
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import DocumentError
from assistant.ingest import manifest as manifest_file
from assistant.ingest.chunking import Chunk, chunk_document
from assistant.ingest.loaders import SUPPORTED_SUFFIXES, load_document
from assistant.ingest.manifest import DocEntry, Manifest
from assistant.retrieval import bm25, store
from assistant.retrieval.embeddings import Embedder, embedding_text
from assistant.retrieval.span_vectors import SpanVectors

if TYPE_CHECKING:
    from chromadb.api.models.Collection import Collection

    from assistant.config import Settings

log = logging.getLogger(__name__)
_DELETE_BATCH = 500


@dataclass
class IngestSummary:
    """What one ingest run did. ``added``/``updated``/``removed``/``unchanged`` count chunks."""

    documents: int = 0
    chunks: int = 0
    added: int = 0  # chunks embedded for documents new to the index
    updated: int = 0  # chunks embedded for documents already in the index (changed)
    removed: int = 0  # chunks deleted (stale or from removed documents)
    unchanged: int = 0  # chunks already in the index, not embedded again
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def embedded(self) -> int:
        """Chunks sent to the embedding model in this run."""
        return self.added + self.updated

    def line(self) -> str:
        """The one-line summary the CLI prints."""
        return (
            f"documents {self.documents}, chunks {self.chunks}, added {self.added}, updated {self.updated}, "
            f"removed {self.removed}, skipped {len(self.skipped)}, {self.seconds:.1f} s"
        )


def discover(paths: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """(files to ingest, resolved roots). Folders are searched recursively; hidden entries are ignored."""
    files: list[Path] = []
    roots: list[Path] = []
    for raw in paths:
        root = Path(raw).expanduser().resolve()
        if not root.exists():
            raise DocumentError(f"No such file or folder: {raw}")
        roots.append(root)
        if root.is_file():
            files.append(root)
            continue
        for path in sorted(root.rglob("*")):
            rel = path.relative_to(root).parts
            if path.is_file() and path.suffix.lower() in SUPPORTED_SUFFIXES and not _hidden(rel):
                files.append(path)
    return list(dict.fromkeys(files)), roots


def _hidden(parts: tuple[str, ...]) -> bool:
    return any(part.startswith(".") for part in parts)


@contextmanager
def _progress(enabled: bool) -> Iterator[Any]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), disable=not enabled) as bar:
        yield bar


def _all_ids(collection: Collection) -> set[str]:
    return set(store.read_all(collection, with_content=False)[0])


def rebuild_text_index(settings: Settings, collection: Collection, embedder: Embedder) -> int:
    """Re-index every chunk for BM25, with the vectors of its spans and section titles (new ones
    embedded, the rest reused), and swap both in atomically; returns the chunk count."""
    ids, docs, metas = store.read_all(collection)
    texts = [embedding_text(str(m["title"]), str(m["section"]), d) for m, d in zip(metas, docs, strict=True)]
    previous = SpanVectors.load(bm25.current_folder(settings.index_dir))
    sections = [str(m.get("section", "")) for m in metas]
    span_table = SpanVectors.build(docs, embedder.encode, previous, titles=sections)
    bm25.BM25Index.build(ids, texts).save(settings.index_dir, extra=span_table.save)
    return len(texts)


def _prepare(settings: Settings, embedder: Embedder, reset: bool) -> Manifest:
    """The manifest to update; wipes the index first on ``reset`` or when the embedding model changed."""
    where = settings.chroma_url or str(settings.index_dir.resolve())
    store_key = f"{where}#{settings.collection}"
    model = embedder.model_name
    manifest = Manifest.load(settings.index_dir)
    if manifest.documents and manifest.embedding_model != model:
        log.warning("index built with another embedding model (%s): rebuilding it", manifest.embedding_model)
        reset = True
    if reset:
        store.delete_collection(settings)
        bm25.remove(settings.index_dir)
        manifest_file.remove(settings.index_dir)
        manifest = Manifest()
    if manifest.store != store_key:
        manifest = Manifest()
    manifest.store, manifest.embedding_model = store_key, model
    return manifest


@contextmanager
def _ingest_lock(index_dir: Path) -> Iterator[None]:
    """One ingest at a time per index folder (a second one waits), across processes."""
    store.make_index_dir(index_dir)
    with (index_dir / ".ingest.lock").open("w") as handle:
        try:
            import fcntl
        except ImportError:  # Windows: no advisory lock
            yield
            return
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _read(
    files: list[Path], settings: Settings, manifest: Manifest, summary: IngestSummary, bar: Any
) -> list[tuple[Chunk, bool]]:
    """Load and chunk every file into the manifest; returns (chunk, its document was indexed before)."""
    old_keys = set(manifest.documents)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    pending: list[tuple[Chunk, bool]] = []
    task = bar.add_task("Reading documents", total=len(files))
    for path in files:
        try:
            doc = load_document(path)
            chunks = chunk_document(doc, settings.chunk_size, settings.chunk_overlap)
        except DocumentError as err:
            summary.skipped.append((path, str(err).removeprefix(f"{path.name}: ")))
            log.warning("skipped %s", err)
        else:
            key = str(path)
            manifest.documents[key] = DocEntry(doc.doc_id, doc.file_hash, [c.id for c in chunks], now)
            summary.documents += 1
            summary.chunks += len(chunks)
            pending += [(c, key in old_keys) for c in chunks]
        bar.advance(task)
    return pending


def _embed_and_upsert(
    collection: Collection, chunks: list[Chunk], embedder: Embedder, batch_size: int, bar: Any
) -> None:
    task = bar.add_task("Embedding chunks", total=len(chunks))
    for start in range(0, len(chunks), batch_size):
        batch = chunks[start : start + batch_size]
        collection.upsert(
            ids=[c.id for c in batch],
            embeddings=embedder.embed_documents([c.embed_text for c in batch]),  # type: ignore[arg-type]
            documents=[c.text for c in batch],
            metadatas=[c.metadata for c in batch],
        )
        bar.advance(task, len(batch))


def _sync(
    files: list[Path], roots: list[Path], settings: Settings, embedder: Embedder, reset: bool, progress: bool
) -> IngestSummary:
    manifest = _prepare(settings, embedder, reset)
    collection = store.open_collection(settings, create=True)
    with store.store_errors(settings):
        existing = _all_ids(collection)
    # Repair: a file ingested earlier (from any folder) whose chunks went missing is read again.
    repair = [Path(k) for k, e in manifest.documents.items() if not set(e.chunk_ids) <= existing]
    files = list(dict.fromkeys(files + [p for p in repair if p.is_file()]))
    current = {str(f) for f in files}
    for key in manifest.paths_under(roots):
        if key not in current:
            del manifest.documents[key]  # the file is gone: its chunks are deleted below
    summary = IngestSummary()
    with _progress(progress) as bar:
        pending = _read(files, settings, manifest, summary, bar)
        todo = list({c.id: (c, seen) for c, seen in pending if c.id not in existing}.values())
        stale = sorted(existing - manifest.chunk_ids())
        with store.store_errors(settings):
            _embed_and_upsert(collection, [c for c, _ in todo], embedder, settings.embedding_batch_size, bar)
            for start in range(0, len(stale), _DELETE_BATCH):
                collection.delete(ids=stale[start : start + _DELETE_BATCH])
    manifest.save(settings.index_dir)  # after Chroma: a run killed earlier leaves the old manifest
    with store.store_errors(settings):
        rebuild_text_index(settings, collection, embedder)
    summary.added = sum(1 for _, seen in todo if not seen)
    summary.updated = len(todo) - summary.added
    summary.removed = len(stale)
    summary.unchanged = summary.chunks - len(todo)
    return summary


def ingest(
    paths: Sequence[Path],
    settings: Settings,
    embedder: Embedder | None = None,
    reset: bool = False,
    progress: bool = False,
) -> IngestSummary:
    """Bring the index in line with ``paths`` (files or folders); see the module docstring."""
    started = time.perf_counter()
    files, roots = discover(paths)
    with _ingest_lock(settings.index_dir):
        summary = _sync(files, roots, settings, embedder or Embedder.from_settings(settings), reset, progress)
    summary.seconds = time.perf_counter() - started
    log.info("ingest: %s", summary.line())
    return summary
