"""The embedded store: one GeoPackage file per project, written through SQLite transactions.

Layer tables follow the GeoPackage 1.4 encoding, so QGIS, GDAL/pyogrio and ArcGIS open the
file as it is. ntmgeo writes them with :mod:`sqlite3` itself rather than through GDAL so that
a whole import (delete + insert + bookkeeping) is one transaction: an error, or a killed
process, leaves the file exactly as it was (SQLite's rollback journal). The tables carry no
R-tree index (its GDAL triggers call SQL functions that plain SQLite lacks); a provincial
deployment with large layers uses the PostGIS store instead.

Every write transaction also bumps a counter in ``ntmgeo_meta`` (``write_count``), in the
same transaction: :meth:`GpkgStore.version` reads it, with SQLite's file change counter and
the file's (and write-ahead log's) size and time for writes by other programs (QGIS editing
the file).
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS
from pyproj.enums import WktVersion

from .. import settings
from .._errors import DuplicateIdentityError, StoreError
from .._files import atomic_path
from ..crs import measure_crs_for_province
from ..fieldvalues import LIST_SEPARATOR
from ..layers import LayerSchema, all_schemas, identity_keys, load_schema
from . import RECORD_TABLES, Store

__all__ = ["FORMAT_VERSION", "GpkgStore"]

FORMAT_VERSION = "1"
_APPLICATION_ID = 0x47504B47  # "GPKG"
_USER_VERSION = 10400
_SQL_TYPES = {
    "text": "TEXT",
    "integer": "INTEGER",
    "real": "REAL",
    "amount": "REAL",
    "date": "DATE",
    "boolean": "BOOLEAN",
    "list": "TEXT",
}
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}
_WRITE_COUNT = "write_count"  # ntmgeo_meta key bumped by every write transaction
_BUMP = (f"INSERT INTO ntmgeo_meta (key, value) VALUES ('{_WRITE_COUNT}', '1') "
         "ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1")


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _srs_rows(epsg: int) -> tuple[Any, ...]:
    crs = CRS.from_epsg(epsg)
    return (crs.name, epsg, "EPSG", epsg, crs.to_wkt(WktVersion.WKT1_GDAL), crs.name)


def _encode_geometries(geoms: np.ndarray, srs_id: int) -> list[bytes | None]:
    """GeoPackage binary geometries: header ('GP', version, flags, srs, envelope) + ISO WKB;
    NULL for a missing geometry (a layer whose geometry is optional).
    """
    wkbs = shapely.to_wkb(geoms, byte_order=1, flavor="iso", output_dimension=2)
    bounds = shapely.bounds(geoms)
    out: list[bytes | None] = []
    for wkb, (minx, miny, maxx, maxy) in zip(wkbs, bounds, strict=True):
        if wkb is None:
            out.append(None)
            continue
        header = struct.pack("<2sBBi4d", b"GP", 0, 0b00000011, srs_id, minx, maxx, miny, maxy)
        out.append(header + wkb)
    return out


def _decode_geometries(blobs: list[bytes | None]) -> np.ndarray:
    wkbs: list[bytes | None] = []
    for blob in blobs:
        if blob is None:
            wkbs.append(None)
            continue
        flags = blob[3]
        if flags & 0b00010000:  # empty geometry flag
            wkbs.append(None)
            continue
        env = _ENVELOPE_BYTES[(flags >> 1) & 0b111]
        wkbs.append(bytes(blob[8 + env:]))
    return shapely.from_wkb(np.array(wkbs, dtype=object))


def _to_sql(kind: str, value: Any) -> Any:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if kind == "list":
        return LIST_SEPARATOR.join(str(v) for v in value)
    if kind == "boolean":
        return int(bool(value))
    if kind == "integer":
        return int(value)
    if kind in ("real", "amount"):
        return float(value)
    return str(value)


def _from_sql(kind: str, series: pd.Series) -> pd.Series:
    if kind == "list":
        return series.map(
            lambda v: None if v is None else [p for p in v.split(LIST_SEPARATOR) if p])
    if kind == "boolean":
        return series.map(lambda v: None if v is None else bool(v)).astype(object)
    if kind == "integer":
        return series.astype("Int64")
    if kind in ("real", "amount"):
        return series.astype("float64")
    return series.astype(object)


class GpkgStore(Store):
    """A project in one GeoPackage file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    # ---------------------------------------------------------------- opening and creating
    @classmethod
    def open(cls, path: Any) -> GpkgStore:
        """Open an existing ntmgeo GeoPackage."""
        path = Path(path)
        if not path.is_file():
            raise StoreError("{path}: no store here", path=path, hint="init")
        store = cls(path)
        try:
            with store._connect() as con:
                (app_id,) = con.execute("PRAGMA application_id").fetchone()
                has_meta = con.execute(
                    "SELECT 1 FROM sqlite_master WHERE name='ntmgeo_meta'").fetchone()
        except sqlite3.DatabaseError as exc:
            raise StoreError("{path}: not a GeoPackage ({reason})", path=path,
                             reason=str(exc)) from None
        if app_id != _APPLICATION_ID or not has_meta:
            raise StoreError("{path}: not an ntmgeo store (no ntmgeo_meta table)", path=path)
        store._add_missing_record_tables()
        store._add_missing_columns()
        return store

    def _add_missing_columns(self) -> None:
        """Bring a store made by an older ntmgeo up to date: a field added to a layer since
        (optional ones only, e.g. ``extra``) gets its column, empty.
        """
        with self._connect() as con:
            present = {r[0] for r in con.execute(
                "SELECT table_name FROM gpkg_contents WHERE data_type='features'")}
            columns = {name: {r[1] for r in con.execute(f"PRAGMA table_info({_q(name)})")}
                       for name in present}
        missing = [(s.name, f) for s in all_schemas() if s.name in columns
                   for f in s.fields if f.name not in columns[s.name] and not f.required]
        if missing:
            with self._transaction() as con:
                for table, f in missing:
                    con.execute(f"ALTER TABLE {_q(table)} ADD COLUMN {_q(f.name)} "
                                f"{_SQL_TYPES[f.type]}")

    def _add_missing_record_tables(self) -> None:
        """Bring a store made by an older ntmgeo up to date: new record tables and new
        (empty) layers.
        """
        with self._connect() as con:
            present = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
        missing = [t for t in RECORD_TABLES if t not in present]
        new_layers = [s for s in all_schemas() if s.name not in present]
        if missing or new_layers:
            with self._transaction() as con:
                for table in missing:
                    self._create_record_table(con, table)
                for schema in new_layers:
                    self._create_layer(con, schema)

    @classmethod
    def create(
        cls, path: Any, *, prov_code: str, title: str = "", overwrite: bool = False
    ) -> GpkgStore:
        """Create an empty store for a province (its VN-2000 zone becomes the measuring CRS)."""
        path = Path(path)
        measure = measure_crs_for_province(prov_code)
        if path.exists() and not overwrite:
            raise StoreError("{path}: already exists", path=path, hint="force")
        with atomic_path(path) as tmp:  # a failed creation leaves nothing at ``path``
            store = cls(tmp)
            with store._transaction() as con:
                store._create_schema(con, prov_code=prov_code, measure=measure, title=title)
        return cls(path)

    def _create_schema(self, con: sqlite3.Connection, *, prov_code: str, measure: str,
                       title: str) -> None:
        con.execute(f"PRAGMA application_id = {_APPLICATION_ID}")
        con.execute(f"PRAGMA user_version = {_USER_VERSION}")
        ddl = """
            CREATE TABLE gpkg_spatial_ref_sys (
              srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
              organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL,
              description TEXT);
            CREATE TABLE gpkg_contents (
              table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
              identifier TEXT UNIQUE, description TEXT DEFAULT '',
              last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
              min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
              CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id)
                REFERENCES gpkg_spatial_ref_sys(srs_id));
            CREATE TABLE gpkg_geometry_columns (
              table_name TEXT NOT NULL, column_name TEXT NOT NULL,
              geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL,
              z TINYINT NOT NULL, m TINYINT NOT NULL,
              CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
              CONSTRAINT uk_gc_table_name UNIQUE (table_name),
              CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
              CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id)
                REFERENCES gpkg_spatial_ref_sys (srs_id));
            CREATE TABLE ntmgeo_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        """
        for statement in ddl.split(";"):
            if statement.strip():
                con.execute(statement)
        con.executemany(
            "INSERT INTO gpkg_spatial_ref_sys VALUES (?,?,?,?,?,?)",
            [("Undefined cartesian SRS", -1, "NONE", -1, "undefined", None),
             ("Undefined geographic SRS", 0, "NONE", 0, "undefined", None),
             _srs_rows(4326)],
        )
        for schema in all_schemas():
            self._create_layer(con, schema)
        for table in RECORD_TABLES:
            self._create_record_table(con, table)
        meta = {"format_version": FORMAT_VERSION, "title": title, "prov_code": prov_code,
                "measure_crs": measure, "storage_crs": settings.storage_crs,
                "created_at": _now()}
        con.executemany("INSERT INTO ntmgeo_meta VALUES (?, ?)", list(meta.items()))

    def _create_record_table(self, con: sqlite3.Connection, table: str) -> None:
        cols = ", ".join(f"{_q(c)} {_SQL_TYPES[t]}" for c, t in RECORD_TABLES[table])
        con.execute(f"CREATE TABLE {_q(table)} "
                    f"(fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, {cols})")
        con.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier) "
                    "VALUES (?, 'attributes', ?)", (table, table))

    def _create_layer(self, con: sqlite3.Connection, schema: LayerSchema) -> None:
        srs_id = int(schema.storage_crs.split(":")[1])
        cols = []
        for f in schema.fields:
            null = " NOT NULL" if f.required else ""
            cols.append(f"{_q(f.name)} {_SQL_TYPES[f.type]}{null}")
        con.execute(
            f"CREATE TABLE {_q(schema.name)} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, "
            f"geom {schema.storage_type}, {', '.join(cols)})"
        )
        ident = ", ".join(_q(c) for c in schema.identity)
        con.execute(f"CREATE UNIQUE INDEX {_q('uq_' + schema.name)} "
                    f"ON {_q(schema.name)} ({ident})")
        con.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) "
            "VALUES (?, 'features', ?, ?, ?)",
            (schema.name, schema.name, schema.title["vi"], srs_id),
        )
        con.execute("INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, ?, 0, 0)",
                    (schema.name, schema.storage_type, srs_id))

    # ---------------------------------------------------------------- connections
    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        con = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        try:
            yield con
        finally:
            con.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._connect() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
                con.execute(_BUMP)  # the store's version changes with the write, atomically
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    # ---------------------------------------------------------------- reading
    def meta(self) -> dict[str, str]:
        """Project metadata (without the write counter: see :meth:`version`)."""
        with self._connect() as con:
            return dict(con.execute("SELECT key, value FROM ntmgeo_meta WHERE key != ?",
                                    (_WRITE_COUNT,)).fetchall())

    def version(self) -> str:
        """Changes with every write (see :meth:`Store.version`), from any process.

        Four parts: ntmgeo's write counter (bumped inside each write transaction, so a
        rolled-back or killed write leaves it, like the content, as it was); SQLite's file
        change counter (bytes 24-27 of the header, incremented by every write committed in
        rollback-journal mode, ntmgeo's or another program's); the file's size and time; and
        the write-ahead log's, where one holds frames (a program that switched the file to WAL
        mode, as QGIS may, commits there, and the change counter is not kept in that mode).
        File times alone would not do: two writes within the file system's time resolution
        that leave the size unchanged would look like none. The counters make ntmgeo's writes
        and rollback-mode writes exact; only another program's writes in WAL mode rest on the
        file times.
        """
        with self._connect() as con:
            row = con.execute("SELECT value FROM ntmgeo_meta WHERE key = ?",
                              (_WRITE_COUNT,)).fetchone()
        with self.path.open("rb") as fh:
            header = fh.read(28)
            st = os.fstat(fh.fileno())
        change = int.from_bytes(header[24:28], "big") if len(header) == 28 else 0
        parts = [str(row[0] if row else 0), str(change), f"{st.st_size}-{st.st_mtime_ns}"]
        try:
            wal = self.path.with_name(self.path.name + "-wal").stat()
        except OSError:
            wal = None
        if wal is not None and wal.st_size > 0:
            parts.append(f"{wal.st_size}-{wal.st_mtime_ns}")
        return ".".join(parts)

    def layer_names(self) -> list[str]:
        """Layers held by this store."""
        with self._connect() as con:
            rows = con.execute("SELECT table_name FROM gpkg_contents "
                               "WHERE data_type='features' ORDER BY table_name").fetchall()
        return [r[0] for r in rows]

    def read_layer(self, name: str) -> gpd.GeoDataFrame:
        """All features of ``name`` (fields as in the schema, geometry in WGS 84)."""
        schema = load_schema(name)
        if name not in self.layer_names():
            raise StoreError("{path}: has no layer '{name}'", path=self.path, name=name)
        cols = ", ".join(_q(c) for c in schema.field_names)
        with self._connect() as con:
            cur = con.execute(f"SELECT fid, geom, {cols} FROM {_q(name)} ORDER BY fid")
            rows = cur.fetchall()
        frame = pd.DataFrame(rows, columns=["fid", "geom", *schema.field_names], dtype=object)
        for f in schema.fields:
            frame[f.name] = _from_sql(f.type, frame[f.name])
        geoms = _decode_geometries(frame.pop("geom").tolist())
        frame = frame.set_index("fid")
        return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, index=frame.index),
                                crs=schema.storage_crs)

    def read_records(self, table: str) -> pd.DataFrame:
        """All rows of a record table."""
        columns = RECORD_TABLES.get(table)
        if columns is None:
            raise StoreError("unknown record table '{table}'", table=table)
        names = [c for c, _ in columns]
        with self._connect() as con:
            rows = con.execute(f"SELECT {', '.join(_q(c) for c in names)} FROM {_q(table)} "
                               "ORDER BY fid").fetchall()
        frame = pd.DataFrame(rows, columns=names, dtype=object)
        for col, kind in columns:
            frame[col] = _from_sql(kind, frame[col])
        return frame

    def counts(self) -> dict[str, int]:
        """Features per layer and rows per record table."""
        with self._connect() as con:
            tables = [r[0] for r in con.execute(
                "SELECT table_name FROM gpkg_contents ORDER BY table_name").fetchall()]
            return {t: con.execute(f"SELECT count(*) FROM {_q(t)}").fetchone()[0]
                    for t in tables}

    # ---------------------------------------------------------------- writing
    def write_features(
        self, name: str, gdf: gpd.GeoDataFrame, *, replace: bool = False, source: str = "",
        user: str = "",
    ) -> int:
        """Append or replace features, in one transaction (see :class:`Store`)."""
        schema = load_schema(name)
        if gdf.crs is None or not gdf.crs.equals(schema.storage_crs):
            raise StoreError("features for '{name}' must be in {crs}", name=name,
                             crs=schema.storage_crs)
        srs_id = int(schema.storage_crs.split(":")[1])
        blobs = _encode_geometries(np.asarray(gdf.geometry.values, dtype=object), srs_id)
        kinds = [f.type for f in schema.fields]
        values = gdf[schema.field_names].to_numpy(dtype=object)
        rows = [(blob, *(_to_sql(k, v) for k, v in zip(kinds, row, strict=True)))
                for blob, row in zip(blobs, values, strict=True)]
        cols = ", ".join(["geom", *(_q(c) for c in schema.field_names)])
        marks = ", ".join("?" * (len(schema.field_names) + 1))
        with self._transaction() as con:
            if replace:
                con.execute(f"DELETE FROM {_q(name)}")
            else:
                self._reject_stored_identities(con, schema, gdf, source)
            self._insert_rows(con, f"INSERT INTO {_q(name)} ({cols}) VALUES ({marks})", rows)
            self._update_extent(con, name)
            self._log_import(con, name, source, len(rows), "replace" if replace else "append",
                             user)
        return len(rows)

    def _insert_rows(self, con: sqlite3.Connection, sql: str, rows: list[tuple[Any, ...]]) -> None:
        try:
            con.executemany(sql, rows)
        except sqlite3.IntegrityError as exc:
            raise DuplicateIdentityError("rejected by the store ({reason})", reason=str(exc),
                                         path=str(self.path)) from None

    def _reject_stored_identities(self, con: sqlite3.Connection, schema: LayerSchema,
                                  gdf: gpd.GeoDataFrame, source: str) -> None:
        """Refuse a feature whose identity, folded as the schema says (``DH42`` is ``ĐH42``),
        is already stored.
        """
        cols = ", ".join(_q(c) for c in schema.identity)
        rows = con.execute(f"SELECT {cols} FROM {_q(schema.name)}").fetchall()
        if not rows:
            return
        stored_frame = pd.DataFrame(rows, columns=list(schema.identity), dtype=object)
        stored = dict(zip(identity_keys(schema, stored_frame), rows, strict=True))
        for number, key in enumerate(identity_keys(schema, gdf), start=1):
            if key in stored:
                ident = ", ".join(f"{k}={v}" for k, v in zip(schema.identity, stored[key],
                                                             strict=True))
                msg = "a feature with ({identity}) is already stored in layer '{layer}'"
                raise DuplicateIdentityError(msg, path=source or None, feature=number,
                                             identity=ident, layer=schema.name, hint="replace")

    def _update_extent(self, con: sqlite3.Connection, name: str) -> None:
        blobs = [r[0] for r in con.execute(f"SELECT geom FROM {_q(name)}")]
        extent: tuple[Any, ...] = (None, None, None, None)
        if blobs:
            minx, maxx, miny, maxy = np.inf, -np.inf, np.inf, -np.inf
            for blob in blobs:
                if blob is not None and (blob[3] >> 1) & 0b111 >= 1:
                    x0, x1, y0, y1 = struct.unpack_from("<4d", blob, 8)
                    minx, maxx = min(minx, x0), max(maxx, x1)
                    miny, maxy = min(miny, y0), max(maxy, y1)
            if np.isfinite(minx):
                extent = (minx, miny, maxx, maxy)
        con.execute("UPDATE gpkg_contents SET min_x=?, min_y=?, max_x=?, max_y=?, "
                    "last_change=strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE table_name=?",
                    (*extent, name))

    def _log_import(self, con: sqlite3.Connection, layer: str, source: str, count: int,
                    mode: str, user: str) -> None:
        self._insert_records(con, "imports", [{
            "layer": layer, "source": source, "features": count, "mode": mode,
            "imported_at": _now(), "user": user,
        }])

    def _insert_records(self, con: sqlite3.Connection, table: str,
                        rows: list[dict[str, Any]]) -> None:
        columns = RECORD_TABLES[table]
        names = [c for c, _ in columns]
        unknown = {k for row in rows for k in row} - set(names)
        if unknown:
            raise StoreError("record table '{table}' has no column(s) {names}", table=table,
                             names=sorted(unknown))
        data = [tuple(_to_sql(kind, row.get(col)) for col, kind in columns) for row in rows]
        con.executemany(f"INSERT INTO {_q(table)} ({', '.join(_q(c) for c in names)}) "
                        f"VALUES ({', '.join('?' * len(names))})", data)

    def add_records(self, table: str, rows: list[dict[str, Any]]) -> int:
        """Append rows to a record table, in one transaction."""
        if table not in RECORD_TABLES:
            raise StoreError("unknown record table '{table}'", table=table)
        stamped = [{**row, "recorded_at": row.get("recorded_at") or _now()}
                   if "recorded_at" in dict(RECORD_TABLES[table]) else row for row in rows]
        with self._transaction() as con:
            self._insert_records(con, table, stamped)
        return len(rows)
