"""Fixtures of the web tests: the app package loaded by path, a small store with known answers
(with hostile names, see webstore.py), and greening computed by a stand-in with the
contract's shape (fake_greening.py)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from ntmgeo import greening

from webstore import build_store

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def webpkg() -> ModuleType:
    """The web application package, loaded by path as ``ntmgeo_web``."""
    from ntmgeo._resources import load_web

    return load_web()


def _fake_module() -> ModuleType:
    name = "ntmgeo_tests_fake_greening"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, HERE / "fake_greening.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def fake_greening() -> ModuleType:
    """The stand-in greening computation."""
    return _fake_module()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "real_greening: use ntmgeo's own greening computation")


@pytest.fixture(autouse=True)
def _greening_stand_in(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch,
                       fake_greening: ModuleType) -> None:
    """Greening goes through the stand-in (the contract's shape, known answers), unless a test
    is marked ``real_greening``."""
    if request.node.get_closest_marker("real_greening") is None:
        monkeypatch.setattr(greening, "from_frames", fake_greening.from_frames)


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
