"""Every setting of the web application, in one place.

``load(overrides)`` returns the configuration: the defaults below, then environment variables
``NTMGEO_<NAME>`` (for the names listed in ``ENV``), then the ``overrides`` dict given to
:func:`create_app` (which wins). Values from the environment are parsed by the type of the
default (``true/false/1/0/yes/no`` for booleans, integers for sizes).

DB_PATH : str
    The project store (GeoPackage) the app serves. Required. Env ``NTMGEO_DB``.
SECRET_KEY : str
    Signs the session cookie and the CSRF tokens. Default: a random key made at start-up, so
    sign-ins do not survive a restart; set ``NTMGEO_SECRET_KEY`` on a server.
VIEW_REQUIRES_LOGIN : bool
    When true, the map and the API are shown only to signed-in users. Default false: anyone
    who can reach the server may look; only signed-in users may change data.
MAX_CONTENT_LENGTH : int
    Largest request body (an upload) in bytes; larger ones get a 413 page. Default 20 MB.
TILE_URL : str
    Basemap tile URL template (Leaflet syntax). Default OpenStreetMap's. Empty: no basemap
    (a plain background). The tiles' origin is added to the Content-Security-Policy.
TILE_ATTRIBUTION : str
    Attribution shown for the tiles (trusted HTML from the configuration).
TILE_MAX_ZOOM : int
    Highest zoom level of the tiles (19 for OpenStreetMap).
DEFAULT_LANG : str
    Language of the pages when the visitor has not chosen one (``vi`` or ``en``).
DISTRICT_CODE : str
    GSO code of the district whose criteria the panel shows, when the store holds several
    districts valid on the date. Default empty: the store's only district.
DISPLAY_SIMPLIFY_M : float
    Tolerance (metres) the map asks the API to simplify polygons with for display.
DISPLAY_SIMPLIFY_ROADS_M : float
    Same, for roads and stretches.
API_MAX_LIMIT : int
    Most features one ``/api/layers`` request may return (``limit`` is capped to it).
GREENING_OPTIONS : dict
    Keyword options passed to :func:`ntmgeo.greening.from_store` (``tolerance``, ``side``…).
    Default empty: the library's defaults. Env ``NTMGEO_GREENING_OPTIONS`` as JSON.
GREENING_THRESHOLD : float
    Share of a district road that must be tree-lined for the road to be drawn as meeting
    indicator 2.3 (the catalogue's threshold, 0.5). Only colours the map.
COMPRESS : bool
    Gzip JSON, HTML, CSS and JS responses for clients that accept it (default true).
CACHE_ENTRIES : int
    How many computed results (layers read, greening documents) are kept in memory; they are
    dropped whenever the store file changes. 0 disables the cache.
SESSION_COOKIE_SECURE : bool
    Send the session cookie over HTTPS only (set true behind HTTPS). Default false.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Mapping
from typing import Any

__all__ = ["DEFAULTS", "ENV", "load"]

DEFAULTS: dict[str, Any] = {
    "DB_PATH": "",
    "SECRET_KEY": "",
    "VIEW_REQUIRES_LOGIN": False,
    "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,
    "TILE_URL": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "TILE_ATTRIBUTION": ('&copy; <a href="https://www.openstreetmap.org/copyright">'
                         "OpenStreetMap</a>"),
    "TILE_MAX_ZOOM": 19,
    "DEFAULT_LANG": "vi",
    "DISTRICT_CODE": "",
    "DISPLAY_SIMPLIFY_M": 20.0,
    "DISPLAY_SIMPLIFY_ROADS_M": 3.0,
    "API_MAX_LIMIT": 50_000,
    "GREENING_OPTIONS": {},
    "GREENING_THRESHOLD": 0.5,
    "COMPRESS": True,
    "CACHE_ENTRIES": 64,
    "SESSION_COOKIE_SECURE": False,
}

# Environment variable of each setting (settings not listed are not read from the environment).
ENV: dict[str, str] = {
    "DB_PATH": "NTMGEO_DB",
    "SECRET_KEY": "NTMGEO_SECRET_KEY",
    "VIEW_REQUIRES_LOGIN": "NTMGEO_VIEW_REQUIRES_LOGIN",
    "MAX_CONTENT_LENGTH": "NTMGEO_MAX_CONTENT_LENGTH",
    "TILE_URL": "NTMGEO_TILE_URL",
    "TILE_ATTRIBUTION": "NTMGEO_TILE_ATTRIBUTION",
    "TILE_MAX_ZOOM": "NTMGEO_TILE_MAX_ZOOM",
    "DEFAULT_LANG": "NTMGEO_LANG",
    "DISTRICT_CODE": "NTMGEO_DISTRICT",
    "DISPLAY_SIMPLIFY_M": "NTMGEO_DISPLAY_SIMPLIFY_M",
    "DISPLAY_SIMPLIFY_ROADS_M": "NTMGEO_DISPLAY_SIMPLIFY_ROADS_M",
    "API_MAX_LIMIT": "NTMGEO_API_MAX_LIMIT",
    "GREENING_OPTIONS": "NTMGEO_GREENING_OPTIONS",
    "GREENING_THRESHOLD": "NTMGEO_GREENING_THRESHOLD",
    "COMPRESS": "NTMGEO_COMPRESS",
    "CACHE_ENTRIES": "NTMGEO_CACHE_ENTRIES",
    "SESSION_COOKIE_SECURE": "NTMGEO_SESSION_COOKIE_SECURE",
}

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _parse(name: str, text: str) -> Any:
    default = DEFAULTS[name]
    if isinstance(default, bool):
        low = text.strip().lower()
        if low in _TRUE | _FALSE:
            return low in _TRUE
        raise ValueError(f"{ENV[name]}={text!r}: expected true or false")
    if isinstance(default, int):
        return int(text)
    if isinstance(default, float):
        return float(text)
    if isinstance(default, dict):
        value = json.loads(text or "{}")
        if not isinstance(value, dict):
            raise ValueError(f"{ENV[name]}: expected a JSON object")
        return value
    return text


def load(overrides: dict[str, Any] | None = None,
         environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The configuration: defaults, then ``NTMGEO_*`` environment variables, then overrides."""
    environ = os.environ if environ is None else environ
    cfg = dict(DEFAULTS)
    for name, var in ENV.items():
        if var in environ:
            cfg[name] = _parse(name, environ[var])
    cfg.update(overrides or {})
    if not cfg["SECRET_KEY"]:
        cfg["SECRET_KEY"] = secrets.token_hex(32)
        cfg["SECRET_KEY_GENERATED"] = True
    if cfg["DEFAULT_LANG"] not in ("vi", "en"):
        raise ValueError(f"DEFAULT_LANG must be 'vi' or 'en', not {cfg['DEFAULT_LANG']!r}")
    return cfg
