"""Legacy Vietnamese encodings: TCVN3 (ABC) and Windows-1258, known words, detection, frames."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point

from ntmgeo import criteria, encodings
from ntmgeo._errors import InputError

# Known words, with their bytes written out by hand from the code tables (not produced by
# the functions under test).
TCVN3_WORDS = {
    "Đạ K'Nàng": b"\xa7\xb9 K'N\xb5ng",
    "Liêng Srônh": b"Li\xaang Sr\xabnh",
    "Đường huyện": b"\xa7\xad\xeang huy\xd6n",
    "Nông thôn mới": b"N\xabng th\xabn m\xedi",
    "ĐH42": b"\xa7H42",
    "Bảo Thắng": b"B\xb6o Th\xbeng",
}
# Windows-1258 as Windows writes it: precomposed where code page 1258 has the letter, else
# base letter + combining tone mark (0xCC grave, 0xEC acute, 0xDE tilde, 0xD2 hook, 0xF2 dot).
CP1258_WORDS = {
    "Đạ K'Nàng": b"\xd0a\xf2 K'N\xe0ng",
    "Liêng Srônh": b"Li\xeang Sr\xf4nh",
    "Đường huyện": b"\xd0\xfd\xf5\xccng huy\xea\xf2n",
    "Nông thôn mới": b"N\xf4ng th\xf4n m\xf5\xeci",
    "ĐH42": b"\xd0H42",
}
# The same words fully decomposed (every tone a combining mark, as from an NFD source).
CP1258_DECOMPOSED = {
    "Đạ K'Nàng": b"\xd0a\xf2 K'Na\xccng",
    "Nông thôn mới": b"N\xf4ng th\xf4n m\xf5\xeci",
}
ALL_LETTERS = sorted(c for c in encodings.VIETNAMESE_LETTERS if ord(c) >= 0x80)


class TestTCVN3:
    @pytest.mark.parametrize(("word", "raw"), TCVN3_WORDS.items())
    def test_known_words_decode_from_bytes(self, word, raw):
        assert encodings.decode_tcvn3(raw) == word

    @pytest.mark.parametrize(("word", "raw"), TCVN3_WORDS.items())
    def test_known_words_decode_from_mis_decoded_text(self, word, raw):
        assert encodings.decode_tcvn3(raw.decode("latin-1")) == word
        assert encodings.decode_tcvn3(raw.decode("cp1252", errors="strict")) == word

    @pytest.mark.parametrize(("word", "raw"), TCVN3_WORDS.items())
    def test_known_words_encode(self, word, raw):
        assert encodings.encode_tcvn3(word) == raw

    def test_the_table_has_every_vietnamese_letter_once(self):
        assert len(ALL_LETTERS) == 134
        for letter in ALL_LETTERS:
            raw = encodings.encode_tcvn3(letter)
            assert len(raw) == 1
            assert encodings.decode_tcvn3(raw) == letter
        assert len({encodings.encode_tcvn3(c) for c in ALL_LETTERS}) == 134

    def test_tone_marks_at_b0_b4_compose(self):
        # a + combining grave (0xB0) ... a + combining dot below (0xB4)
        assert encodings.decode_tcvn3(b"a\xb0 a\xb1 a\xb2 a\xb3 a\xb4") == "à ả ã á ạ"

    def test_capitals_typed_for_an_h_font_come_back_small(self):
        # ".VnTimeH" headings use the small-letter codes: no byte table can restore case.
        assert encodings.decode_tcvn3(b"N\xabng TH\xabN") == "Nông THôN"

    @pytest.mark.skipif(shutil.which("iconv") is None, reason="iconv not installed")
    def test_every_byte_agrees_with_glibc_tcvn5712(self):
        probe = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=b"a",
                               capture_output=True, check=False)
        if probe.returncode != 0:
            pytest.skip("this iconv has no TCVN5712-1")
        for byte in [*range(0x01, 0x18), *range(0x80, 0x100)]:
            out = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"],
                                 input=bytes([byte]), capture_output=True, check=True)
            want = unicodedata.normalize("NFC", out.stdout.decode("utf-8"))
            got = encodings.decode_tcvn3(bytes([byte]))
            assert got == want, hex(byte)

    def test_unencodable_character_is_named(self):
        with pytest.raises(InputError, match="U\\+20AC"):
            encodings.encode_tcvn3("100 €")


class TestCP1258:
    @pytest.mark.parametrize(("word", "raw"), CP1258_WORDS.items())
    def test_known_words_decode(self, word, raw):
        assert encodings.decode_cp1258(raw) == word
        assert encodings.decode_cp1258(raw.decode("latin-1")) == word

    @pytest.mark.parametrize(("word", "raw"), CP1258_WORDS.items())
    def test_known_words_encode(self, word, raw):
        assert encodings.encode_cp1258(word) == raw

    @pytest.mark.parametrize(("word", "raw"), CP1258_DECOMPOSED.items())
    def test_decomposed_form_decodes_to_precomposed(self, word, raw):
        text = encodings.decode_cp1258(raw)
        assert text == word
        assert unicodedata.is_normalized("NFC", text)

    def test_nfd_then_codec_needs_the_base_letters_recomposed(self):
        # The recipe "NFD then cp1258" fails on ơ/ư (horn) and needs the base recomposed.
        nfd = unicodedata.normalize("NFD", "Đường")
        with pytest.raises(UnicodeEncodeError):
            nfd.encode("cp1258")
        assert encodings.encode_cp1258("Đường") == b"\xd0\xfd\xf5\xccng"

    def test_every_vietnamese_letter_round_trips(self):
        for letter in ALL_LETTERS:
            assert encodings.decode_cp1258(encodings.encode_cp1258(letter)) == letter

    def test_undefined_byte_is_refused(self):
        with pytest.raises(InputError, match="0x8A"):
            encodings.decode_cp1258(b"Ph\x8ai")


PLACES = ["Đạ Tông", "Đạ Long", "Đạ M'Rông", "Liêng Srônh", "Đạ Rsal", "Rô Men",
          "Phi Liêng", "Đạ K'Nàng", "Đường huyện ĐH42", "Chợ Đạ K'Nàng",
          "Ngã ba ông Tường", "Trạm Y tế Liêng Srônh", "thôn Păng Pá", "Nông thôn mới"]


class TestDetect:
    def test_utf8_and_ascii(self):
        assert encodings.detect([p.encode("utf-8") for p in PLACES]) == "utf-8"
        assert encodings.detect([b"DH42", b"Road 1"]) == "utf-8"
        assert encodings.detect([]) == "utf-8"

    def test_place_names_in_each_legacy_encoding(self):
        assert encodings.detect([encodings.encode_tcvn3(p) for p in PLACES]) == "tcvn3"
        assert encodings.detect([encodings.encode_cp1258(p) for p in PLACES]) == "cp1258"

    @pytest.mark.parametrize("word", ["Đạ K'Nàng", "Liêng Srônh", "Đường huyện",
                                      "Nông thôn mới"])
    def test_known_words_alone(self, word):
        assert encodings.detect([TCVN3_WORDS[word]]) == "tcvn3"
        assert encodings.detect([CP1258_WORDS[word]]) == "cp1258"

    def test_every_indicator_name_of_the_catalogue(self):
        names = [i.name["vi"] for s in criteria.all_sets().values() for i in s.indicators]
        names = [n.replace("≤", "<=").replace("≥", ">=") for n in names]  # not in TCVN3
        assert len(names) > 30
        for name in names:
            assert encodings.detect([encodings.encode_tcvn3(name)]) == "tcvn3", name
            assert encodings.detect([encodings.encode_cp1258(name)]) == "cp1258", name

    @settings(max_examples=60, deadline=None)
    @given(st.lists(st.sampled_from(PLACES), min_size=3, max_size=12))
    def test_several_names_decide(self, names):
        assert encodings.detect([encodings.encode_tcvn3(n) for n in names]) == "tcvn3"
        assert encodings.detect([encodings.encode_cp1258(n) for n in names]) == "cp1258"


class TestFixDataframe:
    def _legacy_frame(self, encode) -> gpd.GeoDataFrame:
        return gpd.GeoDataFrame(
            {"name": [encode("Đạ K'Nàng").decode("latin-1"), None,
                      "Đạ Rsal"],  # already Unicode (Đ is no 8-bit reading): kept
             "aliases": [[encode("Đa K'Nàng").decode("latin-1")], None, []],
             "pop": [12, 13, 14]},
            geometry=[Point(108.1, 12.1), Point(108.2, 12.2), Point(108.3, 12.3)],
            crs="EPSG:4326")

    @pytest.mark.parametrize(("encoding", "encode"), [("tcvn3", encodings.encode_tcvn3),
                                                      ("cp1258", encodings.encode_cp1258)])
    def test_text_columns_are_converted(self, encoding, encode):
        gdf = self._legacy_frame(encode)
        out = encodings.fix_dataframe(gdf, encoding)
        assert isinstance(out, gpd.GeoDataFrame)
        assert out["name"].tolist()[0] == "Đạ K'Nàng"
        assert pd.isna(out["name"].tolist()[1])
        assert out["name"].tolist()[2] == "Đạ Rsal"
        assert out["aliases"].tolist()[0] == ["Đa K'Nàng"]
        assert out["pop"].tolist() == [12, 13, 14]
        assert out.geometry.equals(gdf.geometry)
        assert gdf["name"].tolist()[0] != "Đạ K'Nàng"  # the input is not modified

    def test_bytes_values_are_decoded(self):
        frame = pd.DataFrame({"name": [TCVN3_WORDS["Nông thôn mới"]]})
        assert encodings.fix_dataframe(frame, "ABC")["name"][0] == "Nông thôn mới"

    def test_unknown_encoding(self):
        with pytest.raises(InputError, match="unknown text encoding 'koi8-r'"):
            encodings.fix_dataframe(pd.DataFrame({"a": ["x"]}), "koi8-r")

    def test_a_legacy_shapefile_end_to_end(self, tmp_path):
        """A .dbf holding TCVN3 bytes and no .cpg: GDAL misreads it; detect + fix repair it."""
        gdf = gpd.GeoDataFrame(
            {"name": [encodings.encode_tcvn3(p).decode("latin-1") for p in PLACES]},
            geometry=[Point(108.1 + i / 100, 12.1) for i in range(len(PLACES))],
            crs="EPSG:4326")
        path = tmp_path / "old.shp"
        pyogrio.write_dataframe(gdf, path, encoding="ISO-8859-1")
        (tmp_path / "old.cpg").unlink(missing_ok=True)
        raw = pyogrio.read_dataframe(path, encoding="ISO-8859-1")
        assert raw["name"].tolist() != PLACES
        samples = [v.encode("latin-1") for v in raw["name"]]
        encoding = encodings.detect(samples)
        assert encoding == "tcvn3"
        assert encodings.fix_dataframe(raw, encoding)["name"].tolist() == PLACES
