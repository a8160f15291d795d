"""Security defaults: loopback only, login refuses wrong passwords, admin-only and bounded uploads,
no path traversal through document names or the file route."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from assistant.config import Settings
from assistant.errors import DocumentError

from .load_clients import connect
from .procs import ChatServer, child_env

ADMIN, CLERK = ("boss", "Adm1n-pass"), ("clerk", "Clerk-pass")
TRAVERSAL_NAMES = [
    "../../etc/passwd.md", "..\\..\\windows\\system.ini.md", "/etc/cron.d/evil.md", "....//....//x.md",
    ".hidden.md", "a/../../b.md", "%2e%2e%2fescape.md", "nul\x00byte.md", "~/.bashrc.md",
]  # fmt: skip


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a socket in LISTEN state on ``port`` (from /proc/net/tcp and tcp6)."""
    found: set[str] = set()
    for table, family in (("/proc/net/tcp", socket.AF_INET), ("/proc/net/tcp6", socket.AF_INET6)):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, port_hex = local.split(":")
            if state != "0A" or int(port_hex, 16) != port:
                continue
            raw = bytes.fromhex(address)
            words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))  # kernel byte order
            found.add(socket.inet_ntop(family, words))
    return found


@pytest.mark.integration
@pytest.mark.slow
def test_ui_listens_on_loopback_only(chat_server: ChatServer) -> None:
    assert listening_addresses(chat_server.port) == {"127.0.0.1"}


def test_defaults_are_local_and_private() -> None:
    settings = Settings()
    assert settings.host == "127.0.0.1" and settings.share is False


@pytest.fixture(scope="module")
def auth_server(served_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChatServer]:
    logs = tmp_path_factory.mktemp("auth-logs")
    env = child_env(
        ASSISTANT_AUTH=",".join(":".join(pair) for pair in (ADMIN, CLERK)),
        ASSISTANT_LOG_DIR=str(logs),
        ASSISTANT_FEEDBACK_DB=str(logs / "fb.sqlite3"),
        ASSISTANT_GUIDANCE_DIR=str(tmp_path_factory.mktemp("auth-guidance")),
    )
    server = ChatServer(served_index, env).wait()
    yield server
    server.close()


@pytest.mark.integration
@pytest.mark.slow
def test_login_refuses_wrong_password_and_anonymous_calls(auth_server: ChatServer) -> None:
    login = httpx.post(
        f"{auth_server.url}login", data={"username": ADMIN[0], "password": "wrong"}, timeout=30
    )
    assert login.status_code in (400, 401, 403)
    with pytest.raises(Exception):  # noqa: B017 - gradio_client raises its own error types
        connect(auth_server.url, auth=(ADMIN[0], "wrong"))
    anonymous = httpx.post(f"{auth_server.url}gradio_api/call/ask", json={"data": ["Is 97112 timed?", []]})
    assert anonymous.status_code in (401, 403)
    upload = httpx.post(f"{auth_server.url}gradio_api/upload", files={"files": ("a.md", b"# x\n\ny\n")})
    assert upload.status_code in (401, 403), "no upload without login"
    answer = connect(auth_server.url, auth=CLERK).predict("Is 97112 a timed code?", [], api_name="/ask")
    assert answer["answer"].strip(), "the right password works"


@pytest.mark.integration
@pytest.mark.slow
def test_server_rejects_uploads_over_the_size_limit(chat_server: ChatServer) -> None:
    limit = int(Settings().upload_max_mb * 1024 * 1024)
    big = httpx.post(
        f"{chat_server.url}gradio_api/upload", files={"files": ("big.md", b"x" * (limit + 1024))}, timeout=60
    )
    assert big.status_code == 413
    small = httpx.post(
        f"{chat_server.url}gradio_api/upload", files={"files": ("ok.md", b"# ok\n")}, timeout=60
    )
    assert small.status_code == 200


@pytest.mark.integration
@pytest.mark.slow
@pytest.mark.parametrize(
    "path", ["/etc/passwd", "../../../../../etc/passwd", "%2e%2e/%2e%2e/%2e%2e/etc/passwd", "README.md"]
)
def test_file_route_serves_no_arbitrary_files(chat_server: ChatServer, path: str) -> None:
    got = httpx.get(f"{chat_server.url}gradio_api/file={path}", timeout=30)
    assert got.status_code != 200 or ("root:" not in got.text and "make chat" not in got.text)


@pytest.fixture
def admin_app(kb_assistant: Any, tmp_path: Path) -> tuple[Any, Settings]:
    from ui.app import build_app
    from ui.auth import Users

    settings = Settings(guidance_dir=tmp_path / "guidance", index_dir=tmp_path / "index", upload_max_mb=1)
    users = Users.from_auth_string(",".join(":".join(pair) for pair in (ADMIN, CLERK)))
    return build_app(kb_assistant, settings, users=users, reindex=lambda: "reindexed"), settings


def handler(demo: Any, name: str) -> Any:
    return next(f.fn for f in demo.fns.values() if f.name == name)


@pytest.mark.integration
def test_upload_and_reingest_need_an_admin(admin_app: tuple[Any, Settings], tmp_path: Path) -> None:
    import gradio as gr

    demo, settings = admin_app
    doc = tmp_path / "kx-note.md"
    doc.write_text("# KX\n\nKX attests medical necessity.\n", "utf-8")
    refused = handler(demo, "upload")(str(doc), gr.Request(username=CLERK[0]))
    assert "admin" in refused.lower() and not (settings.guidance_dir / "kx-note.md").exists()
    assert "admin" in handler(demo, "ingest_now")(gr.Request(username=CLERK[0]))[0].lower()
    assert "admin" in handler(demo, "ingest_now")(gr.Request(username=None))[0].lower()
    handler(demo, "upload")(str(doc), gr.Request(username=ADMIN[0]))
    assert (settings.guidance_dir / "kx-note.md").read_bytes() == doc.read_bytes()
    assert handler(demo, "ingest_now")(gr.Request(username=ADMIN[0]))[0] == "reindexed"


@pytest.mark.parametrize("name", ["run.exe", "notes.md.exe", "script.py", "page.svg", "noext", "archive.zip"])
def test_upload_refuses_other_types(tmp_path: Path, name: str) -> None:
    from ui.library import save_upload

    source = tmp_path / "upload.bin"
    source.write_bytes(b"# hello\n")
    settings = Settings(guidance_dir=tmp_path / "guidance")
    with pytest.raises(DocumentError):
        save_upload(source, name, settings)
    assert not settings.guidance_dir.exists() or not any(settings.guidance_dir.iterdir())


def test_upload_refuses_files_over_the_limit(tmp_path: Path) -> None:
    from ui.library import save_upload

    source = tmp_path / "big.md"
    source.write_bytes(b"x" * (1024 * 1024 + 1))
    with pytest.raises(DocumentError, match="limit"):
        save_upload(source, "big.md", Settings(guidance_dir=tmp_path / "guidance", upload_max_mb=1))


@pytest.mark.parametrize("name", TRAVERSAL_NAMES)
def test_upload_names_cannot_escape_the_knowledge_base(tmp_path: Path, name: str) -> None:
    from ui.library import save_upload

    source = tmp_path / "upload.md"
    source.write_text("# note\n\ntext\n", "utf-8")
    guidance = tmp_path / "kb" / "guidance"
    before = {p for p in tmp_path.rglob("*")}
    try:
        saved = save_upload(source, name, Settings(guidance_dir=guidance))
    except DocumentError:
        saved = None
    created = {p for p in tmp_path.rglob("*")} - before
    if saved is not None:
        assert saved.resolve().parent == guidance.resolve() and not saved.name.startswith(".")
    assert all(p == guidance or p.parent == guidance or p == guidance.parent for p in created)
