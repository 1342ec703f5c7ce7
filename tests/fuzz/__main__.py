"""``python -m fuzz [N] [--workers W] [--seed S] [--json FILE]`` from tests/ (``./dev fuzz``)."""

import sys

from .campaign import main

sys.exit(main())
