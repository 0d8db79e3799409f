"""Indicators computed from geometry, one module per criterion group.

Each module lists its indicator functions in ``__all__``; every function is pure (no files, no
settings read, no printing) and measures lengths and areas in a projected CRS given by the
caller.

- :mod:`~ntmgeo.indicators.roads`: criterion 2 (transport): 2.1's surface condition (district
  roads paved), 2.2 district roads at their planned grade, 2.3 district roads tree-lined (its
  engine in the private ``_greening_engine`` and ``_greening_match``; the road lines and
  chainage in :mod:`ntmgeo.linref`);
- :mod:`~ntmgeo.indicators.network`: 2.1's connection condition, every commune centre reaches
  the district centre;
- :mod:`~ntmgeo.indicators.sites`: the works behind 2.4, 6.1, 6.2, 7.3, 7.4 and 7.8;
- :mod:`~ntmgeo.indicators.environment`: 7.5 green land in industrial clusters, 7.6 public
  green land per person.
"""

from . import environment as environment
from . import network as network
from . import roads as roads
from . import sites as sites
