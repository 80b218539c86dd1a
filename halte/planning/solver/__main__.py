"""``python -m halte.planning.solver``: see ``cli.py``."""

import sys

from halte.planning.solver.cli import main

sys.exit(main())
