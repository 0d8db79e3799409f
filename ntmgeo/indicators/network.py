"""Criterion 2 (transport), indicator 2.1: the road network reaches every commune.

* :func:`road_graph` builds a graph from road lines; :func:`snap`, :func:`distances` and
  :func:`reach` answer questions over it (which roads are connected, how far along them);
  :mod:`ntmgeo.coverage` reuses them for service areas along the roads.
* :func:`district_centre` finds the district centre in the ``sites`` layer.
* :func:`connectivity` is indicator 2.1: every commune centre reaches the district centre
  over the roads.

How the graph is built
----------------------
Everything is measured in metres in the ``crs`` the caller names (the province's VN-2000 TM-3
zone); inputs in any CRS are reprojected first.

1. Every part of every road line is a piece of road.
2. **Near ends are joined**: an end of a piece lying within ``tolerance`` (default
   :data:`DEFAULT_TOLERANCE_M`, 20 m) of another piece, without touching it, is joined to the
   nearest point of that piece by a short connector (a road digitised to stop a few metres
   short of the road it meets, or a GPS trace ending beside it). Only *ends* are joined: two
   roads passing each other closer than the tolerance, without one ending there, stay apart
   (a bridge, a road running beside another).
3. The pieces and connectors are **noded** (split where they cross or touch, coordinates on a
   1 mm grid): every crossing is a junction. Each noded piece is an edge between two nodes,
   weighted by its length; the edge keeps the road (``dist_code/road_code``) it lies on.

Connected components say which roads can be driven to from which; shortest distances along
the edges (Dijkstra) say how far. Nothing here needs a graph library.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.ops

from ..measure import projected

__all__ = [
    "CENTRE_SITE_TYPES",
    "DEFAULT_SNAP_M",
    "DEFAULT_TOLERANCE_M",
    "RoadGraph",
    "components",
    "connectivity",
    "distances",
    "district_centre",
    "reach",
    "road_graph",
    "snap",
]

DEFAULT_TOLERANCE_M = 20.0
"""Road ends closer than this to another road are joined to it (m).

Road layers digitised from different sources (a district's roads on top of the national roads)
rarely meet exactly: an end stopping 5-15 m short of the road it joins is common, and phone
GPS is off by 5-10 m. Much more than 20 m would join dead ends that really stop before a road
(a track ending at a river bank opposite a road).
"""

DEFAULT_SNAP_M = 2000.0
"""A point farther than this from every road is not on the network (m).

A commune centre (or a facility) reaches the roads over the last stretch on foot or on a track
the layer does not hold; 2 km is about the distance from a rural commune's seat to the road
through its centre in the mountain districts, and keeps a point across a valley off a road it
does not use.
"""

CENTRE_SITE_TYPES = ("bus_station", "market")
"""Site types that mark the district centre, in order of preference (see
:func:`district_centre`)."""

_GRID_M = 1e-3  # noding grid (1 mm)
_OVERSHOOT_M = 1e-2  # a connector runs 1 cm past the road it joins, so noding sees a crossing
_ON_ROAD_M = 1e-2  # an edge whose middle is this close to a road piece lies on that road


@dataclass(frozen=True)
class RoadGraph:
    """Roads as a graph of edges between nodes, in metres in ``crs``.

    Attributes
    ----------
    crs : str
        The projected CRS every coordinate is in.
    edges : numpy.ndarray
        One LineString per edge.
    u, v : numpy.ndarray
        The nodes at the start and end of each edge.
    length : numpy.ndarray
        Length of each edge (m).
    nodes : numpy.ndarray
        ``(n, 2)`` node coordinates.
    road : numpy.ndarray
        Per edge, the index in ``road_ids`` of the road it lies on (-1 for a connector).
    road_ids : list of str
        ``"dist_code/road_code"`` of each road (the index label where the identity is missing).
    """

    crs: str
    edges: np.ndarray
    u: np.ndarray
    v: np.ndarray
    length: np.ndarray
    nodes: np.ndarray
    road: np.ndarray
    road_ids: list[str]

    @property
    def tree(self) -> shapely.STRtree:
        """Spatial index of the edges."""
        return shapely.STRtree(self.edges)


def _road_ids(roads: gpd.GeoDataFrame) -> list[str]:
    if {"dist_code", "road_code"} <= set(roads.columns):
        return [f"{d}/{c}" if pd.notna(d) and pd.notna(c) else str(i)
                for i, d, c in zip(roads.index, roads["dist_code"], roads["road_code"],
                                   strict=True)]
    return [str(i) for i in roads.index]


def _connectors(parts: np.ndarray, tolerance: float) -> np.ndarray:
    """Short lines joining each end of a piece to the pieces within ``tolerance`` of it."""
    if not len(parts) or tolerance <= 0:
        return np.empty(0, dtype=object)
    ends = np.concatenate([shapely.get_point(parts, 0), shapely.get_point(parts, -1)])
    own = np.concatenate([np.arange(len(parts))] * 2)
    pt, piece = shapely.STRtree(parts).query(ends, predicate="dwithin", distance=tolerance)
    keep = piece != own[pt]
    pt, piece = pt[keep], piece[keep]
    target = shapely.line_interpolate_point(parts[piece],
                                            shapely.line_locate_point(parts[piece], ends[pt]))
    start, stop = shapely.get_coordinates(ends[pt]), shapely.get_coordinates(target)
    gap = np.hypot(*(stop - start).T)
    far = gap > _GRID_M  # closer than the grid: noding joins them anyway
    start, stop, gap = start[far], stop[far], gap[far]
    stop = stop + (stop - start) / gap[:, None] * _OVERSHOOT_M
    return shapely.linestrings(np.stack([start, stop], axis=1))


def road_graph(roads: gpd.GeoDataFrame, *, crs: str,
               tolerance: float = DEFAULT_TOLERANCE_M) -> RoadGraph:
    """Build the graph of a road layer (see the module's docstring for how).

    Parameters
    ----------
    roads : geopandas.GeoDataFrame
        Road lines (LineString or MultiLineString) in any CRS; ``dist_code`` and ``road_code``
        name each road when present.
    crs : str
        A projected CRS in metres to build the graph in.
    tolerance : float, default :data:`DEFAULT_TOLERANCE_M`
        Road ends within this distance of another road are joined to it (m).

    Returns
    -------
    RoadGraph

    Raises
    ------
    ValueError
        If ``crs`` is not a projected CRS in metres.
    """
    roads_m = projected(roads, crs)
    geoms = np.asarray(roads_m.geometry.values, dtype=object)
    parts, feature = shapely.get_parts(geoms, return_index=True)
    keep = np.isin(shapely.get_type_id(parts), (1, 2)) & (shapely.length(parts) > 0)
    parts, feature = parts[keep], feature[keep]
    ids = _road_ids(roads_m)
    if not len(parts):
        return RoadGraph(crs, np.empty(0, dtype=object), np.empty(0, np.int64),
                         np.empty(0, np.int64), np.empty(0), np.empty((0, 2)),
                         np.empty(0, np.int64), ids)
    pieces = np.concatenate([parts, _connectors(parts, tolerance)])
    edges = shapely.get_parts(shapely.union_all(pieces, grid_size=_GRID_M))
    edges = edges[shapely.length(edges) > 0]
    ends = np.concatenate([shapely.get_coordinates(shapely.get_point(edges, 0)),
                           shapely.get_coordinates(shapely.get_point(edges, -1))])
    keys = np.round(ends / _GRID_M).astype(np.int64)
    uniq, inverse = np.unique(keys, axis=0, return_inverse=True)
    n = len(edges)
    nodes = uniq * _GRID_M
    middle = shapely.line_interpolate_point(edges, 0.5, normalized=True)
    near, dist = shapely.STRtree(parts).query_nearest(middle, return_distance=True,
                                                       all_matches=False)
    road = np.full(n, -1, dtype=np.int64)
    on = dist <= _ON_ROAD_M
    road[near[0][on]] = feature[near[1][on]]
    return RoadGraph(crs, edges, inverse[:n].ravel(), inverse[n:].ravel(),
                     shapely.length(edges), nodes, road, ids)


def components(graph: RoadGraph) -> np.ndarray:
    """Component number of each node (nodes joined by edges share a number).

    Parameters
    ----------
    graph : RoadGraph

    Returns
    -------
    numpy.ndarray
        One integer per node, the smallest node index of its component.
    """
    parent = np.arange(len(graph.nodes))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = int(parent[i])
        return i

    for a, b in zip(graph.u.tolist(), graph.v.tolist(), strict=True):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return np.array([find(i) for i in range(len(parent))], dtype=np.int64)


def snap(graph: RoadGraph, points: gpd.GeoSeries, *,
         max_distance: float = DEFAULT_SNAP_M) -> pd.DataFrame:
    """The nearest point on the roads of each point, within ``max_distance``.

    Parameters
    ----------
    graph : RoadGraph
    points : geopandas.GeoSeries
        Points (or any geometry: its nearest point counts) in any CRS.
    max_distance : float, default :data:`DEFAULT_SNAP_M`
        Farther than this from every road, a point is off the network (m).

    Returns
    -------
    pandas.DataFrame
        Aligned to ``points``: ``edge`` (-1 when off the network), ``along`` (m from the
        edge's start), ``distance`` (m from the point to the road; NaN when off the network).
    """
    geoms = np.asarray(projected(points, graph.crs).values, dtype=object)
    out = pd.DataFrame({"edge": -1, "along": np.nan, "distance": np.nan}, index=points.index)
    if not len(graph.edges) or not len(geoms):
        return out
    (pt, edge), dist = graph.tree.query_nearest(geoms, max_distance=max_distance,
                                                return_distance=True, all_matches=False)
    on_edge = shapely.shortest_line(graph.edges[edge], geoms[pt])
    along = shapely.line_locate_point(graph.edges[edge], shapely.get_point(on_edge, 0))
    out.iloc[pt, 0] = edge
    out.iloc[pt, 1] = along
    out.iloc[pt, 2] = dist
    return out


def _adjacency(graph: RoadGraph) -> list[list[tuple[int, float]]]:
    adj: list[list[tuple[int, float]]] = [[] for _ in range(len(graph.nodes))]
    for a, b, w in zip(graph.u.tolist(), graph.v.tolist(), graph.length.tolist(), strict=True):
        adj[a].append((b, w))
        adj[b].append((a, w))
    return adj


def distances(graph: RoadGraph, sources: pd.DataFrame, *,
              limit: float = np.inf) -> np.ndarray:
    """Shortest distance along the roads from the nearest source to every node (Dijkstra).

    Parameters
    ----------
    graph : RoadGraph
    sources : pandas.DataFrame
        Points on the network as :func:`snap` returns them (``edge``, ``along``, ``distance``);
        rows off the network (``edge`` -1) are ignored. A source's ``distance`` to the road
        counts in its distances.
    limit : float, default inf
        Nodes farther than this are left unreached (m): it only saves work.

    Returns
    -------
    numpy.ndarray
        One distance per node (m); ``inf`` where no source reaches it.
    """
    dist = np.full(len(graph.nodes), np.inf)
    heap: list[tuple[float, int]] = []
    for edge, along, off in _seeds(sources):
        for node, d in ((graph.u[edge], off + along), (graph.v[edge],
                                                       off + graph.length[edge] - along)):
            if d < dist[node] and d <= limit:
                dist[node] = d
                heapq.heappush(heap, (d, int(node)))
    adj = _adjacency(graph)
    while heap:
        d, node = heapq.heappop(heap)
        if d > dist[node]:
            continue
        for nxt, w in adj[node]:
            nd = d + w
            if nd < dist[nxt] and nd <= limit:
                dist[nxt] = nd
                heapq.heappush(heap, (nd, nxt))
    return dist


def _seeds(sources: pd.DataFrame) -> list[tuple[int, float, float]]:
    on = sources[sources["edge"] >= 0]
    return [(int(e), float(a), float(d)) for e, a, d in
            zip(on["edge"], on["along"], on["distance"].fillna(0.0), strict=True)]


def reach(graph: RoadGraph, sources: pd.DataFrame, within_m: float) -> shapely.Geometry:
    """The stretches of road within ``within_m`` of the sources along the roads.

    Parameters
    ----------
    graph : RoadGraph
    sources : pandas.DataFrame
        Points on the network, as :func:`snap` returns them; each one's distance to the road
        is spent from ``within_m`` first.
    within_m : float
        Distance along the roads (m).

    Returns
    -------
    shapely.Geometry
        A (Multi)LineString in the graph's CRS (empty when nothing is reached).
    """
    dist = distances(graph, sources, limit=within_m)
    pieces = []
    for k in range(len(graph.edges)):
        length = float(graph.length[k])
        rest_u, rest_v = within_m - dist[graph.u[k]], within_m - dist[graph.v[k]]
        if rest_u > 0:
            pieces.append(shapely.ops.substring(graph.edges[k], 0.0, min(rest_u, length)))
        if rest_v > 0:
            pieces.append(shapely.ops.substring(graph.edges[k], max(length - rest_v, 0.0),
                                                length))
    for edge, along, off in _seeds(sources):
        rest = within_m - off
        if rest > 0:
            pieces.append(shapely.ops.substring(graph.edges[edge], max(along - rest, 0.0),
                                                min(along + rest, float(graph.length[edge]))))
    pieces = [p for p in pieces if p.length > 0]
    return shapely.union_all(pieces) if pieces else shapely.MultiLineString()


def district_centre(sites: gpd.GeoDataFrame, *,
                    types: tuple[str, ...] = CENTRE_SITE_TYPES) -> pd.Series | None:
    """The site that marks the district centre, or None when nothing identifies it.

    The layers hold no "district seat" attribute. The district's passenger bus station (one
    per district, and placed at its centre by 2.4's planning) marks it, else its central
    market: the first of ``types`` of which the district has **exactly one** site, whatever
    its status (a planned station is planned where the centre is). Several sites of a type
    (a market in every commune) identify nothing and the next type is tried.

    Parameters
    ----------
    sites : geopandas.GeoDataFrame
        The sites inside the district, with ``site_type``.
    types : tuple of str, default :data:`CENTRE_SITE_TYPES`
        Site types in order of preference.

    Returns
    -------
    pandas.Series or None
        The site's row (with its geometry), or None.
    """
    for kind in types:
        found = sites[sites["site_type"] == kind]
        if len(found) == 1:
            return found.iloc[0]
    return None


def connectivity(communes: gpd.GeoDataFrame, roads: gpd.GeoDataFrame,
                 centre: gpd.GeoSeries, *, crs: str,
                 tolerance: float = DEFAULT_TOLERANCE_M, snap_m: float = DEFAULT_SNAP_M,
                 centres: gpd.GeoSeries | None = None) -> pd.DataFrame:
    """Indicator 2.1: which commune centres reach the district centre over the roads.

    A commune is reached when a road connected to the district centre (in the graph of
    :func:`road_graph`) passes within ``snap_m`` of the commune's centre, and the district
    centre itself lies within ``snap_m`` of a road. The commune's centre is ``centres`` where
    given, else the representative point of its polygon (a point always inside it: the layers
    hold no commune seat). Every road of the layer counts, whatever its class.

    Parameters
    ----------
    communes : geopandas.GeoDataFrame
        Commune polygons, indexed by commune code, in any CRS.
    roads : geopandas.GeoDataFrame
        Road lines in any CRS (``dist_code``, ``road_code`` name them).
    centre : geopandas.GeoSeries
        One point (or polygon): the district centre.
    crs : str
        A projected CRS in metres to measure in.
    tolerance : float, default :data:`DEFAULT_TOLERANCE_M`
        Road ends this close to another road are joined to it (m).
    snap_m : float, default :data:`DEFAULT_SNAP_M`
        How far a centre may be from the road it uses (m).
    centres : geopandas.GeoSeries, optional
        Commune centres indexed by commune code, replacing the representative points.

    Returns
    -------
    pandas.DataFrame
        Aligned to ``communes``: ``reached`` (bool), ``road`` (the connected road passing
        nearest the commune centre, ``None`` when unreached), ``to_road_m`` (from the commune
        centre to that road), ``network_m`` (from the district centre along the roads; NaN
        when unreached) and ``reason`` why a commune is not reached: ``None`` (it is),
        ``"centre_off_network"`` (no road within ``snap_m`` of the district centre),
        ``"no_road_near_centre"`` (none within ``snap_m`` of the commune centre) or
        ``"not_connected"`` (the roads near it do not lead to the district centre).

    Raises
    ------
    ValueError
        If ``crs`` is not a projected CRS in metres.
    """
    graph = road_graph(roads, crs=crs, tolerance=tolerance)
    points = projected(communes.geometry, crs).representative_point()
    if centres is not None:
        given = projected(centres, crs)
        points = gpd.GeoSeries([given.get(code, point) for code, point in points.items()],
                               index=points.index, crs=points.crs)
    start = snap(graph, centre.iloc[:1], max_distance=snap_m)
    first = int(start["edge"].iloc[0])
    near = snap(graph, points, max_distance=snap_m)["edge"].to_numpy() >= 0
    # per commune: reached, road id, distance to the road, distance along it, why not reached
    rows: dict[Any, tuple[bool, str | None, float, float, str | None]] = {
        code: (False, None, np.nan, np.nan,
               "centre_off_network" if first < 0 else
               "not_connected" if ok else "no_road_near_centre")
        for code, ok in zip(points.index, near, strict=True)}
    if first >= 0:
        dist = distances(graph, start)
        first_along, first_off = float(start["along"].iloc[0]), float(start["distance"].iloc[0])
        label = components(graph)
        mine = np.flatnonzero(label[graph.u] == label[graph.u[first]])
        hits = snap(_subgraph(graph, mine), points, max_distance=snap_m)
        for code, edge, along, off in zip(hits.index, hits["edge"], hits["along"],
                                          hits["distance"], strict=True):
            if edge < 0:
                continue
            k = int(mine[int(edge)])
            via = min(dist[graph.u[k]] + along, dist[graph.v[k]] + graph.length[k] - along)
            if k == first:
                via = min(via, abs(along - first_along) + first_off)
            road = int(graph.road[k])
            rows[code] = (True, graph.road_ids[road] if road >= 0 else None, float(off),
                          float(via), None)
    order = [rows[code] for code in communes.index]
    return pd.DataFrame({
        "reached": np.array([r[0] for r in order], dtype=bool),
        "road": pd.Series([r[1] for r in order], index=communes.index, dtype=object),
        "to_road_m": np.array([r[2] for r in order], dtype=float),
        "network_m": np.array([r[3] for r in order], dtype=float),
        "reason": pd.Series([r[4] for r in order], index=communes.index, dtype=object),
    }, index=communes.index)


def _subgraph(graph: RoadGraph, keep: np.ndarray) -> RoadGraph:
    """The edges ``keep`` of ``graph`` (nodes unchanged)."""
    return RoadGraph(graph.crs, graph.edges[keep], graph.u[keep], graph.v[keep],
                     graph.length[keep], graph.nodes, graph.road[keep], graph.road_ids)
