"""The map page's Leaflet skeleton, built with Folium from the app's own files only.

Folium makes the map, the basemap, the empty overlay groups, the marker cluster, the layer
control and the initial extent; the data arrive from the JSON API and are drawn by
``static/ntmgeo/map.js`` and its modules (DOM nodes and ``textContent`` only). No data goes
through Folium, so nothing from a layer can reach its HTML or JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import folium
from branca.element import Figure
from folium.plugins import MarkerCluster
from markupsafe import escape

from .security import add_nonce

__all__ = ["LocalMap", "LocalMarkerCluster", "MapParts", "build"]

_VENDOR = "/static/vendor"


class LocalMap(folium.Map):
    """A folium Map that loads Leaflet from the app (no jQuery, Bootstrap or icon fonts)."""

    default_js = [("leaflet", f"{_VENDOR}/leaflet/leaflet.js")]
    default_css = [
        ("leaflet_css", f"{_VENDOR}/leaflet/leaflet.css")]


class LocalMarkerCluster(MarkerCluster):
    """leaflet.markercluster from the app's vendored copy."""

    default_js = [
        ("markerclusterjs", f"{_VENDOR}/leaflet.markercluster/leaflet.markercluster.js")]
    default_css = [
        ("markerclustercss", f"{_VENDOR}/leaflet.markercluster/MarkerCluster.css"),
        ("markerclusterdefaultcss", f"{_VENDOR}/leaflet.markercluster/MarkerCluster.Default.css"),
    ]


@dataclass(frozen=True)
class MapParts:
    """Folium's output split for a page template, every inline element with the nonce."""

    header: str
    html: str
    script: str
    names: dict[str, str]


# Overlay groups, in drawing order (later ones on top), and the message naming each.
GROUPS = (("district", "layer_district"), ("communes", "layer_communes"),
          ("roads", "layer_roads"), ("gaps", "layer_gaps"), ("stretches", "layer_stretches"),
          ("works", "layer_works"))


def build(*, bounds: list[list[float]] | None, tile_url: str, tile_attribution: str,
          tile_max_zoom: int, names: dict[str, str], nonce: str,
          basemap_name: str) -> MapParts:
    """The map skeleton. ``names`` gives each overlay's label (``layer_*`` message keys)."""
    tiles: Any = None
    if tile_url:
        tiles = folium.TileLayer(tiles=tile_url, attr=tile_attribution, name=str(escape(
            basemap_name)), max_zoom=tile_max_zoom, max_native_zoom=tile_max_zoom,
            subdomains="abc")
    center = ([(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2]
              if bounds else [16.0, 106.0])
    fmap = LocalMap(location=center, zoom_start=11 if bounds else 6, tiles=tiles,
                    control_scale=True, prefer_canvas=False, zoom_control=True)
    js_names = {"map": fmap.get_name()}
    for key, label in GROUPS:
        group = folium.FeatureGroup(name=str(escape(names[label])), show=True)
        group.add_to(fmap)
        js_names[key] = group.get_name()
    cluster = LocalMarkerCluster(name=str(escape(names["layer_sites"])), show=True,
                                 options={"showCoverageOnHover": False,
                                          "maxClusterRadius": 50})
    cluster.add_to(fmap)
    js_names["sites"] = cluster.get_name()
    folium.LayerControl(collapsed=True, position="topright").add_to(fmap)
    if bounds:
        fmap.fit_bounds(bounds)
    root = fmap.get_root()
    assert isinstance(root, Figure)  # a Map's root is the page's Figure
    root.render()
    return MapParts(header=add_nonce(root.header.render(), nonce),
                    html=root.html.render(),
                    script=root.script.render(),
                    names=js_names)
