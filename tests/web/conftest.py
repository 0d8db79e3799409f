"""Fixtures of the web tests: the app package loaded by path, and a small store with known
answers (with hostile names, see webstore.py). Greening is ntmgeo's own computation.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from webstore import build_store

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def webpkg() -> ModuleType:
    """The web application package, loaded by path as ``ntmgeo_web``."""
    from ntmgeo._resources import load_web

    return load_web()


@pytest.fixture(scope="session")
def store_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.gpkg"
    build_store(path)
    return path


@pytest.fixture
def store_path(tmp_path: Path, store_template: Path) -> Path:
    """A fresh copy of the made-up store, for one test."""
    path = tmp_path / "web.gpkg"
    path.write_bytes(store_template.read_bytes())
    return path


@pytest.fixture
def app(webpkg: ModuleType, store_path: Path) -> Any:
    app = webpkg.create_app({"DB_PATH": str(store_path), "SECRET_KEY": "test-secret",
                             "TESTING": True})
    return app


@pytest.fixture
def client(app: Any) -> Any:
    return app.test_client()
