"""A snapshot of a store: each layer and record table read once, kept, tagged with a version.

Computations and document builders read through a snapshot: :func:`ensure` at the entry of
each public builder (:func:`ntmgeo.status.from_store`, :func:`ntmgeo.computed.compute_all`,
:func:`ntmgeo.greening.from_store`, :func:`ntmgeo.derived.export_layers`,
:func:`ntmgeo.progress.from_store`, :mod:`ntmgeo.coverage`, the exports) wraps a store in one,
so every inner call shares it, and a snapshot passed in is used as it is: the status, the
greening, the map layers and the exports of one request read each layer at most once, and
share one dated view of the administrative units (:meth:`Snapshot.units_on`). Only
the shells (CLI, web, scripts) open stores; the web keeps one snapshot per store version
(:meth:`ntmgeo.store.Store.version`) and drops it, with what it computed from it, when the
version changes.

A snapshot is read-only: writes go to the store (then a new snapshot sees them). The frames
it returns are shallow copies of the ones it keeps (pandas copy-on-write: changing one never
changes the kept frame).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

import geopandas as gpd
import pandas as pd

from .store import StoreReader

__all__ = ["Snapshot", "ensure", "units_on"]

_T = TypeVar("_T")


class Snapshot:
    """The layers and records of a store, each read on first use and kept.

    Parameters
    ----------
    store : StoreReader
        The store to read (a :class:`~ntmgeo.store.Store`).
    version : str, optional
        The store's version the snapshot stands for; default ``store.version()``, asked
        before anything is read (so the content read is never older than the version).
    """

    def __init__(self, store: StoreReader, *, version: str | None = None) -> None:
        self.store = store
        self._version = store.version() if version is None else version
        self._kept: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()
        self._reading: dict[tuple[str, str], threading.Lock] = {}

    @classmethod
    def of(cls, store: StoreReader) -> Snapshot:
        """A snapshot of ``store`` at its current version."""
        return cls(store)

    # ------------------------------------------------------------------ the read interface
    def version(self) -> str:
        """The version of the store this snapshot was taken at."""
        return self._version

    def is_current(self) -> bool:
        """Whether the store is still at the snapshot's version (nothing written since)."""
        return self.store.version() == self._version

    def layer_names(self) -> list[str]:
        """Names of the layers the store holds."""
        return list(self._once("layer_names", "", self.store.layer_names))

    def read_layer(self, name: str) -> gpd.GeoDataFrame:
        """All features of a layer (read from the store the first time only)."""
        frame = self._once("layer", name, lambda: self.store.read_layer(name))
        return frame.copy(deep=False)

    def read_records(self, table: str) -> pd.DataFrame:
        """All rows of a record table (read from the store the first time only)."""
        frame = self._once("records", table, lambda: self.store.read_records(table))
        return frame.copy(deep=False)

    def units_on(self, date: str, level: str | None = None) -> gpd.GeoDataFrame:
        """The administrative units valid on ``date`` (of one ``level``, or all): the dated
        view every builder of one request shares (worked out once per date and level).
        """
        from . import units as units_mod

        frame = self._once("units_on", f"{date}|{level or ''}", lambda: units_mod.valid_on(
            self.read_layer("admin_units"), date, level=level))
        return frame.copy(deep=False)

    def meta(self) -> dict[str, str]:
        """Project metadata."""
        return dict(self._once("meta", "", self.store.meta))

    @property
    def measure_crs(self) -> str:
        """The projected CRS lengths and areas are measured in (the province's VN-2000 zone)."""
        return self.meta()["measure_crs"]

    @property
    def zoning(self) -> Any:
        """The zones features are measured in (:func:`ntmgeo.zoning.of_units`, worked out
        once): one zone, :attr:`measure_crs`, unless the store's units span zones.
        """
        from . import zoning

        return self._once("zoning", "", lambda: zoning.of_units(
            self.read_layer("admin_units"), self.measure_crs))

    @property
    def path(self) -> Any:
        """The store's file, where it has one (``None`` otherwise)."""
        return getattr(self.store, "path", None)

    def __repr__(self) -> str:
        """The store and the version."""
        return f"Snapshot({self.store!r}, version={self._version!r})"

    # ------------------------------------------------------------------ keeping
    def _once(self, kind: str, name: str, read: Callable[[], _T]) -> _T:
        """``read()`` the first time ``(kind, name)`` is asked for, the kept value after;
        concurrent first requests (web threads) wait for one read. A failed read is not
        kept.
        """
        key = (kind, name)
        with self._lock:
            if key in self._kept:
                return self._kept[key]
            reading = self._reading.setdefault(key, threading.Lock())
        with reading:
            with self._lock:
                if key in self._kept:
                    return self._kept[key]
            value = read()
            with self._lock:
                self._kept[key] = value
                self._reading.pop(key, None)
        return value


def ensure(store: StoreReader) -> Snapshot:
    """``store`` itself if it is a snapshot, else a new snapshot of it.

    Public builders call this on entry, so that every inner call reads through one snapshot;
    a caller that builds several documents passes one snapshot to all of them.
    """
    return store if isinstance(store, Snapshot) else Snapshot.of(store)


def units_on(store: StoreReader, date: str, level: str | None = None) -> gpd.GeoDataFrame:
    """The units of ``store`` valid on ``date`` (of one ``level``, or all), through the
    snapshot's dated view when ``store`` is one.
    """
    return ensure(store).units_on(date, level)
