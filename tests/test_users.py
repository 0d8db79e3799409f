"""Users: names and salted password hashes in the store's ``users`` table."""

from __future__ import annotations

import pytest

from ntmgeo import users
from ntmgeo._errors import InputError


def test_add_and_check(empty_store):
    rec = users.add_user(empty_store, "  lan  ", "mật khẩu dài")
    assert rec["username"] == "lan" and rec["created_at"]
    assert users.check_password(empty_store, "lan", "mật khẩu dài")
    assert not users.check_password(empty_store, "lan", "wrong password")
    assert not users.check_password(empty_store, "nobody", "mật khẩu dài")
    assert users.get_user(empty_store, "lan") == rec
    assert users.get_user(empty_store, "nobody") is None


def test_only_a_hash_is_stored(empty_store):
    users.add_user(empty_store, "lan", "secret-password")
    row = empty_store.read_records("users").iloc[0]
    assert "secret-password" not in row["password_hash"]
    assert row["password_hash"].startswith(("scrypt:", "pbkdf2:"))
    assert "password_hash" not in users.get_user(empty_store, "lan")


@pytest.mark.parametrize(("name", "password", "match"), [
    ("", "long enough", "empty"),
    ("lan", "short", "shorter than 8"),
    ("lan", "", "shorter than 8"),
    ("a\x00b", "long enough", "control"),
    ("x" * 65, "long enough", "longer than"),
])
def test_bad_input_is_refused_and_nothing_stored(empty_store, name, password, match):
    with pytest.raises(InputError, match=match):
        users.add_user(empty_store, name, password)
    assert empty_store.read_records("users").empty


def test_duplicate_name_is_refused(empty_store):
    users.add_user(empty_store, "lan", "long enough")
    with pytest.raises(InputError, match="already exists"):
        users.add_user(empty_store, "lan", "another long one")
    assert len(users.list_users(empty_store)) == 1
    assert users.check_password(empty_store, "lan", "long enough")
