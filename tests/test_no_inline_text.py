"""No user-facing Vietnamese sits as a string literal in the code of ntmgeo/ and web/: the texts a
user reads go through the gettext catalogues (ntmgeo/locale/<lang>/LC_MESSAGES/*.po,
web/translations), with the English text as the msgid.

Every str constant of every module (f-string parts included; docstrings, the bare string
statements documenting an attribute, and comments are not constants) that holds a Vietnamese
letter is either in :data:`ALLOWED` (data, not prose: each entry says why) or a failure.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TREES = ("ntmgeo", "web")

# The Vietnamese letters: the vowels with a diacritic (tone or shape) and đ/Đ, precomposed.
VIETNAMESE = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ]")

# (module, literal): reason. A literal of None allows every literal of the module.
ALLOWED: dict[tuple[str, str | None], str] = {
    ("ntmgeo/encodings.py", None):
        "tables of the legacy Vietnamese encodings (TCVN3, VNI) and letter statistics: letters",
    ("ntmgeo/chainage.py", "từ"): "a column name recognised in chainage tables",
    ("ntmgeo/chainage.py", "đến"): "a column name recognised in chainage tables",
    ("ntmgeo/chainage.py", "trái"): "a side word recognised in chainage tables",
    ("ntmgeo/chainage.py", "phải"): "a side word recognised in chainage tables",
    ("ntmgeo/chainage.py", "hai bên"): "a side word recognised in chainage tables",
    ("ntmgeo/fieldvalues.py", "có"): "a true value recognised in input files",
    ("ntmgeo/fieldvalues.py", "đúng"): "a true value recognised in input files",
    ("ntmgeo/fieldvalues.py", "không"): "a false value recognised in input files",
    ("ntmgeo/fieldvalues.py", "value {value} is not true/false (có/không)"):
        "an English msgid (ntmgeo.po) quoting the input words it accepts",
    ("ntmgeo/status.py", "đạt"): "a verdict recognised in `ntmgeo record` input",
    ("ntmgeo/status.py", "có"): "a verdict recognised in `ntmgeo record` input",
    ("ntmgeo/status.py", "chưa đạt"): "a verdict recognised in `ntmgeo record` input",
    ("ntmgeo/status.py", "không đạt"): "a verdict recognised in `ntmgeo record` input",
    ("ntmgeo/status.py", "value '{value}' is neither a number nor đạt/chưa đạt"):
        "an English msgid (ntmgeo.po) quoting the input words it accepts",
    ("ntmgeo/computed.py", "QĐ 932/QĐ-BGTVT (18/7/2022)"): "the number of a legal decision",
    ("ntmgeo/computed.py",
     "tỷ lệ mặt đường huyện được nhựa hóa hoặc bê tông xi măng hóa đạt 100%"):
        "a verbatim quote of QĐ 932 (matched against the criteria catalogue's quotes)",
    ("ntmgeo/computed.py",
     "100% số xã trên địa bàn huyện có đường ô tô kết nối với đường huyện và các trung tâm "
     "hành chính, đảm bảo đi lại thuận tiện quanh năm"):
        "a verbatim quote of QĐ 932 (matched against the criteria catalogue's quotes)",
    ("ntmgeo/computed.py", "100% đường huyện được bảo trì hàng năm"):
        "a verbatim quote of QĐ 932 (matched against the criteria catalogue's quotes)",
    ("ntmgeo/computed.py",
     "đầu tư xây dựng hoặc nâng cấp với cấp đường theo quy hoạch được phê duyệt"):
        "a verbatim quote of QĐ 932 (matched against the criteria catalogue's quotes)",
    ("ntmgeo/computed.py", "xây dựng kiên cố, phù hợp với cấp đường quy hoạch"):
        "a verbatim quote of QĐ 932 (matched against the criteria catalogue's quotes)",
    ("ntmgeo/computed.py", "m²/người"): "the name of a unit (as the criteria catalogue has it)",
    ("ntmgeo/computed.py", "mô hình"): "the name of a unit (as the criteria catalogue has it)",
    ("ntmgeo/computed.py", "công trình"):
        "the name of a unit (as the criteria catalogue has it)",
    ("ntmgeo/greening.py", "ĐH"): "the road class code of district roads",
    ("ntmgeo/indicators/roads.py", "ĐH"): "the road class code of district roads",
    ("web/services.py", "ĐH"): "the road class code of district roads",
    ("ntmgeo/codes.py", "đ"): "a letter folded when matching codes",
    ("ntmgeo/indicators/sites.py",
     r"^\s*(?:(?:loại|hạng|cấp|class|grade|type)\s*)?([ivx]+|\d+)\s*$"):
        "a pattern recognising a bus station's class in input files",
    ("ntmgeo/i18n.py", "give --province CODE (e.g. 68 for Lâm Đồng) or --sample NAME"):
        "an English msgid (cli.po) naming a province",
    ("ntmgeo/i18n.py",
     "Đam Rông sample: {path} (add a user: ntmgeo user add NAME --db {path})"):
        "an English msgid (cli.po) naming a district",
    ("ntmgeo/cli/assess.py",
     "List this department's unmet indicators with their deadlines "
     "(e.g. 'Kinh tế - Hạ tầng')."):
        "an English --help msgid (cli.po) naming a department as the data names it",
    ("ntmgeo/cli/assess.py", "Unit code (e.g. 68 for Lâm Đồng)."):
        "an English --help msgid (cli.po) naming a province",
    ("ntmgeo/cli/project.py",
     "Store to serve (default: the embedded Đam Rông sample, built on first use into a "
     "cache file)."):
        "an English --help msgid (cli.po) naming a district",
    ("web/i18n.py", "Tiếng Việt"): "the language's own name on the link to it",
}


def _documentation(tree: ast.Module) -> set[int]:
    """The ids of the str constants that document: docstrings, and every bare string
    statement (an attribute's docstring).
    """
    return {id(node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)}


def _literals() -> list[tuple[str, int, str]]:
    """``(module, line, literal)`` of every str constant holding a Vietnamese letter."""
    found = []
    for tree_name in TREES:
        for path in sorted((ROOT / tree_name).rglob("*.py")):
            module = path.relative_to(ROOT).as_posix()
            tree = ast.parse(path.read_text(encoding="utf-8"))
            docs = _documentation(tree)
            found += [(module, node.lineno, node.value) for node in ast.walk(tree)
                      if isinstance(node, ast.Constant) and isinstance(node.value, str)
                      and id(node) not in docs and VIETNAMESE.search(node.value)]
    return found


LITERALS = _literals()


def _allowed(module: str, literal: str) -> bool:
    return (module, None) in ALLOWED or (module, literal) in ALLOWED


def test_the_walk_sees_the_literals():
    # data the allow-list names, so the walk is known to find literals where they are
    assert any(m == "ntmgeo/chainage.py" and lit == "hai bên" for m, _, lit in LITERALS)
    assert any(m == "web/i18n.py" for m, _, _ in LITERALS)
    # docstrings are not literals
    assert not any(m == "ntmgeo/indicators/roads.py" and "láng nhựa" in lit
                   for m, _, lit in LITERALS)


def test_no_vietnamese_text_outside_the_catalogues():
    inline = [f"{m}:{line}: {lit!r}" for m, line, lit in LITERALS if not _allowed(m, lit)]
    assert not inline, (
        "Vietnamese text in the code: give its English text to the catalogue "
        "(i18n.both / i18n.t / Message / web's _()) and its Vietnamese to the .po files, or, "
        "if it is data, add it to ALLOWED with the reason:\n" + "\n".join(inline))


def test_every_allowance_is_used():
    used = {(m, lit) for m, _, lit in LITERALS} | {(m, None) for m, _, _ in LITERALS}
    assert set(ALLOWED) - used == set()

