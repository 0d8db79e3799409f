"""Signing in and out (Flask-Login), with users from :mod:`ntmgeo.users`."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Flask, current_app, flash, redirect, render_template, request, url_for
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from werkzeug.wrappers import Response

from ntmgeo import users

from .i18n import gettext as _

bp = Blueprint("auth", __name__)


class User(UserMixin):
    """A signed-in person (their user name is their id)."""

    def __init__(self, record: dict[str, Any]) -> None:
        self.id = record["username"]
        self.username = record["username"]


def _store() -> Any:
    return current_app.extensions["ntmgeo"].store


def _load(user_id: str) -> User | None:
    record = users.get_user(_store(), user_id)
    return User(record) if record else None


def safe_next(target: str | None) -> str:
    """``target`` when it is a path on this site, else the map (no open redirects)."""
    if not target:
        return url_for("views.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return url_for("views.index")
    return target


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | str | tuple[str, int]:
    """The sign-in form; on success, back to where the user was going."""
    if request.method == "POST":
        name = request.form.get("username", "")
        password = request.form.get("password", "")
        if users.check_password(_store(), name, password):
            login_user(User(users.get_user(_store(), name) or {"username": name}))
            return redirect(safe_next(request.form.get("next")))
        flash(_("Wrong user name or password."), "error")
        return render_template("login.html", next=request.form.get("next", "")), 401
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    return render_template("login.html", next=request.args.get("next", ""))


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    """Sign out (a POST, CSRF-protected)."""
    logout_user()
    flash(_("Signed out."), "info")
    return redirect(url_for("views.index"))


def init_app(app: Flask) -> LoginManager:
    """Attach Flask-Login to ``app``; return its login manager."""
    login_manager = LoginManager()
    login_manager.init_app(app)
    login_manager.user_loader(_load)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"

    @login_manager.unauthorized_handler
    def _unauthorized() -> Response:
        from flask import jsonify

        if request.path.startswith("/api/"):
            resp = jsonify({"error": "unauthorized", "message": "sign in first"})
            resp.status_code = 401
            return resp
        flash(_("Please sign in to continue."), "info")
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))

    return login_manager
