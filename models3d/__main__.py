"""Entry point for ``python -m models3d``."""

import sys

from models3d.cli import main

sys.exit(main())
