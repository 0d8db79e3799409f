"""Chainage tables: survey teams' notes such as "ĐH42, Km0+00 → Km1+750, bên phải".

A CSV with columns ``dist_code, road_code, from, to`` (and optionally ``side``, ``survey_date``,
``survey_id``, ``surveyor``, ``note``) is turned into survey lines: the stretch of the road's
centreline between the two chainages, cut in the measuring CRS. ``from`` and ``to`` accept
"Km4+00", "Km106+020" and plain metres.
"""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from . import settings, zoning
from ._errors import InputError
from .codes import fold_code
from .linref import cut, parse_chainage

__all__ = ["is_chainage_table", "read_chainage_table", "surveys_from_chainage"]

_FROM = ("from", "from_m", "tu", "từ", "km_from", "start")
_TO = ("to", "to_m", "den", "đến", "km_to", "end")
_SIDE_WORDS = {"trái": "left", "trai": "left", "phải": "right", "phai": "right",
               "hai bên": "both", "hai ben": "both"}


def _col(columns: list[str], names: tuple[str, ...]) -> str | None:
    folded = {str(c).strip().lower(): c for c in columns}
    return next((folded[n] for n in names if n in folded), None)


def is_chainage_table(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a CSV whose header names a road and a from/to chainage."""
    path = Path(path)
    if path.suffix.lower() != ".csv" or not path.is_file():
        return False
    with path.open(encoding="utf-8-sig", errors="replace") as fh:
        header = [h.strip() for h in fh.readline().split(",")]
    return all(_col(header, names) for names in (("road_code",), _FROM, _TO))


def read_chainage_table(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a chainage CSV as text columns, with ``from``/``to`` columns normalised."""
    path = Path(path)
    if path.stat().st_size > settings.max_input_bytes:
        raise InputError("file is larger than the limit", path=str(path))
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError("cannot be read as UTF-8 CSV ({reason})", path=str(path),
                         reason=str(exc)) from None
    cols = list(table.columns)
    return table.rename(columns={_col(cols, _FROM): "from", _col(cols, _TO): "to"})


def surveys_from_chainage(table: pd.DataFrame, roads: gpd.GeoDataFrame, *,
                          crs: str | zoning.Zoning,
                          source: str = "<table>") -> gpd.GeoDataFrame:
    """Survey lines (in ``roads``' CRS) for each row of a chainage table.

    Each row's road is found by (``dist_code``, ``road_code``), compared as people write them
    (``DH42`` is ``ĐH42``, :mod:`ntmgeo.codes`); a row without ``dist_code`` takes the one road
    of its code when only one district has it. A road in several parts is chained in order. A
    chainage beyond the road's length, a ``from`` not before ``to``, or an unknown road is an
    :class:`InputError` naming the row. Chainage is measured in ``crs``, or along each road in
    its zone where ``crs`` is a store's zones (:mod:`ntmgeo.zoning`).
    """
    if table.empty:
        raise InputError("contains no rows", path=source)
    lines: dict[tuple[str, str], shapely.Geometry] = {}
    zone_of: dict[int, str] = {}  # id of a road's line -> the zone its chainage runs in
    for zone, chained in zoning.road_lines(roads, crs):
        for d, c, g in zip(chained["dist_code"], chained["road_code"], chained.geometry,
                           strict=True):
            lines[(fold_code(str(d)), fold_code(str(c)))] = g
            zone_of[id(g)] = zone
    by_code: dict[str, list[shapely.Geometry]] = {}
    for (_, code), line in lines.items():
        by_code.setdefault(code, []).append(line)
    geoms, zones, rows = [], [], []
    for number, (_, row) in enumerate(table.iterrows(), start=1):
        dist, code = str(row.get("dist_code", "")).strip(), str(row["road_code"]).strip()
        line = lines.get((fold_code(dist), fold_code(code)))
        if line is None and not dist and len(by_code.get(fold_code(code), [])) == 1:
            line = by_code[fold_code(code)][0]  # no district written, one road of that code
        if line is None:
            raise InputError("no road ({dist}, {code}) in the roads layer", path=source,
                             feature=number, field="road_code", dist=dist, code=code)
        try:
            start, end = parse_chainage(row["from"]), parse_chainage(row["to"])
        except InputError as exc:
            raise InputError(exc.message, path=source, feature=number, field="from/to") from None
        if not 0 <= start < end:
            raise InputError("'from' ({start}) must come before 'to' ({end})",
                             path=source, feature=number, field="from/to", start=row["from"],
                             end=row["to"])
        if end > line.length + 1.0:
            raise InputError("'to' ({end}) is beyond the road's end ({length:.0f} m)",
                             path=source, feature=number, field="to", end=row["to"],
                             length=line.length)
        geoms.append(cut(line, start, min(end, line.length)))
        zones.append(zone_of[id(line)])
        side = str(row.get("side", "")).strip().lower()
        rows.append({**row.to_dict(), "side": _SIDE_WORDS.get(side, side) or None,
                     "source_file": Path(source).name})
    shown = np.empty(len(geoms), dtype=object)
    where = np.asarray(zones, dtype=object)
    for zone in set(zones):  # each cut from its zone into the roads' CRS
        mine = where == zone
        shown[mine] = gpd.GeoSeries(np.asarray(geoms, dtype=object)[mine],
                                    crs=zone).to_crs(roads.crs).values
    out = gpd.GeoDataFrame(rows, geometry=list(shown), crs=roads.crs)
    return out.drop(columns=["from", "to"])
