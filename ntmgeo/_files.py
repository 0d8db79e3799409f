"""Writing files: under a temporary name beside the target, moved into place only when done.

Every "store → file" function of ntmgeo (a store, a sample, an export, a criteria table)
writes through :func:`atomic_path`: a failed or interrupted write leaves no output file and
an existing one untouched. :class:`FileFormat` describes a format a writer produces, for the
registries :data:`ntmgeo.export.FORMATS` and :data:`ntmgeo.report.FORMATS` that the command
line and the web map both read.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._errors import InputError

__all__ = ["FileFormat", "atomic_path"]


@dataclass(frozen=True)
class FileFormat:
    """A file format a writer produces: ``writer(store, out, **options)``, its media type,
    the suffix of its files (``.shp.zip``), a label ``{vi, en}``, and whether it takes a
    ``crs`` (formats that are always WGS 84 do not).
    """

    writer: Callable[..., Any]
    media_type: str
    suffix: str
    label: dict[str, str]
    takes_crs: bool = False


@contextmanager
def atomic_path(target: str | os.PathLike[str], *, suffix: str | None = None
                ) -> Iterator[Path]:
    """A temporary path in ``target``'s folder, moved onto ``target`` (``os.replace``) when
    the block succeeds; removed (with any SQLite sidecar files) when it fails.

    ``suffix`` ends the temporary name (default: ``target``'s own), for writers that choose
    the format by it. Raises :class:`~ntmgeo._errors.InputError` when the folder does not
    exist.
    """
    out = Path(target).absolute()
    if not out.parent.is_dir():
        raise InputError("folder does not exist", path=str(out.parent))
    end = out.suffix if suffix is None else suffix
    tmp = out.with_name(f".{out.stem}.{os.getpid()}-{secrets.token_hex(3)}.tmp{end}")
    _remove(tmp)
    try:
        yield tmp
        os.replace(tmp, out)
    finally:
        _remove(tmp)


def _remove(path: Path) -> None:
    if path.is_dir():
        for child in path.iterdir():
            child.unlink()
        path.rmdir()
    else:
        path.unlink(missing_ok=True)
        for extra in (f"{path}-journal", f"{path}-wal", f"{path}-shm"):
            Path(extra).unlink(missing_ok=True)
