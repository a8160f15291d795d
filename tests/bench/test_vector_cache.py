"""Chunk vectors persist on disk and come back identical without the model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assistant.bench.vector_cache import CachedEmbedder


@pytest.mark.integration
def test_vectors_are_embedded_once_and_reused_by_a_new_instance(tmp_path: Path, embedder: Any) -> None:
    texts = ["97112 neuromuscular re-education", "the 8-minute rule", "97112 neuromuscular re-education"]
    first = CachedEmbedder(embedder, tmp_path)
    vectors = first.embed_documents(texts)
    assert first.misses == 2 and first.hits == 1
    assert np.allclose(vectors, embedder.embed_documents(texts), atol=1e-6)

    again = CachedEmbedder(embedder, tmp_path)
    assert len(again) == 2 and again.missing(texts) == []
    assert np.allclose(again.embed_documents(texts), vectors)
    assert again.misses == 0 and again.hits == 3
