"""ntmgeo: GIS for Vietnam's New Rural Development (nông thôn mới) programme.

The public surface is organised in modules (``ntmgeo.layers``, ``ntmgeo.io``,
``ntmgeo.store``, ``ntmgeo.criteria``, ``ntmgeo.status``, ``ntmgeo.crs``,
``ntmgeo.measure``); import the one you need.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ntmgeo")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
