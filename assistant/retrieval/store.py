"""Open the Chroma collection: embedded (``PersistentClient`` in index_dir) or a server (``chroma_url``).

Errors the user can act on become ``IndexMissingError`` / ``StoreUnavailableError`` with a message that
says what to run. The collection uses cosine distance, so similarity = 1 - distance.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from assistant.errors import AssistantError, IndexMissingError, StoreUnavailableError

if TYPE_CHECKING:
    from pathlib import Path

    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection
    from langchain_core.embeddings import Embeddings
    from langchain_core.vectorstores import VectorStore

    from assistant.config import Settings

COLLECTION_CONFIGURATION: dict[str, Any] = {"hnsw": {"space": "cosine"}}
EMBEDDED_DB_FILE = "chroma.sqlite3"
INGEST_HINT = "Build it with: coding-assistant ingest (or make chat)"
READ_PAGE = 5000  # Chroma's SQLite refuses one get() of more than ~32k records ("too many SQL variables")


def describe(settings: Settings) -> str:
    """Where the collection lives, for messages: the server URL or the index folder."""
    return f"the Chroma server at {settings.chroma_url}" if settings.chroma_url else str(settings.index_dir)


def _server_address(url: str) -> tuple[str, int, bool]:
    parsed = urlparse(url if "://" in url else f"http://{url}")
    ssl = parsed.scheme == "https"
    return parsed.hostname or "localhost", parsed.port or (443 if ssl else 8000), ssl


def check_server(settings: Settings) -> None:
    """Ask the server for a heartbeat within ``chroma_timeout_s``; raise StoreUnavailableError if not."""
    import httpx

    url = str(settings.chroma_url).rstrip("/")
    try:
        response = httpx.get(f"{url}/api/v2/heartbeat", timeout=settings.chroma_timeout_s)
        response.raise_for_status()
    except (httpx.HTTPError, OSError) as err:
        raise StoreUnavailableError(
            f"Cannot reach the Chroma server at {url} ({type(err).__name__}). "
            "Start it (chroma run --path DIR --port N), or unset ASSISTANT_CHROMA_URL "
            "to use the embedded index."
        ) from err


@contextmanager
def store_errors(settings: Settings) -> Iterator[None]:
    """Turn a lost server connection in the middle of an operation into StoreUnavailableError."""
    import httpx
    from chromadb.errors import NotFoundError

    try:
        yield
    except (httpx.TransportError, ConnectionError) as err:
        raise StoreUnavailableError(
            f"Lost the connection to {describe(settings)} ({type(err).__name__}). Check that it is running."
        ) from err
    except NotFoundError as err:  # e.g. the server came back with another (empty) data folder
        raise IndexMissingError(
            f"No collection '{settings.collection}' in {describe(settings)} any more. {INGEST_HINT}"
        ) from err


def _limit_request_time(client: ClientAPI, seconds: float) -> None:
    """chromadb's HTTP client waits forever by default; a hung server must fail within ``seconds``."""
    import httpx

    session = getattr(getattr(client, "_server", None), "_session", None)
    if isinstance(session, httpx.Client):
        session.timeout = httpx.Timeout(seconds)


def make_index_dir(index_dir: Path) -> None:
    """Create the index folder if needed, or say clearly why it cannot be one (a file, no permission)."""
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise AssistantError(
            f"Cannot use {index_dir} as the index folder ({err.strerror or err}). "
            "Point --index-dir / ASSISTANT_INDEX_DIR at a folder you can write to."
        ) from err


def open_client(settings: Settings, create: bool = False) -> ClientAPI:
    """A Chroma client (telemetry off). Embedded without ``create`` needs an existing index."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        check_server(settings)
        host, port, ssl = _server_address(settings.chroma_url)
        with store_errors(settings):
            client = chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=chroma_settings)
        _limit_request_time(client, settings.chroma_timeout_s)
        return client
    if not create and not (settings.index_dir / EMBEDDED_DB_FILE).is_file():
        raise IndexMissingError(f"No index at {settings.index_dir}. {INGEST_HINT}")
    from chromadb.errors import ChromaError

    make_index_dir(settings.index_dir)
    try:
        return chromadb.PersistentClient(path=str(settings.index_dir), settings=chroma_settings)
    except ChromaError as err:  # a damaged or half-copied chroma.sqlite3
        raise IndexMissingError(
            f"The index at {settings.index_dir} cannot be read ({err}). "
            "Delete that folder and rebuild it with: coding-assistant ingest (or make chat)"
        ) from err


def forget_embedded_client(settings: Settings) -> None:
    """Make the next embedded client re-read the index from disk.

    chromadb keeps one in-memory system per folder and process; after another process (a CLI
    ``ingest`` while the UI serves) wrote to the folder, that system's vector index is stale.
    Dropping it from chromadb's cache (without stopping it: objects still holding it keep working)
    lets the next ``PersistentClient`` load the current index.
    """
    if settings.chroma_url:
        return
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient._identifier_to_system.pop(str(settings.index_dir), None)


def open_collection(settings: Settings, create: bool = False) -> Collection:
    """The guidance collection; ``create`` makes it (cosine space) when missing, else IndexMissingError."""
    client = open_client(settings, create=create)
    with store_errors(settings):
        if create:
            return client.get_or_create_collection(
                settings.collection,
                configuration=COLLECTION_CONFIGURATION,  # type: ignore[arg-type]
                embedding_function=None,
            )
        names = {c if isinstance(c, str) else c.name for c in client.list_collections()}
        if settings.collection not in names:
            raise IndexMissingError(
                f"No collection '{settings.collection}' in {describe(settings)}. {INGEST_HINT}"
            )
        return client.get_collection(settings.collection, embedding_function=None)


def read_all(
    collection: Collection, with_content: bool = True
) -> tuple[list[str], list[str], list[dict[str, Any]]]:
    """Every record's ids (and documents and metadatas when ``with_content``), read in pages of READ_PAGE."""
    include: Any = ["documents", "metadatas"] if with_content else []
    ids: list[str] = []
    documents: list[str] = []
    metadatas: list[dict[str, Any]] = []
    while True:
        got = collection.get(include=include, limit=READ_PAGE, offset=len(ids))
        ids.extend(got["ids"])
        documents.extend(str(d) for d in (got["documents"] or []))
        metadatas.extend(dict(m) for m in (got["metadatas"] or []))
        if len(got["ids"]) < READ_PAGE:
            return ids, documents, metadatas


def delete_collection(settings: Settings) -> None:
    """Drop the collection if it exists (``ingest --reset``)."""
    client = open_client(settings, create=True)
    with store_errors(settings):
        names = {c if isinstance(c, str) else c.name for c in client.list_collections()}
        if settings.collection in names:
            client.delete_collection(settings.collection)


def langchain_vectorstore(settings: Settings, embedder: Embeddings) -> VectorStore:
    """A ``langchain_chroma.Chroma`` over the same (existing) collection, e.g. for a naive RAG baseline."""
    from langchain_chroma import Chroma

    open_collection(settings)  # raises IndexMissingError / StoreUnavailableError with a clear message
    return Chroma(
        collection_name=settings.collection,
        embedding_function=embedder,
        client=open_client(settings),
        collection_configuration=COLLECTION_CONFIGURATION,  # type: ignore[arg-type]
    )
