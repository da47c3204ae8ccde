"""The two entry points: :func:`inspect_file` (report only) and :func:`process_file`.

Order matters: size, format, archive and URI safety, counts and texture headers are all
checked before anything expensive (decoding, validation, simplification) happens.
"""

from __future__ import annotations

import contextlib
import logging
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from models3d.detect import detect_format
from models3d.draco import decode_draco
from models3d.errors import ModelError
from models3d.formats import LoadContext, LoadedModel, load
from models3d.formats.meshes import check_counts
from models3d.glb import read_glb, write_glb, write_glb_file
from models3d.gltfscene import check_geometry_data, count_geometry, draws_area
from models3d.gpumemory import level_textures
from models3d.ktx2input import decode_ktx2_images
from models3d.levels import Level, LevelBuilder, build_levels
from models3d.materials import convert_spec_gloss
from models3d.nodetools import run_gltfpack, validate_document, validate_files
from models3d.normalise import apply_normalisation, plan_normalisation
from models3d.options import DEFAULT_LIMITS, DEFAULT_OPTIONS, LEVELS, Limits, ProcessOptions
from models3d.panorama import inspect_panorama, process_panorama
from models3d.pointpipeline import inspect_points, point_format, process_points
from models3d.poster import encode_poster, render_poster
from models3d.repairs import repair_document
from models3d.report import build_report, publish_outputs, validator_summary
from models3d.structure import StructureError, reading_structure
from models3d.texprep import image_bytes, load_images
from models3d.textures import check_image

log = logging.getLogger(__name__)

Progress = Callable[[int, str], None]
# Validator errors that re-packing repairs; any other error makes the input unusable.
# Bounds of accessors other than POSITION (which models3d.repairs fixes) are not kept in
# the levels, so wrong ones do no harm.
REPAIRABLE_CODES = frozenset(
    {
        "ACCESSOR_MIN_MISMATCH",
        "ACCESSOR_MAX_MISMATCH",
        "ACCESSOR_ELEMENT_OUT_OF_MIN_BOUND",
        "ACCESSOR_ELEMENT_OUT_OF_MAX_BOUND",
        "ACCESSOR_NON_UNIT",
    }
)
# Above this much binary data the validator checks the input's JSON structure only (the
# accessor data checks cost about 1 s per 100 MB); index ranges and finite positions are
# then checked here in numpy. Outputs are always validated fully.
FULL_VALIDATION_MAX_BYTES = 32 << 20
# The poster is drawn from this level (before compression) while the smaller levels are
# built. Its drawing time hardly depends on the triangle count; detail beyond this level
# does not show at poster size.
POSTER_LEVEL = "medium"


@dataclass
class ProcessResult:
    """What :func:`process_file` produced.

    For a model or a scan, ``levels`` maps each level of detail to its GLB; for a panorama
    (``report["kind"] == "panorama"``) it holds ``preview`` and ``equirect`` (JPEG) and
    ``tiles`` is the folder of the tile pyramid.
    """

    report: dict[str, Any]
    levels: dict[str, Path] = field(default_factory=dict)
    poster: Path = Path()
    tiles: Path | None = None


def _no_progress(_percent: int, _stage: str) -> None:
    return None


def _timed(progress: Progress) -> Progress:
    """Wrap ``progress`` so each stage's wall time is logged when the next one starts."""
    current: list[Any] = []

    def report(percent: int, stage: str) -> None:
        now = time.monotonic()
        if current:
            log.info("stage %s: %.2f s", current[0], now - current[1])
        current[:] = [stage, now]
        progress(percent, stage)

    return report


def _check_contents(model: LoadedModel, limits: Limits, workdir: Path) -> None:
    triangles, vertices = count_geometry(model.doc)
    if triangles == 0:
        raise ModelError("no_geometry", {"reason": "the scene draws no triangles"})
    check_counts(triangles, vertices, limits)
    decode_ktx2_images(model, workdir, limits)
    for i in range(len(model.doc.get("images", []))):
        if "bufferView" not in model.doc["images"][i]:
            raise ModelError("invalid_gltf", {"image": i, "reason": "image has no data"})
        check_image(
            image_bytes(model.doc, model.binary, i), limits.max_texture_pixels, f"image {i}"
        )


def _explain(error: StructureError, workdir: Path) -> None:
    """Add the validator's own findings on the document's JSON to ``error``'s detail.

    Only rejected documents get here, so the extra validator run costs the normal path
    nothing. The error stays as it is if the validator cannot run on the document.
    """
    try:
        result = validate_document(error.doc, workdir / "structure.gltf")
    except Exception:  # best effort: the document is rejected either way
        log.warning("the validator could not explain a structural error", exc_info=True)
        return
    errors = [m for m in result["messages"] if m["severity"] == 0]
    if errors:
        pointer = error.detail["pointer"]
        same_place = [m for m in errors if (m.get("pointer") or "").startswith(pointer or "/")]
        error.detail["validator"] = validator_summary({**result, "scope": "structure"})
        error.detail["first_error"] = (same_place or errors)[:1]


def _only_in_animations(result: dict[str, Any]) -> bool:
    """Are all the validator's errors (all listed) about animations?"""
    errors = [m for m in result["messages"] if m["severity"] == 0]
    return len(errors) == result["numErrors"] and all(
        (m.get("pointer") or "").startswith("/animations/") for m in errors
    )


def _validate_source(model: LoadedModel, workdir: Path, retry: bool = True) -> dict[str, Any]:
    """Validate the upload; broken animations (which viewers skip) are dropped, noted."""
    if len(model.binary) > FULL_VALIDATION_MAX_BYTES:
        result = validate_document(model.doc, workdir / "source.gltf")
        result["scope"] = "structure"
    else:
        path = workdir / "source.glb"
        write_glb_file(path, model.doc, model.binary)
        result = validate_files([path])[0]
        result["scope"] = "full"
    errors = [m for m in result["messages"] if m["severity"] == 0]
    fatal = [m for m in errors if m["code"] not in REPAIRABLE_CODES]
    if fatal and retry and _only_in_animations(result):
        model.notes.add("animations_dropped", {"animations": len(model.doc["animations"])})
        del model.doc["animations"]
        return _validate_source(model, workdir, retry=False)
    if result["numErrors"] and (fatal or len(errors) < result["numErrors"]):
        raise ModelError(
            "invalid_gltf", {"validator": validator_summary(result), "first_error": fatal[:1]}
        )
    if errors:
        model.notes.add("accessor_bounds_repaired", {"accessors": len(errors)})
    return result


def _decode_if_compressed(model: LoadedModel, workdir: Path) -> None:
    views = model.doc.get("bufferViews", [])
    if not any("EXT_meshopt_compression" in v.get("extensions", {}) for v in views):
        return
    src, dst = workdir / "compressed.glb", workdir / "decoded.glb"
    src.write_bytes(write_glb(model.doc, model.binary))
    run_gltfpack(src, dst, ["-noq"])
    doc, binary = read_glb(dst.read_bytes())
    model.doc, model.binary, model.compressed = doc, binary or b"", True
    model.notes.add("meshopt_decoded", {})


def _checked_format(path: Path, original_name: str | None, limits: Limits) -> str:
    size = path.stat().st_size
    if size > limits.max_upload_bytes:
        raise ModelError("file_too_large", {"bytes": size, "max_bytes": limits.max_upload_bytes})
    if size == 0:
        raise ModelError("parse_error", {"reason": "the file is empty"})
    return detect_format(path, original_name)


def _prepare(
    path: Path, fmt: str, limits: Limits, workdir: Path, progress: Progress
) -> tuple[LoadedModel, int, dict[str, Any]]:
    """Load the mesh detected as ``fmt`` (see :func:`_checked_format`), check and validate it."""
    size = path.stat().st_size
    progress(5, "checking")
    try:
        model = load(path, fmt, LoadContext(None, limits, workdir))
    except StructureError as error:
        _explain(error, workdir)
        raise
    # The structure was checked at load; this is only the safety net for a glTF document.
    net = reading_structure("glTF document") if model.is_gltf else contextlib.nullcontext()
    with net:
        _check_contents(model, limits, workdir)
        repair_document(model, thorough=len(model.binary) <= FULL_VALIDATION_MAX_BYTES)
    progress(15, "validating")
    validation = _validate_source(model, workdir)
    _decode_if_compressed(model, workdir)
    decode_draco(model)
    if validation["scope"] != "full":
        check_geometry_data(model.doc, model.binary)
    if not draws_area(model.doc, model.binary):
        raise ModelError("no_geometry", {"reason": "every triangle has zero area"})
    return model, size, validation


def inspect_file(
    path: Path, *, original_name: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> dict[str, Any]:
    """Check and describe an uploaded model; returns a JSON-able report.

    Raises :class:`ModelError` when the upload is rejected.
    """
    path = Path(path)
    fmt = _checked_format(path, original_name, limits)
    if fmt == "panorama":
        return inspect_panorama(path, original_name=original_name, limits=limits)
    points = point_format(path, fmt)
    if points is not None:
        options = ProcessOptions(limits=limits)
        return inspect_points(path, points, original_name=original_name, options=options)
    with tempfile.TemporaryDirectory(prefix="models3d-") as tmp:
        model, size, validation = _prepare(path, fmt, limits, Path(tmp), _no_progress)
        norm = plan_normalisation(model, "auto", "m")
        return build_report(
            model,
            original_name=original_name,
            size_bytes=size,
            validation=validation,
            norm=norm,
            max_pixels=limits.max_texture_pixels,
        )


def _render_poster_of(level: Level, px: int) -> Image.Image:
    doc, binary = read_glb(level.unpacked.read_bytes())
    return render_poster(doc, binary or b"", px)


def _validated_levels(levels: dict[str, Level], folder: Path, max_pixels: int) -> dict[str, Any]:
    """Each level's figures for the report, once the validator found no error in its file.

    Levels with the same bytes (stored once) are validated once, and a level with the same
    bytes as the one above it says so (``same_as``). Each level's ``texture_gpu_bytes`` is
    what its textures take in a phone's GPU memory with mipmaps (KTX2 stays compressed, see
    :mod:`models3d.gpumemory`); ``texture_rgba8_bytes`` is what they would take as RGBA8.
    """
    first = {
        name: next(n for n in LEVELS if levels[n].data == levels[name].data) for name in LEVELS
    }
    distinct = sorted(set(first.values()), key=LEVELS.index)
    results = validate_files([folder / f"{name}.glb" for name in distinct])
    checked = dict(zip(distinct, results, strict=True))
    figures = {}
    for name in LEVELS:
        result = checked[first[name]]
        if result["numErrors"]:
            log.error("level %s fails validation: %s", name, result["messages"][:3])
            raise ModelError(
                "invalid_gltf", {"level": name, "validator": validator_summary(result)}
            )
        textures = level_textures(levels[name].data, max_pixels)
        figures[name] = {
            **levels[name].to_dict(),
            "texture_gpu_bytes": sum(t["gpu_bytes"] for t in textures),
            "texture_rgba8_bytes": sum(t["rgba8_bytes"] for t in textures),
            "texture_codecs": sorted({t["codec"] for t in textures}),
            "validator": {k: result[k] for k in ("numErrors", "numWarnings", "numInfos")},
        }
        above = LEVELS[LEVELS.index(name) + 1 :]
        same = [n for n in above if levels[n].data == levels[name].data]
        if same:
            figures[name]["same_as"] = same[0]
    return figures


def _level_progress(progress: Progress) -> Callable[[str], None]:
    steps = {name: 40 + 10 * i for i, name in enumerate(reversed(LEVELS))}
    return lambda name: progress(steps[name], f"level {name}")


def process_file(
    path: Path,
    out_dir: Path,
    *,
    original_name: str | None = None,
    options: ProcessOptions = DEFAULT_OPTIONS,
    progress: Progress | None = None,
) -> ProcessResult:
    """Check, normalise and convert a model; write levels, poster and report into ``out_dir``.

    Files appear in ``out_dir`` only when everything succeeded. Raises :class:`ModelError`.
    """
    path, out_dir = Path(path), Path(out_dir)
    report_progress = _timed(progress or _no_progress)
    started = time.monotonic()
    limits = options.limits
    fmt = _checked_format(path, original_name, limits)
    if fmt == "panorama":
        report, level_paths, poster_path, tiles = process_panorama(
            path, out_dir, original_name=original_name, options=options, progress=report_progress
        )
        report_progress(100, "done")
        return ProcessResult(report, level_paths, poster_path, tiles)
    points = point_format(path, fmt)
    if points is not None:
        report, level_paths, poster_path = process_points(
            path,
            points,
            out_dir,
            original_name=original_name,
            options=options,
            progress=report_progress,
        )
        report_progress(100, "done")
        return ProcessResult(report, level_paths, poster_path)
    with tempfile.TemporaryDirectory(prefix="models3d-") as tmp:
        work = Path(tmp)
        model, size, validation = _prepare(path, fmt, limits, work, report_progress)
        report_progress(30, "normalising")
        norm = plan_normalisation(model, options.up_axis, options.unit)
        apply_normalisation(model, norm)
        report = build_report(
            model,
            original_name=original_name,
            size_bytes=size,
            validation=validation,
            norm=norm,
            max_pixels=limits.max_texture_pixels,
        )
        converted = convert_spec_gloss(model.doc)
        if converted:
            report["notes"].append({"code": "spec_gloss_converted", "detail": {"count": converted}})
        images = load_images(model.doc, model.binary, limits.max_texture_pixels)
        builder = LevelBuilder(model.doc, model.binary, images, work, limits.max_texture_pixels)
        model.binary = b""  # the builder wrote its own copy; let the big buffer go
        with ThreadPoolExecutor(max_workers=1) as background:
            posters: list[Future[Image.Image]] = []

            def start_poster(name: str, level: Level) -> None:
                if name == POSTER_LEVEL:
                    posters.append(background.submit(_render_poster_of, level, options.poster_px))

            levels = build_levels(
                builder, dict(options.budgets), _level_progress(report_progress), start_poster
            )
            poster_image = posters[0].result()
            report_progress(75, "ktx2 textures")
            levels = builder.with_ktx2(levels, options.ktx2_levels)
            stage = work / "out"
            stage.mkdir()
            for name, level in levels.items():
                (stage / f"{name}.glb").write_bytes(level.data)
            report_progress(85, "validating outputs")
            report["levels"] = _validated_levels(levels, stage, limits.max_texture_pixels)
            report_progress(92, "poster")
            poster = encode_poster(poster_image, options.poster_max_bytes)
        publish_outputs(stage, out_dir, report, poster, options.poster_px)
    report_progress(100, "done")
    log.info("processed %s in %.1f s", original_name or path.name, time.monotonic() - started)
    return ProcessResult(
        report,
        {name: out_dir / f"{name}.glb" for name in LEVELS},
        out_dir / "poster.webp",
    )
