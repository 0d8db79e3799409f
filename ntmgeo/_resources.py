"""Where the shipped files (layer schemas, data, web assets) are.

In a source checkout they are the top-level ``layers/``, ``data/`` and ``web/`` folders; in an
installed wheel they are copied to ``ntmgeo/_share/`` (see ``pyproject.toml``).
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
    path so that a source checkout and an installed wheel behave alike.
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
