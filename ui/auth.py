"""Optional login for the UI: ``ASSISTANT_AUTH`` ("user:pw,...", first user is admin) or a users file.

The users file is JSON with salted scrypt hashes, never plain passwords::

    {"users": [{"username": "alice", "password": "scrypt$16384$8$1$<salt hex>$<hash hex>", "role": "admin"},
               {"username": "bob", "password": "scrypt$...", "role": "user"}]}

Make a hash with ``python -m ui.auth`` (asks for the password) or ``hash_password("...")``.

Example:
    >>> users = Users.from_auth_string("admin:s3cret,bob:pw")
    >>> users.check("admin", "s3cret"), users.check("bob", "nope"), users.is_admin("admin")
    (True, False, True)
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from assistant.config import Settings
from assistant.errors import AssistantError

_N, _R, _P = 2**14, 8, 1


def hash_password(password: str, salt: bytes | None = None) -> str:
    """Salted scrypt hash, encoded as ``scrypt$N$r$p$salt$hash`` (hex)."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches a ``hash_password`` string (constant-time comparison)."""
    try:
        scheme, n, r, p, salt_hex, digest_hex = stored.split("$")
        if scheme != "scrypt":
            return False
        digest = hashlib.scrypt(
            password.encode(), salt=bytes.fromhex(salt_hex), n=int(n), r=int(r), p=int(p), dklen=32
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest.hex(), digest_hex)


@dataclass
class Users:
    """Who may log in (username -> password hash) and who is admin."""

    hashes: dict[str, str] = field(default_factory=dict)
    admins: set[str] = field(default_factory=set)

    @classmethod
    def from_auth_string(cls, auth: str) -> Users:
        """Parse ``user:pw[,user2:pw2]``; the first user is the admin. Passwords are hashed in memory."""
        users = cls()
        for item in (part.strip() for part in auth.split(",")):
            name, sep, password = item.partition(":")
            if not sep or not name.strip() or not password:
                raise AssistantError("ASSISTANT_AUTH must look like user:password[,user2:password2]")
            users.hashes[name.strip()] = hash_password(password)
            if len(users.hashes) == 1:
                users.admins.add(name.strip())
        return users

    @classmethod
    def from_file(cls, path: Path) -> Users:
        """Read a users JSON file (see the module docstring)."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            users = cls()
            for entry in data["users"]:
                users.hashes[str(entry["username"])] = str(entry["password"])
                if entry.get("role") == "admin":
                    users.admins.add(str(entry["username"]))
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise AssistantError(f"cannot read the users file {path}: {err}") from err
        if not users.hashes:
            raise AssistantError(f"the users file {path} lists no users")
        return users

    def check(self, username: str, password: str) -> bool:
        """Gradio's auth callback: does this username/password pair log in?"""
        stored = self.hashes.get(username)
        return stored is not None and verify_password(password, stored)

    def is_admin(self, username: str | None) -> bool:
        return username is not None and username in self.admins


def users_from_settings(settings: Settings) -> Users | None:
    """The configured users, or None when login is off (no ``auth`` and no ``users_file``)."""
    if settings.users_file is not None:
        return Users.from_file(settings.users_file)
    if settings.auth:
        return Users.from_auth_string(settings.auth)
    return None


if __name__ == "__main__":  # pragma: no cover - tiny helper for writing a users file
    import getpass

    print(hash_password(getpass.getpass("password: ")))
