"""The web pages' words (web/i18n.py, catalogue domain "web"): every msgid the pages and views
use is in the Vietnamese catalogue, translated, with the same fields; the catalogue compiles;
a page in English has no Vietnamese word left where the catalogue has an English one.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from ntmgeo._resources import share_path

from webstore import PASSWORD

WEB = share_path("web")
PO = WEB / "translations" / "vi" / "LC_MESSAGES" / "web.po"
_FIELD = re.compile(r"%\((\w+)\)s")


def _catalogue() -> Any:
    with PO.open("rb") as fh:
        return read_po(fh, locale="vi", domain="web")


def _entries() -> dict[str, str]:
    return {m.id: m.string for m in _catalogue() if m.id}


def _fields(text: str) -> set[str]:
    return set(_FIELD.findall(text))


def _used_msgids() -> dict[str, str]:
    """``{msgid: where}`` of every literal the web app translates: ``_()``, ``gettext()``
    and ``N_()`` in its Python files and ``_()`` in its templates (Babel's extractors).
    """
    method_map = [("*.py", "python"), ("templates/**.html", "jinja2.ext:babel_extract")]
    found = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(WEB), method_map=method_map, keywords={"_": None, "gettext": None, "N_": None}):
        assert isinstance(message, str), f"{filename}:{lineno}: plural forms are not used"
        found[message] = f"{filename}:{lineno}"
    return found


def test_every_word_the_web_uses_is_in_the_catalogue() -> None:
    used = _used_msgids()
    assert len(used) > 80  # the extraction saw the templates and the views
    missing = {m: where for m, where in used.items() if m not in _entries()}
    assert not missing, f"msgids without a Vietnamese entry in {PO}: {missing}"


def test_no_catalogue_entry_is_left_unused() -> None:
    unused = set(_entries()) - set(_used_msgids())
    assert not unused, f"entries of {PO} nothing uses any more: {sorted(unused)}"


@pytest.mark.parametrize("msgid", sorted(_entries()))
def test_each_word_is_translated_with_the_same_fields(msgid: str) -> None:
    message = _catalogue()[msgid]
    assert message.string, f"no Vietnamese for {msgid!r}"
    assert not message.fuzzy, f"fuzzy entry {msgid!r}"
    assert _fields(message.string) == _fields(msgid)
    # both are %-format strings (a literal % is %%): formatting neither raises
    params = dict.fromkeys(_fields(msgid), "x")
    msgid % params
    message.string % params


def test_the_catalogue_passes_babels_checks() -> None:
    problems = [(m.id, [str(e) for e in errors]) for m, errors in _catalogue().check()]
    assert not problems


def test_compiled_catalogue_matches_the_po(webpkg: Any, tmp_path: Path) -> None:
    folder = webpkg.i18n.compile_catalogues(tmp_path)
    mo = folder / "vi" / "LC_MESSAGES" / "web.mo"
    with mo.open("rb") as fh:
        compiled = {m.id: m.string for m in read_mo(fh) if m.id}
    assert compiled == _entries()
    assert webpkg.i18n.compile_catalogues(tmp_path) == folder  # built once, named by digest


def test_the_map_scripts_words_are_all_sent(webpkg: Any) -> None:
    script = "\n".join(p.read_text(encoding="utf-8")
                       for p in (WEB / "static" / "ntmgeo").rglob("*.js"))
    keys = set(re.findall(r"\bM\.(\w+)", script))
    sent = set(webpkg.i18n.JS_WORDS) | set(webpkg.i18n.SHARED)
    assert keys and keys <= sent, sorted(keys - sent)


def test_js_words_use_the_scripts_placeholders(webpkg: Any, app: Any) -> None:
    with app.test_request_context("/?lang=vi"):
        words = webpkg.i18n.js_messages("vi")
    assert words["greening_now"] == "Hiện tại, tính từ khảo sát: {pct} ({g}/{l} km)"
    assert words["basemap"] == "Bản đồ nền"
    assert words["as_of"] == "Tính đến ngày"  # shared with the command line
    assert not any("%(" in w for w in words.values())


class _Text(HTMLParser):
    """The text nodes and attribute words (title, aria-label) of a page, not its scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        self.texts += [v for k, v in attrs if k in ("title", "aria-label", "placeholder") and v]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.texts.append(" ".join(data.split()))


def _texts(page: str) -> list[str]:
    parser = _Text()
    parser.feed(page)
    return parser.texts


def _vietnamese_only() -> dict[str, str]:
    """``{Vietnamese: English}`` of the words whose Vietnamese differs from the English,
    without fields (those are checked by their text around the fields).
    """
    return {" ".join(vi.split()): en for en, vi in _entries().items()
            if vi != en and not _fields(en)}


def _pages(client: Any, lang: str) -> dict[str, str]:
    pages = {url: client.get(f"{url}?lang={lang}").get_data(as_text=True)
             for url in ("/", "/login", "/no-such-page")}
    token = re.search(r'name="csrf_token" value="([^"]+)"', pages["/login"])
    assert token
    client.post("/login", data={"username": "lan", "password": PASSWORD,
                                "csrf_token": token.group(1)})
    pages["/upload"] = client.get(f"/upload?lang={lang}").get_data(as_text=True)
    pages["/ (signed in)"] = client.get(f"/?lang={lang}").get_data(as_text=True)
    return pages


def test_english_pages_have_no_vietnamese_word_left(client: Any) -> None:
    vietnamese = _vietnamese_only()
    pages = _pages(client, "en")
    for url, page in pages.items():
        assert 'lang="en"' in page
        left = [text for text in _texts(page) if text in vietnamese]
        assert not left, f"{url} in English still says {left}"
        for en in ("Upload a survey", "Tiếng Việt"):
            assert en in page, (url, en)
    signed_in = pages["/ (signed in)"]
    for en in ("Download shapefiles (VN-2000)", "Criteria table (XLSX)", "Sign out",
               "Signed in: lan"):
        assert en in signed_in


def test_english_map_page_sends_english_words_to_the_script(client: Any) -> None:
    import json

    page = client.get("/?lang=en").get_data(as_text=True)
    blob = re.search(r'<script type="application/json" id="ntmgeo-page">(.*?)</script>',
                     page, re.S)
    assert blob
    messages = json.loads(blob.group(1))["messages"]
    vietnamese = {re.sub(r"%\((\w+)\)s", r"{\1}", vi).replace("%%", "%")
                  for en, vi in _entries().items() if vi != en}
    assert not [w for w in messages.values() if w in vietnamese]
    assert messages["greening_now"] == "Now, from the surveys: {pct} ({g}/{l} km)"
    assert messages["as_of"] == "As of"


def test_vietnamese_is_the_default(client: Any) -> None:
    page = client.get("/").get_data(as_text=True)
    assert 'lang="vi"' in page
    for vi in ("Tải lên khảo sát", "Đăng nhập", "English", "Chú giải", "Tính đến ngày"):
        assert vi in _texts(page), vi
    # the check of the English pages would see these words, were they left in Vietnamese
    assert len([t for t in _texts(page) if t in _vietnamese_only()]) > 20
