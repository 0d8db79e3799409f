"""Where the shipped files (layer schemas, data, web assets) are.

In a source checkout they are the top-level ``layers/``, ``data/`` and ``web/`` folders; in an
installed wheel they are copied to ``ntmgeo/_share/`` (see ``pyproject.toml``).
"""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def share_path(*parts: str) -> Path:
    """Return the path of a shipped file or folder, e.g. ``share_path("layers")``."""
    installed = _HERE / "_share"
    root = installed if installed.is_dir() else _HERE.parent
    return root.joinpath(*parts)
