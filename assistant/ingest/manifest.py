"""What the index holds, per source file: ``index_dir/manifest.json``.

Each entry maps a file's absolute path to its doc id, file hash, chunk ids and the time it was
ingested. The manifest is written atomically (temp file + ``os.replace``) after Chroma has been updated,
so a run killed half-way leaves the previous manifest, and the next run converges.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

MANIFEST_FILE = "manifest.json"
FORMAT_VERSION = 1


@dataclass
class DocEntry:
    """One ingested source file."""

    doc_id: str
    file_hash: str
    chunk_ids: list[str]
    ingested_at: str


@dataclass
class Manifest:
    """All ingested files of one collection, plus what the vectors were built with."""

    store: str = ""  # where the collection lives (index folder or server URL) and its name
    embedding_model: str = ""
    documents: dict[str, DocEntry] = field(default_factory=dict)

    @classmethod
    def load(cls, index_dir: Path) -> Manifest:
        """The saved manifest, or an empty one when absent or unreadable."""
        try:
            raw = json.loads((index_dir / MANIFEST_FILE).read_text(encoding="utf-8"))
            if raw.get("version") != FORMAT_VERSION:
                return cls()
            return cls(
                store=str(raw.get("store", "")),
                embedding_model=str(raw.get("embedding_model", "")),
                documents={path: DocEntry(**entry) for path, entry in raw.get("documents", {}).items()},
            )
        except (OSError, ValueError, TypeError, AttributeError):
            return cls()

    def save(self, index_dir: Path) -> None:
        """Write atomically: a reader sees the old or the new manifest, never half of one."""
        index_dir.mkdir(parents=True, exist_ok=True)
        payload = {
            "version": FORMAT_VERSION,
            "store": self.store,
            "embedding_model": self.embedding_model,
            "documents": {path: asdict(entry) for path, entry in sorted(self.documents.items())},
        }
        tmp = index_dir / f".{MANIFEST_FILE}.{uuid.uuid4().hex}.tmp"
        tmp.write_text(json.dumps(payload, indent=1), encoding="utf-8")
        os.replace(tmp, index_dir / MANIFEST_FILE)

    def chunk_ids(self) -> set[str]:
        """Every chunk id some ingested file produced."""
        return {cid for entry in self.documents.values() for cid in entry.chunk_ids}

    def paths_under(self, roots: list[Path]) -> list[str]:
        """Entries whose file is one of ``roots`` or inside one of them."""
        out = []
        for key in self.documents:
            path = Path(key)
            if any(path == root or root in path.parents for root in roots):
                out.append(key)
        return out


def remove(index_dir: Path) -> None:
    """Forget everything (``ingest --reset``)."""
    (index_dir / MANIFEST_FILE).unlink(missing_ok=True)
