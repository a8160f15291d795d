"""Reading a whole collection goes page by page (one Chroma get() of >32k records fails in SQLite)."""

from __future__ import annotations

from pathlib import Path

import chromadb
import pytest
from chromadb.config import Settings as ChromaSettings

from assistant.retrieval import store


@pytest.mark.integration
def test_read_all_pages_through_every_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    client = chromadb.PersistentClient(
        path=str(tmp_path), settings=ChromaSettings(anonymized_telemetry=False)
    )
    collection = client.get_or_create_collection("paging", embedding_function=None)
    ids = [f"chunk-{i:03d}" for i in range(23)]
    collection.add(
        ids=ids,
        embeddings=[[float(i), 1.0, 0.5] for i in range(23)],
        documents=[f"text {i}" for i in range(23)],
        metadatas=[{"doc_id": f"doc-{i % 4}"} for i in range(23)],
    )
    monkeypatch.setattr(store, "READ_PAGE", 5)

    got_ids, documents, metadatas = store.read_all(collection)
    assert sorted(got_ids) == ids  # all 23 across five pages, none twice
    assert len(set(got_ids)) == 23
    assert {documents[i]: metadatas[i]["doc_id"] for i in range(23)}["text 9"] == "doc-1"

    only_ids, no_docs, no_metas = store.read_all(collection, with_content=False)
    assert sorted(only_ids) == ids
    assert no_docs == [] and no_metas == []
