"""Indicators computed from geometry, one module per criterion group.

Each module lists its indicator functions in ``__all__``; every function is pure (no files, no
settings read, no printing) and measures lengths and areas in a projected CRS given by the
caller. :mod:`ntmgeo.indicators.roads` holds criterion 2 (transport) of the district set:
indicator 2.2 (district roads to standard) and 2.3 (district roads tree-lined).
"""

from . import roads as roads
