"""Shared fixtures: stores (helpers live in geodata.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ntmgeo import datasets
from ntmgeo.store.gpkg import GpkgStore


@pytest.fixture
def empty_store(tmp_path: Path) -> GpkgStore:
    return GpkgStore.create(tmp_path / "p.gpkg", prov_code="68")


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> GpkgStore:
    path = tmp_path_factory.mktemp("sample") / "damrong.gpkg"
    store = GpkgStore.create(path, prov_code="68")
    datasets.load_sample(store, "damrong")
    return store


@pytest.fixture
def sample_db(tmp_path: Path, sample_store: GpkgStore) -> Path:
    """A fresh copy of the Đam Rông sample store, for a test that changes it."""
    path = tmp_path / "s.gpkg"
    path.write_bytes(sample_store.path.read_bytes())
    return path
