"""Run every benchmark in this folder: ``python -m bench [NAME ...]``.

A benchmark is a module here with a ``main() -> None`` function that prints its figures
next to a baseline measured in the same run.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main(names: list[str]) -> None:
    """Run the named benchmarks, or all of them."""
    found = sorted(
        info.name
        for info in pkgutil.iter_modules([str(Path(__file__).parent)])
        if not info.name.startswith("_")
    )
    for name in names or found:
        module = importlib.import_module(f"bench.{name}")
        if hasattr(module, "main"):
            print(f"\n## {name}\n", flush=True)
            module.main()


if __name__ == "__main__":
    main(sys.argv[1:])
