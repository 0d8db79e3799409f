"""Project stores: where a project's layers and records live.

:class:`Store` is the contract. :class:`~ntmgeo.store.gpkg.GpkgStore`, one GeoPackage file
per project, is the embedded default; a PostGIS store for a province's many users implements
the same methods. Every write is all or nothing, and changes :meth:`Store.version`.

:class:`StoreReader` is the part computations use (read a layer or a record table, the
metadata, the measuring CRS, the version): a :class:`Store` is one, and so is a
:class:`~ntmgeo.snapshot.Snapshot`, which reads each layer of a store once.
"""

from __future__ import annotations

import abc
from typing import Any, Protocol

import geopandas as gpd
import pandas as pd

__all__ = ["RECORD_TABLES", "Store", "StoreReader", "open_store"]

# Non-spatial record tables every store keeps, as (column, type) pairs. Types as in layer
# schemas: text, integer, real, amount, date, boolean, list.
RECORD_TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    # A value reported for an indicator of a unit (from a plan's table, or entered by staff).
    "reported_values": (
        ("unit_code", "text"), ("unit_valid_from", "date"), ("criteria_set", "text"),
        ("indicator_id", "text"), ("value", "real"), ("unit", "text"), ("value_text", "text"),
        ("met", "boolean"), ("as_of", "date"), ("deadline", "date"), ("deadline_text", "text"),
        ("source", "text"), ("note", "text"), ("recorded_at", "text"),
    ),
    # A document's own summary of a unit's status ("4/9 tiêu chí, 28/36 chỉ tiêu").
    "reported_summaries": (
        ("unit_code", "text"), ("unit_valid_from", "date"), ("criteria_set", "text"),
        ("as_of", "date"), ("criteria_met", "integer"), ("criteria_total", "integer"),
        ("indicators_met", "integer"), ("indicators_total", "integer"),
        ("unmet_criteria", "list"), ("unmet_indicators", "list"), ("statement", "text"),
        ("source", "text"), ("note", "text"), ("recorded_at", "text"),
    ),
    # A unit's reported NTM level and criteria count at a date.
    "unit_status": (
        ("unit_code", "text"), ("unit_valid_from", "date"), ("name", "text"), ("as_of", "date"),
        ("ntm_level", "text"), ("criteria_set", "text"), ("criteria_met", "integer"),
        ("criteria_total", "integer"), ("unmet_criteria", "list"), ("target", "text"),
        ("note", "text"), ("source", "text"), ("recorded_at", "text"),
    ),
    # A criterion of a unit reported met or unmet (a criterion the catalogue names without
    # indicators, or any criterion), with its source and date; history kept.
    "reported_criteria": (
        ("unit_code", "text"), ("unit_valid_from", "date"), ("criteria_set", "text"),
        ("criterion_id", "text"), ("met", "boolean"), ("value_text", "text"), ("as_of", "date"),
        ("source", "text"), ("note", "text"), ("recorded_at", "text"),
    ),
    # A plan's own totals of its works, per funding source (an id of
    # data/funding_sources.yml; empty: the plan's grand total), as the plan states them
    # (Tam Đường: seed 003 lines 105-109); beside them ``ntmgeo works`` shows the loaded works'.
    "reported_works": (
        ("plan", "text"), ("unit_code", "text"), ("unit_valid_from", "date"),
        ("funding_source", "text"), ("works_count", "integer"), ("amount_million_vnd", "amount"),
        ("as_of", "date"), ("source", "text"), ("note", "text"), ("recorded_at", "text"),
    ),
    # Indicator thresholds a province or a user gives (a thresholds file: ntmgeo/thresholds.py),
    # per criteria set, indicator and commune group (empty: the general threshold), with the
    # file's source and date; an indicator the catalogue lacks is added to ``criterion_id``
    # under ``indicator_name``. The latest row on or before a date applies (criteria.py,
    # ``with_thresholds``).
    "thresholds": (
        ("criteria_set", "text"), ("criterion_id", "text"), ("indicator_id", "text"),
        ("indicator_name", "text"), ("group", "text"), ("op", "text"), ("value", "real"),
        ("unit", "text"), ("text", "text"), ("as_of", "date"), ("source", "text"),
        ("note", "text"), ("recorded_at", "text"),
    ),
    # A commune's group under a set with thresholds by group (51/2025/QĐ-TTg: "1", "2", "3"),
    # with the source and date of the decision placing it; history kept.
    "unit_groups": (
        ("unit_code", "text"), ("unit_valid_from", "date"), ("criteria_set", "text"),
        ("group", "text"), ("as_of", "date"), ("source", "text"), ("note", "text"),
        ("recorded_at", "text"),
    ),
    # People who may change the store (web sign-in); passwords are stored hashed.
    "users": (("username", "text"), ("password_hash", "text"), ("created_at", "text")),
    # Every import: what, from where, how many, when.
    "imports": (
        ("layer", "text"), ("source", "text"), ("features", "integer"), ("mode", "text"),
        ("imported_at", "text"), ("user", "text"),
    ),
}


class StoreReader(Protocol):
    """What computations and document builders read: a :class:`Store`, or a snapshot of one
    (:class:`ntmgeo.snapshot.Snapshot`).
    """

    def layer_names(self) -> list[str]:
        """Names of the layers the store holds."""

    def read_layer(self, name: str) -> gpd.GeoDataFrame:
        """All features of a layer."""

    def read_records(self, table: str) -> pd.DataFrame:
        """All rows of a record table."""

    def meta(self) -> dict[str, str]:
        """Project metadata."""

    def version(self) -> str:
        """The store's version (see :meth:`Store.version`)."""

    @property
    def measure_crs(self) -> str:
        """The projected CRS lengths and areas are measured in."""


class Store(abc.ABC):
    """What a project store offers. Geometry is in ``settings.storage_crs``."""

    @abc.abstractmethod
    def layer_names(self) -> list[str]:
        """Names of the layers the store holds."""

    @abc.abstractmethod
    def read_layer(self, name: str) -> gpd.GeoDataFrame:
        """All features of a layer, with one column per schema field."""

    @abc.abstractmethod
    def write_features(
        self, name: str, gdf: gpd.GeoDataFrame, *, replace: bool = False, source: str = "",
        user: str = "",
    ) -> int:
        """Append (or, with ``replace``, substitute the layer's content with) conformed features.

        All or nothing: on any error, or if the process dies, the store is unchanged.
        Raises DuplicateIdentityError when appending a feature whose identity is stored.
        """

    @abc.abstractmethod
    def read_records(self, table: str) -> pd.DataFrame:
        """All rows of a record table (see ``RECORD_TABLES``)."""

    @abc.abstractmethod
    def add_records(self, table: str, rows: list[dict[str, Any]]) -> int:
        """Append rows to a record table, all or nothing."""

    @abc.abstractmethod
    def meta(self) -> dict[str, str]:
        """Project metadata: ``title``, ``prov_code``, ``measure_crs``, ``format_version``, …."""

    @abc.abstractmethod
    def version(self) -> str:
        """A token that changes whenever the store's content does: after every write (of
        features or records, by this process or another), never otherwise between two
        writes. Equal tokens mean equal content, so what was computed from the store may be
        kept until the token changes (:class:`ntmgeo.snapshot.Snapshot`, the web's cache).
        """

    @abc.abstractmethod
    def counts(self) -> dict[str, int]:
        """Number of features per layer and rows per record table."""

    @property
    def measure_crs(self) -> str:
        """The projected CRS lengths and areas are measured in (the province's VN-2000 zone)."""
        return self.meta()["measure_crs"]


def open_store(path: Any) -> Store:
    """Open an existing store (today: a GeoPackage path)."""
    from .gpkg import GpkgStore

    return GpkgStore.open(path)
