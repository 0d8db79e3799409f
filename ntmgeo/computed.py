"""Indicators computed from the layers.

The criteria catalogue names, for each indicator geometry can answer, a ``compute`` function
(``compute: greening`` on 2.3). :data:`REGISTRY` maps those names to functions of a store
(read through a :class:`~ntmgeo.snapshot.Snapshot`: each layer once) and a date returning a
:class:`ComputedValue`, or ``None`` where the layers hold nothing to compute from (then the
reported value stands). Adding an indicator is one function and one entry here;
which indicator uses it is data.

A function may also return a :class:`ComputedValue` with neither ``value`` nor ``met``: the
layers hold something but cannot answer, the reported value stands, and its ``note`` (shown in
the indicator's entry of the status document) says why. ``basis`` says which condition decided
a computed value, and the rule's source.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import geopandas as gpd
import pandas as pd

from . import greening as greening_mod
from . import i18n
from . import layers as layers_mod
from . import units as units_mod
from .criteria import CriteriaSet
from .indicators import environment as env_ind
from .indicators import network as network_ind
from .indicators import sites as sites_ind
from .snapshot import ensure, units_on
from .store import StoreReader

__all__ = ["REGISTRY", "ComputeFunc", "ComputedValue", "compute_all"]


@dataclass(frozen=True)
class ComputedValue:
    """A value computed from the layers for one indicator, with the features behind it.

    ``value`` and ``met`` both ``None``: no computed value (the reported one stands), and
    ``note`` says why. ``note`` and ``basis`` are ``{"vi": ..., "en": ...}``: ``basis`` names
    the condition that decided and the source of the rule; ``note`` what the layers could not
    answer.
    """

    value: float | None
    met: bool | None
    as_of: str | None
    unit: str | None = None
    value_text: str | None = None
    features: tuple[str, ...] = ()
    note: dict[str, str] | None = None
    basis: dict[str, str] | None = None


class ComputeFunc(Protocol):
    """A registry function: the indicator's value for ``unit`` (a code; default: the only unit
    of the level valid on ``as_of``) from ``store`` on ``as_of``, or ``None``.
    """

    def __call__(self, store: StoreReader, as_of: str, unit: str | None = None
                 ) -> ComputedValue | None:
        """The value, or ``None`` where the layers hold nothing to compute from."""


def _district_code(store: StoreReader, as_of: str, unit: str | None) -> str | None:
    """The district whose roads count: ``unit``, else the only district valid on ``as_of``."""
    row = _the_unit(store, as_of, unit)
    return None if row is None else str(row["code"])


def _greening(store: StoreReader, as_of: str, unit: str | None = None) -> ComputedValue | None:
    store = ensure(store)  # one snapshot: each layer read once
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


# ----------------------------------------------------------------- sites, green land, network
# Each wrapper computes for one unit: ``unit`` (a code) where given, else the only district
# valid on ``as_of`` (None when there are several: the caller must say which). Only features
# inside the unit count. A wrapper returns None (the reported value stands) where the layers
# hold nothing to compute from: no site of the indicator's type in the unit, no cluster
# polygon, no public green land, no district road (2.1, 2.2).


def _the_unit(store: StoreReader, as_of: str, unit: str | None,
              level: str = "district") -> pd.Series | None:
    valid = units_on(store, as_of, level)
    if unit is not None:
        valid = valid[valid["code"].astype(str) == str(unit)]
    return valid.iloc[0] if len(valid) == 1 else None


def _unit_crs(store: StoreReader, row: pd.Series) -> str:
    """The zone a unit's own measures are taken in: its zone (:mod:`ntmgeo.zoning`)."""
    units = gpd.GeoSeries([row.geometry], crs=store.read_layer("admin_units").crs)
    return str(ensure(store).zoning.assign(units)[0])


def _inside(store: StoreReader, layer: str, row: pd.Series) -> gpd.GeoDataFrame:
    return sites_ind.inside(store.read_layer(layer), row.geometry)


def _site_ids(ids: list[str]) -> tuple[str, ...]:
    return tuple(f"sites:{i}" for i in ids)


def _site_wrapper(func: Callable[[gpd.GeoDataFrame], dict[str, Any]], site_type: str,
                  unit_label: str | None, *, numeric: bool) -> ComputeFunc:
    """A registry function for an indicator of :mod:`ntmgeo.indicators.sites`.

    ``numeric``: the catalogue's threshold is a number (7.3, 7.4: "≥ 01") and decides;
    otherwise ("Đạt") the indicator's own rule does.
    """

    def compute(store: StoreReader, as_of: str, unit: str | None = None
                ) -> ComputedValue | None:
        store = ensure(store)
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


def _waste_points(store: StoreReader, as_of: str, unit: str | None = None
                  ) -> ComputedValue | None:
    store = ensure(store)  # one snapshot: each layer read once
    row = _the_unit(store, as_of, unit)
    if row is None:
        return None
    res = sites_ind.waste_points(_inside(store, "sites", row))
    if res["value"] is None:
        return None
    return ComputedValue(value=res["value"], met=None, as_of=as_of, unit="%",
                         value_text=res["text"], features=_site_ids(res["site_ids"]))


def _cluster_green_share(store: StoreReader, as_of: str,
                         unit: str | None = None) -> ComputedValue | None:
    store = ensure(store)  # one snapshot: each layer read once
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
                                      crs=_unit_crs(store, row))
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


def _public_green_per_person(store: StoreReader, as_of: str,
                             unit: str | None = None) -> ComputedValue | None:
    store = ensure(store)  # one snapshot: each layer read once
    row = _the_unit(store, as_of, unit)
    if row is None:
        return None
    green = store.read_layer("green_areas")
    green = green[green["green_type"] == "public"]
    units = gpd.GeoDataFrame([row], crs=store.read_layer("admin_units").crs)
    units.index = [str(row["code"])]
    res = env_ind.public_green_per_person(units, green, crs=_unit_crs(store, row)).iloc[0]
    if res["green_m2"] <= 0:
        return None  # no public green land drawn in the unit
    ids = sites_ind.inside(green, row.geometry)["area_id"].astype(str)
    value = None if pd.isna(res["per_person"]) else round(float(res["per_person"]), 2)
    return ComputedValue(value=value, met=None, as_of=as_of, unit="m²/người",
                         value_text=res["text"] if value is not None else env_ind.NO_POPULATION,
                         features=(f"admin_units:{row['code']}",
                                   *(f"green_areas:{i}" for i in ids)))


# ------------------------------------------------------------ criterion 2: the district roads
# Quyết định 932/QĐ-BGTVT (18/7/2022), the Ministry of Transport's guidance for the transport
# criteria, states how 2.1 and 2.2 are judged (the catalogue quotes it on both indicators).
# 2.1 has three conditions, each met, unmet or not answerable from the layers: any unmet one
# makes 2.1 unmet; where none is unmet but one cannot be answered there is no computed value
# (the reported one stands) and the note says which. 2.2 is the share of length built to the
# planned grade, computed only where every district road records both grades.

GUIDANCE = "QĐ 932/QĐ-BGTVT (18/7/2022)"
"""The source of the rules for 2.1 and 2.2, as the status document cites it."""

_Q_SURFACE = "tỷ lệ mặt đường huyện được nhựa hóa hoặc bê tông xi măng hóa đạt 100%"
_Q_CONNECT = ("100% số xã trên địa bàn huyện có đường ô tô kết nối với đường huyện và các "
              "trung tâm hành chính, đảm bảo đi lại thuận tiện quanh năm")
_Q_MAINTAIN = "100% đường huyện được bảo trì hàng năm"
_Q_GRADE = "đầu tư xây dựng hoặc nâng cấp với cấp đường theo quy hoạch được phê duyệt"
_Q_BRIDGES = "xây dựng kiên cố, phù hợp với cấp đường quy hoạch"
QUOTES = (_Q_SURFACE, _Q_CONNECT, _Q_MAINTAIN, _Q_GRADE, _Q_BRIDGES)
"""The guidance's words the notes quote (each is in the catalogue's ``guidance`` quotes)."""


@dataclass(frozen=True)
class _Condition:
    """One condition of an indicator: met, unmet, or not answerable (None)."""

    met: bool | None
    text: dict[str, str]
    quote: str
    features: tuple[str, ...] = ()


# The notes' and bases' words: each ``{"vi": …, "en": …}`` is one English template with named
# fields (its msgid in the catalogue ``documents``: ntmgeo/locale/<lang>/LC_MESSAGES/
# documents.po, where the Vietnamese is) rendered in both languages by :func:`i18n.both`.
# Add a text here and its msgid and Vietnamese to both documents.po files
# (tests/test_document_catalogue.py checks they are there).
_both = i18n.both


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _codes(rows: list[dict[str, Any]]) -> str:
    return ", ".join(r["road_code"] for r in rows)


def _road_ids(rows: list[dict[str, Any]]) -> tuple[str, ...]:
    return tuple(f"roads:{r['dist_code']}/{r['road_code']}" for r in rows)


def _cited(cond: _Condition) -> dict[str, str]:
    return {lang: f"{cond.text[lang]} ({GUIDANCE}: “{cond.quote}”)" for lang in ("vi", "en")}


def _quoted(cond: _Condition) -> dict[str, str]:
    return {lang: f"{cond.text[lang]} (“{cond.quote}”)" for lang in ("vi", "en")}


def _joined(parts: list[dict[str, str]], lead: dict[str, str] | None = None,
            sep: str = "; ") -> dict[str, str]:
    return {lang: (lead[lang] if lead else "") + sep.join(p[lang] for p in parts)
            for lang in ("vi", "en")}


def _surface_condition(doc: dict[str, Any]) -> _Condition:
    """2.1 (a): the district roads' surface is 100% asphalt or cement concrete."""
    labels = layers_mod.load_schema("roads").field("surface").allowed_labels
    total = doc["total"]
    length, paved = total["length_km"], total["paved_km"]
    if total["met"] is True:
        return _Condition(True, _both(
            "district-road surface asphalt or cement concrete: 100% ({paved}/{length} km)",
            paved=float(paved), length=float(length)), _Q_SURFACE)
    unknown = [r for r in doc["roads"] if r["unknown_km"] > 0]
    no_surface = _both("no surface recorded for {codes} ({km} km)", codes=_codes(unknown),
                       km=float(total["unknown_km"]))
    if total["met"] is None:
        return _Condition(None, _both("{no_surface}: the paved share cannot be told",
                                      no_surface=no_surface), _Q_SURFACE)
    failing = [r for r in doc["roads"] if r["paved"] is False]

    def road(r: dict[str, Any]) -> dict[str, str]:
        names = [{lang: _lower_first(labels.get(s, {}).get(lang, s)) for lang in ("vi", "en")}
                 for s in r["surfaces"]]
        surfaces = names[0] if names else {"vi": "", "en": ""}
        for name in names[1:]:
            surfaces = _both("{first} and {second}", first=surfaces, second=name)
        return _both("{code} ({km} km: {surfaces}, not split by length)" if r["mixed_km"] > 0
                     else "{code} ({km} km: {surfaces})",
                     code=r["road_code"], km=float(r["length_km"]), surfaces=surfaces)

    roads = _joined([road(r) for r in failing], sep=", ")
    if total["share"] is not None:
        text = _both("share of the district-road surface in asphalt or cement concrete {pct}% "
                     "({paved}/{length} km), below 100%: not paved {roads}",
                     pct=float(100 * total["share"]), paved=float(paved),
                     length=float(length), roads=roads)
    else:
        text = _both("share of the district-road surface in asphalt or cement concrete below "
                     "100%: {paved}/{length} km known paved; not paved throughout {roads}",
                     paved=float(paved), length=float(length), roads=roads)
        if total["mixed_km"] > 0:
            text = _joined([text, _both("the share of a road recorded with several surfaces "
                                        "is unknown, but the whole cannot be 100%")])
        if total["unknown_km"] > 0:
            text = _joined([text, no_surface])
    return _Condition(False, text, _Q_SURFACE, _road_ids(failing))


def _connection_condition(store: StoreReader, as_of: str, row: pd.Series) -> _Condition:
    """2.1 (b): every commune reaches the district centre over the roads.

    The roads layer holds the roads someone drew, not necessarily every road (provincial and
    commune roads are often missing): a commune it does not reach may lack a road in the layer
    as much as on the ground, so an unreached commune leaves the condition unanswered, never
    unmet.
    """
    units = store.read_layer("admin_units")
    communes = units_mod.children(units, str(row["code"]), as_of)
    communes = communes[communes["level"].isin(["commune", "town"])]
    roads = store.read_layer("roads")
    centre = network_ind.district_centre(_inside(store, "sites", row))
    if communes.empty or roads.empty or centre is None:
        missing = _both("the district centre (a bus station or central market in the sites "
                        "layer)" if centre is None else
                        "the communes" if communes.empty else "roads")
        return _Condition(None, _both("no {missing} in the layers: the connection to the "
                                      "communes cannot be answered", missing=missing),
                          _Q_CONNECT)
    communes = communes.set_index(communes["code"].astype(str))
    res = network_ind.connectivity(communes, roads, gpd.GeoSeries([centre.geometry],
                                                                   crs=units.crs),
                                   crs=_unit_crs(store, row))
    n, reached = len(res), int(res["reached"].sum())
    if reached < n:
        return _Condition(None, _both(
            "{reached}/{n} communes reach {centre} over the drawn roads; a road missing from "
            "the layer is no proof of a missing road: the connection cannot be answered",
            reached=reached, n=n, centre=str(centre["name"])), _Q_CONNECT)
    used = sorted({r for r in res["road"] if r})
    far = res["network_m"].max() / 1000
    return _Condition(True, _both(
        "{n}/{n} communes reached from {centre} (farthest {far} km along the roads)",
        n=n, centre=str(centre["name"]),
        far={"vi": i18n.number(far, 2, "vi"), "en": i18n.number(far, 1, "en")}),
        _Q_CONNECT, (f"sites:{centre['site_id']}", *(f"roads:{r}" for r in used)))


_NO_VALUE = _both("No value computed from the layers under {guidance} (the reported value, if "
                  "any, stands): ", guidance=GUIDANCE)

_MAINTENANCE = _Condition(None, _both(
    "the layers hold no record of district-road maintenance: yearly maintenance cannot be "
    "answered"), _Q_MAINTAIN)


def _road_connectivity(store: StoreReader, as_of: str, unit: str | None = None
                       ) -> ComputedValue | None:
    """2.1 as QĐ 932/QĐ-BGTVT states it: (a) the district roads' surface 100% asphalt (chip
    seal included) or cement concrete, (b) every commune connected to the district centre,
    (c) every district road maintained every year.

    Unmet when a condition is unmet (only (a) can be: an unreached commune may only lack a
    drawn road, and the layers record no maintenance); otherwise no computed value, with a
    note naming the conditions the layers cannot answer. None without the unit or without any
    district road.
    """
    store = ensure(store)  # one snapshot: each layer read once
    row = _the_unit(store, as_of, unit)
    if row is None:
        return None
    roads = greening_mod.district_roads(store.read_layer("roads"), dist_code=str(row["code"]))
    if roads.empty:
        return None
    from .indicators import roads as roads_ind

    surface_doc = roads_ind.paved_share(roads, crs=ensure(store).zoning)
    surface = _surface_condition(surface_doc)
    conditions = [surface, _connection_condition(store, as_of, row), _MAINTENANCE]
    failed = [c for c in conditions if c.met is False]
    unanswered = [c for c in conditions if c.met is None]
    if not failed:
        answered = [c for c in conditions if c.met is True]
        note = _joined([_quoted(c) for c in unanswered], _NO_VALUE)
        if answered:
            note = _both("{note}. Met: {conditions}", note=note,
                         conditions=_joined([c.text for c in answered]))
        return ComputedValue(value=None, met=None, as_of=as_of, note=note)
    total = surface_doc["total"]
    share = total["share"]
    text = (f"{total['paved_km']:.2f}/{total['length_km']:.2f} km ({100 * share:.2f}%)"
            if share is not None else
            f"< 100% (≥ {total['paved_km']:.2f}/{total['length_km']:.2f} km)")
    return ComputedValue(
        value=None if share is None else round(100 * share, 2), met=False, as_of=as_of,
        unit="%", value_text=text,
        features=tuple(f for c in failed for f in c.features),
        basis=_joined([_cited(c) for c in failed],
                      _both("Unmet on the condition: ")),
        note=_joined([c.text for c in unanswered], _both("Not answerable from the layers: ")))


_BRIDGES = _both("the roads layer has no bridge or culvert field: the condition that bridges "
                 "and culverts be permanent and fit for the planned grade is not assessed")


def _roads_to_standard(store: StoreReader, as_of: str, unit: str | None = None
                       ) -> ComputedValue | None:
    """2.2 as QĐ 932/QĐ-BGTVT states it: the share of the district roads' length built to the
    grade of the approved plan, where every district road records its planned and its built
    grade; unmet (with no share) where a road records both and they differ; otherwise no
    computed value, with a note naming the roads whose grades are not recorded.
    """
    from .indicators import roads as roads_ind

    store = ensure(store)  # one snapshot: each layer read once

    code = _district_code(store, as_of, unit)
    if code is None:
        return None
    roads = greening_mod.district_roads(store.read_layer("roads"), dist_code=code)
    if roads.empty:
        return None
    doc = roads_ind.roads_to_standard(roads, crs=ensure(store).zoning)
    total = doc["total"]
    below = [r for r in doc["roads"] if r["to_standard"] is False]
    missing = []
    if total["missing_planned"]:
        codes = ", ".join(total["missing_planned"])
        missing.append(_both("planned grade not recorded for {codes}", codes=codes))
    if total["missing_built"]:
        codes = ", ".join(total["missing_built"])
        missing.append(_both("built technical grade not recorded for {codes}", codes=codes))
    rule = _Condition(None, _both(
        "share of the district-road length built to the grade of the approved plan"), _Q_GRADE)
    length, std = total["length_km"], total["standard_km"]
    if total["ratio"] is not None:
        pct = 100 * total["ratio"]
        return ComputedValue(value=round(pct, 2), met=None, as_of=as_of, unit="%",
                             value_text=f"{std:.2f}/{length:.2f} km ({pct:.2f}%)",
                             features=_road_ids(below), basis=_cited(rule), note=_BRIDGES)
    if below:
        decided = _Condition(False, _both(
            "{codes} not built to the planned grade: the share is below 100%",
            codes=_codes(below)), _Q_GRADE)
        return ComputedValue(value=None, met=False, as_of=as_of, unit="%",
                             value_text=f"< 100% (≥ {std:.2f}/{length:.2f} km)",
                             features=_road_ids(below), basis=_cited(decided),
                             note=_joined([*missing, _BRIDGES]))
    return ComputedValue(value=None, met=None, as_of=as_of,
                         note=_joined([*missing, _BRIDGES], _NO_VALUE))


REGISTRY: dict[str, ComputeFunc] = {
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


def compute_all(store: StoreReader, cset: CriteriaSet, as_of: str, *, unit: str | None = None
                ) -> dict[str, ComputedValue]:
    """Every indicator of ``cset`` that the registry can compute from ``store``, for ``unit``
    (a code; default: the only unit of the set's level valid on ``as_of``).

    ``store`` may be a :class:`~ntmgeo.snapshot.Snapshot`; otherwise one is taken, so that
    the registry functions share it and each layer is read once.
    """
    store = ensure(store)
    out = {}
    for ind in cset.indicators:
        func = REGISTRY.get(ind.compute or "")
        if func is not None and (value := func(store, as_of, unit=unit)) is not None:
            out[ind.id] = value
    return out
