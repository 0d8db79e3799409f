"""The web service reads the store through one snapshot per store version: the map's requests
read each layer once, and a write (an upload, or another process) is seen by the next request.
"""

from __future__ import annotations

import io
import json
import re

from ntmgeo import ingest
from ntmgeo.store import open_store

from geodata import CountingStore
from webstore import PASSWORD, X0, Y0

MAP_REQUESTS = [
    "/", "/api/layers", "/api/status", "/api/status?level=commune", "/api/greening",
    "/api/greening/geometry?simplify=5", "/api/layers/admin_units?level=commune&simplify=5",
    "/api/layers/roads?road_class=%C4%90H", "/api/layers/sites", "/api/layers/surveys",
    "/api/status?as_of=2024-01-31", "/api/greening?as_of=2024-01-31",
]


def _counting(app) -> CountingStore:
    service = app.extensions["ntmgeo"]
    service.store = CountingStore(service.store)
    return service.store


def _survey_geojson() -> bytes:
    coords = [[X0 + 0.055 + i * 0.002, Y0 + 0.02 + 0.0001] for i in range(21)]
    doc = {"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"dist_code": "674", "road_code": "ĐH47"},
        "geometry": {"type": "LineString", "coordinates": coords}}]}
    return json.dumps(doc, ensure_ascii=False).encode()


def _csrf(client, url: str) -> str:
    html = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _ratio(client, code: str) -> float:
    road = next(r for r in client.get("/api/greening").get_json()["roads"]
                if r["road_code"] == code)
    return road["greened_km"] / road["length_km"]


def test_the_map_requests_read_each_layer_once(app, client):
    counting = _counting(app)
    for url in MAP_REQUESTS:
        resp = client.get(url)
        assert resp.status_code == 200, (url, resp.get_data(as_text=True)[:200])
    assert {"admin_units", "roads", "surveys", "sites"} <= set(counting.layers)
    assert max(counting.layers.values()) == 1, dict(counting.layers)
    assert max(counting.records.values()) == 1, dict(counting.records)


def test_an_upload_changes_the_version_and_the_api_shows_it(app, client):
    counting = _counting(app)
    service = app.extensions["ntmgeo"]
    before = service.snapshot()
    surveys = client.get("/api/layers/surveys").get_json()["numberMatched"]
    assert _ratio(client, "ĐH47") == 0
    assert service.snapshot() is before  # nothing written: the same snapshot
    client.post("/login", data={"username": "lan", "password": PASSWORD,
                                "csrf_token": _csrf(client, "/login"), "next": "/upload"})
    resp = client.post("/upload", data={
        "csrf_token": _csrf(client, "/upload"), "survey_date": "2024-05-01",
        "file": (io.BytesIO(_survey_geojson()), "ĐH47.geojson")},
        content_type="multipart/form-data")
    assert resp.status_code == 302
    assert service.snapshot() is not before and not before.is_current()
    assert client.get("/api/layers/surveys").get_json()["numberMatched"] == surveys + 1
    assert _ratio(client, "ĐH47") > 0.9
    assert counting.layers["surveys"] == 2  # once per version


def test_a_write_by_another_process_is_seen(app, client, store_path, tmp_path):
    client.get("/api/greening")
    surveys = client.get("/api/layers/surveys").get_json()["numberMatched"]
    path = tmp_path / "track.geojson"
    path.write_bytes(_survey_geojson())
    ingest.import_file(open_store(store_path), "surveys", path,  # as `ntmgeo import` would
                       defaults={"survey_date": "2024-05-01"})
    assert client.get("/api/layers/surveys").get_json()["numberMatched"] == surveys + 1
    assert _ratio(client, "ĐH47") > 0.9
