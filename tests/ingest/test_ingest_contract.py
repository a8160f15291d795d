"""Ingest contract, run against embedded Chroma and a real `chroma run` server (same tests for both)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.config import Settings
from assistant.ingest import manifest as manifest_module
from assistant.ingest.pipeline import ingest
from assistant.retrieval import store
from assistant.retrieval.embeddings import Embedder
from assistant.retrieval.hybrid import HybridRetriever

from .samples import HIDDEN_WORD, QUESTIONS, write_samples

pytestmark = pytest.mark.integration


class RecordingEmbedder(Embedder):
    """The session's real model, recording every batch of chunk texts it is asked to embed."""

    def __init__(self, inner: Embedder):
        super().__init__(inner.model_path, inner.batch_size, inner.cache_size)
        self._model = inner.model
        self.embedded: list[str] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.embedded.extend(texts)
        return super().embed_documents(texts)


@pytest.fixture
def recorder(embedder: Embedder) -> RecordingEmbedder:
    return RecordingEmbedder(embedder)


def chunks_by_doc(settings: Settings) -> dict[str, set[str]]:
    got = store.open_collection(settings).get(include=["metadatas"])
    out: dict[str, set[str]] = {}
    for cid, meta in zip(got["ids"], got["metadatas"] or [], strict=True):
        out.setdefault(str(meta["doc_id"]), set()).add(cid)
    return out


def all_ids(settings: Settings) -> list[str]:
    return list(store.open_collection(settings).get(include=[])["ids"])


def test_second_run_embeds_nothing_and_keeps_the_count(
    backend_settings: Settings, recorder: RecordingEmbedder, tmp_path: Path
) -> None:
    folder = tmp_path / "docs"
    write_samples(folder)
    first = ingest([folder], backend_settings, embedder=recorder)
    assert (first.documents, first.skipped) == (4, [])
    assert first.added == first.chunks == len(recorder.embedded) > 0
    assert store.open_collection(backend_settings).configuration["hnsw"]["space"] == "cosine"
    before = sorted(all_ids(backend_settings))

    recorder.embedded.clear()
    second = ingest([folder], backend_settings, embedder=recorder)
    assert recorder.embedded == []
    assert (second.added, second.updated, second.removed) == (0, 0, 0)
    assert second.unchanged == second.chunks == first.chunks
    assert sorted(all_ids(backend_settings)) == before
    assert "added 0, updated 0, removed 0, skipped 0" in second.line()


def test_editing_one_document_changes_only_its_chunks(
    backend_settings: Settings, recorder: RecordingEmbedder, tmp_path: Path
) -> None:
    files = write_samples(tmp_path / "docs")
    ingest([tmp_path / "docs"], backend_settings, embedder=recorder)
    before = chunks_by_doc(backend_settings)

    text = files["md"].read_text(encoding="utf-8")
    files["md"].write_text(text.replace("within two days", "within five working days"), encoding="utf-8")
    recorder.embedded.clear()
    summary = ingest([tmp_path / "docs"], backend_settings, embedder=recorder)
    after = chunks_by_doc(backend_settings)

    assert (summary.added, summary.updated, summary.removed) == (0, 1, 1)
    assert len(recorder.embedded) == 1 and "five working days" in recorder.embedded[0]
    assert {d: ids for d, ids in after.items() if d != "seating-checklist"} == {
        d: ids for d, ids in before.items() if d != "seating-checklist"
    }
    # the untouched section keeps its chunk; the edited one is replaced
    assert len(after["seating-checklist"] & before["seating-checklist"]) == 1
    texts = HybridRetriever.from_settings(backend_settings, recorder).all_texts()
    assert any("five working days" in t for t in texts)
    assert not any("within two days" in t for t in texts)


def test_deleting_one_document_removes_its_chunks(
    backend_settings: Settings, recorder: RecordingEmbedder, tmp_path: Path
) -> None:
    files = write_samples(tmp_path / "docs")
    ingest([tmp_path / "docs"], backend_settings, embedder=recorder)
    before = chunks_by_doc(backend_settings)

    files["txt"].unlink()
    summary = ingest([tmp_path / "docs"], backend_settings, embedder=recorder)
    after = chunks_by_doc(backend_settings)

    assert "aquatic-pool-rules" not in after
    assert summary.removed == len(before["aquatic-pool-rules"])
    assert (summary.documents, summary.added, summary.updated) == (3, 0, 0)
    assert after == {d: ids for d, ids in before.items() if d != "aquatic-pool-rules"}
    retriever = HybridRetriever.from_settings(backend_settings, recorder)
    assert all(p.doc_id != "aquatic-pool-rules" for p in retriever.bm25_search("pool lifeguard water", 10))


def test_reset_wipes_and_rebuilds(
    backend_settings: Settings, recorder: RecordingEmbedder, tmp_path: Path
) -> None:
    folder = tmp_path / "docs"
    write_samples(folder)
    first = ingest([folder], backend_settings, embedder=recorder)
    before = sorted(all_ids(backend_settings))

    recorder.embedded.clear()
    again = ingest([folder], backend_settings, embedder=recorder, reset=True)
    assert again.added == again.chunks == first.chunks == len(recorder.embedded)
    assert sorted(all_ids(backend_settings)) == before  # content-hash ids: same content, same ids


def test_each_file_type_is_retrievable_and_hidden_html_is_not_indexed(
    backend_settings: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    write_samples(tmp_path / "docs")
    ingest([tmp_path / "docs"], backend_settings, embedder=embedder)
    retriever = HybridRetriever.from_settings(backend_settings, embedder)

    for question, doc_id in QUESTIONS:
        result = retriever.search(question, k=3)
        assert result.found, question
        assert result.passages[0].doc_id == doc_id, (question, [p.doc_id for p in result.passages])
    assert not any(HIDDEN_WORD in text for text in retriever.all_texts())
    assert retriever.bm25_search(HIDDEN_WORD, 5) == []


def test_bad_files_are_skipped_with_a_reason_and_the_rest_is_ingested(
    backend_settings: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    files = write_samples(tmp_path / "docs")
    ingest([tmp_path / "docs"], backend_settings, embedder=embedder)
    before = chunks_by_doc(backend_settings)

    bad = tmp_path / "docs"
    (bad / "empty.md").write_text("   \n", encoding="utf-8")
    (bad / "broken.pdf").write_bytes(b"%PDF-1.4\nthis is not really a pdf")
    (bad / "latin1.txt").write_bytes("Caf\xe9 notes about billing".encode("latin-1"))
    (bad / "unclosed.md").write_text("---\nid: x\ntitle: never closed\n\n# Body\n\ntext\n", encoding="utf-8")
    files["md"].write_text("---\nid: [unbalanced\n---\n# Seating\n\nnew text\n", encoding="utf-8")
    summary = ingest([bad], backend_settings, embedder=embedder)

    reasons = {path.name: reason for path, reason in summary.skipped}
    assert set(reasons) == {"empty.md", "broken.pdf", "latin1.txt", "unclosed.md", "seating.md"}
    assert "empty" in reasons["empty.md"]
    assert "PDF" in reasons["broken.pdf"]
    assert "UTF-8" in reasons["latin1.txt"]
    assert "never closed" in reasons["unclosed.md"]
    assert "YAML" in reasons["seating.md"]
    assert summary.documents == 3 and summary.embedded == 0
    # the now-broken seating.md keeps its previously indexed chunks untouched
    assert chunks_by_doc(backend_settings) == before


def test_a_run_killed_before_the_manifest_write_converges(
    backend_settings: Settings, recorder: RecordingEmbedder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = write_samples(tmp_path / "docs")
    ingest([tmp_path / "docs"], backend_settings, embedder=recorder)
    files["html"].write_text(
        files["html"].read_text(encoding="utf-8").replace("give the patient a receipt", "email a receipt"),
        encoding="utf-8",
    )
    files["txt"].unlink()

    def crash(self: Any, index_dir: Path) -> None:
        raise KeyboardInterrupt("killed")

    with monkeypatch.context() as patch:
        patch.setattr(manifest_module.Manifest, "save", crash)
        with pytest.raises(KeyboardInterrupt):
            ingest([tmp_path / "docs"], backend_settings, embedder=recorder)

    recorder.embedded.clear()
    summary = ingest([tmp_path / "docs"], backend_settings, embedder=recorder)
    assert recorder.embedded == []  # the interrupted run's chunks are reused
    ids = all_ids(backend_settings)
    assert len(ids) == len(set(ids)) == summary.chunks
    assert set(chunks_by_doc(backend_settings)) == {
        "seating-checklist",
        "copay-procedure",
        "vestibular-handout",
    }
    texts = HybridRetriever.from_settings(backend_settings, recorder).all_texts()
    assert any("email a receipt" in t for t in texts) and not any(
        "give the patient a receipt" in t for t in texts
    )


def test_a_live_retriever_sees_documents_ingested_after_it_started(
    backend_settings: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    files = write_samples(tmp_path / "docs")
    pdf_bytes = files["pdf"].read_bytes()
    files["pdf"].unlink()
    ingest([tmp_path / "docs"], backend_settings, embedder=embedder)
    retriever = HybridRetriever.from_settings(backend_settings, embedder)
    question, doc_id = QUESTIONS[3]
    assert doc_id not in {p.doc_id for p in retriever.search(question).passages}

    files["pdf"].write_bytes(pdf_bytes)
    ingest([tmp_path / "docs"], backend_settings, embedder=embedder)
    assert retriever.search(question).passages[0].doc_id == doc_id
    assert retriever.bm25_search("gaze stabilization", 3)[0].doc_id == doc_id


def test_ingesting_another_folder_keeps_the_first_one(
    backend_settings: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    files = write_samples(tmp_path / "docs")
    extra = tmp_path / "extra"
    extra.mkdir()
    files["txt"].rename(extra / files["txt"].name)
    ingest([tmp_path / "docs"], backend_settings, embedder=embedder)
    summary = ingest([extra], backend_settings, embedder=embedder)
    assert (summary.documents, summary.removed) == (1, 0)
    assert set(chunks_by_doc(backend_settings)) == {
        "seating-checklist",
        "aquatic-pool-rules",
        "copay-procedure",
        "vestibular-handout",
    }


def test_a_different_embedding_model_rebuilds_the_index(
    settings: Settings, recorder: RecordingEmbedder, tmp_path: Path
) -> None:
    write_samples(tmp_path / "docs")
    first = ingest([tmp_path / "docs"], settings, embedder=recorder)

    class OtherModel(RecordingEmbedder):
        @property
        def model_name(self) -> str:
            return "some-other-model"

    other = OtherModel(recorder)
    summary = ingest([tmp_path / "docs"], settings, embedder=other)
    assert len(other.embedded) == summary.added == first.chunks
    assert len(all_ids(settings)) == first.chunks
