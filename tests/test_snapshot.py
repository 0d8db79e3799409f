"""Snapshots: each layer read once per snapshot, and a store version that every write changes."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

from ntmgeo import coverage, derived, export, greening, ingest, progress, report, status
from ntmgeo._errors import DuplicateIdentityError
from ntmgeo.snapshot import Snapshot, ensure
from ntmgeo.store import open_store

from geodata import CountingStore

LAYERS = {"admin_units", "roads", "surveys", "sites", "green_areas", "works"}

BUILDERS = {
    "district status": lambda s: status.from_store(s, level="district"),
    "commune status": lambda s: status.from_store(s, level="commune"),
    "greening": lambda s: greening.from_store(s),
    "export layers": lambda s: derived.export_layers(s),
    "progress": lambda s: progress.from_store(s),
    "coverage along the roads": lambda s: coverage.coverage_document(
        s, site_type="waste_collection_point", within_m=2000, network=True),
    "road km by surface": lambda s: coverage.surface_document(s),
}


def _most(counts):
    return max(counts.values(), default=0)


@pytest.mark.parametrize("name", list(BUILDERS))
def test_each_builder_reads_each_layer_once(sample_store, name):
    counting = CountingStore(sample_store)
    BUILDERS[name](counting)
    assert counting.layers, "the builder read nothing"
    assert _most(counting.layers) == 1, dict(counting.layers)
    assert _most(counting.records) <= 1, dict(counting.records)


def test_one_snapshot_for_all_documents_reads_each_layer_once(sample_store, tmp_path):
    counting = CountingStore(sample_store)
    snap = Snapshot.of(counting)
    doc = status.from_store(snap, level="district")
    computed = {i["id"] for c in doc["criteria"] for i in c["indicators"] or []
                if i["source"] == "computed"}
    assert {"2.1", "2.3", "7.5", "7.6", "7.8"} <= computed  # every computed indicator ran
    assert greening.from_store(snap)["total"]["length_km"] > 0
    derived.export_layers(snap)
    progress.from_store(snap)
    coverage.coverage_document(snap, site_type="waste_collection_point", within_m=2000,
                               network=True)
    export.write(snap, "geojson", tmp_path / "out.zip")
    report.write_xlsx(snap, tmp_path / "bang.xlsx")
    assert set(counting.layers) == LAYERS
    assert dict(counting.layers) == dict.fromkeys(LAYERS, 1)
    assert _most(counting.records) == 1


def test_a_store_read_through_one_snapshot_per_builder_reads_more(sample_store):
    """Without a shared snapshot, each builder takes its own: still once per builder."""
    counting = CountingStore(sample_store)
    status.from_store(counting)
    greening.from_store(counting)
    # greening reads the units too: they say which zone measures which road (ntmgeo.zoning)
    assert counting.layers["roads"] == 2 and counting.layers["admin_units"] == 2


def test_ensure_keeps_a_snapshot_and_wraps_a_store(sample_store):
    snap = Snapshot.of(sample_store)
    assert ensure(snap) is snap
    assert isinstance(ensure(sample_store), Snapshot) and ensure(sample_store) is not snap
    assert snap.version() == sample_store.version() and snap.is_current()
    assert snap.measure_crs == sample_store.measure_crs == "EPSG:5899"
    assert snap.meta() == sample_store.meta() and snap.path == sample_store.path
    assert snap.layer_names() == sample_store.layer_names()


def test_the_frames_handed_out_do_not_change_the_kept_ones(sample_store):
    counting = CountingStore(sample_store)
    snap = Snapshot.of(counting)
    roads = snap.read_layer("roads")
    roads.loc[roads.index[0], "name"] = "changed in place"
    roads["road_code"] = "changed"
    again = snap.read_layer("roads")
    assert "changed" not in set(again["road_code"])
    assert "changed in place" not in set(again["name"])
    records = snap.read_records("reported_values")
    records["value"] = -1.0
    assert (snap.read_records("reported_values")["value"] != -1.0).any()
    assert counting.layers["roads"] == 1 and counting.records["reported_values"] == 1


def _june_table(tmp_path):
    table = tmp_path / "june.csv"
    table.write_text("dist_code,road_code,from,to,side,survey_date\n"
                     "674,ĐH47,Km0+000,Km2+000,left,2024-06-15\n", encoding="utf-8")
    return table


def test_a_write_changes_the_version_and_a_new_snapshot_sees_it(sample_db, tmp_path):
    store = open_store(sample_db)
    v0 = store.version()
    store.read_layer("surveys")
    store.meta()
    assert store.version() == v0, "reading changed the version"
    before = Snapshot.of(store)
    n = len(before.read_layer("surveys"))
    km = greening.from_store(before, as_of="2024-06-30")["total"]["greened_km"]

    ingest.import_file(store, "surveys", _june_table(tmp_path))
    v1 = store.version()
    assert v1 != v0 and not before.is_current()
    assert len(before.read_layer("surveys")) == n  # a snapshot keeps what it read
    after = Snapshot.of(store)
    assert after.version() == v1 and len(after.read_layer("surveys")) == n + 1
    assert greening.from_store(after, as_of="2024-06-30")["total"]["greened_km"] == (
        pytest.approx(km + 2.0, abs=0.01))

    store.add_records("reported_values", [{"unit_code": "674", "indicator_id": "2.3",
                                           "as_of": "2024-07-01", "source": "test"}])
    v2 = store.version()
    assert v2 != v1
    with pytest.raises(DuplicateIdentityError):  # a refused write changes nothing
        ingest.import_file(store, "surveys", _june_table(tmp_path))
    assert store.version() == v2
    assert open_store(sample_db).version() == v2  # the version is the file's, not the object's


def test_a_write_by_another_process_changes_the_version(sample_db, tmp_path):
    store = open_store(sample_db)
    v0 = store.version()
    table = _june_table(tmp_path)
    code = textwrap.dedent(f"""
        from ntmgeo import ingest
        from ntmgeo.store import open_store
        ingest.import_file(open_store({str(sample_db)!r}), "surveys", {str(table)!r})
    """)
    n = len(Snapshot.of(store).read_layer("surveys"))
    subprocess.run([sys.executable, "-c", code], check=True)
    assert store.version() != v0
    assert len(Snapshot.of(store).read_layer("surveys")) == n + 1


@pytest.mark.parametrize("journal", ["delete", "wal"])
def test_a_write_by_another_program_changes_the_version(sample_db, journal):
    """QGIS or GDAL editing the file: plain SQLite writes, in either journal mode."""
    store = open_store(sample_db)
    if journal == "wal":
        con = sqlite3.connect(sample_db)
        assert con.execute("PRAGMA journal_mode=WAL").fetchone()[0] == "wal"
        con.close()
    for name in ("Đường một", "Đường hai"):  # the file keeps its size: the counters differ
        before = store.version()
        time.sleep(0.01)
        con = sqlite3.connect(sample_db)
        con.execute("UPDATE roads SET name = ? WHERE fid = 1", (name,))
        con.commit()
        assert store.version() != before  # WAL mode: the log holds the write
        con.close()
        assert store.version() != before  # WAL mode: written back into the file
        assert Snapshot.of(store).read_layer("roads").loc[1, "name"] == name


def test_the_dated_view_of_units_is_worked_out_once_per_date_and_level(sample_store,
                                                                       monkeypatch):
    from ntmgeo import units as units_mod

    calls = []
    real = units_mod.valid_on
    monkeypatch.setattr(units_mod, "valid_on",
                        lambda *a, **kw: calls.append((a[1], kw.get("level"))) or real(*a, **kw))
    snap = Snapshot.of(sample_store)
    communes = snap.units_on("2024-02-29", "commune")
    assert sorted(communes["code"]) == sorted(
        real(sample_store.read_layer("admin_units"), "2024-02-29", level="commune")["code"])
    assert len(communes) == 8
    snap.units_on("2024-02-29", "commune")
    snap.units_on("2024-02-29")
    assert calls == [("2024-02-29", "commune"), ("2024-02-29", None)]
