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

from . import greening as greening_mod
from .criteria import CriteriaSet
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


def _greening(store: Store, as_of: str) -> ComputedValue | None:
    doc = greening_mod.from_store(store, as_of=as_of)
    if not doc["roads"]:
        return None
    total = doc["total"]
    ids = tuple(f"roads:{r['dist_code']}/{r['road_code']}" for r in doc["roads"])
    return ComputedValue(
        value=round(100 * total["ratio"], 2), met=None, as_of=total["as_of"], unit="%",
        value_text=f"{total['greened_km']:.2f}/{total['length_km']:.2f} km "
                   f"({100 * total['ratio']:.2f}%)",
        features=ids)


def _roads_to_standard(store: Store, as_of: str) -> ComputedValue | None:
    from .indicators import roads as roads_ind

    roads = greening_mod.district_roads(store.read_layer("roads"))
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


REGISTRY: dict[str, Callable[[Store, str], ComputedValue | None]] = {
    "greening": _greening,
    "roads_to_standard": _roads_to_standard,
}


def compute_all(store: Store, cset: CriteriaSet, as_of: str) -> dict[str, ComputedValue]:
    """Every indicator of ``cset`` that the registry can compute from ``store``."""
    out = {}
    for ind in cset.indicators:
        func = REGISTRY.get(ind.compute or "")
        if func is not None and (value := func(store, as_of)) is not None:
            out[ind.id] = value
    return out
