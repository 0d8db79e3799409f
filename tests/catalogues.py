"""Helpers shared by the catalogue tests (test_messages, test_cli_catalogue,
test_document_catalogue): reading a gettext catalogue of ntmgeo/locale, the placeholders of a
template, and the literal templates of a call in the source.
"""

from __future__ import annotations

import ast
import string
from pathlib import Path

from babel.messages.pofile import read_po

import ntmgeo

PACKAGE = Path(ntmgeo.__file__).parent


def catalogue(domain: str, lang: str) -> dict[str, str]:
    """``{msgid: msgstr}`` of ``ntmgeo/locale/<lang>/LC_MESSAGES/<domain>.po``."""
    with (PACKAGE / "locale" / lang / "LC_MESSAGES" / f"{domain}.po").open("rb") as fh:
        cat = read_po(fh)
    return {m.id: m.string for m in cat if m.id and isinstance(m.id, str)}


def placeholders(template: str) -> set[str]:
    """The named ``{fields}`` of a template."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def strings(node: ast.AST) -> list[str] | None:
    """The templates an expression can be: a literal, or either branch of ``a if c else b``
    (nested); None for anything else (a name, a call).
    """
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = strings(node.body), strings(node.orelse)
        if body is not None and orelse is not None:
            return body + orelse
    return None


def callee(node: ast.Call) -> str | None:
    """The name a call calls (``f(…)``, ``mod.f(…)``)."""
    func = node.func
    return func.id if isinstance(func, ast.Name) else \
        func.attr if isinstance(func, ast.Attribute) else None


def english_is_identity(domain: str) -> bool:
    """Whether the English catalogue lists the Vietnamese one's ids, each as its own msgstr."""
    vi, en = catalogue(domain, "vi"), catalogue(domain, "en")
    return set(en) == set(vi) and all(en[k] == k for k in en)


def assert_translated(domain: str, msgid: str, where: str = "") -> None:
    """``msgid`` has a non-empty Vietnamese in ``domain`` with the same placeholders."""
    vi = catalogue(domain, "vi")
    assert msgid in vi, f"{msgid!r} ({where}) is not in vi/{domain}.po"
    assert vi[msgid].strip(), f"{msgid!r} has no Vietnamese"
    assert placeholders(vi[msgid]) == placeholders(msgid), msgid
