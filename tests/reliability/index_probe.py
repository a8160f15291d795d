"""Read what an index really holds (Chroma records and the manifest), for assertions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.retrieval import store


def records(settings: Settings) -> dict[str, tuple[str, dict[str, Any]]]:
    """chunk id → (stored text, metadata) for every chunk of the collection."""
    got = store.open_collection(settings).get(include=["documents", "metadatas"])
    docs = got["documents"] or []
    metas = got["metadatas"] or []
    return {cid: (doc, dict(meta)) for cid, doc, meta in zip(got["ids"], docs, metas, strict=True)}


def manifest_chunk_ids(index_dir: Path) -> list[str]:
    """Every chunk id the manifest lists (duplicates kept, so a double entry shows)."""
    raw = json.loads((index_dir / "manifest.json").read_text(encoding="utf-8"))
    return [cid for entry in raw["documents"].values() for cid in entry["chunk_ids"]]


def indexed_files(settings: Settings) -> set[str]:
    """File names whose chunks are in the collection."""
    return {Path(str(meta["path"])).name for _, meta in records(settings).values()}


def assert_consistent(settings: Settings) -> None:
    """No duplicate chunks: Chroma ids == manifest ids, and no text stored twice for one document."""
    held = records(settings)
    listed = manifest_chunk_ids(settings.index_dir)
    assert set(held) == set(listed), "Chroma and the manifest disagree"
    keys = [(meta["doc_id"], text) for text, meta in held.values()]
    assert len(keys) == len(set(keys)), "a chunk is stored twice"


def forget_open_clients() -> None:
    """Drop this process's cached embedded Chroma clients, as a restarted process would start."""
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient.clear_system_cache()
