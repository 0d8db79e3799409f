"""Indicators computed from the layers.

The criteria catalogue names, for each indicator geometry can answer, a ``compute`` function
(``compute: greening`` on 2.3). :data:`REGISTRY` maps those names to functions of a store and
a date returning a :class:`ComputedValue`, or ``None`` where the layers hold nothing to compute
from (then the reported value stands). Adding an indicator is one function and one entry here;
which indicator uses it is data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import pandas as pd

from . import greening as greening_mod
from . import units as units_mod
from .criteria import CriteriaSet
from .indicators import environment as env_ind
from .indicators import network as network_ind
from .indicators import sites as sites_ind
from .store import Store

__all__ = ["REGISTRY", "ComputedValue", "compute_all"]


@dataclass(frozen=True)
class ComputedValue:
    """A value computed from the layers for one indicator, with the features behind it."""

    value: float | None
    met: bool | None
    as_of: str | None
    unit: str | None = None
    value_text: str | None = None
    features: tuple[str, ...] = ()


def _district_code(store: Store, as_of: str, unit: str | None) -> str | None:
    """The district whose roads count: ``unit``, else the only district valid on ``as_of``."""
    row = _the_unit(store, as_of, unit)
    return None if row is None else str(row["code"])


def _greening(store: Store, as_of: str, unit: str | None = None) -> ComputedValue | None:
    code = _district_code(store, as_of, unit)
    if code is None:
        return None
    doc = greening_mod.from_store(store, as_of=as_of, dist_code=code)
    if not doc["roads"]:
        return None
    total = doc["total"]
    ids = tuple(f"roads:{r['dist_code']}/{r['road_code']}" for r in doc["roads"])
    return ComputedValue(
        value=round(100 * total["ratio"], 2), met=None, as_of=total["as_of"], unit="%",
        value_text=f"{total['greened_km']:.2f}/{total['length_km']:.2f} km "
                   f"({100 * total['ratio']:.2f}%)",
        features=ids)


def _roads_to_standard(store: Store, as_of: str, unit: str | None = None
                       ) -> ComputedValue | None:
    from .indicators import roads as roads_ind

    code = _district_code(store, as_of, unit)
    if code is None:
        return None
    roads = greening_mod.district_roads(store.read_layer("roads"), dist_code=code)
    if roads.empty:
        return None
    doc = roads_ind.roads_to_standard(roads, crs=store.measure_crs)
    total = doc["total"]
    ids = tuple(f"roads:{r['dist_code']}/{r['road_code']}" for r in doc["roads"]
                if not r["to_standard"])
    return ComputedValue(
        value=round(100 * total["ratio"], 2), met=None, as_of=as_of, unit="%",
        value_text=f"{total['standard_km']:.2f}/{total['length_km']:.2f} km "
                   f"({100 * total['ratio']:.2f}%)",
        features=ids)


# ----------------------------------------------------------------- sites, green land, network
# Each wrapper computes for one unit: ``unit`` (a code) where given, else the only district
# valid on ``as_of`` (None when there are several: the caller must say which). Only features
# inside the unit count. A wrapper returns None (the reported value stands) where the layers
# hold nothing to compute from: no site of the indicator's type in the unit, no cluster
# polygon, no public green land, no road, no district centre, or (2.1) a commune the drawn
# roads do not reach (see _road_connectivity).


def _the_unit(store: Store, as_of: str, unit: str | None,
              level: str = "district") -> pd.Series | None:
    valid = units_mod.valid_on(store.read_layer("admin_units"), as_of, level=level)
    if unit is not None:
        valid = valid[valid["code"].astype(str) == str(unit)]
    return valid.iloc[0] if len(valid) == 1 else None


def _inside(store: Store, layer: str, row: pd.Series) -> gpd.GeoDataFrame:
    return sites_ind.inside(store.read_layer(layer), row.geometry)


def _site_ids(ids: list[str]) -> tuple[str, ...]:
    return tuple(f"sites:{i}" for i in ids)


def _site_wrapper(func: Callable[[gpd.GeoDataFrame], dict[str, Any]], site_type: str,
                  unit_label: str | None, *, numeric: bool
                  ) -> Callable[..., ComputedValue | None]:
    """A registry function for an indicator of :mod:`ntmgeo.indicators.sites`.

    ``numeric``: the catalogue's threshold is a number (7.3, 7.4: "≥ 01") and decides;
    otherwise ("Đạt") the indicator's own rule does.
    """

    def compute(store: Store, as_of: str, unit: str | None = None) -> ComputedValue | None:
        row = _the_unit(store, as_of, unit)
        if row is None:
            return None
        sites = _inside(store, "sites", row)
        if not (sites["site_type"] == site_type).any():
            return None  # nothing drawn: the layer cannot tell a missing work from an undrawn one
        res = func(sites)
        return ComputedValue(value=res["value"], met=None if numeric else res["met"],
                             as_of=as_of, unit=unit_label, value_text=res["text"],
                             features=_site_ids(res["site_ids"]))

    compute.__doc__ = f"{func.__name__} (sites of type {site_type}) for the unit on as_of."
    return compute


def _waste_points(store: Store, as_of: str, unit: str | None = None) -> ComputedValue | None:
    row = _the_unit(store, as_of, unit)
    if row is None:
        return None
    res = sites_ind.waste_points(_inside(store, "sites", row))
    if res["value"] is None:
        return None
    return ComputedValue(value=res["value"], met=None, as_of=as_of, unit="%",
                         value_text=res["text"], features=_site_ids(res["site_ids"]))


def _cluster_green_share(store: Store, as_of: str,
                         unit: str | None = None) -> ComputedValue | None:
    row = _the_unit(store, as_of, unit)
    if row is None:
        return None
    sites = _inside(store, "sites", row)
    clusters = sites[(sites["site_type"] == "industrial_cluster")
                     & sites.geometry.geom_type.isin(["Polygon", "MultiPolygon"])]
    if clusters.empty:
        return None
    clusters = clusters.set_index(clusters["site_id"].astype(str))
    res = env_ind.cluster_green_share(clusters, store.read_layer("green_areas"),
                                      crs=store.measure_crs)
    res = res[res["met"].notna()]
    if res.empty:
        return None
    low = res["share"].idxmin()
    short = [str(i) for i in res.index[~res["met"].astype(bool)]]
    text = (f"{100 * res.loc[low, 'share']:.2f}% green in {low} "
            f"({res.loc[low, 'green_m2']:,.0f}/{res.loc[low, 'area_m2']:,.0f} m²)")
    if len(res) > 1:
        text += f"; {len(res) - len(short)}/{len(res)} clusters at least 10%"
    return ComputedValue(value=round(100 * float(res.loc[low, "share"]), 2),
                         met=not short, as_of=as_of, unit="%", value_text=text,
                         features=_site_ids(short or [str(i) for i in res.index]))


def _public_green_per_person(store: Store, as_of: str,
                             unit: str | None = None) -> ComputedValue | None:
    row = _the_unit(store, as_of, unit)
    if row is None:
        return None
    green = store.read_layer("green_areas")
    green = green[green["green_type"] == "public"]
    units = gpd.GeoDataFrame([row], crs=store.read_layer("admin_units").crs)
    units.index = [str(row["code"])]
    res = env_ind.public_green_per_person(units, green, crs=store.measure_crs).iloc[0]
    if res["green_m2"] <= 0:
        return None  # no public green land drawn in the unit
    ids = sites_ind.inside(green, row.geometry)["area_id"].astype(str)
    value = None if pd.isna(res["per_person"]) else round(float(res["per_person"]), 2)
    return ComputedValue(value=value, met=None, as_of=as_of, unit="m²/người",
                         value_text=res["text"] if value is not None else env_ind.NO_POPULATION,
                         features=(f"admin_units:{row['code']}",
                                   *(f"green_areas:{i}" for i in ids)))


def _road_connectivity(store: Store, as_of: str, unit: str | None = None) -> ComputedValue | None:
    """2.1, only when every commune is reached.

    The roads layer holds the roads someone drew, not necessarily every road (provincial and
    commune roads are often missing): a commune it does not reach may lack a road in the layer
    as much as on the ground, so an unreached commune leaves the reported value standing.
    """
    row = _the_unit(store, as_of, unit)
    if row is None:
        return None
    units = store.read_layer("admin_units")
    communes = units_mod.children(units, str(row["code"]), as_of)
    communes = communes[communes["level"].isin(["commune", "town"])]
    roads = store.read_layer("roads")
    centre = network_ind.district_centre(_inside(store, "sites", row))
    if communes.empty or roads.empty or centre is None:
        return None
    communes = communes.set_index(communes["code"].astype(str))
    res = network_ind.connectivity(communes, roads, gpd.GeoSeries([centre.geometry],
                                                                   crs=units.crs),
                                   crs=store.measure_crs)
    if not res["reached"].all():
        return None
    used = sorted({r for r in res["road"] if r})
    return ComputedValue(
        value=float(len(res)), met=True, as_of=as_of, unit=None,
        value_text=f"{len(res)}/{len(res)} communes reached from {centre['name']} "
                   f"(farthest {res['network_m'].max() / 1000:.1f} km along the roads)",
        features=(f"sites:{centre['site_id']}", *(f"roads:{r}" for r in used)))


REGISTRY: dict[str, Callable[[Store, str], ComputedValue | None]] = {
    "greening": _greening,
    "roads_to_standard": _roads_to_standard,
    "road_connectivity": _road_connectivity,
    "site_bus_station": _site_wrapper(sites_ind.bus_station, "bus_station", None,
                                      numeric=False),
    "site_industrial_cluster": _site_wrapper(sites_ind.industrial_cluster,
                                             "industrial_cluster", None, numeric=False),
    "site_market": _site_wrapper(sites_ind.market, "market", None, numeric=False),
    "site_recycling_model": _site_wrapper(sites_ind.recycling_model, "recycling_model",
                                          "mô hình", numeric=True),
    "site_wastewater_works": _site_wrapper(sites_ind.wastewater_works, "wastewater_works",
                                           "công trình", numeric=True),
    "cluster_green_share": _cluster_green_share,
    "public_green_per_person": _public_green_per_person,
    "waste_points_env_infrastructure": _waste_points,
}


def compute_all(store: Store, cset: CriteriaSet, as_of: str, *, unit: str | None = None
                ) -> dict[str, ComputedValue]:
    """Every indicator of ``cset`` that the registry can compute from ``store``, for ``unit``
    (a code; default: the only unit of the set's level valid on ``as_of``)."""
    out = {}
    for ind in cset.indicators:
        func = REGISTRY.get(ind.compute or "")
        if func is not None and (value := func(store, as_of, unit=unit)) is not None:
            out[ind.id] = value
    return out
