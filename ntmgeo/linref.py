"""Linear referencing along a road: the geometry between two chainages.

A road line (from :func:`ntmgeo.indicators.roads.road_lines`) may have several parts; its
chainage runs along them one after the other, the gaps between parts not counted (as
:func:`~ntmgeo.indicators.roads.tree_lined` measures). :func:`cut_many` turns many
``(from, to)`` intervals of one road into lines at once: the cumulative lengths of the road are
computed once, and the pieces built with one call to shapely (this is
``shapely.ops.substring`` part by part, for many intervals).

Pure: geometry in, geometry out, in the line's own CRS (metres).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely

__all__ = ["cut_many"]


def cut_many(line: shapely.Geometry, from_m: Sequence[float] | np.ndarray,
             to_m: Sequence[float] | np.ndarray) -> np.ndarray:
    """The parts of ``line`` between each pair of chainages, in metres.

    Parameters
    ----------
    line : shapely.LineString or shapely.MultiLineString
        A road line; its parts are measured one after the other.
    from_m, to_m : sequence of float
        The intervals' starts and ends along the line (clipped to the line).

    Returns
    -------
    numpy.ndarray
        One geometry per interval: a LineString, a MultiLineString where the interval spans
        two parts, or an empty LineString where it covers nothing of the line.

    Examples
    --------
    >>> from shapely import LineString
    >>> [g.wkt for g in cut_many(LineString([(0, 0), (10, 0)]), [2, 8], [5, 20])]
    ['LINESTRING (2 0, 5 0)', 'LINESTRING (8 0, 10 0)']
    """
    lo_all = np.asarray(from_m, dtype=float)
    hi_all = np.asarray(to_m, dtype=float)
    count = lo_all.size
    pieces: list[np.ndarray] = []  # coordinates of each piece
    owner: list[int] = []  # the interval of each piece
    offset = 0.0
    for part in shapely.get_parts(line):
        xy = shapely.get_coordinates(part)
        if len(xy) < 2:
            continue
        cum = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(xy, axis=0).T))])
        length = float(cum[-1])
        lo = np.clip(lo_all - offset, 0.0, length)
        hi = np.clip(hi_all - offset, 0.0, length)
        offset += length
        keep = np.flatnonzero(hi > lo)
        if not keep.size:
            continue
        lo, hi = lo[keep], hi[keep]
        start = np.column_stack([np.interp(lo, cum, xy[:, 0]), np.interp(lo, cum, xy[:, 1])])
        end = np.column_stack([np.interp(hi, cum, xy[:, 0]), np.interp(hi, cum, xy[:, 1])])
        first = np.searchsorted(cum, lo, side="right")  # inner vertices: cum in (lo, hi)
        last = np.searchsorted(cum, hi, side="left")
        for k, a, b, s, e in zip(keep.tolist(), first.tolist(), last.tolist(), start, end,
                                 strict=True):
            pieces.append(np.vstack([s[None], xy[a:b], e[None]]))
            owner.append(k)
    out = np.array([shapely.LineString()] * count, dtype=object)
    if not pieces:
        return out
    sizes = np.array([len(p) for p in pieces])
    lines = shapely.linestrings(np.concatenate(pieces), indices=np.repeat(np.arange(sizes.size),
                                                                          sizes))
    owners = np.array(owner)
    per = np.bincount(owners, minlength=count)
    single = np.flatnonzero(per == 1)
    where = np.full(count, -1)
    where[owners[::-1]] = np.arange(owners.size)[::-1]  # first piece of each interval
    out[single] = lines[where[single]]
    for k in np.flatnonzero(per > 1):  # an interval across two parts of the road: rare
        out[k] = shapely.MultiLineString(list(lines[owners == k]))
    return out
