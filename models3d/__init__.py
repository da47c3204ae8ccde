"""models3d: Heritour's 3D asset library. Bytes and files in; reports, GLBs and posters out.

Pure functions over files: no Flask, no SQL, no S3. Public API::

    from models3d import (Limits, ProcessOptions, LevelBudget, ModelError, ProcessingError,
                          inspect_file, inspect_isolated, process_file, process_isolated,
                          ProcessResult, LEVELS, render_view)

Panoramas (JPEG, PNG, WebP) go through the same entry points (see :mod:`models3d.panorama`);
``render_view`` draws a rectilinear view of an equirectangular image.

``ModelError`` rejects an upload (its fault); ``ProcessingError`` is a failure on our side;
``ProcessingInterrupted`` (a ``ProcessingError``) says the child was stopped from outside.
"""

from models3d.errors import MESSAGES, ModelError, ProcessingError, ProcessingInterrupted
from models3d.isolation import inspect_isolated, process_isolated
from models3d.options import LEVELS, LevelBudget, Limits, ProcessOptions
from models3d.panorama import render_view
from models3d.pipeline import ProcessResult, inspect_file, process_file

__all__ = [
    "LEVELS",
    "MESSAGES",
    "LevelBudget",
    "Limits",
    "ModelError",
    "ProcessOptions",
    "ProcessResult",
    "ProcessingError",
    "ProcessingInterrupted",
    "inspect_file",
    "inspect_isolated",
    "process_file",
    "process_isolated",
    "render_view",
]
