"""The web app through Flask's test client: API shapes and errors, pages, headers, escaping,
sign-in, CSRF, uploads (good, bad, too large).
"""

from __future__ import annotations

import html
import io
import json
import re
import sqlite3
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import LineString

from ntmgeo import greening, ingest, status
from ntmgeo.cli import main as cli_main
from ntmgeo.store import open_store

from geodata import store_fingerprint
from malformed import CASES as MALFORMED
from webstore import HOSTILE, PASSWORD, X0, Y0, build_store

HOSTILE_RAW = "<img src=x"


fingerprint = store_fingerprint


def csrf_token(client, url: str = "/login") -> str:
    html = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def sign_in(client, name: str = "lan", password: str = PASSWORD):
    return client.post("/login", data={"username": name, "password": password,
                                       "csrf_token": csrf_token(client), "next": "/upload"})


# ------------------------------------------------------------------------------------- API
class TestLayersApi:
    def test_list(self, client):
        doc = client.get("/api/layers").get_json()
        assert {"admin_units", "roads", "surveys", "sites"} <= set(doc["layers"])

    def test_geojson_in_wgs84_with_every_field(self, client):
        resp = client.get("/api/layers/roads")
        assert resp.status_code == 200 and resp.mimetype == "application/geo+json"
        doc = resp.get_json()
        assert doc["type"] == "FeatureCollection" and doc["numberReturned"] == 3
        feat = doc["features"][0]
        assert feat["geometry"]["type"] == "MultiLineString"
        lon, lat = feat["geometry"]["coordinates"][0][0]
        assert 108 < lon < 109 and 12 < lat < 13
        assert {"dist_code", "road_code", "road_class", "surface"} <= set(feat["properties"])

    def test_attribute_and_date_filters(self, client):
        communes = client.get("/api/layers/admin_units?level=commune&as_of=2024-01-01")
        assert communes.get_json()["numberReturned"] == 4
        after = client.get("/api/layers/admin_units?level=commune&as_of=2025-07-01")
        assert after.get_json()["numberReturned"] == 0
        roads = client.get("/api/layers/roads", query_string={"road_class": "ĐH"}).get_json()
        assert sorted(f["properties"]["road_code"] for f in roads["features"]) == ["ĐH42", "ĐH47"]
        surveys = client.get("/api/layers/surveys?as_of=2023-12-31").get_json()
        assert surveys["numberReturned"] == 0

    def test_bbox_and_limit(self, client):
        bbox = f"{X0 + 0.001},{Y0 + 0.001},{X0 + 0.01},{Y0 + 0.01}"
        doc = client.get(f"/api/layers/admin_units?level=commune&bbox={bbox}").get_json()
        assert [f["properties"]["code"] for f in doc["features"]] == ["90001"]
        limited = client.get("/api/layers/admin_units?limit=2").get_json()
        assert limited["numberReturned"] == 2 and limited["numberMatched"] == 5

    def test_simplify_in_metres(self, client):
        full = client.get("/api/layers/roads?road_code=QL27").get_json()
        simple = client.get("/api/layers/roads?road_code=QL27&simplify=5").get_json()
        assert len(full["features"][0]["geometry"]["coordinates"][0]) == 21
        assert len(simple["features"][0]["geometry"]["coordinates"][0]) == 2
        communes = client.get("/api/layers/admin_units?level=commune&simplify=50").get_json()
        assert communes["numberReturned"] == 4

    @pytest.mark.parametrize("query", [
        "bbox=1,2,3", "bbox=a,b,c,d", "bbox=10,10,5,5", "bbox=0,0,200,10", "bbox=nan,0,1,1",
        "limit=0", "limit=x", "simplify=-1", "simplify=abc", "simplify=99999",
        "as_of=2024-13-01", "bogus_field=1",
    ])
    def test_bad_parameters_are_400_json(self, client, query):
        resp = client.get(f"/api/layers/roads?{query}")
        assert resp.status_code == 400 and resp.mimetype == "application/json"
        body = resp.get_json()
        assert body["error"] == "bad_request" and body["message"]
        assert "Traceback" not in resp.get_data(as_text=True)

    def test_as_of_on_a_layer_without_dates_is_400(self, client):
        assert client.get("/api/layers/roads?as_of=2024-01-01").status_code == 400

    @pytest.mark.parametrize("name", ["nope", "users", "reported_values", "..%2Fetc",
                                      "Roads"])
    def test_unknown_layer_is_404_json(self, client, name):
        resp = client.get(f"/api/layers/{name}")
        assert resp.status_code == 404 and resp.get_json()["error"] == "not_found"

    def test_unknown_api_route_is_json(self, client):
        resp = client.get("/api/nothing-here")
        assert resp.status_code == 404 and resp.mimetype == "application/json"

    def test_internal_error_has_no_trace(self, client, app, monkeypatch):
        def boom(*a, **k):
            raise RuntimeError("secret detail /home/x")
        monkeypatch.setattr(app.extensions["ntmgeo"], "layer_geojson", boom)
        resp = client.get("/api/layers/roads")
        assert resp.status_code == 500 and resp.get_json()["error"] == "internal_error"
        assert "secret detail" not in resp.get_data(as_text=True)


class TestDocumentsApi:
    def test_status_is_the_cli_document(self, client, store_path, capsys):
        assert cli_main(["status", "--db", str(store_path), "--json"]) == 0
        cli_doc = json.loads(capsys.readouterr().out)
        api_doc = client.get("/api/status").get_json()
        assert api_doc == cli_doc
        assert api_doc["summary"]["disagreements"]

    def test_status_with_level_and_date(self, client, store_path):
        doc = client.get("/api/status?level=commune&as_of=2024-02-29").get_json()
        expected = status.from_store(open_store(store_path), level="commune",
                                     as_of="2024-02-29")
        assert doc == json.loads(json.dumps(expected, default=str))
        assert {c["comm_code"] for c in doc["communes"]} == {"90001", "90002", "90003", "90004"}

    @pytest.mark.parametrize(("query", "code"), [
        ("level=province", 400), ("as_of=yesterday", 400), ("as_of=2026-01-01", 404),
        ("unit=99999", 404)])
    def test_status_errors(self, client, query, code):
        resp = client.get(f"/api/status?{query}")
        assert resp.status_code == code and resp.get_json()["message"]

    def test_greening_is_the_library_document(self, client, store_path):
        doc = client.get("/api/greening").get_json()
        assert doc == json.loads(json.dumps(greening.from_store(open_store(store_path))))
        ratios = {r["road_code"]: r["greened_km"] / r["length_km"] for r in doc["roads"]}
        assert ratios["ĐH47"] == 0 and 0.5 < ratios["ĐH42"] < 0.8
        assert client.get("/api/greening?as_of=2023-01-01").get_json()["total"]["greened_km"] == 0

    def test_greening_geometry_cut_by_chainage(self, client, store_path):
        doc = client.get("/api/greening/geometry").get_json()
        kinds = sorted((f["properties"]["road_code"], f["properties"]["kind"])
                       for f in doc["features"])
        assert kinds == [("ĐH42", "gap"), ("ĐH42", "stretch"), ("ĐH47", "gap")]
        stretch = next(f for f in doc["features"] if f["properties"]["kind"] == "stretch")
        assert stretch["geometry"]["type"] == "MultiLineString"
        lines = gpd.GeoSeries([LineString(c) for c in stretch["geometry"]["coordinates"]],
                              crs="EPSG:4326").to_crs(open_store(store_path).measure_crs)
        road = next(r for r in doc["roads"] if r["road_code"] == "ĐH42")
        s = road["stretches"][0]
        assert lines.length.sum() == pytest.approx(s["to_m"] - s["from_m"], abs=1.0)
        assert s["label"].startswith("Km0+000 → ") and "survey_ids" not in s
        full = client.get("/api/greening").get_json()
        assert doc["total"] == full["total"]
        assert doc["unmatched"] == {"count": full["unmatched"]["count"]}


# ------------------------------------------------------------------------------------ pages
class TestMapPage:
    def test_offline_assets_only(self, client):
        html = client.get("/").get_data(as_text=True)
        srcs = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
        assert srcs and all(s.startswith("/static/") or s.startswith("?lang=") for s in srcs)
        assert "/static/vendor/leaflet/leaflet.js" in srcs
        assert "/static/vendor/leaflet.markercluster/leaflet.markercluster.js" in srcs
        for banned in ("cdn", "jquery", "bootstrap", "font-awesome", "fontawesome",
                       "awesome-markers", "googleapis"):
            assert banned not in html.lower()

    def test_every_inline_script_and_style_carries_the_nonce(self, client):
        resp = client.get("/")
        html = resp.get_data(as_text=True)
        nonce = re.search(r"'nonce-([^']+)'", resp.headers["Content-Security-Policy"]).group(1)
        for tag in re.findall(r"<(?:script|style)\b[^>]*>", html):
            if "src=" in tag or 'type="application/json"' in tag:
                continue
            assert f'nonce="{nonce}"' in tag, tag
        assert client.get("/").headers["Content-Security-Policy"] != resp.headers[
            "Content-Security-Policy"]  # a fresh nonce per request

    def test_security_headers(self, client):
        resp = client.get("/")
        csp = resp.headers["Content-Security-Policy"]
        assert "script-src 'self' 'nonce-" in csp and "unsafe-eval" not in csp
        assert "unsafe-inline" not in csp
        assert "img-src 'self' data: https://tile.openstreetmap.org" in csp
        assert "connect-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert resp.headers["X-Content-Type-Options"] == "nosniff"
        assert resp.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        api = client.get("/api/status")
        assert api.headers["X-Content-Type-Options"] == "nosniff"

    def test_tile_url_is_configurable(self, webpkg, store_path):
        app = webpkg.create_app({"DB_PATH": str(store_path), "SECRET_KEY": "k",
                                 "TILE_URL": "https://{s}.tiles.example.org/{z}/{x}/{y}.png"})
        resp = app.test_client().get("/")
        assert "img-src 'self' data: https://*.tiles.example.org;" in \
            resp.headers["Content-Security-Policy"]
        assert "tiles.example.org/{z}" in resp.get_data(as_text=True)
        plain = webpkg.create_app({"DB_PATH": str(store_path), "SECRET_KEY": "k",
                                   "TILE_URL": ""}).test_client().get("/")
        assert "L.tileLayer" not in plain.get_data(as_text=True)
        assert "img-src 'self' data:;" in plain.headers["Content-Security-Policy"]

    def test_page_data_is_inert_json(self, webpkg, tmp_path):
        path = tmp_path / "hostile.gpkg"
        build_store(path)
        con = sqlite3.connect(path)
        con.execute("UPDATE ntmgeo_meta SET value=? WHERE key='title'",
                    (HOSTILE + "</script><script>alert(1)</script>",))
        con.commit()
        con.close()
        app = webpkg.create_app({"DB_PATH": str(path), "SECRET_KEY": "k"})
        html = app.test_client().get("/").get_data(as_text=True)
        assert HOSTILE_RAW not in html and "<script>alert" not in html
        assert "&lt;img src=x" in html  # the title, escaped, in the header
        data = re.search(r'<script type="application/json" id="ntmgeo-page">(.*?)</script>',
                         html, re.S).group(1)
        assert "<" not in data and json.loads(data)["title"].startswith(HOSTILE)

    def test_vietnamese_by_default_english_remembered(self, client):
        html = client.get("/").get_data(as_text=True)
        assert 'lang="vi"' in html and "Tiêu chí huyện nông thôn mới" in html
        resp = client.get("/?lang=en")
        assert "District NTM criteria" in resp.get_data(as_text=True)
        assert "ntmgeo_lang=en" in resp.headers["Set-Cookie"]
        again = client.get("/").get_data(as_text=True)
        assert 'lang="en"' in again and "District NTM criteria" in again
        assert 'lang="vi"' in client.get("/?lang=vi").get_data(as_text=True)

    def test_static_files_served(self, client):
        for path in ("/static/ntmgeo/map.js", "/static/ntmgeo/map.css",
                     "/static/vendor/leaflet/leaflet.css",
                     "/static/vendor/leaflet/images/layers.png"):
            resp = client.get(path)
            assert resp.status_code == 200, path
            resp.close()

    def test_html_404_page(self, client):
        resp = client.get("/no/such/page")
        assert resp.status_code == 404 and "Không tìm thấy trang" in resp.get_data(as_text=True)

    def test_json_is_gzipped_when_accepted(self, client):
        resp = client.get("/api/status", headers={"Accept-Encoding": "gzip"})
        assert resp.headers["Content-Encoding"] == "gzip"
        import gzip
        assert json.loads(gzip.decompress(resp.get_data()))["unit"]["code"] == "674"


# ------------------------------------------------------------------------- users and CSRF
class TestSignIn:
    def test_upload_needs_a_signed_in_user(self, client):
        resp = client.get("/upload")
        assert resp.status_code == 302 and "/login?next=/upload" in resp.headers["Location"]

    def test_wrong_password(self, client):
        resp = sign_in(client, password="wrong password")
        assert resp.status_code == 401
        assert "Sai tên người dùng hoặc mật khẩu" in resp.get_data(as_text=True)
        assert client.get("/upload").status_code == 302

    def test_sign_in_and_out(self, client):
        resp = sign_in(client)
        assert resp.status_code == 302 and resp.headers["Location"].endswith("/upload")
        assert client.get("/upload").status_code == 200
        token = csrf_token(client, "/upload")
        assert client.post("/logout").status_code == 400  # no token
        assert client.post("/logout", data={"csrf_token": token}).status_code == 302
        assert client.get("/upload").status_code == 302

    def test_login_without_csrf_token_is_refused(self, client):
        resp = client.post("/login", data={"username": "lan", "password": PASSWORD})
        assert resp.status_code == 400
        assert "Phiên làm việc đã hết hạn" in resp.get_data(as_text=True)
        assert client.get("/upload").status_code == 302

    @pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/",
                                        "/\\evil.example", "javascript:alert(1)"])
    def test_no_open_redirect(self, client, target):
        resp = client.post("/login", data={"username": "lan", "password": PASSWORD,
                                           "csrf_token": csrf_token(client), "next": target})
        assert resp.status_code == 302 and resp.headers["Location"] == "/"

    def test_view_requires_login_when_configured(self, webpkg, store_path):
        app = webpkg.create_app({"DB_PATH": str(store_path), "SECRET_KEY": "k",
                                 "VIEW_REQUIRES_LOGIN": True})
        c = app.test_client()
        assert c.get("/").status_code == 302
        api = c.get("/api/status")
        assert api.status_code == 401 and api.get_json()["error"] == "unauthorized"
        assert c.get("/login").status_code == 200
        resp = c.get("/static/ntmgeo/map.css")
        assert resp.status_code == 200
        resp.close()
        sign_in(c)
        assert c.get("/").status_code == 200 and c.get("/api/status").status_code == 200


# ---------------------------------------------------------------------------------- uploads
def _survey_geojson(road_y: float = Y0 + 0.02, **props) -> bytes:
    coords = [[X0 + 0.055 + i * 0.002, road_y + 0.0001] for i in range(21)]
    doc = {"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"dist_code": "674", "road_code": "ĐH47", **props},
        "geometry": {"type": "LineString", "coordinates": coords}}]}
    return json.dumps(doc, ensure_ascii=False).encode()


def _upload(client, content: bytes, filename: str, date: str = "2024-05-01",
            token_from: str = "/upload", **extra):
    token = csrf_token(client, token_from)
    data = {"csrf_token": token, "survey_date": date, "file": (io.BytesIO(content), filename),
            **extra}
    return client.post("/upload", data=data, content_type="multipart/form-data")


def _ratio(client, code: str) -> float:
    roads = client.get("/api/greening").get_json()["roads"]
    road = next(r for r in roads if r["road_code"] == code)
    return road["greened_km"] / road["length_km"]


class TestUpload:
    def test_good_file_is_stored_with_the_form_date(self, client, store_path):
        sign_in(client)
        assert _ratio(client, "ĐH47") == 0
        resp = _upload(client, _survey_geojson(), "khảo sát ĐH47.geojson")
        assert resp.status_code == 302 and resp.headers["Location"] == "/"
        page = client.get("/").get_data(as_text=True)
        assert "Đã lưu 1 đối tượng khảo sát" in page
        assert _ratio(client, "ĐH47") > 0.9
        surveys = open_store(store_path).read_layer("surveys")
        new = surveys[surveys["road_code"] == "ĐH47"].iloc[0]
        assert str(new["survey_date"]) == "2024-05-01"
        imports = open_store(store_path).read_records("imports")
        assert imports.iloc[-1]["user"] == "lan" and imports.iloc[-1]["layer"] == "surveys"

    def test_a_date_in_the_file_wins(self, client, store_path):
        sign_in(client)
        _upload(client, _survey_geojson(survey_date="2023-03-03"), "a.geojson")
        surveys = open_store(store_path).read_layer("surveys")
        assert "2023-03-03" in surveys["survey_date"].astype(str).tolist()

    def test_same_file_name_twice(self, client, store_path):
        sign_in(client)
        assert _upload(client, _survey_geojson(), "track.geojson").status_code == 302
        assert _upload(client, _survey_geojson(), "track.geojson").status_code == 302
        assert len(open_store(store_path).read_layer("surveys")) == 3

    def test_a_store_error_is_said_in_the_pages_language(self, client, store_path,
                                                         monkeypatch):
        from ntmgeo._errors import StoreError

        def fail(*args, **kwargs):
            raise StoreError("{path}: has no layer '{name}'", path="x.gpkg", name="surveys")

        monkeypatch.setattr(ingest, "import_file", fail)
        sign_in(client)
        before = fingerprint(store_path)
        resp = _upload(client, _survey_geojson(), "a.geojson")
        message = re.search(r'id="upload-error"[^>]*>([^<]*)<', resp.get_data(as_text=True))
        assert resp.status_code == 400
        assert "x.gpkg: không có lớp &#39;surveys&#39;" in message.group(1)
        assert fingerprint(store_path) == before

    @pytest.mark.parametrize(("content", "name", "words"), [
        (b"{not json", "x.geojson", "x.geojson"),
        (b"", "empty.geojson", ""),
        (_survey_geojson(road_y=50.0), "far.geojson", "far.geojson"),  # outside Vietnam
        (b"hello", "notes.txt", ".txt"),
        (b"PK\x03\x04broken", "broken.zip", "broken.zip"),
        (b"lon,lat\n108.1,abc\n", "pts.csv", "pts.csv"),
    ])
    def test_bad_file_changes_nothing(self, client, store_path, content, name, words):
        sign_in(client)
        before = fingerprint(store_path)
        resp = _upload(client, content, name)
        text = resp.get_data(as_text=True)
        assert resp.status_code == 400
        message = re.search(r'id="upload-error"[^>]*>([^<]*)<', text).group(1)
        assert message.startswith("Tệp không hợp lệ: ") and words in message
        assert "/tmp" not in message and "Traceback" not in text
        assert fingerprint(store_path) == before

    @pytest.mark.parametrize("case", sorted(  # the upload takes .geojson .zip .kml .gpx .csv
        n for n in MALFORMED if n.startswith("zipped")
        or not any(w in n for w in ("geopackage", ".gpkg", ".shp", "shapefile"))))
    def test_malformed_file_is_400_naming_the_feature(self, client, store_path, tmp_path, case):
        sign_in(client)
        expected = MALFORMED[case](tmp_path)
        before = fingerprint(store_path)
        resp = _upload(client, expected.path.read_bytes(), expected.path.name)
        text = resp.get_data(as_text=True)
        assert resp.status_code == 400, text[:2000]
        message = html.unescape(re.search(r'id="upload-error"[^>]*>([^<]*)<', text).group(1))
        where = f"{expected.path.name}: " + (f"đối tượng {expected.feature}: "
                                             if expected.feature else "")
        assert message.startswith(f"Tệp không hợp lệ: {where}"), message
        assert message.endswith(expected.reason_in("vi")), message
        assert "/tmp" not in message and "Traceback" not in text
        assert fingerprint(store_path) == before

    def test_a_file_without_crs_is_told_to_use_the_form_field(self, client, store_path):
        # the error's hint is "crs": the page names its own field, never the CLI's --crs
        sign_in(client)
        before = fingerprint(store_path)
        resp = _upload(client, b"survey_id,x,y\nsv-1,583000,1338000\n", "points.csv")
        text = resp.get_data(as_text=True)
        message = html.unescape(re.search(r'id="upload-error"[^>]*>([^<]*)<', text).group(1))
        assert resp.status_code == 400, text[:2000]
        assert message == ("Tệp không hợp lệ: points.csv: không có hệ tọa độ (thiếu tệp .prj): "
                           "khai báo bằng ô “Hệ tọa độ” của biểu mẫu (EPSG:…)"), message
        assert "--" not in message and fingerprint(store_path) == before

    def test_unsafe_archive_is_refused(self, client, store_path):
        sign_in(client)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("../../evil.shp", b"x")
        before = fingerprint(store_path)
        resp = _upload(client, buf.getvalue(), "evil.zip")
        assert resp.status_code == 400 and "đường dẫn không an toàn" in resp.get_data(as_text=True)
        assert fingerprint(store_path) == before

    def test_bad_date_and_crs(self, client, store_path):
        sign_in(client)
        before = fingerprint(store_path)
        assert "không đúng dạng" in _upload(client, _survey_geojson(), "a.geojson",
                                            date="31/12/2024").get_data(as_text=True)
        assert "EPSG" in _upload(client, _survey_geojson(), "a.geojson",
                                 crs="+proj=longlat").get_data(as_text=True)
        assert fingerprint(store_path) == before

    def test_upload_without_csrf_token_is_refused(self, client, store_path):
        sign_in(client)
        before = fingerprint(store_path)
        resp = client.post("/upload", data={"survey_date": "2024-05-01",
                                            "file": (io.BytesIO(_survey_geojson()), "a.geojson")},
                           content_type="multipart/form-data")
        assert resp.status_code == 400 and fingerprint(store_path) == before

    def test_anonymous_post_changes_nothing(self, client, store_path):
        before = fingerprint(store_path)
        resp = _upload(client, _survey_geojson(), "a.geojson", token_from="/login")
        assert resp.status_code == 302 and "/login" in resp.headers["Location"]
        assert fingerprint(store_path) == before

    def test_size_cap(self, webpkg, store_path):
        app = webpkg.create_app({"DB_PATH": str(store_path), "SECRET_KEY": "k",
                                 "MAX_CONTENT_LENGTH": 4096})
        c = app.test_client()
        sign_in(c)
        before = fingerprint(store_path)
        big = _survey_geojson(note="x" * 10_000)
        resp = _upload(c, big, "big.geojson")
        assert resp.status_code == 413
        assert "Tệp quá lớn" in resp.get_data(as_text=True)
        assert fingerprint(store_path) == before

    def test_default_size_cap_is_20_mb(self, app):
        assert app.config["MAX_CONTENT_LENGTH"] == 20 * 1024 * 1024

    def test_chainage_table(self, client, store_path):
        pytest.importorskip("ntmgeo.chainage")
        sign_in(client)
        table = "dist_code,road_code,from,to,side\n674,ĐH47,Km0+00,Km2+000,hai bên\n"
        resp = _upload(client, table.encode(), "ghi chép lý trình.csv")
        assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
        assert _ratio(client, "ĐH47") > 0.4

    @pytest.mark.parametrize("fmt", ["csv", "gpx", "kml", "zip"])
    def test_other_formats(self, client, store_path, tmp_path, fmt):
        sign_in(client)
        content = _other_format(fmt, tmp_path)
        resp = _upload(client, content, f"survey.{fmt}")
        assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
        assert len(open_store(store_path).read_layer("surveys")) > 1


def _other_format(fmt: str, tmp_path: Path) -> bytes:
    pts = [(X0 + 0.06 + i * 0.002, Y0 + 0.0201) for i in range(6)]
    if fmt == "csv":
        rows = "\n".join(f"{x},{y},ĐH47" for x, y in pts)
        return f"lon,lat,road_code\n{rows}\n".encode()
    if fmt == "gpx":
        trkpts = "".join(f'<trkpt lat="{y}" lon="{x}"><time>2024-04-02T08:00:00Z</time></trkpt>'
                         for x, y in pts)
        return (f'<?xml version="1.0"?><gpx version="1.1" creator="t" '
                f'xmlns="http://www.topografix.com/GPX/1/1"><trk><name>ĐH47</name><trkseg>'
                f"{trkpts}</trkseg></trk></gpx>").encode()
    if fmt == "kml":
        coords = " ".join(f"{x},{y},0" for x, y in pts)
        return (f'<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2">'
                f"<Document><Placemark><name>hàng cây</name><LineString><coordinates>{coords}"
                f"</coordinates></LineString></Placemark></Document></kml>").encode()
    gdf = gpd.GeoDataFrame({"road_code": ["ĐH47"]}, geometry=[LineString(pts)],
                           crs="EPSG:4326")
    folder = tmp_path / "shp"
    folder.mkdir()
    gdf.to_file(folder / "survey.shp", encoding="utf-8")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for f in folder.iterdir():
            zf.write(f, f.name)
    return buf.getvalue()


# ------------------------------------------------------------------ the real computation
class TestWithTheRealGreening:
    """The API's greening documents are the library's."""

    def test_documents_match_the_library(self, client, store_path):
        doc = client.get("/api/greening").get_json()
        assert doc == json.loads(json.dumps(greening.from_store(open_store(store_path))))
        status_doc = client.get("/api/status").get_json()
        ind = status_doc["criteria"][1]["indicators"][2]
        assert ind["id"] == "2.3" and ind["source"] == "computed"

    def test_stretch_geometry_follows_the_chainage(self, client, store_path):
        doc = client.get("/api/greening").get_json()
        geo = client.get("/api/greening/geometry").get_json()
        road = next(r for r in doc["roads"] if r["road_code"] == "ĐH42")
        summary = next(r for r in geo["roads"] if r["road_code"] == "ĐH42")
        assert [s["label"] for s in summary["stretches"]] == [
            s["label"] for s in road["stretches"]]
        stretch = next(f for f in geo["features"] if f["properties"]["kind"] == "stretch"
                       and f["properties"]["road_code"] == "ĐH42")
        lines = gpd.GeoSeries([LineString(c) for c in stretch["geometry"]["coordinates"]],
                              crs="EPSG:4326").to_crs(open_store(store_path).measure_crs)
        s = road["stretches"][0]
        assert lines.length.sum() == pytest.approx(s["to_m"] - s["from_m"], abs=1.0)

    def test_upload_changes_the_ratio(self, client, store_path):
        sign_in(client)
        before = _ratio(client, "ĐH47")
        assert _upload(client, _survey_geojson(), "row.geojson").status_code == 302
        assert _ratio(client, "ĐH47") > before

    def test_the_page_says_right_after_the_upload_what_runs_beside_no_road(self, client,
                                                                          store_path):
        sign_in(client)
        far = _survey_geojson(road_y=Y0 + 0.3, survey_id="lac-duong")  # 33 km north, in Vietnam
        assert _upload(client, far, "lac.geojson").status_code == 302
        page = client.get("/").get_data(as_text=True)
        warning = re.search(r'class="flash warning">([^<]*)<', page).group(1)
        assert "1 đối tượng khảo sát (4,35 km) không nằm dọc tuyến đường nào đã lưu" in warning
        assert "lac-duong" in warning
        assert "lac-duong" in open_store(store_path).read_layer("surveys")["survey_id"].tolist()
        assert _upload(client, _survey_geojson(), "row.geojson").status_code == 302
        page = client.get("/").get_data(as_text=True)
        assert "Mọi đối tượng khảo sát đều nằm dọc tuyến đường đã lưu." in page
        assert 'class="flash warning"' not in page


class TestDownloads:
    """Exports as downloads in the web map, for signed-in users only."""

    def _login(self, client, app):
        from ntmgeo import users

        store = app.extensions["ntmgeo"].store
        if users.get_user(store, "dl") is None:
            users.add_user(store, "dl", "mat-khau-dai")
        page = client.get("/login")
        token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page.data).group(1)
        client.post("/login", data={"username": "dl", "password": "mat-khau-dai",
                                    "csrf_token": token.decode()})

    def test_anonymous_users_cannot_download(self, client):
        response = client.get("/export/shp")
        assert response.status_code in (302, 401)

    @pytest.mark.parametrize(("fmt", "magic"), [("shp", b"PK"), ("xlsx", b"PK"),
                                                ("gpkg", b"SQLite format 3")])
    def test_signed_in_users_download_verified_files(self, client, app, fmt, magic):
        self._login(client, app)
        response = client.get(f"/export/{fmt}")
        assert response.status_code == 200
        assert response.data.startswith(magic)
        assert "attachment" in response.headers["Content-Disposition"]

    def test_unknown_format(self, client, app):
        self._login(client, app)
        assert client.get("/export/dwg").status_code == 404

    def test_the_workbook_is_the_one_ntmgeo_table_writes(self, client, app, store_path,
                                                          tmp_path):
        """Same store, same workbook: the criteria sheet and the "Tiến độ" sheet, every cell
        and every merged range, whether `ntmgeo table` or the web map's download wrote it.
        """
        import openpyxl

        from ntmgeo import report

        written = tmp_path / "bang.xlsx"
        assert cli_main(["table", "--db", str(store_path), "--out", str(written)]) == 0
        self._login(client, app)
        response = client.get("/export/xlsx")
        assert response.status_code == 200
        assert response.mimetype == report.FORMATS["xlsx"].media_type
        cli_book = openpyxl.load_workbook(written)
        web_book = openpyxl.load_workbook(io.BytesIO(response.data))
        assert web_book.sheetnames == cli_book.sheetnames
        assert cli_book.sheetnames[-1] == "Tiến độ" and len(cli_book.sheetnames) == 2
        for name in cli_book.sheetnames:
            cli_sheet, web_sheet = cli_book[name], web_book[name]
            assert (list(web_sheet.iter_rows(values_only=True))
                    == list(cli_sheet.iter_rows(values_only=True))), name
            assert (sorted(map(str, web_sheet.merged_cells.ranges))
                    == sorted(map(str, cli_sheet.merged_cells.ranges))), name
        months = [row[:2] for row in cli_book["Tiến độ"].iter_rows(values_only=True)]
        assert ("31/01/2024", 2.72) in months  # the survey of 10/01/2024: not an empty sheet

    def test_the_csv_is_the_one_ntmgeo_table_writes(self, client, app, store_path, tmp_path):
        written = tmp_path / "bang.csv"
        assert cli_main(["table", "--db", str(store_path), "--format", "csv",
                         "--out", str(written)]) == 0
        self._login(client, app)
        response = client.get("/export/csv")
        assert response.status_code == 200 and response.mimetype == "text/csv"
        assert response.data == written.read_bytes()


def test_a_missing_data_message_is_in_the_pages_language(client):
    """/api/status after the districts ended: the message the panel shows after its own
    Vietnamese words is Vietnamese too (English with ?lang=en).
    """
    vi = client.get("/api/status?as_of=2026-06-01&lang=vi").get_json()
    assert vi["error"] == "no_data" and "không có huyện" in vi["message"]
    en = client.get("/api/status?as_of=2026-06-01&lang=en").get_json()
    assert "no district valid on 2026-06-01" in en["message"]
