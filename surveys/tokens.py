"""Survey links' tokens: made at random, stored only as a hash, checked without saying why not.

A token is ``secrets.token_urlsafe(32)``: 32 random bytes (256 bits), 43 URL-safe characters.
The database keeps its SHA-256 hash and never the token, so a copy of the database cannot open
anyone's form; the email is the only place the token exists. A plain hash is enough (no key or
slow hash as for passwords): nobody can guess their way through 2^256 tokens to match one.
"""

import hashlib
import hmac
import re
import secrets

TOKEN_BYTES = 32
TOKEN_LENGTH = 43  # base64url of 32 bytes, unpadded
_SHAPE = re.compile(rf"[A-Za-z0-9_-]{{{TOKEN_LENGTH}}}")


def make_token() -> tuple[str, str]:
    """A new token and the hash to store for it."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    """The stored form of a token: its SHA-256, 64 hex digits."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def well_formed(token: str) -> bool:
    """Whether the text could be a token at all (a truncated or padded one cannot)."""
    return bool(_SHAPE.fullmatch(token))


def lookup_hash(token: str) -> str | None:
    """The hash to look a presented token up by, or None if it cannot be a token."""
    return hash_token(token) if well_formed(token) else None


def verify(token: str, stored_hash: str) -> bool:
    """Whether a presented token is the one a stored hash was made from (constant time)."""
    return well_formed(token) and hmac.compare_digest(hash_token(token), stored_hash)
