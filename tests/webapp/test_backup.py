"""``flask backup`` and ``flask restore``: a site rebuilt from its archive serves the same
pages and models, across databases and stores; hostile or damaged archives and non-empty
targets are refused with nothing written."""

from __future__ import annotations

import io
import json
import os
import re
import tarfile
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, inspect, select, text

from tours.db import Base, make_engine, migrate
from tours.models import Tour, TourRevision, User, VisitCount

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TARGETS = ["sqlite-local", "postgres-s3"]
PAGES = ["/en/", "/vi/", "/en/tours/citadel/", "/en/tours/citadel/1", "/fr/tours/citadel/3"]


@pytest.fixture
def blank_site(
    request: pytest.FixtureRequest, tmp_path: Path, unavailable: Any
) -> Iterator[Callable[[str], dict[str, Any]]]:
    """``blank_site(kind)``: settings of a site with a blank database and an empty store."""
    dropped: list[Callable[[], None]] = []

    def make(kind: str) -> dict[str, Any]:
        name = f"restore-{uuid.uuid4().hex[:8]}"
        config: dict[str, Any] = {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "JOBS": "immediate",
            "BLOB_DIR": str(tmp_path / name / "blobs"),
            "JOBS_SQLITE_PATH": str(tmp_path / name / "jobs.db"),
            "DATABASE_URL": f"sqlite:///{tmp_path / name / 'heritour.db'}",
        }
        (tmp_path / name).mkdir()
        if kind == "postgres-s3":
            config["DATABASE_URL"] = _blank_postgres(name.replace("-", "_"), dropped, unavailable)
            config.update(
                BLOB_STORE="s3",
                S3_ENDPOINT_URL=request.getfixturevalue("moto_endpoint"),
                S3_BUCKET=f"heritour-{name}",
                S3_ACCESS_KEY_ID="testing",
                S3_SECRET_ACCESS_KEY="testing",
                S3_CREATE_BUCKET=True,
            )
        return config

    yield make
    for drop in dropped:
        drop()


def _blank_postgres(name: str, dropped: list[Callable[[], None]], unavailable: Any) -> str:
    from sqlalchemy.exc import OperationalError

    admin_url = os.environ.get("HERITOUR_TEST_DATABASE_URL", PG_DEFAULT)
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "heritour_{name}"'))
    except OperationalError as error:
        admin.dispose()
        unavailable(f"backend unavailable: PostgreSQL ({error})", "start it: `make services`")

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "heritour_{name}" WITH (FORCE)'))
        admin.dispose()

    dropped.append(drop)
    return admin.url.set(database=f"heritour_{name}").render_as_string(hide_password=False)


def run(app: Any, *args: str) -> Any:
    """Run ``flask <args>`` on ``app``."""
    return app.test_cli_runner().invoke(args=list(args))


_NONCE = re.compile(r'nonce="[^"]*"')
_MEDIA = re.compile(r"(https?://[^\"' ]*?/heritour-[a-z0-9-]+/|/media/)([^\"'?\s]+)(\?[^\"'\s]*)?")


def public_view(client: Any, path: str) -> str:
    """A public page's HTML, with per-request nonces and store-specific blob URLs made alike."""
    response = client.get(path, headers={"Accept-Language": "en"})
    assert response.status_code == 200, path
    html = _NONCE.sub('nonce=""', response.get_data(as_text=True))
    return _MEDIA.sub(r"<blob \2>", html)


def served_levels(app: Any) -> dict[str, bytes]:
    """The bytes of every model level the published tours' API documents name."""
    from webapp.extensions import blobs

    client = app.test_client()
    served: dict[str, bytes] = {}
    for slug in ("citadel",):
        document = client.get(f"/api/v1/tours/{slug}").get_json()["document"]
        for stop in document["stops"]:
            for level in ((stop.get("model") or {}).get("levels") or {}).values():
                assert client.get(f"/media/{level['key']}").status_code in (200, 302)
                served[level["key"]] = blobs.store.read(level["key"])
    assert served, "the tour serves no model level"
    return served


@pytest.fixture
def site(db: Any, panorama_tour: Any, add_image: Any) -> Any:
    """A published tour with model and panorama stops, an image, a user and insight counts."""
    from tours.accounts import create_user
    from tours.publishing import publish_tour

    image = add_image(panorama_tour, alt="Cổng Ngọ Môn")
    panorama_tour.texts[0].summary += f"\n\n![](image:{image.ref})"
    create_user(db, "curator@example.org", "correct horse battery", "curator")
    db.commit()
    publish_tour(db, panorama_tour)
    db.add(
        VisitCount(
            day=date(2026, 3, 1),
            tour_id=panorama_tour.id,
            stop_number=1,
            language="ko",
            event="view",
            device="phone",
            count=7,
        )
    )
    db.commit()
    return panorama_tour


@pytest.mark.parametrize("target", TARGETS)
def test_restore_rebuilds_the_published_site(
    app: Any, site: Any, blank_site: Any, tmp_path: Path, target: str
) -> None:
    from webapp import create_app

    archive = tmp_path / "site.tar.gz"
    result = run(app, "backup", str(archive), "--with-blobs")
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []
    assert archive.stat().st_mode & 0o777 == 0o600  # password hashes and secrets inside
    client = app.test_client()
    pages = {path: public_view(client, path) for path in PAGES}
    levels = served_levels(app)

    restored = create_app(blank_site(target))
    with restored.app_context():
        result = run(restored, "restore", str(archive))
        assert result.exit_code == 0, result.output
        assert "blobs written" in result.output
        new_client = restored.test_client()
        assert {path: public_view(new_client, path) for path in PAGES} == pages
        assert served_levels(restored) == levels
        from webapp.extensions import db as target_db

        session = target_db.session
        visit = session.scalars(select(VisitCount)).one()
        assert (visit.day, visit.language, visit.count) == (date(2026, 3, 1), "ko", 7)
        user = session.scalars(select(User)).one()
        assert (user.email, user.active) == ("curator@example.org", True)
        # New rows get fresh ids: sequences were moved past the restored ones.
        tour = Tour(slug="another")
        session.add(tour)
        session.commit()
        assert tour.id > site.id
        assert session.scalar(select(func.count()).select_from(TourRevision)) == 1


def test_backup_lists_the_blobs_with_sizes_and_hashes(
    app: Any, site: Any, store: Any, tmp_path: Path
) -> None:
    archive = tmp_path / "site.tar"
    result = run(app, "backup", str(archive))
    assert result.exit_code == 0, result.output
    with tarfile.open(archive) as opened:
        names = opened.getnames()
        manifest = json.loads(opened.extractfile("manifest.json").read())  # type: ignore[union-attr]
    assert names[-1] == "manifest.json"
    assert not [name for name in names if name.startswith("blobs/")]
    assert manifest["schema_revision"] == migrate_head()
    assert [t["name"] for t in manifest["tables"]] == [t.name for t in Base.metadata.sorted_tables]
    counts = {t["name"]: t["rows"] for t in manifest["tables"]}
    assert (counts["tours"], counts["stops"], counts["tour_revisions"]) == (1, 4, 1)
    blobs = {blob["key"]: blob for blob in manifest["blobs"]}
    for stop in site.stops:
        if stop.model.kind == "model":
            assert stop.model.levels["high"]["key"] in blobs
    assert any(key.startswith("tiles/") for key in blobs)
    for key, blob in blobs.items():
        assert blob["size"] == store.stat(key).size
        if not key.startswith("tiles/"):
            assert blob["sha256"] == key.split("/")[1].split(".")[0]
    assert manifest["missing_blobs"] == []


def migrate_head() -> str:
    from tours.db import head_revision

    return head_revision()


def test_the_snapshot_does_not_see_later_writes(app: Any, site: Any) -> None:
    from tours.backup import read_snapshot
    from webapp.extensions import db

    with read_snapshot(db.engine) as connection:
        before = connection.execute(select(func.count()).select_from(Tour)).scalar()
        with db.engine.begin() as other:
            other.execute(Tour.__table__.insert().values(slug="later", default_locale="en"))
        after = connection.execute(select(func.count()).select_from(Tour)).scalar()
    assert before == after == 1


@pytest.fixture
def archive(app: Any, site: Any, tmp_path: Path) -> Path:
    """A backup of ``site`` with its blobs."""
    path = tmp_path / "good.tar"
    result = run(app, "backup", str(path), "--with-blobs")
    assert result.exit_code == 0, result.output
    return path


def rewrite(source: Path, target: Path, change: Callable[[str, bytes], Any]) -> Path:
    """Copy the archive, ``change(name, data)`` giving new data, a (name, data) list, or None
    to keep the member."""
    with tarfile.open(source) as old, tarfile.open(target, "w") as new:
        for member in old.getmembers():
            data = old.extractfile(member).read()  # type: ignore[union-attr]
            changed = change(member.name, data)
            entries = (
                [(member.name, data)]
                if changed is None
                else changed
                if isinstance(changed, list)
                else [(member.name, changed)]
            )
            for name, content in entries:
                info = tarfile.TarInfo(name)
                info.size = len(content)
                new.addfile(info, io.BytesIO(content))
    return target


def _manifest_edit(edit: Callable[[dict[str, Any]], None]) -> Callable[[str, bytes], Any]:
    def change(name: str, data: bytes) -> Any:
        if name != "manifest.json":
            return None
        manifest = json.loads(data)
        edit(manifest)
        return json.dumps(manifest).encode()

    return change


def _lie_about_hash(manifest: dict[str, Any]) -> None:
    manifest["blobs"][0]["sha256"] = "0" * 64


def _unknown_column(manifest: dict[str, Any]) -> None:
    manifest["tables"][0]["columns"].append("owner_password")


def _older_schema(manifest: dict[str, Any]) -> None:
    manifest["schema_revision"] = "0012"


def _tamper_rows(name: str, data: bytes) -> Any:
    return data.replace(b"citadel", b"citadel-evil") if name == "tables/tours.jsonl" else None


def _traversal(name: str, data: bytes) -> Any:
    return [(name, data), ("../../evil.txt", b"x")] if name == "manifest.json" else None


def _traversal_blob(name: str, data: bytes) -> Any:
    return [("blobs/../../../etc/evil", b"x"), (name, data)] if name == "manifest.json" else None


def _unknown_table(name: str, data: bytes) -> Any:
    return [("tables/secrets.jsonl", b"{}\n"), (name, data)] if name == "manifest.json" else None


def _swap_blob(name: str, data: bytes) -> Any:
    return b"not the model" if name.startswith("blobs/models/") else None


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (_manifest_edit(_lie_about_hash), "hash_mismatch"),
        (_manifest_edit(_unknown_column), "unknown_column"),
        (_manifest_edit(_older_schema), "schema_mismatch"),
        (_tamper_rows, "hash_mismatch"),
        (_traversal, "unsafe_member"),
        (_traversal_blob, "unsafe_member"),
        (_unknown_table, "unknown_table"),
        (_swap_blob, "hash_mismatch"),
    ],
    ids=[
        "manifest-lies-about-a-hash",
        "unknown-column",
        "other-schema-revision",
        "rows-changed",
        "path-traversal",
        "blob-path-traversal",
        "unknown-table",
        "blob-swapped",
    ],
)
def test_hostile_archives_are_refused_with_nothing_written(
    archive: Path, blank_site: Any, tmp_path: Path, change: Any, code: str
) -> None:
    hostile = rewrite(archive, tmp_path / "hostile.tar", change)
    _assert_refused_untouched(blank_site("sqlite-local"), hostile, code)


def test_a_truncated_archive_is_refused(archive: Path, blank_site: Any, tmp_path: Path) -> None:
    cut = tmp_path / "cut.tar"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    _assert_refused_untouched(blank_site("sqlite-local"), cut, None)
    garbage = tmp_path / "garbage.tar"
    garbage.write_bytes(b"this is not a tar file" * 100)
    _assert_refused_untouched(blank_site("sqlite-local"), garbage, "unreadable_archive")


def _assert_refused_untouched(config: dict[str, Any], path: Path, code: str | None) -> None:
    from webapp import create_app

    restored = create_app(config)
    with restored.app_context():
        result = run(restored, "restore", str(path))
        assert result.exit_code == 2, result.output
        if code is not None:
            assert f"[{code}]" in result.output
        else:
            assert re.search(
                r"\[(truncated_archive|no_manifest|unreadable_archive)\]", result.output
            )
        engine = make_engine(config["DATABASE_URL"])
        assert inspect(engine).get_table_names() == []
        engine.dispose()
    blob_dir = Path(config["BLOB_DIR"])
    assert not blob_dir.exists() or not [p for p in blob_dir.rglob("*") if p.is_file()]


def test_restore_refuses_a_site_with_content(archive: Path, blank_site: Any) -> None:
    from webapp import create_app

    config = blank_site("sqlite-local")
    engine = make_engine(config["DATABASE_URL"])
    migrate(engine)
    with engine.begin() as connection:
        connection.execute(Tour.__table__.insert().values(slug="mine", default_locale="en"))
    restored = create_app(config)
    with restored.app_context():
        result = run(restored, "restore", str(archive))
    assert result.exit_code == 2, result.output
    assert "[target_not_empty]" in result.output
    with engine.connect() as connection:
        assert connection.execute(select(Tour.slug)).scalars().all() == ["mine"]
    engine.dispose()


def test_missing_blobs_are_reported_and_refused_unless_allowed(
    app: Any, site: Any, blank_site: Any, tmp_path: Path
) -> None:
    from webapp import create_app

    path = tmp_path / "rows-only.tar"
    assert run(app, "backup", str(path)).exit_code == 0
    config = blank_site("sqlite-local")
    restored = create_app(config)
    with restored.app_context():
        result = run(restored, "restore", str(path))
        assert result.exit_code == 2, result.output
        assert "[missing_blobs]" in result.output
        engine = make_engine(config["DATABASE_URL"])
        assert inspect(engine).get_table_names() == []
        result = run(restored, "restore", str(path), "--allow-missing-blobs")
        assert result.exit_code == 0, result.output
        assert "blobs are missing" in result.output
        with engine.connect() as connection:
            assert connection.execute(select(Tour.slug)).scalars().all() == ["citadel"]
        engine.dispose()


def _duplicate_tour(source: Path, target: Path) -> Path:
    """A copy of the archive whose tours table holds the same slug twice, hashes made to fit:
    honest-looking, but the database refuses it."""
    import hashlib

    with tarfile.open(source) as old:
        rows = old.extractfile("tables/tours.jsonl").read()  # type: ignore[union-attr]
    row = json.loads(rows.splitlines()[0])
    row["id"] += 1000
    rows += (json.dumps(row) + "\n").encode()

    def change(name: str, data: bytes) -> Any:
        if name == "tables/tours.jsonl":
            return rows
        if name == "manifest.json":
            manifest = json.loads(data)
            entry = next(t for t in manifest["tables"] if t["name"] == "tours")
            entry.update(rows=entry["rows"] + 1, sha256=hashlib.sha256(rows).hexdigest())
            return json.dumps(manifest).encode()
        return None

    return rewrite(source, target, change)


@pytest.mark.parametrize("target", TARGETS)
def test_a_restore_the_database_refuses_leaves_nothing(
    archive: Path, blank_site: Any, tmp_path: Path, target: str
) -> None:
    from webapp import create_app

    bad = _duplicate_tour(archive, tmp_path / "duplicate.tar")
    config = blank_site(target)
    restored = create_app(config)
    with restored.app_context():
        result = run(restored, "restore", str(bad))
        assert result.exit_code == 2, result.output
        assert "[restore_failed]" in result.output
        engine = make_engine(config["DATABASE_URL"])
        assert inspect(engine).get_table_names() == []  # the migration was rolled back too
        engine.dispose()


def test_a_store_failure_midway_removes_the_blobs_written(
    archive: Path, blank_site: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tours.blobstore import BlobStoreError
    from tours.blobstore.local import LocalBlobStore
    from webapp import create_app

    config = blank_site("sqlite-local")
    put = LocalBlobStore.put
    calls: list[str] = []

    def failing_put(self: Any, key: str, *args: Any, **kwargs: Any) -> Any:
        calls.append(key)
        if len(calls) == 3:
            raise BlobStoreError(f"could not write {key}: disk full")
        return put(self, key, *args, **kwargs)

    monkeypatch.setattr(LocalBlobStore, "put", failing_put)
    restored = create_app(config)
    with restored.app_context():
        result = run(restored, "restore", str(archive))
    assert result.exit_code == 1, result.output
    assert "[store_unreachable]" in result.output and "disk full" in result.output
    engine = make_engine(config["DATABASE_URL"])
    assert inspect(engine).get_table_names() == []
    engine.dispose()
    assert not [p for p in Path(config["BLOB_DIR"]).rglob("*") if p.is_file()]


def test_a_failed_backup_leaves_no_file(
    app: Any, site: Any, store: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tours.blobstore import BlobStoreError

    def unreachable(*_args: Any, **_kwargs: Any) -> Any:
        raise BlobStoreError("connection refused")

    monkeypatch.setattr(type(store), "open", unreachable)
    result = run(app, "backup", str(tmp_path / "site.tar"), "--with-blobs")
    assert result.exit_code == 2, result.output
    assert "[blob_unreadable]" in result.output and "connection refused" in result.output
    assert [p.name for p in tmp_path.iterdir() if "site" in p.name] == []
    result = run(app, "backup", str(tmp_path / "no-such-folder" / "site.tar"))
    assert result.exit_code == 1, result.output
    assert "[backup_failed]" in result.output


def test_missing_manifest_keys_are_refused(archive: Path, blank_site: Any, tmp_path: Path) -> None:
    def bad_missing(manifest: dict[str, Any]) -> None:
        manifest["missing_blobs"] = ["../../etc/passwd"]

    def bad_columns(manifest: dict[str, Any]) -> None:
        manifest["tables"][1]["columns"] = 7

    for number, (edit, code) in enumerate(
        [(bad_missing, "unsafe_member"), (bad_columns, "unknown_column")]
    ):
        hostile = rewrite(archive, tmp_path / f"edit{number}.tar", _manifest_edit(edit))
        _assert_refused_untouched(blank_site("sqlite-local"), hostile, code)
