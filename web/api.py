"""The JSON API: layers as GeoJSON, the status and greening documents. Read-only.

Every route parses its parameters, calls :class:`~.services.DataService` (which calls the
library) and returns JSON; errors are JSON too (``{"error": ..., "message": ...}``) with a
fitting status, never a stack trace.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, current_app, request

from ntmgeo import i18n as core_i18n
from ntmgeo._errors import CriterionDataMissing, InputError, LayerSchemaError

from . import views
from .services import (
    DataService,
    NotFound,
    ParamError,
    is_layer_name,
    parse_bbox,
    parse_date,
    parse_limit,
    parse_simplify,
)

bp = Blueprint("api", __name__, url_prefix="/api")

_LAYER_PARAMS = {"bbox", "limit", "simplify", "as_of", "lang"}


def json_response(doc: Any, status: int = 200, mimetype: str = "application/json") -> Response:
    """``doc`` as compact UTF-8 JSON."""
    body = json.dumps(doc, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    resp = Response(body, status=status, mimetype=mimetype)
    resp.headers["Cache-Control"] = "no-cache"
    return resp


def error_response(status: int, error: str, message: str) -> Response:
    """The API's error document."""
    return json_response({"error": error, "message": message, "status": status}, status)


def _service() -> DataService:
    return current_app.extensions["ntmgeo"]


@bp.errorhandler(ParamError)
def _bad_param(exc: ParamError) -> Response:
    return error_response(400, "bad_request", str(exc))


@bp.errorhandler(NotFound)
@bp.errorhandler(LayerSchemaError)
def _not_found(exc: Exception) -> Response:
    return error_response(404, "not_found", str(exc))


@bp.errorhandler(CriterionDataMissing)
def _missing(exc: CriterionDataMissing) -> Response:
    # in the page's language: the panel shows it after its own (translated) words
    return error_response(404, "no_data", core_i18n.describe_error(exc, views.lang()))


@bp.errorhandler(InputError)
def _input(exc: InputError) -> Response:
    return error_response(400, "bad_request", core_i18n.describe_error(exc, views.lang()))


@bp.route("/layers")
def layers() -> Response:
    """The layers the store holds."""
    return json_response({"layers": _service().layer_names()})


@bp.route("/layers/<name>")
def layer(name: str) -> Response:
    """A layer as GeoJSON (WGS 84): ``bbox``, ``limit``, ``simplify`` (m), ``as_of``, and
    ``<field>=<value>`` filters.
    """
    if not is_layer_name(name):
        raise NotFound(f"no layer '{name}'")
    args = request.args
    filters = {k: v for k, v in args.items() if k not in _LAYER_PARAMS}
    doc = _service().layer_geojson(
        name, bbox=parse_bbox(args.get("bbox")),
        limit=parse_limit(args.get("limit"), current_app.config["API_MAX_LIMIT"]),
        simplify_m=parse_simplify(args.get("simplify")), as_of=parse_date(args.get("as_of")),
        filters=filters)
    return json_response(doc, mimetype="application/geo+json")


@bp.route("/status")
def status() -> Response:
    """The status document (``ntmgeo status --json``): ``level``, ``as_of``, ``unit``."""
    args = request.args
    doc = _service().status(level=args.get("level", "district"),
                            as_of=parse_date(args.get("as_of")), unit=args.get("unit") or None)
    return json_response(doc)


@bp.route("/greening")
def greening() -> Response:
    """The greening document of indicator 2.3 (``ntmgeo greening --json``): ``as_of``."""
    return json_response(_service().greening(as_of=parse_date(request.args.get("as_of"))))


@bp.route("/greening/geometry")
def greening_geojson() -> Response:
    """Tree-lined stretches and gaps of the district roads as GeoJSON: ``as_of``, ``simplify``."""
    args = request.args
    doc = _service().greening_geojson(as_of=parse_date(args.get("as_of")),
                                      simplify_m=parse_simplify(args.get("simplify")))
    return json_response(doc, mimetype="application/geo+json")
