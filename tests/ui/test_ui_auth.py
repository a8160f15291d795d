"""Login: salted scrypt hashes, the ASSISTANT_AUTH string and the users file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.errors import AssistantError
from ui.auth import Users, hash_password, users_from_settings, verify_password


def test_hash_is_salted_and_verifies() -> None:
    first, second = hash_password("s3cret"), hash_password("s3cret")
    assert first != second  # a fresh salt each time
    assert "s3cret" not in first
    assert verify_password("s3cret", first) and verify_password("s3cret", second)
    assert not verify_password("s3cret!", first)


@pytest.mark.parametrize("stored", ["", "plain", "md5$x$y", "scrypt$16384$8$1$zz$00", "scrypt$a$b$c$00$00"])
def test_malformed_hashes_never_verify(stored: str) -> None:
    assert not verify_password("anything", stored)


def test_auth_string_first_user_is_admin() -> None:
    users = Users.from_auth_string("admin:pw1, bob:pw:with:colons")
    assert users.check("admin", "pw1") and users.check("bob", "pw:with:colons")
    assert not users.check("bob", "pw1") and not users.check("eve", "pw1")
    assert users.is_admin("admin") and not users.is_admin("bob") and not users.is_admin(None)


@pytest.mark.parametrize("auth", ["nocolon", ":pw", "user:", "a:b,,c:d"])
def test_bad_auth_string_is_a_clear_error(auth: str) -> None:
    with pytest.raises(AssistantError, match="user:password"):
        Users.from_auth_string(auth)


def test_users_file_roles_and_hashes(tmp_path: Path) -> None:
    path = tmp_path / "users.json"
    path.write_text(
        json.dumps(
            {
                "users": [
                    {"username": "alice", "password": hash_password("a-pw"), "role": "admin"},
                    {"username": "bob", "password": hash_password("b-pw"), "role": "user"},
                ]
            }
        )
    )
    users = users_from_settings(Settings(users_file=path))
    assert users is not None
    assert users.check("alice", "a-pw") and users.check("bob", "b-pw") and not users.check("bob", "a-pw")
    assert users.is_admin("alice") and not users.is_admin("bob")


def test_users_file_errors_and_login_off(tmp_path: Path) -> None:
    bad = tmp_path / "users.json"
    bad.write_text("{not json")
    with pytest.raises(AssistantError, match="users file"):
        users_from_settings(Settings(users_file=bad))
    assert users_from_settings(Settings()) is None
