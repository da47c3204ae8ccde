"""Tour bundles: export, import into another Heritour, export again gives the same bytes;
and import refuses hostile zips."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tours.authoring import AuthoringError, set_camera
from tours.blobstore.local import LocalBlobStore
from tours.bundles import BundleLimits, bundle_bytes, bundle_schema, import_bundle
from tours.images import image_markdown
from tours.models import ModelAsset, Tour
from tours.stopmedia import set_audio, store_poster

LIMITS = BundleLimits(max_unpacked_bytes=50 * 1024 * 1024, max_files=100)


@pytest.fixture
def rich_tour(db: Any, store: Any, draft_tour: Any, add_image: Any, narration_audio: Any) -> Any:
    """``draft_tour`` with audio, captions, a captured poster, a framed region, a lighting
    preset and a hotspot with its own camera view on its first stop."""
    from PIL import Image

    stop = draft_tour.stops[0]
    set_audio(db, store, stop, "vi", io.BytesIO(narration_audio()), b"WEBVTT\n", 10_000)
    png = io.BytesIO()
    Image.new("RGB", (32, 32), (200, 10, 10)).save(png, "PNG")
    poster = store_poster(store, png.getvalue())
    framing = {"half_width": 1.5, "half_height": 0.75}
    set_camera(db, stop, "10deg 70deg 3m", "0m 0.2m 0m", "35deg", poster, framing)
    stop.lighting = "clay"
    stop.hotspots[0].view = {
        "orbit": "40deg 60deg 1m",
        "target": "0m 0.5m 0.5m",
        "field_of_view": "20deg",
    }
    draft_tour.latitude, draft_tour.longitude = 16.4698, 107.5786
    stop.latitude, stop.longitude = 16.4668, 107.579
    db.commit()
    image = add_image(draft_tour, size=(900, 600))
    stop.texts[0].narration += f"\n\n{image_markdown(image.ref)}"
    db.commit()
    return draft_tour


def _manifest(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("bundle.json")


def test_export_import_export_is_byte_identical(
    db: Any, store: Any, rich_tour: Any, tmp_path: Path
) -> None:
    first = bundle_bytes(store, rich_tour)
    manifest = json.loads(_manifest(first))
    jsonschema.validate(manifest, bundle_schema())
    first_stop = manifest["tour"]["stops"][0]
    assert first_stop["audio"]["vi"]["captions"].startswith("captions/")
    assert first_stop["camera"]["framing"] == {"half_width": 1.5, "half_height": 0.75}
    assert first_stop["lighting"] == "clay"
    assert first_stop["location"] == {"latitude": 16.4668, "longitude": 107.579}
    assert first_stop["hotspots"][0]["view"]["orbit"] == "40deg 60deg 1m"
    assert "framing" not in manifest["tour"]["stops"][1]["camera"]  # optional fields
    assert "location" not in manifest["tour"]["stops"][1]
    (image,) = manifest["tour"]["images"].values()
    assert sorted(image["variants"], key=int) == ["320", "640", "1280"]  # 1280: 900 wide
    assert image["alt"] == {"vi": "Ảnh"}
    assert all(key in manifest["files"] for key in image["variants"].values())
    # Another Heritour: an empty store, and a database without this tour or its model.
    db.delete(rich_tour)
    db.commit()
    for asset in db.query(ModelAsset).all():
        db.delete(asset)
    db.commit()
    other = LocalBlobStore(tmp_path / "other")
    imported = import_bundle(db, other, io.BytesIO(first), LIMITS)
    assert imported.published_number is None
    second = bundle_bytes(other, imported)
    assert _manifest(second) == _manifest(first)
    assert db.query(ModelAsset).count() == 1
    for key, info in manifest["files"].items():
        assert hashlib.sha256(other.read(key)).hexdigest() == info["sha256"]


def test_import_under_a_new_slug_reuses_the_model(db: Any, store: Any, rich_tour: Any) -> None:
    data = bundle_bytes(store, rich_tour)
    with pytest.raises(AuthoringError) as taken:
        import_bundle(db, store, io.BytesIO(data), LIMITS)
    assert taken.value.code == "slug_taken"
    copy = import_bundle(db, store, io.BytesIO(data), LIMITS, slug="citadel-copy")
    assert copy.slug == "citadel-copy"
    assert db.query(ModelAsset).count() == 1
    assert db.query(Tour).count() == 2


def _zip(entries: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


def _entries(store: Any, tour: Any) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(bundle_bytes(store, tour))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _refused(db: Any, store: Any, data: io.BytesIO, limits: BundleLimits = LIMITS) -> str:
    with pytest.raises(AuthoringError) as raised:
        import_bundle(db, store, data, limits, slug="elsewhere")
    return raised.value.code


def test_zip_slip_is_refused(db: Any, store: Any, rich_tour: Any, tmp_path: Path) -> None:
    entries = _entries(store, rich_tour)
    for name in ("../../evil.txt", "/etc/passwd", "files/../../x", "files/models/..%2f", "x.txt"):
        assert _refused(db, store, _zip({**entries, name: b"x"})) == "unsafe_path"
    assert not (tmp_path / "evil.txt").exists()


def test_sizes_are_capped(db: Any, store: Any, rich_tour: Any) -> None:
    entries = _entries(store, rich_tour)
    small = BundleLimits(max_unpacked_bytes=1000, max_files=100)
    assert _refused(db, store, _zip(entries), small) == "bundle_too_large"
    few = BundleLimits(max_unpacked_bytes=10**9, max_files=2)
    assert _refused(db, store, _zip(entries), few) == "bundle_too_large"


def test_tampered_or_missing_files_are_refused(db: Any, store: Any, rich_tour: Any) -> None:
    entries = _entries(store, rich_tour)
    audio = next(name for name in entries if name.startswith("files/audio/"))
    assert _refused(db, store, _zip({**entries, audio: b"ID3 other bytes"})) == "blob_mismatch"
    without = {name: data for name, data in entries.items() if name != audio}
    assert _refused(db, store, _zip(without)) == "missing_blob"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda m: m.update(format="something-else"), "schema_invalid"),
        (lambda m: m["tour"].update(slug="../x"), "schema_invalid"),
        (
            lambda m: m["tour"]["stops"][0].update(audio={"vi": {"key": "../x", "type": "a"}}),
            "schema_invalid",
        ),
        (lambda m: m["tour"].update(default_locale="not a tag"), "schema_invalid"),
    ],
)
def test_schema_is_checked(db: Any, store: Any, rich_tour: Any, change: Any, code: str) -> None:
    entries = _entries(store, rich_tour)
    manifest = json.loads(entries["bundle.json"])
    change(manifest)
    entries["bundle.json"] = json.dumps(manifest).encode()
    assert _refused(db, store, _zip(entries)) == code


def test_not_a_bundle(db: Any, store: Any) -> None:
    assert _refused(db, store, io.BytesIO(b"PK\x03\x04 broken")) == "invalid_bundle"
    assert _refused(db, store, _zip({"readme.txt": b"hi"})) == "unsafe_path"
    assert _refused(db, store, _zip({"bundle.json": b"{not json"})) == "invalid_bundle"
    assert db.query(Tour).count() == 0


def test_two_imports_taking_one_slug_at_once(app: Any, db: Any, store: Any, rich_tour: Any) -> None:
    """Both imports find the slug free, then both commit: one gets the slug, the other a
    ``slug_taken`` conflict (not a database error), and nothing of it is left behind."""
    import threading

    from sqlalchemy import event

    data = bundle_bytes(store, rich_tour)
    sessions = app.extensions["database"][1]
    both_checked = threading.Barrier(2, timeout=60)
    outcomes: list[tuple[str, str]] = []

    def run() -> None:
        session = sessions()
        event.listen(session, "before_commit", lambda _session: both_checked.wait())
        try:
            tour = import_bundle(session, store, io.BytesIO(data), LIMITS, slug="twin")
            outcomes.append(("imported", tour.slug))
        except AuthoringError as error:
            outcomes.append(("refused", error.code))
        finally:
            session.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(outcomes) == [("imported", "twin"), ("refused", "slug_taken")]
    db.expire_all()
    assert db.query(Tour).count() == 2


def test_a_large_entry_is_unpacked_with_bounded_memory(
    db: Any, store: Any, rich_tour: Any, tmp_path: Path
) -> None:
    """A small bundle holding a 128 MiB entry (zeros, so it compresses to almost nothing):
    the import streams it to the store and never holds it in memory."""
    import tracemalloc

    mb = 1024 * 1024
    size = 128 * mb
    entries = _entries(store, rich_tour)
    manifest = json.loads(entries.pop("bundle.json"))
    old = next(key for key in manifest["files"] if key.startswith("models/"))
    zeros = b"\0" * mb
    digest = hashlib.sha256()
    for _ in range(size // mb):
        digest.update(zeros)
    new = f"models/{digest.hexdigest()}.glb"
    manifest["files"][new] = {**manifest["files"].pop(old), "sha256": digest.hexdigest()}
    manifest["files"][new]["bytes"] = size
    text = json.dumps(manifest).replace(old, new)
    bundle = tmp_path / "big.zip"
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bundle.json", text)
        for name, data in entries.items():
            if name != f"files/{old}":
                archive.writestr(name, data)
        with archive.open(f"files/{new}", "w", force_zip64=True) as out:
            for _ in range(size // mb):
                out.write(zeros)
    assert bundle.stat().st_size < 2 * mb
    other = LocalBlobStore(tmp_path / "other")
    limits = BundleLimits(max_unpacked_bytes=4 * size, max_files=100)
    tracemalloc.start()
    try:
        with bundle.open("rb") as stream:
            tour = import_bundle(db, other, stream, limits, slug="large")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert tour.slug == "large" and other.stat(new).size == size
    assert peak < 32 * mb, f"the import held {peak / mb:.0f} MiB at its peak"


def test_audio_that_does_not_decode_is_refused(db: Any, store: Any, rich_tour: Any) -> None:
    """A bundle from a site that took audio by its first bytes: its audio is decoded here."""
    fake = store.put_content("audio", io.BytesIO(b"ID3" + bytes(64)), "mp3", "audio/mpeg")
    rich_tour.stops[0].audio[0].audio_key = fake
    db.commit()
    entries = _entries(store, rich_tour)
    assert _refused(db, store, _zip(entries)) == "unsupported_audio"
