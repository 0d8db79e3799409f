"""ntmgeo's web map: a Flask application factory over a project store.

Loaded by path as ``ntmgeo_web`` (``ntmgeo._resources.load_web()``), so every import inside
this package is relative. ``create_app(config)`` builds the app (settings: :mod:`.config`);
``run(db_path, host, port)`` serves it; ``sample_db_path()`` builds the embedded sample into
a cache file on first use.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
import threading
from pathlib import Path
from typing import Any

from flask import Flask, render_template, request
from flask_babel import Babel
from flask_login import current_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from ntmgeo.i18n import t

from . import config as config_mod
from . import i18n, security
from .services import DataService

__all__ = ["create_app", "run", "sample_db_path"]

_HERE = Path(__file__).resolve().parent
log = logging.getLogger("ntmgeo.web")


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """The Flask application for the store ``config["DB_PATH"]`` (see :mod:`.config`)."""
    from ntmgeo.store import open_store

    cfg = config_mod.load(config)
    if not cfg["DB_PATH"]:
        raise ValueError("DB_PATH is not set (give a store, or set NTMGEO_DB)")
    app = Flask("ntmgeo_web", root_path=str(_HERE), static_folder="static",
                template_folder="templates")
    app.config.update(cfg)
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                      REMEMBER_COOKIE_HTTPONLY=True, REMEMBER_COOKIE_SAMESITE="Lax",
                      WTF_CSRF_SSL_STRICT=True, JSON_AS_ASCII=False)
    app.config.update(BABEL_DEFAULT_LOCALE=cfg["DEFAULT_LANG"], BABEL_DOMAIN=i18n.DOMAIN,
                      BABEL_TRANSLATION_DIRECTORIES=str(i18n.compile_catalogues(_cache_dir())))
    if cfg.get("SECRET_KEY_GENERATED"):
        log.warning(t("serve_no_secret"))
    store = open_store(cfg["DB_PATH"])
    app.extensions["ntmgeo"] = DataService(
        store, greening_options=cfg["GREENING_OPTIONS"], cache_entries=cfg["CACHE_ENTRIES"],
        district_code=cfg["DISTRICT_CODE"])

    from . import api, auth, views

    CSRFProtect(app)
    Babel(app, locale_selector=views.lang)  # the words: gettext, catalogue domain "web"
    login_manager = auth.init_app(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(auth.bp)
    security.install(app)
    _install_hooks(app, login_manager)
    _install_error_pages(app)
    return app


def _install_hooks(app: Flask, login_manager: Any) -> None:
    from .views import lang

    @app.before_request
    def _require_login_to_view() -> Response | None:
        if not app.config["VIEW_REQUIRES_LOGIN"] or current_user.is_authenticated:
            return None
        if request.endpoint in ("auth.login", "static") or request.endpoint is None:
            return None
        return login_manager.unauthorized()

    @app.after_request
    def _remember_lang(resp: Response) -> Response:
        asked = request.args.get("lang")
        if asked in i18n.LANGS and request.cookies.get(i18n.COOKIE) != asked:
            resp.set_cookie(i18n.COOKIE, asked, max_age=365 * 24 * 3600, samesite="Lax",
                            httponly=True, secure=app.config["SESSION_COOKIE_SECURE"])
        return resp

    @app.context_processor
    def _template_words() -> dict[str, Any]:
        current = lang()
        other = "en" if current == "vi" else "vi"
        return {"shared": lambda key: i18n.shared(key, current), "lang": current,
                "other_lang": other, "other_lang_name": i18n.LANG_NAMES[other],
                "csp_nonce": security.nonce(),
                "script_json": security.script_json,
                "max_upload_mb": app.config["MAX_CONTENT_LENGTH"] / 2**20}


def _install_error_pages(app: Flask) -> None:
    from .api import error_response
    from .i18n import gettext as _

    def _page(status: int, message: str) -> tuple[str, int]:
        return render_template("error.html", status=status, message=message), status

    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError) -> Response | tuple[str, int]:
        if request.path.startswith("/api/"):
            return error_response(400, "csrf", exc.description)
        return _page(400, _("The session expired or the form is not valid. Reload the page and "
                            "try again."))

    @app.errorhandler(413)
    def _too_large(exc: HTTPException) -> Response | tuple[str, int]:
        mb = f"{app.config['MAX_CONTENT_LENGTH'] / 2**20:.3g}"
        if request.path.startswith("/api/"):
            return error_response(413, "too_large", f"request larger than {mb} MB")
        return _page(413, _("The file is too large: the limit is %(mb)s MB.", mb=mb))

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Response | tuple[str, int]:
        status = exc.code or 500
        if request.path.startswith("/api/"):
            return error_response(status, (exc.name or "error").lower().replace(" ", "_"),
                                  exc.description or "")
        if status == 404:
            return _page(status, _("Page not found."))
        return _page(status, _("Error %(code)s.", code=status))

    @app.errorhandler(Exception)
    def _internal(exc: Exception) -> Response | tuple[str, int]:
        if isinstance(exc, HTTPException):  # pragma: no cover - handled above
            return _http(exc)
        app.logger.exception("internal error on %s", request.path)
        if request.path.startswith("/api/"):
            return error_response(500, "internal_error", "internal error (see the server log)")
        return _page(500, _("Internal server error."))


# ----------------------------------------------------------------------------- serving
def run(db_path: str | os.PathLike[str], host: str = "127.0.0.1", port: int = 5000,
        config: dict[str, Any] | None = None) -> None:
    """Serve the store at ``db_path`` on ``host:port`` until interrupted."""
    from werkzeug.serving import run_simple

    app = create_app({**(config or {}), "DB_PATH": str(db_path)})
    if host not in ("127.0.0.1", "localhost", "::1") and app.config.get("SECRET_KEY_GENERATED"):
        print(t("serve_beyond"), file=sys.stderr)
    shown = f"[{host}]" if ":" in host else host
    print(t("serve_running", path=db_path, url=f"http://{shown}:{port}/"), file=sys.stderr)
    service = app.extensions["ntmgeo"]
    threading.Thread(target=service.warm_up, name="ntmgeo-warm-up", daemon=True, kwargs={
        "simplify_m": app.config["DISPLAY_SIMPLIFY_M"],
        "simplify_roads_m": app.config["DISPLAY_SIMPLIFY_ROADS_M"]}).start()
    run_simple(host, port, app, threaded=True, use_reloader=False, use_debugger=False)


def _cache_dir() -> Path:
    base = os.environ.get("NTMGEO_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    root = Path(base) if base else Path.home() / ".cache"
    return root if os.environ.get("NTMGEO_CACHE_DIR") else root / "ntmgeo"


def sample_db_path(name: str = "damrong", cache_dir: str | os.PathLike[str] | None = None
                   ) -> Path:
    """A store holding the embedded sample ``name``, built on first use into a cache file.

    The file is named after a digest of the sample's files and ntmgeo's version, so a changed
    sample gets a fresh store; it is built as ``ntmgeo init --sample`` builds one
    (:func:`ntmgeo.datasets.build_sample`: in a temporary file, moved into place).
    """
    from ntmgeo import __version__, datasets

    folder = datasets.get_path(name)
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        st = path.stat()
        digest.update(f"{path.relative_to(folder)}:{st.st_size}:{st.st_mtime_ns}".encode())
    target_dir = Path(cache_dir) if cache_dir else _cache_dir()
    target = target_dir / f"sample-{name}-{digest.hexdigest()[:12]}.gpkg"
    if target.is_file():
        return target
    target_dir.mkdir(parents=True, exist_ok=True)
    datasets.build_sample(target, name, overwrite=True)
    return target

