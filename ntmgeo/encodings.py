"""Legacy Vietnamese text encodings: TCVN3 ("ABC", the ``.VnTime`` fonts) and Windows-1258.

Old shapefiles, MapInfo tables and spreadsheets from district offices often hold Vietnamese
in one of two 8-bit encodings, and arrive with no ``.cpg`` (so GDAL reads them as
ISO-8859-1 or Windows-1252 and shows "§¹ K'N\u00b5ng" for "Đạ K'Nàng"):

- **TCVN3 / ABC** (TCVN 5712:1993). Each Vietnamese letter is one byte. The "ABC" fonts
  (``.VnTime``, ``.VnArial``) use the VN3 subset: lower-case letters plus Ă Â Ê Ô Ơ Ư Đ at
  0xA1-0xAE; upper-case headings are typed with the same lower-case codes and drawn upper
  case by the ``H`` fonts (``.VnTimeH``), so such text comes back lower case: no byte table
  can tell. The other upper-case toned letters sit where VN1 puts them (0x80-0x9F, a few
  slots in 0xAF-0xFF, and 0x01-0x17); 0xB0-0xB4 are the five tone marks as combining
  characters.
- **Windows-1258** (code page 1258). Base letters (â ê ô ă ơ ư đ and some toned Latin-1
  letters) are precomposed; the five tones are combining marks (0xCC grave, 0xEC acute,
  0xDE tilde, 0xD2 hook above, 0xF2 dot below). Python's ``cp1258`` codec decodes it;
  :func:`unicodedata.normalize` ("NFC") then composes the letters (TCVN 6909 text is
  precomposed Unicode).

The TCVN3 table below is TCVN 5712:1993's (VN1; its VN3 subset is the ABC font encoding),
written byte by byte. It was checked against GNU libc's ``TCVN5712-1`` converter for every
byte (``tests/test_encodings.py`` repeats that check when ``iconv`` is installed) and, for
the VN3 range, against the table of the ``viparse`` package (validated there on a corpus of
government documents). No maintained PyPI package whose job is this conversion was found,
so ntmgeo carries the table itself.

:func:`detect` tells which of UTF-8, Windows-1258 and TCVN3 a set of raw attribute values
is in; :func:`fix_dataframe` converts a whole GeoDataFrame read with the wrong encoding.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import pandas as pd

from ._errors import InputError

__all__ = [
    "ENCODINGS",
    "decode_cp1258",
    "decode_tcvn3",
    "detect",
    "encode_cp1258",
    "encode_tcvn3",
    "fix_dataframe",
]

ENCODINGS = ("utf-8", "cp1258", "tcvn3")

# --------------------------------------------------------------------------------------------
# TCVN 5712:1993 (VN1; bytes 0xA1-0xFE that are lower case, plus Ă Â Ê Ô Ơ Ư Đ, form VN3,
# the "ABC" font encoding). One character per byte, 0x80 to 0xFF, sixteen to a line.
_TCVN3_HIGH = (
    "ÀẢÃÁẠẶẬÈẺẼÉẸỆÌỈĨ"  # 0x80-0x8F (VN1 upper case)
    "ÍỊÒỎÕÓỌỘỜỞỠỚỢÙỦŨ"  # 0x90-0x9F (VN1 upper case)
    "\u00a0ĂÂÊÔƠƯĐăâêôơưđẰ"  # 0xA0-0xAF (0xA0 no-break space)
    "\u0300\u0309\u0303\u0301\u0323àảãáạẲằẳẵắẴ"  # 0xB0-0xBF (0xB0-0xB4 tone marks)
    "ẮẦẨẪẤỀặầẩẫấậèỂẻẽ"  # 0xC0-0xCF
    "éẹềểễếệìỉỄẾỒĩíịò"  # 0xD0-0xDF
    "Ổỏõóọồổỗốộờởỡớợù"  # 0xE0-0xEF
    "ỖủũúụừửữứựỳỷỹýỵỐ"  # 0xF0-0xFF
)
# VN1 puts the twelve remaining upper-case letters on unused control codes.
_TCVN3_LOW = {0x01: "Ú", 0x02: "Ụ", 0x04: "Ừ", 0x05: "Ử", 0x06: "Ữ", 0x11: "Ứ", 0x12: "Ự",
              0x13: "Ỳ", 0x14: "Ỷ", 0x15: "Ỹ", 0x16: "Ý", 0x17: "Ỵ"}

_TCVN3_DECODE: dict[int, str] = {
    **{b: chr(b) for b in range(0x80)}, **_TCVN3_LOW,
    **{0x80 + i: ch for i, ch in enumerate(_TCVN3_HIGH)},
}
_TCVN3_ENCODE: dict[str, int] = {ch: b for b, ch in _TCVN3_DECODE.items()
                                 if b >= 0x80 or b in _TCVN3_LOW}

# Windows-1252 characters of bytes 0x80-0x9F: how a legacy byte looks once a reader decoded
# it as Windows-1252 instead of ISO-8859-1.
_CP1252_BYTE: dict[str, int] = {}
for _b in range(0x80, 0xA0):
    with contextlib.suppress(UnicodeDecodeError):  # 0x81, 0x8D, 0x8F, 0x90, 0x9D: undefined
        _CP1252_BYTE[bytes([_b]).decode("cp1252")] = _b

_TONES = ("\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
_BASES = "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
VIETNAMESE_LETTERS = frozenset(
    {unicodedata.normalize("NFC", b + t) for b in _BASES for t in ("", *_TONES)} | {"đ", "Đ"}
)
_PUNCTUATION = frozenset("\u00a0–—‘’“”…°")  # noqa: RUF001 (typographic marks on purpose)
_WORD = re.compile(r"[^\W\d_]+")


def _legacy_bytes(text: str | bytes) -> bytes | None:
    """The bytes a legacy string came from, or None if it holds characters no 8-bit
    reading produces (then it is already Unicode text).
    """
    if isinstance(text, bytes | bytearray):
        return bytes(text)
    out = bytearray()
    for ch in text:
        code = ord(ch)
        if code < 0x100:
            out.append(code)
        elif ch in _CP1252_BYTE:
            out.append(_CP1252_BYTE[ch])
        else:
            return None
    return bytes(out)


def decode_tcvn3(text: str | bytes) -> str:
    r"""Decode TCVN3 ("ABC") text to Unicode (NFC).

    Parameters
    ----------
    text : str or bytes
        The raw bytes, or a string that was mis-decoded from them through ISO-8859-1 or
        Windows-1252 (what GDAL, Excel or a text editor show: "§¹ K'Nµng").

    Returns
    -------
    str
        Precomposed Unicode ("Đạ K'Nàng"). Text set in an ABC ``H`` (all capitals) font
        comes back lower case. Characters of a string that no 8-bit reading produces
        (already-Unicode letters) are kept as they are.

    Examples
    --------
    >>> decode_tcvn3(b"\xa7\xb9 K'N\xb5ng")
    "Đạ K'Nàng"
    >>> decode_tcvn3("N\xabng th\xabn m\xedi")
    'Nông thôn mới'
    """
    if isinstance(text, bytes | bytearray):
        chars = [_TCVN3_DECODE[b] for b in text]
    else:
        chars = []
        for ch in text:
            code = ord(ch) if ord(ch) < 0x100 else _CP1252_BYTE.get(ch)
            chars.append(ch if code is None else _TCVN3_DECODE[code])
    return unicodedata.normalize("NFC", "".join(chars))


def encode_tcvn3(text: str) -> bytes:
    """Encode Unicode text as TCVN3 bytes (upper-case toned letters at their VN1 codes).

    Raises :class:`~ntmgeo._errors.InputError` on a character TCVN3 cannot hold.
    """
    out = bytearray()
    for n, ch in enumerate(unicodedata.normalize("NFC", text), start=1):
        if ch in _TCVN3_ENCODE:
            out.append(_TCVN3_ENCODE[ch])
        elif ord(ch) < 0x80 and ord(ch) not in _TCVN3_LOW:
            out.append(ord(ch))
        else:
            msg = "character {n} ({char}, U+{code}) has no TCVN3 code"
            raise InputError(msg, n=n, char=repr(ch), code=f"{ord(ch):04X}")
    return bytes(out)


def decode_cp1258(data: bytes | str) -> str:
    """Decode Windows-1258 text to precomposed Unicode (NFC).

    Parameters
    ----------
    data : bytes or str
        The raw bytes, or a string mis-decoded from them through ISO-8859-1 or
        Windows-1252.

    Returns
    -------
    str
        The text with the combining tone marks composed ("Đường huyện").

    Raises
    ------
    InputError
        A byte that Windows-1258 leaves undefined (0x81, 0x8A, 0x8D-0x90, 0x9A, 0x9D,
        0x9E): the data is not Windows-1258.
    """
    raw = _legacy_bytes(data)
    if raw is None:  # already Unicode
        return unicodedata.normalize("NFC", str(data))
    try:
        text = raw.decode("cp1258")
    except UnicodeDecodeError as exc:
        msg = "byte 0x{byte} at position {n} is not defined in Windows-1258"
        raise InputError(msg, byte=f"{raw[exc.start]:02X}", n=exc.start + 1) from None
    return unicodedata.normalize("NFC", text)


def encode_cp1258(text: str) -> bytes:
    """Encode Unicode text as Windows-1258, the way Windows does.

    A letter code page 1258 holds precomposed is written as one byte; any other is
    decomposed (NFD) into the longest base it holds (ơ, â, Đ...) followed by combining tone
    marks: "ờ" becomes ơ (0xF5) + grave (0xCC).
    """
    out = bytearray()
    for n, ch in enumerate(unicodedata.normalize("NFC", text), start=1):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(m for m in parts[1:] if m in _TONES)
        base = unicodedata.normalize("NFC", parts[0] + "".join(
            m for m in parts[1:] if m not in _TONES))  # ệ = e + circumflex, then dot below
        try:
            out += base.encode("cp1258") + tones.encode("cp1258")
        except UnicodeEncodeError:
            msg = "character {n} ({char}, U+{code}) has no Windows-1258 form"
            raise InputError(msg, n=n, char=repr(ch), code=f"{ord(ch):04X}") from None
    return bytes(out)


# --------------------------------------------------------------------------------------------
# Detection


# Frequency (per 10,000) of the non-ASCII letters in Vietnamese administrative text, counted
# over the planning documents in the project's seeds (30,083 letters, lower-cased).
_LETTER_FREQ = dict(
    (item[0], int(item[1:])) for item in """
    đ915 á552 ệ532 ô516 à483 ư432 ạ395 â386 ê357 ả336 ự308 ố269 ế264 ộ254 ớ243 ị218 í216
    ể208 ấ186 ụ172 ã171 ề169 ủ169 ơ162 ă151 ì149 ờ143 ó141 ậ134 ẩ115 ứ112 ợ112 ồ100 ỉ99
    ầ93 ổ81 ở68 ò59 ý47 ữ46 ẫ43 ắ42 ọ40 ừ39 ử38 ù33 ú29 ặ26 ỷ23 ỗ17 ằ14 è13 ĩ12 é11 ỏ8
    ễ7 ỡ7 õ6 ẹ6 ỳ6 ỹ5 ũ4 ẻ4 ẽ2 ẳ2 ẵ1 ỵ1
""".split())
_ODDITY_COST = 20.0  # bits charged for a character no Vietnamese text has
_PUNCTUATION_COST = 8.0  # typographic dashes and quotes: possible, rarer than letters

# Vowel clusters of Vietnamese syllables, tones removed (with the glides of "qu", "gi" and
# the final i/y/o/u). A cluster outside this list betrays a wrong decoding.
_NUCLEI = frozenset("""
    a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi oo ua uâ uă
    ue uê ui uo uô uơ uy ưa ưi ưu ươ yê iêu yêu oai oay oao oeo uai uay uây uôi ươi ươu uya
    uyê uyu uêu uao ieu uơi
""".split())
_VOWEL_RUN = re.compile("[aăâeêioôơuưy]+")


def _untoned(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))


def _oddities(text: str) -> int:
    """Characters and syllables no Vietnamese text has: 0 for clean text, +1 per oddity."""
    score = 0
    for ch in text:
        if unicodedata.combining(ch):  # a tone mark that composed with nothing
            score += 1
        elif ord(ch) >= 0x80 and ch not in VIETNAMESE_LETTERS and ch not in _PUNCTUATION:
            score += 1
        elif ord(ch) < 0x20 and ch not in "\t\n\r":
            score += 1
    for word in _WORD.findall(text):
        tones = sum(any(m in unicodedata.normalize("NFD", c) for m in _TONES) for c in word)
        score += max(tones - 1, 0)  # a syllable carries one tone
        if any(a.islower() and b.isupper() for a, b in itertools.pairwise(word)):
            score += 1  # "mĐ", "éH": a capital after a small letter is a misreading
        if not word.isascii():
            score += sum(1 for v in _VOWEL_RUN.findall(_untoned(word).lower())
                         if v not in _NUCLEI)  # "iơ" in "Liờng": no such vowel cluster
    return score


def _cost(text: str) -> float:
    """Bits needed to explain ``text`` as Vietnamese: rare letters and oddities cost more."""
    bits = _ODDITY_COST * _oddities(text)
    for ch in text:
        if ord(ch) >= 0x80 and ch in VIETNAMESE_LETTERS:
            bits += math.log2(10_000 / _LETTER_FREQ.get(ch.lower(), 1))
        elif ch in _PUNCTUATION:
            bits += _PUNCTUATION_COST
    return bits


def detect(samples: Iterable[bytes]) -> str:
    """Tell the encoding of raw attribute values: ``"utf-8"``, ``"cp1258"`` or ``"tcvn3"``.

    The heuristic:

    1. Values that are plain ASCII, or that all decode as UTF-8, are ``"utf-8"`` (bytes
       of the two legacy encodings almost never form valid UTF-8 sequences).
    2. Otherwise the values are decoded both ways and each reading is charged a cost in
       bits: for every non-ASCII letter, -log2 of its frequency in Vietnamese text (a
       TCVN3 reading of Windows-1258 is full of rare letters: "cụng" for "công"); and 20
       bits per oddity (8 per typographic dash or quote): a character that is neither
       ASCII, a Vietnamese letter nor common
       punctuation ("µ", "¶", "«" in a Windows-1258 reading of TCVN3), a tone mark left
       over after composition, a second tone in a syllable ("mừỡi"), a capital after a
       small letter, a vowel cluster Vietnamese does not have ("iơ"). The cheaper reading
       wins; on a tie, TCVN3 (the commoner one in old GIS files).

    Single short words can be ambiguous; a few dozen values with diacritics decide
    reliably (every sentence of the project's planning documents, encoded either way, is
    told right).

    Parameters
    ----------
    samples : iterable of bytes
        Raw values (e.g. the text fields of a ``.dbf`` read without decoding).

    Returns
    -------
    str
        One of :data:`ENCODINGS`.
    """
    data = [bytes(s) for s in samples if s]
    if all(s.isascii() for s in data):
        return "utf-8"
    try:
        for s in data:
            s.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    joined = b"\n".join(data)
    tcvn3 = _cost(decode_tcvn3(joined))
    cp1258 = _cost(unicodedata.normalize("NFC", joined.decode("cp1258", "replace")))
    return "cp1258" if cp1258 < tcvn3 else "tcvn3"


# --------------------------------------------------------------------------------------------
# Whole frames


def _normalise_name(encoding: str) -> str:
    key = encoding.strip().lower().replace("_", "-")
    aliases = {"utf-8": "utf-8", "utf8": "utf-8", "cp1258": "cp1258", "windows-1258": "cp1258",
               "1258": "cp1258", "tcvn3": "tcvn3", "abc": "tcvn3", "tcvn": "tcvn3",
               "tcvn5712": "tcvn3", "vn3": "tcvn3"}
    if key not in aliases:
        msg = "unknown text encoding '{encoding}' (use one of: {known})"
        raise InputError(msg, encoding=encoding, known=", ".join(ENCODINGS))
    return aliases[key]


def _converter(encoding: str) -> Any:
    def convert(value: Any) -> Any:
        if isinstance(value, list | tuple):
            return type(value)(convert(v) for v in value)
        if isinstance(value, bytes | bytearray):
            if encoding == "utf-8":
                return unicodedata.normalize("NFC", bytes(value).decode("utf-8"))
            data = bytes(value)
            return decode_tcvn3(data) if encoding == "tcvn3" else decode_cp1258(data)
        if not isinstance(value, str) or encoding == "utf-8":
            return value
        if _legacy_bytes(value) is None:  # holds real Unicode letters: not mis-decoded
            return value
        return decode_tcvn3(value) if encoding == "tcvn3" else decode_cp1258(value)

    return convert


def fix_dataframe(gdf: pd.DataFrame, encoding: str) -> pd.DataFrame:
    """Return a copy of ``gdf`` with every text value decoded from ``encoding``.

    Parameters
    ----------
    gdf : pandas.DataFrame or geopandas.GeoDataFrame
        A frame read from a legacy file, its text mis-decoded (as ISO-8859-1/Windows-1252
        strings) or raw (bytes).
    encoding : str
        ``"utf-8"`` (values are left as they are, bytes decoded), ``"cp1258"`` or
        ``"tcvn3"`` (see :func:`detect`).

    Returns
    -------
    pandas.DataFrame or geopandas.GeoDataFrame
        The same frame type, index and columns. Strings that hold characters no 8-bit
        reading produces ("Đ", "ư", "ạ"...) are already Unicode and are kept (a string of
        Latin-1 characters only, such as "Liêng", cannot be told apart and is converted);
        list values are converted item by item; other values are untouched.
    """
    convert = _converter(_normalise_name(encoding))
    out = gdf.copy()
    geometry = getattr(gdf, "_geometry_column_name", None)
    for col in out.columns:
        if col == geometry:
            continue
        series = out[col]
        if pd.api.types.is_object_dtype(series.dtype) or pd.api.types.is_string_dtype(
                series.dtype):
            out[col] = series.map(convert)
    return out
