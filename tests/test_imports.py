"""The library imports no web package: every module of ``ntmgeo/`` imports with Flask, its
companions and Folium made unimportable (the web application in ``web/`` is loaded by path,
``ntmgeo._resources.load_web``, and is the only place they are used).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import ntmgeo

BLOCKED = ("flask", "flask_login", "flask_wtf", "werkzeug", "folium", "jinja2")

# Run in a fresh interpreter: a finder first on sys.meta_path refuses the web packages, then
# every module of the package (subpackages included) is imported. Prints one JSON document.
_PROBE = textwrap.dedent("""
    import importlib, json, pkgutil, sys

    BLOCKED = set(sys.argv[1].split(","))

    class Blocker:
        def find_spec(self, name, path=None, target=None):
            if name.partition(".")[0] in BLOCKED:
                raise ImportError(f"{name} is blocked by the test", name=name)
            return None

    sys.meta_path.insert(0, Blocker())
    try:
        import flask  # noqa: F401
        blocker_works = False
    except ImportError:
        blocker_works = True

    import ntmgeo

    failed, walk_errors, modules = {}, [], ["ntmgeo"]
    for info in pkgutil.walk_packages(ntmgeo.__path__, "ntmgeo.", onerror=walk_errors.append):
        modules.append(info.name)
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception as exc:
            failed[name] = f"{type(exc).__name__}: {exc}"
    web = sorted(m for m in sys.modules if m.partition(".")[0] in BLOCKED)
    print(json.dumps({"blocker_works": blocker_works, "modules": modules, "failed": failed,
                      "walk_errors": walk_errors, "web_modules_loaded": web}))
""")


def _probe() -> dict:
    root = Path(ntmgeo.__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-c", _PROBE, ",".join(BLOCKED)], cwd=root,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_every_module_of_the_library_imports_without_the_web_packages():
    doc = _probe()
    assert doc["blocker_works"], "the finder did not block flask: the test proves nothing"
    # the walk reached the subpackages and the modules that matter (not a vacuous pass)
    expected = {"ntmgeo.cli", "ntmgeo.users", "ntmgeo.store.gpkg", "ntmgeo.i18n",
                "ntmgeo.measure", "ntmgeo.chainage", "ntmgeo._resources"}
    assert expected <= set(doc["modules"]), sorted(expected - set(doc["modules"]))
    for package in ("ntmgeo.indicators", "ntmgeo.store"):
        assert any(m.startswith(package + ".") for m in doc["modules"]), package
    assert doc["walk_errors"] == []
    assert doc["failed"] == {}, "\n".join(f"{k}: {v}" for k, v in doc["failed"].items())
    assert doc["web_modules_loaded"] == []


def test_the_web_packages_stay_dependencies_of_the_project():
    """The map is ntmgeo's main job: ``pip install .`` brings Flask and Folium."""
    import tomllib

    root = Path(ntmgeo.__file__).resolve().parent.parent
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {dep.split(">")[0].split("=")[0].split("<")[0].strip().lower()
             for dep in project["dependencies"]}
    assert {"flask", "flask-login", "flask-wtf", "folium"} <= names
