"""Secrets kept in the app database (Slack bot tokens) are sealed with AES-256-GCM.

A database dump, a backup or a read-only SQL account then holds ciphertext only. The key is
derived (HKDF-SHA256) from `MERCURIOS_SECRET_KEY`, or, when that is unset, from a random key file
created once under the data directory (mode 0600) — fine for one host; several hosts share
the app database only if they share the key, so production sets `MERCURIOS_SECRET_KEY`.

Each value is bound to where it belongs (the associated data, e.g. the Slack workspace), so a
ciphertext copied into another row does not open. Values written before sealing existed (plain
text, no `enc:v1:` prefix) are still read, and are sealed the next time they are written.
"""

from __future__ import annotations

import base64
import os
import secrets
import time
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from guardrails.errors import ConfigError

if TYPE_CHECKING:
    from assistant.runtime.settings import Settings

PREFIX = "enc:v1:"
_NONCE_BYTES = 12


class SecretUnreadable(ConfigError):
    """A sealed value does not open with the configured key (the key changed, or the value was
    copied from elsewhere)."""

    code = "secret_unreadable"


class SecretBox:
    def __init__(self, key_material: bytes) -> None:
        if len(key_material) < 16:
            raise ConfigError(
                "MERCURIOS_SECRET_KEY is too short: use at least 16 random bytes (32 hex chars)"
            )
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"mercurios app secrets v1").derive(
            key_material
        )
        self._aead = AESGCM(key)

    def seal(self, plaintext: str, *, context: str) -> str:
        nonce = secrets.token_bytes(_NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, plaintext.encode(), context.encode())
        return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()

    def open(self, stored: str, *, context: str) -> str:
        """The plaintext of a sealed value. Anything else (a value stored unsealed, one sealed under
        another key or for another context) raises `SecretUnreadable`: no secret is read unsealed."""
        if not stored.startswith(PREFIX):
            raise SecretUnreadable(
                "a stored secret is not sealed; reinstall the Slack app to store a new token"
            )
        try:
            raw = base64.urlsafe_b64decode(stored[len(PREFIX) :].encode())
            nonce, sealed = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:]
            return self._aead.decrypt(nonce, sealed, context.encode()).decode()
        except (InvalidTag, ValueError) as exc:
            raise SecretUnreadable(
                "a stored secret cannot be opened with the configured MERCURIOS_SECRET_KEY "
                "(was the key changed?); reinstall the Slack app to store a new token"
            ) from exc


def secret_box(secret_key: str | None, data_dir: Path) -> SecretBox:
    """The configured key, else the data directory's key file (created once, 0600)."""
    if secret_key:
        return SecretBox(secret_key.encode())
    path = Path(data_dir) / "secret.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another worker created it first: use theirs
            pass
        else:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32))
    for _ in range(50):  # a worker that won the race may not have written it yet
        material = path.read_text().strip()
        if material:
            return SecretBox(material.encode())
        time.sleep(0.02)
    raise ConfigError(
        f"the key file {path} is empty: delete it (sealed secrets become unreadable) "
        "or set MERCURIOS_SECRET_KEY"
    )


def app_secret_box(settings: Settings) -> SecretBox:
    """The app's box: `MERCURIOS_SECRET_KEY`, else the key file under `MERCURIOS_DATA_DIR`."""
    key = settings.secret_key.get_secret_value() if settings.secret_key is not None else None
    return secret_box(key, Path(settings.data_dir))
