"""``python -m ntmgeo.cli``: the ``ntmgeo`` command."""

import sys

from . import main

if __name__ == "__main__":  # pragma: no cover - imported, e.g. by a walk of the package: nothing
    sys.exit(main())
