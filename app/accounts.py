"""Passwords and bearer tokens: Argon2id hashes, and opaque tokens kept only as digests.

Pure: no database and no HTTP.
"""

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# argon2-cffi's defaults are RFC 9106's low-memory profile (Argon2id, 64 MiB, 3 passes).
_hasher = PasswordHasher()
# Checked against when the email is unknown, so that answer takes as long as a wrong password.
_DECOY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    """An Argon2id hash of `password`, with its salt and parameters inside."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches; a missing account costs the same time as a wrong password."""
    try:
        return _hasher.verify(password_hash or _DECOY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether a stored hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)


def new_token() -> tuple[str, str]:
    """A fresh bearer token and the digest to store in its place."""
    token = secrets.token_urlsafe(32)
    return token, token_digest(token)


def token_digest(token: str) -> str:
    """The SHA-256 of a token: enough for 256-bit random values, which need no slow hash."""
    return hashlib.sha256(token.encode()).hexdigest()
