"""Users: names and salted password hashes in the store's ``users`` table.

New hashes are made with hashlib's scrypt (``$scrypt$ln=15,r=8,p=1$salt$key``); the hashes that
werkzeug made before (``scrypt:32768:8:1$salt$hex``, ``pbkdf2:sha256:N$salt$hex``) keep
verifying, without werkzeug: the tests make them with werkzeug, a dependency of Flask.
"""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata

import pytest
from werkzeug.security import generate_password_hash

from ntmgeo import users
from ntmgeo._errors import InputError

PHC = re.compile(r"\$scrypt\$ln=15,r=8,p=1\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)")


def _b64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4))


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
    assert PHC.fullmatch(row["password_hash"])
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


# ------------------------------------------------------------------------- the new format
def test_a_new_hash_is_scrypt_n_2_15_r_8_p_1_with_a_16_byte_salt():
    stored = users.hash_password("mật khẩu dài")
    match = PHC.fullmatch(stored)
    assert match, stored
    salt, key = _b64(match.group(1)), _b64(match.group(2))
    assert len(salt) == 16 and len(key) == 32
    # the key is scrypt's, with the parameters the string states
    assert key == hashlib.scrypt("mật khẩu dài".encode(), salt=salt, n=2**15, r=8, p=1,
                                 maxmem=64 * 2**20, dklen=32)
    assert users.hash_password("mật khẩu dài") != stored  # a fresh salt every time


def test_new_hashes_verify_and_wrong_passwords_do_not():
    stored = users.hash_password("mật khẩu dài")
    assert users.verify_password(stored, "mật khẩu dài")
    for wrong in ("mat khau dai", "mật khẩu dài ", "Mật khẩu dài", "", "mật khẩu dà"):
        assert not users.verify_password(stored, wrong), wrong


def test_a_password_typed_with_combining_marks_is_the_same_password():
    # Unikey's "Unicode dựng sẵn" (precomposed) and "Unicode tổ hợp" (combining marks)
    composed = unicodedata.normalize("NFC", "Đà Lạt mộng mơ")
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    assert users.verify_password(users.hash_password(decomposed), composed)
    assert users.verify_password(users.hash_password(composed), decomposed)


def test_the_scrypt_format_verifies_rfc_7914_test_vector():
    # RFC 7914 section 12: scrypt("password", "NaCl", N=1024, r=8, p=16, dkLen=64)
    key = bytes.fromhex(
        "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
        "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640")
    b64 = base64.b64encode(key).decode().rstrip("=")
    stored = f"$scrypt$ln=10,r=8,p=16${base64.b64encode(b'NaCl').decode().rstrip('=')}${b64}"
    assert users.verify_password(stored, "password")
    assert not users.verify_password(stored, "Password")


# -------------------------------------------------------------- hashes werkzeug made before
@pytest.mark.parametrize("method", ["scrypt", "pbkdf2:sha256:1000", "pbkdf2:sha512:2000",
                                    "scrypt:16384:8:1"])
@pytest.mark.parametrize("password", ["long enough", "mật khẩu dài", "Đạ K'Nàng 2024"])
def test_a_hash_made_by_werkzeug_verifies_without_werkzeug(method, password):
    stored = generate_password_hash(password, method=method)
    assert stored.startswith(method.split(":")[0] + ":")  # werkzeug's own format
    assert users.verify_password(stored, password)
    assert not users.verify_password(stored, password + "x")
    assert not users.verify_password(stored, password.upper())


def test_werkzeug_default_hash_verifies():
    stored = generate_password_hash("long enough")  # what ntmgeo stored until now
    assert stored.startswith("scrypt:32768:8:1$")
    assert users.verify_password(stored, "long enough")
    assert not users.verify_password(stored, "long enougH")


@pytest.mark.parametrize("stored", [
    "", "garbage", "$", "$$$$", "scrypt", "scrypt:32768:8:1$salt", "md5$salt$abcd",
    "plain$$long enough", "scrypt:x:8:1$salt$abcd", "scrypt:32768:8$salt$abcd",
    "scrypt:32768:8:1$salt$not-hex", "scrypt:1000:8:1$salt$abcd",  # n not a power of 2
    "scrypt:1073741824:8:1$salt$abcd",  # n = 2**30: refused, not computed
    "pbkdf2:sha256$salt$abcd", "pbkdf2:md4:1000$salt$abcd", "pbkdf2:sha256:0$salt$abcd",
    "$scrypt$ln=15,r=8$c2FsdA$a2V5", "$scrypt$ln=40,r=8,p=1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5",
    "$scrypt$ln=15,r=8,p=1$!!!$a2V5", "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$a2V5",
    "$scrypt$ln=15,r=8,p=1$$a2V5a2V5a2V5a2V5a2V5a2V5",
])
def test_a_malformed_hash_verifies_nothing(stored):
    assert users.verify_password(stored, "long enough") is False


def test_non_text_never_verifies():
    stored = users.hash_password("long enough")
    assert not users.verify_password(stored, None)  # type: ignore[arg-type]
    assert not users.verify_password(None, "long enough")  # type: ignore[arg-type]
    assert not users.verify_password(stored, "\udcff long enough")  # not encodable


def _legacy_user(store, name: str, password: str, method: str = "scrypt") -> None:
    """A user row as ntmgeo wrote it with werkzeug, before hashlib."""
    store.add_records("users", [{"username": name, "created_at": "2024-03-01T08:00:00Z",
                                 "password_hash": generate_password_hash(password,
                                                                         method=method)}])


def test_users_created_before_still_sign_in(empty_store):
    _legacy_user(empty_store, "lan", "mật khẩu dài")
    _legacy_user(empty_store, "minh", "another long one", method="pbkdf2:sha256:1000")
    users.add_user(empty_store, "hoa", "a new password")
    assert users.check_password(empty_store, "lan", "mật khẩu dài")
    assert users.check_password(empty_store, "minh", "another long one")
    assert users.check_password(empty_store, "hoa", "a new password")
    assert not users.check_password(empty_store, "lan", "another long one")
    assert not users.check_password(empty_store, "minh", "mật khẩu dài")
    assert not users.check_password(empty_store, "hoa", "mật khẩu dài")
    stored = empty_store.read_records("users").set_index("username")["password_hash"]
    assert stored["lan"].startswith("scrypt:32768:8:1$")  # the old hash is kept as it was
    assert PHC.fullmatch(stored["hoa"])


def test_a_user_created_before_signs_in_to_the_web_map(empty_store):
    from ntmgeo._resources import load_web

    _legacy_user(empty_store, "lan", "mật khẩu dài")
    app = load_web().create_app({"DB_PATH": str(empty_store.path), "SECRET_KEY": "k",
                                 "TESTING": True})

    def sign_in(password: str):
        client = app.test_client()
        html = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
        resp = client.post("/login", data={"username": "lan", "password": password,
                                           "csrf_token": token, "next": "/upload"})
        return resp, client

    resp, client = sign_in("mật khẩu dài")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/upload")
    assert client.get("/upload").status_code == 200
    resp, client = sign_in("wrong password")
    assert resp.status_code == 401 and client.get("/upload").status_code == 302
