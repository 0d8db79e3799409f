"""People who may change a store through the web map: names and password hashes.

Pure store operations (no web framework): the web application signs people in with
:func:`check_password`, and ``ntmgeo user add`` creates them with :func:`add_user`. Users live
in the store's ``users`` record table; a password is kept only as a salted hash, made with the
standard library (:func:`hashlib.scrypt`), so that the library imports no web package.

The format of a new hash is the PHC string format that passlib and others use for scrypt::

    $scrypt$ln=15,r=8,p=1$<salt>$<key>

``ln`` is log2 of scrypt's cost ``n`` (``n = 2**15``), ``r = 8`` the block size, ``p = 1`` the
parallelism; ``<salt>`` is 16 random bytes and ``<key>`` the 32-byte derived key, both in
base64 without padding. scrypt needs ``128 * r * (n + p + 2)`` bytes (32 MiB here), just over
OpenSSL's default limit, so ``maxmem`` is set from the parameters. The password is hashed as
the UTF-8 bytes of its NFC form, so that a Vietnamese password typed with precomposed letters
(*Unicode dựng sẵn*) or combining marks (*Unicode tổ hợp*, an option of Unikey) is the same.

Hashes stored before (by ``werkzeug.security.generate_password_hash``) keep verifying, with
:mod:`hashlib` too: ``scrypt:32768:8:1$<salt>$<hex>`` (the salt is text, used as its UTF-8
bytes; a 64-byte key in hex) and ``pbkdf2:sha256:<iterations>$<salt>$<hex>``. They are
checked against the password exactly as typed, as werkzeug did. Every comparison is
constant-time (:func:`hmac.compare_digest`); a hash that cannot be parsed verifies nothing.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import hashlib
import hmac
import os
import unicodedata
from typing import Any

from ._errors import InputError
from .store import Store

__all__ = ["MIN_PASSWORD_LENGTH", "add_user", "check_password", "get_user", "hash_password",
           "list_users", "verify_password"]

MIN_PASSWORD_LENGTH = 8
MAX_NAME_LENGTH = 64

SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
KEY_BYTES = 32

# Bounds on the parameters read back from a stored hash (a damaged or hostile value must not
# make one sign-in take gigabytes or minutes).
_MAX_SCRYPT_N = 2**20
_MAX_SCRYPT_R = 32
_MAX_SCRYPT_P = 16
_MAX_PBKDF2_ITERATIONS = 10_000_000
_PBKDF2_HASHES = frozenset({"sha1", "sha224", "sha256", "sha384", "sha512"})


def _scrypt(password: bytes, salt: bytes, n: int, r: int, p: int, dklen: int) -> bytes:
    maxmem = 128 * r * (n + p + 2) + 2**20  # what OpenSSL's scrypt needs, and 1 MiB to spare
    return hashlib.scrypt(password, salt=salt, n=n, r=r, p=p, maxmem=maxmem, dklen=dklen)


def _b64encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii").rstrip("=")


def _b64decode(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)


def hash_password(password: str) -> str:
    """A new salted hash of ``password``: ``$scrypt$ln=15,r=8,p=1$<salt>$<key>``."""
    salt = os.urandom(SALT_BYTES)
    key = _scrypt(unicodedata.normalize("NFC", password).encode("utf-8"), salt,
                  SCRYPT_N, SCRYPT_R, SCRYPT_P, KEY_BYTES)
    ln = SCRYPT_N.bit_length() - 1
    return f"$scrypt$ln={ln},r={SCRYPT_R},p={SCRYPT_P}${_b64encode(salt)}${_b64encode(key)}"


def _verify_phc(stored: str, password: str) -> bool:
    parts = stored.split("$")
    if len(parts) != 5 or parts[0] or parts[1] != "scrypt":
        return False
    params = dict(item.partition("=")[::2] for item in parts[2].split(","))
    if set(params) != {"ln", "r", "p"} or not all(v.isdigit() for v in params.values()):
        return False
    ln, r, p = int(params["ln"]), int(params["r"]), int(params["p"])
    salt, key = _b64decode(parts[3]), _b64decode(parts[4])
    if not (1 <= ln <= _MAX_SCRYPT_N.bit_length() - 1 and 1 <= r <= _MAX_SCRYPT_R
            and 1 <= p <= _MAX_SCRYPT_P and salt and len(key) >= 16):
        return False
    n = 2**ln
    got = _scrypt(unicodedata.normalize("NFC", password).encode("utf-8"), salt, n, r, p,
                  len(key))
    return hmac.compare_digest(got, key)


def _verify_werkzeug(stored: str, password: str) -> bool:
    method, salt, hexkey = stored.split("$", 2)
    name, *args = method.split(":")
    key = bytes.fromhex(hexkey)
    secret, salt_bytes = password.encode("utf-8"), salt.encode("utf-8")
    if name == "scrypt":
        n, r, p = map(int, args) if args else (2**15, 8, 1)
        if not (2 <= n <= _MAX_SCRYPT_N and n & (n - 1) == 0 and 1 <= r <= _MAX_SCRYPT_R
                and 1 <= p <= _MAX_SCRYPT_P and key):
            return False
        got = _scrypt(secret, salt_bytes, n, r, p, len(key))
    elif name == "pbkdf2" and len(args) == 2:
        hash_name, iterations = args[0], int(args[1])
        if hash_name not in _PBKDF2_HASHES or not 1 <= iterations <= _MAX_PBKDF2_ITERATIONS:
            return False
        got = hashlib.pbkdf2_hmac(hash_name, secret, salt_bytes, iterations)
    else:
        return False
    return hmac.compare_digest(got, key)


def verify_password(stored: str, password: str) -> bool:
    """True when ``password`` matches ``stored``, a hash made by :func:`hash_password` or one
    of werkzeug's (``scrypt:…$salt$hex``, ``pbkdf2:sha256:…$salt$hex``).
    """
    if not isinstance(stored, str) or not isinstance(password, str):
        return False
    try:
        if stored.startswith("$"):
            return _verify_phc(stored, password)
        return _verify_werkzeug(stored, password)
    except (ValueError, binascii.Error):  # malformed: wrong fields, bad numbers, hex, base64
        return False


@functools.cache
def _dummy_hash() -> str:
    """Checked against when the name is unknown, so that a wrong name and a wrong password
    take the same time (no user enumeration by timing).
    """
    return hash_password("ntmgeo-no-such-user")


def _clean_name(name: str) -> str:
    name = unicodedata.normalize("NFC", (name or "").strip())
    if not name:
        raise InputError("user name is empty", field="username")
    if len(name) > MAX_NAME_LENGTH:
        raise InputError("user name is longer than {n} characters", field="username",
                         n=MAX_NAME_LENGTH)
    if any(unicodedata.category(ch).startswith(("C", "Z")) and ch != " " for ch in name):
        raise InputError("user name contains control or separator characters",
                         field="username")
    return name


def _rows(store: Store) -> list[dict[str, Any]]:
    return store.read_records("users").to_dict("records")


def _find(store: Store, name: str) -> dict[str, Any] | None:
    for row in _rows(store):
        if row["username"] == name:
            return row
    return None


def add_user(store: Store, name: str, password: str) -> dict[str, str]:
    """Create user ``name`` with ``password``; return its public record.

    Raises :class:`~ntmgeo._errors.InputError` when the name is empty or taken, or the
    password shorter than ``MIN_PASSWORD_LENGTH`` characters. Nothing is stored then.
    """
    name = _clean_name(name)
    if password is None or len(password) < MIN_PASSWORD_LENGTH:
        msg = "password is shorter than {n} characters"
        raise InputError(msg, field="password", n=MIN_PASSWORD_LENGTH)
    if _find(store, name) is not None:
        raise InputError("user '{name}' already exists", field="username", name=name)
    created = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    store.add_records("users", [{"username": name, "created_at": created,
                                 "password_hash": hash_password(password)}])
    return {"username": name, "created_at": created}


def get_user(store: Store, name: str) -> dict[str, str] | None:
    """The public record (``username``, ``created_at``) of user ``name``, or None."""
    try:
        name = _clean_name(name)
    except InputError:
        return None
    row = _find(store, name)
    if row is None:
        return None
    return {"username": row["username"], "created_at": row["created_at"]}


def list_users(store: Store) -> list[dict[str, str]]:
    """Every user's public record, in the order they were created."""
    return [{"username": r["username"], "created_at": r["created_at"]} for r in _rows(store)]


def check_password(store: Store, name: str, password: str) -> bool:
    """True when ``name`` is a user and ``password`` is theirs."""
    try:
        clean = _clean_name(name)
    except InputError:
        clean = None
    row = _find(store, clean) if clean else None
    stored = row["password_hash"] if row else None
    ok = verify_password(stored or _dummy_hash(), password or "")
    return bool(ok and row is not None)
