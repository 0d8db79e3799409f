"""The pages: the map and the survey upload. Thin: they call the library and render."""

from __future__ import annotations

import datetime as dt
import re
import secrets
import shutil
import tempfile
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user, login_required
from werkzeug.utils import secure_filename
from werkzeug.wrappers import Response

from ntmgeo import export as export_mod
from ntmgeo import ingest
from ntmgeo import report as report_mod
from ntmgeo._errors import InputError, NtmgeoError
from ntmgeo.i18n import beside_no_road_text, describe_error

from . import i18n, mapbuild
from .i18n import N_
from .i18n import gettext as _
from .security import nonce

bp = Blueprint("views", __name__)

UPLOAD_TYPES = (".geojson", ".json", ".zip", ".kml", ".gpx", ".csv")
_EPSG = re.compile(r"^EPSG:\d{4,6}$", re.IGNORECASE)


def lang() -> str:
    """The page language: ``?lang=``, else the cookie, else the configured default."""
    if "lang" not in g:
        asked = request.args.get("lang")
        cookie = request.cookies.get(i18n.COOKIE)
        g.lang = next((x for x in (asked, cookie) if x in i18n.LANGS),
                      current_app.config["DEFAULT_LANG"])
    return g.lang


def service() -> Any:
    """The app's :class:`~.services.DataService`."""
    return current_app.extensions["ntmgeo"]


@bp.route("/")
def index() -> str:
    """The map page."""
    cfg = current_app.config
    words = i18n.js_messages(lang())
    ctx = service().map_context(lang())
    parts = mapbuild.build(bounds=ctx["bounds"], tile_url=cfg["TILE_URL"],
                           tile_attribution=cfg["TILE_ATTRIBUTION"],
                           tile_max_zoom=cfg["TILE_MAX_ZOOM"], names=words, nonce=nonce(),
                           basemap_name=words["basemap"])
    page = {
        "lang": lang(), "messages": words, "names": parts.names, **ctx,
        "api": {"layers": url_for("api.layer", name="__NAME__"),
                "status": url_for("api.status"), "greening": url_for("api.greening"),
                "greening_geojson": url_for("api.greening_geojson")},
        "simplify": {"polygons": cfg["DISPLAY_SIMPLIFY_M"],
                     "roads": cfg["DISPLAY_SIMPLIFY_ROADS_M"]},
        "road_indicators": ["2.1", "2.2", "2.3"], "greening_indicator": "2.3",
    }
    return render_template("index.html", map=parts, page=page, title=ctx["title"])


@bp.route("/upload", methods=["GET", "POST"])
@login_required
def upload() -> Response | str | tuple[str, int]:
    """Upload a survey file; stored all or nothing, as a dated survey."""
    today = dt.date.today().isoformat()
    if request.method == "GET":
        return render_template("upload.html", today=today, date=today, crs="")
    date = request.form.get("survey_date", "").strip() or today
    crs = request.form.get("crs", "").strip()
    error = _check_upload_form(request.files.get("file"), date, crs)
    if error:
        return _upload_refused(error, date, crs)
    file = request.files["file"]
    filename = file.filename or ""  # not empty: _check_upload_form refused an unnamed file
    name = _upload_name(filename)
    try:
        result = _store_upload(file, name, date=date, crs=crs or None)
    except InputError as exc:
        return _upload_refused(_reason(exc, filename, name), date, crs)
    except NtmgeoError as exc:
        current_app.logger.warning("upload refused: %s", exc)
        return _upload_refused(describe_error(exc, lang()), date, crs)
    flash(_("Stored %(n)s survey features from %(file)s.", n=result.count, file=name), "info")
    lost = result.beside_no_road
    flash(beside_no_road_text(result, lang()),
          "warning" if not result.roads_checked or (lost and lost["count"]) else "info")
    return redirect(url_for("views.index"))


def _check_upload_form(file: Any, date: str, crs: str) -> str | None:
    if file is None or not file.filename:
        return _("no file chosen")
    ext = Path(file.filename).suffix.lower()
    if ext not in UPLOAD_TYPES:
        return _("file type '%(ext)s' is not supported (use .geojson, .json, .zip, .kml, .gpx, "
                 ".csv)", ext=ext or "?")
    try:
        dt.date.fromisoformat(date)
    except ValueError:
        return _("survey date '%(d)s' is not a date (YYYY-MM-DD)", d=date)
    if crs and not _EPSG.match(crs):
        return _("CRS '%(crs)s' must look like EPSG:number", crs=crs)
    return None


def _upload_name(filename: str) -> str:
    """A safe file name, stamped so that two uploads of 'track.gpx' get distinct survey ids."""
    path = Path(filename)
    stem = secure_filename(path.stem) or "survey"
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return f"{stem}-{stamp}-{secrets.token_hex(2)}{path.suffix.lower()}"


def _store_upload(file: Any, name: str, *, date: str,
                  crs: str | None) -> ingest.ImportResult:
    folder = Path(tempfile.mkdtemp(prefix="ntmgeo-upload-"))
    try:
        target = folder / name
        file.save(target)
        user = current_user.get_id() or ""
        return ingest.import_file(service().store, "surveys", target, crs=crs, user=user,
                                  defaults={"survey_date": date})
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# What the upload page adds to an error whose remedy is one of its fields (the error's
# ``hint``): a msgid of the catalogue ``web``. Hints of the command line's flags (``layer``,
# ``replace``…) have no field here and add nothing.
_HINTS = {"crs": N_(": give it with the form's CRS field (EPSG:…)")}


def _reason(exc: InputError, filename: str, stored_name: str) -> str:
    """The one-line reason in the page's language, naming the uploaded file (not the server's
    folder), the feature and the field, and the form's field that helps (the error's hint).
    """
    text = describe_error(exc, lang())
    tmp = tempfile.gettempdir()
    text = re.sub(re.escape(tmp) + r"/ntmgeo-upload-[^/\s]+/", "", text)
    text = text.replace(stored_name, Path(filename).name)
    hint = _HINTS.get(exc.hint or "")
    return text + _(hint) if hint else text


def _upload_refused(reason: str, date: str, crs: str) -> tuple[str, int]:
    message = _("Invalid file: %(reason)s", reason=reason)
    return render_template("upload.html", error=message, date=date, crs=crs,
                           today=dt.date.today().isoformat()), 400


@bp.route("/export/<fmt>")
@login_required
def export(fmt: str) -> Response:
    """Download the store's layers (verified export) or the criteria workbook, signed-in only:
    the files ``ntmgeo export`` and ``ntmgeo table`` write of the same store.
    """
    store = service().store
    stem = secure_filename(Path(str(store.path)).stem) or "ntmgeo"
    write: Callable[..., object]  # report.write or export.write: only the file is used
    if fmt in report_mod.FORMATS:
        spec, write, name = report_mod.FORMATS[fmt], report_mod.write, f"{stem}-tieu-chi"
    elif fmt in export_mod.FORMATS:
        spec, write, name = export_mod.FORMATS[fmt], export_mod.write, stem
    else:
        abort(404)
    folder = Path(tempfile.mkdtemp(prefix="ntmgeo-export-"))
    try:
        target = folder / f"{name}{spec.suffix}"
        write(service().snapshot(), fmt, target)  # the layers the map has read
        data = target.read_bytes()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return send_file(BytesIO(data), mimetype=spec.media_type, as_attachment=True,
                     download_name=target.name)
