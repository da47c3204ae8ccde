"""Fixtures for models3d tests: the real sample models, processed once per session."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from models3d import ProcessResult, process_file

# The shared input builders live next to this file (tests/ is not a package).
sys.path.insert(0, str(Path(__file__).parent))
from m3d_inputs import SAMPLES, TESTDATA


@pytest.fixture(scope="session")
def processed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[ProcessResult, Path]]:
    """Every sample processed twice (a and b), for output and determinism checks."""
    results: dict[str, tuple[ProcessResult, Path]] = {}
    root = tmp_path_factory.mktemp("processed")
    for name in SAMPLES:
        for run in ("a", "b"):
            out = root / name / run
            results[f"{name}/{run}"] = (
                process_file(TESTDATA / name, out, original_name=name),
                out,
            )
    return results
