"""Against a live `coding-assistant chat` server, `/ask` gives the same scores as the in-process run."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from reliability.procs import ChatServer, child_env

from eval.dataset import load_split
from eval.runner import AssistantSystem, RemoteSystem, run_systems

pytestmark = [pytest.mark.integration, pytest.mark.slow]
CASE_IDS = ("units-001", "rate-001", "fu-002", "mod-001", "oos-001", "adv-001")


@pytest.fixture(scope="module")
def chat_url(kb_index_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("eval-server")
    index = root / "index"
    shutil.copytree(kb_index_dir, index)
    env = child_env(ASSISTANT_LOG_DIR=str(root / "logs"), ASSISTANT_FEEDBACK_DB=str(root / "fb.sqlite3"))
    for key in ("ASSISTANT_AUTH", "ASSISTANT_USERS_FILE", "ASSISTANT_SHARE", "ASSISTANT_HOST"):
        env.pop(key, None)
    server = ChatServer(index, env).wait()
    try:
        yield server.url
    finally:
        server.close()


def test_remote_scores_equal_in_process(chat_url: str, kb_assistant: Any) -> None:
    cases = [c for c in load_split("all") if c.id in CASE_IDS]
    assert len(cases) == len(CASE_IDS)
    local, remote = run_systems(
        cases, [AssistantSystem(kb_assistant), RemoteSystem(chat_url)], progress=False
    )
    assert all(p.error is None for p in remote.predictions), [p.error for p in remote.predictions]
    for mine, theirs in zip(local.scores, remote.scores, strict=True):
        assert (mine.id, mine.correct, mine.tool_match, mine.hits, mine.abstained) == (
            theirs.id,
            theirs.correct,
            theirs.tool_match,
            theirs.hits,
            theirs.abstained,
        )
    for mine, theirs in zip(local.predictions, remote.predictions, strict=True):
        assert mine.answer == theirs.answer and mine.ranked_doc_ids == theirs.ranked_doc_ids
