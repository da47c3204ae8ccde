"""Zip archives: extracted safely, then the single model inside is loaded by its own format."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path, PurePosixPath

from models3d.archive import extract_zip
from models3d.detect import EXTENSIONS, detect_format
from models3d.errors import ModelError
from models3d.formats.registry import LoadContext, LoadedModel, load, register

log = logging.getLogger(__name__)


def _is_junk(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return parts[0] == "__MACOSX" or parts[-1].startswith("._")


@register("zip")
def load_zip(path: Path, ctx: LoadContext) -> LoadedModel:
    """Extract the archive into the scratch folder and load the one model it holds."""
    dest = ctx.workdir / "unpacked"
    dest.mkdir(parents=True, exist_ok=False)
    names = extract_zip(path, dest, ctx.limits)
    models = [
        n
        for n in sorted(names)
        if not _is_junk(n)
        and EXTENSIONS.get(PurePosixPath(n).suffix.lower()) not in (None, "zip", "panorama")
    ]
    if not models:
        raise ModelError(
            "unsupported_format", {"reason": "no model file in the archive", "files": names[:50]}
        )
    if len(models) > 1:
        raise ModelError("multiple_models", {"models": models[:50]})
    inner = dest / models[0]
    fmt = detect_format(inner, models[0])
    log.info("zip holds %s (%s)", models[0], fmt)
    inner_ctx = dataclasses.replace(ctx, base_dir=inner.parent)
    model = load(inner, fmt, inner_ctx)
    model.container = "zip"
    return model
