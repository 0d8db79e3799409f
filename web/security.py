"""Security headers (a Content-Security-Policy with a per-request nonce), data handed to
pages as inert JSON, and gzip for text responses.
"""

from __future__ import annotations

import gzip
import json
import re
import secrets
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, g, request
from markupsafe import Markup

__all__ = ["add_nonce", "install", "nonce", "script_json", "tile_origin"]

_COMPRESSIBLE = ("application/json", "application/geo+json", "text/html", "text/css",
                 "text/javascript", "application/javascript")


def nonce() -> str:
    """The CSP nonce of the current request (made on first use)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def tile_origin(url: str) -> str | None:
    """The origin of a tile URL template for the CSP (``{s}.`` becomes ``*.``)."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    host = re.sub(r"^\{s\}\.", "*.", parts.netloc)
    if "{" in host:  # a placeholder elsewhere in the host: allow the scheme's whole domain
        host = "*." + host.split("}.", 1)[-1] if "}." in host else "*"
    return f"{parts.scheme}://{host}"


def csp(nonce_value: str, tiles: str | None) -> str:
    """The Content-Security-Policy of a page."""
    img = " ".join(x for x in ("'self'", "data:", tiles) if x)
    return "; ".join([
        "default-src 'none'",
        f"script-src 'self' 'nonce-{nonce_value}'",
        f"style-src 'self' 'nonce-{nonce_value}'",
        f"img-src {img}",
        "connect-src 'self'",
        "font-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ])


_TAG = re.compile(r"<(script|style)(?=[\s>])", re.IGNORECASE)


def add_nonce(html: str, nonce_value: str) -> Markup:
    """Give every ``<script>`` and ``<style>`` element of trusted HTML (folium's) the nonce."""
    return Markup(_TAG.sub(lambda m: f'<{m.group(1)} nonce="{nonce_value}"', html))


def script_json(data: Any) -> Markup:
    """JSON to put inside ``<script type="application/json">``: ``<``, ``>`` and ``&``
    escaped, so no text in it can close the element or be read as HTML.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    text = (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    return Markup(text)


def install(app: Flask) -> None:
    """Add the headers (and gzip) to every response of ``app``."""
    tiles = tile_origin(app.config.get("TILE_URL", ""))

    @app.after_request
    def _headers(resp: Response) -> Response:
        h = resp.headers
        h.setdefault("Content-Security-Policy", csp(nonce(), tiles))
        h.setdefault("X-Content-Type-Options", "nosniff")
        # Tile servers such as OpenStreetMap's want to know the page's origin.
        h.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        h.setdefault("X-Frame-Options", "DENY")
        h.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        h.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)")
        if app.config.get("COMPRESS", True):
            _gzip(resp)
        return resp


def _gzip(resp: Response) -> None:
    if (resp.direct_passthrough or resp.status_code < 200 or resp.status_code >= 300
            or "Content-Encoding" in resp.headers
            or resp.mimetype not in _COMPRESSIBLE
            or "gzip" not in request.headers.get("Accept-Encoding", "").lower()):
        return
    data = resp.get_data()
    if len(data) < 1024:
        return
    resp.set_data(gzip.compress(data, compresslevel=5))
    resp.headers["Content-Encoding"] = "gzip"
    resp.headers["Content-Length"] = str(len(resp.get_data()))
    resp.vary.add("Accept-Encoding")
