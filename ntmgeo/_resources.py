"""Where the shipped files (layer schemas, data, web assets) are.

In a source checkout they are the top-level ``layers/``, ``data/`` and ``web/`` folders; in an
installed wheel they are copied to ``ntmgeo/_share/`` (see ``pyproject.toml``).

Why the web application is loaded by path (:func:`load_web`) rather than imported:

* The design card puts ``web/`` at the top level of the repository, beside ``layers/`` and
  ``data/``, not inside the ``ntmgeo`` package. In a checkout (or an editable install, which
  puts the repository root on ``sys.path``) it could be imported only as a top-level package
  named ``web``.
* The wheel does not install a top-level ``web`` package (a name that would collide with
  others in site-packages): hatch's ``force-include`` ships the folder as data, under
  ``ntmgeo/_share/web``. There it could be imported only as ``ntmgeo._share.web`` (``_share``
  has no ``__init__.py``), another name than the checkout's ``web``.
* The library must not import Flask: ``ntmgeo`` is used without a web server (the CLI, the
  exports, scripts), and ``tests/test_imports.py`` imports every module of ``ntmgeo/`` with
  Flask, Flask-Login, Flask-WTF, Werkzeug, Jinja2 and Folium blocked. A package inside
  ``ntmgeo`` would be reached by that walk; a folder loaded only when ``ntmgeo serve`` (or a
  test) calls :func:`load_web` is not.

So :func:`load_web` finds ``web/`` with :func:`share_path`, wherever it is, and loads it under
one name, ``ntmgeo_web``, in a checkout and from a wheel alike. This is why every import inside
``web/`` is relative (``from .services import …``) and ``ntmgeo`` modules import ``web/``
nowhere. Flask and Folium remain dependencies of the project (``pyproject.toml``): the map is
its main job; they are only kept out of the library's imports.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

_HERE = Path(__file__).resolve().parent


def share_path(*parts: str) -> Path:
    """Return the path of a shipped file or folder, e.g. ``share_path("layers")``."""
    installed = _HERE / "_share"
    root = installed if installed.is_dir() else _HERE.parent
    return root.joinpath(*parts)


def load_web() -> ModuleType:
    """Load the Flask application package in ``web/`` as module ``ntmgeo_web``.

    The web app lives outside the library (``ntmgeo`` never imports Flask); it is loaded by
    path so that a source checkout and an installed wheel behave alike (see the module's
    docstring). Loaded once: later calls return the module already in ``sys.modules``.
    """
    name = "ntmgeo_web"
    if name in sys.modules:
        return sys.modules[name]
    folder = share_path("web")
    spec = importlib.util.spec_from_file_location(
        name, folder / "__init__.py", submodule_search_locations=[str(folder)])
    if spec is None or spec.loader is None:
        msg = f"the web application is missing ({folder})"
        raise ImportError(msg)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module
