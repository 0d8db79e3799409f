"""Writing through a temporary file: the target appears whole, or not at all."""

from __future__ import annotations

import pytest

from ntmgeo._errors import InputError
from ntmgeo._files import atomic_path


def test_the_target_appears_only_when_the_block_succeeds(tmp_path):
    target = tmp_path / "bang.xlsx"
    with atomic_path(target) as tmp:
        assert tmp.parent == tmp_path and tmp.suffix == ".xlsx" and tmp != target
        tmp.write_bytes(b"new")
        assert not target.exists()
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["bang.xlsx"]


def test_a_failed_write_leaves_the_previous_file_and_no_temporary_one(tmp_path):
    target = tmp_path / "kho.gpkg"
    target.write_bytes(b"previous")
    with pytest.raises(RuntimeError), atomic_path(target, suffix=".zip") as tmp:
        assert tmp.name.endswith(".zip")
        tmp.write_bytes(b"half")
        (tmp.parent / f"{tmp.name}-journal").write_bytes(b"")  # SQLite's sidecar
        raise RuntimeError("killed midway")
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["kho.gpkg"]


def test_a_missing_folder_is_bad_input(tmp_path):
    with pytest.raises(InputError, match="folder does not exist"), \
            atomic_path(tmp_path / "none" / "x.csv"):
        pass  # pragma: no cover
