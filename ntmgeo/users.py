"""People who may change a store through the web map: names and password hashes.

Pure store operations (no web framework): the web application signs people in with
:func:`check_password`, and ``ntmgeo user add`` creates them with :func:`add_user`. Users live
in the store's ``users`` record table; a password is kept only as a salted hash
(:func:`werkzeug.security.generate_password_hash`, scrypt by default).
"""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from typing import Any

from werkzeug.security import check_password_hash, generate_password_hash

from ._errors import InputError
from .store import Store

__all__ = ["MIN_PASSWORD_LENGTH", "add_user", "check_password", "get_user", "list_users"]

MIN_PASSWORD_LENGTH = 8
MAX_NAME_LENGTH = 64



@functools.cache
def _dummy_hash() -> str:
    """Checked against when the name is unknown, so that a wrong name and a wrong password
    take the same time (no user enumeration by timing)."""
    return generate_password_hash("ntmgeo-no-such-user")


def _clean_name(name: str) -> str:
    name = unicodedata.normalize("NFC", (name or "").strip())
    if not name:
        raise InputError("user name is empty", field="username")
    if len(name) > MAX_NAME_LENGTH:
        raise InputError(f"user name is longer than {MAX_NAME_LENGTH} characters",
                         field="username")
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
        msg = f"password is shorter than {MIN_PASSWORD_LENGTH} characters"
        raise InputError(msg, field="password")
    if _find(store, name) is not None:
        raise InputError(f"user '{name}' already exists", field="username")
    created = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    store.add_records("users", [{"username": name, "created_at": created,
                                 "password_hash": generate_password_hash(password)}])
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
    ok = check_password_hash(stored or _dummy_hash(), password or "")
    return bool(ok and row is not None)
