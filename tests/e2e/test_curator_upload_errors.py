"""A refused upload reaches the curator as the app's translated sentence, never as raw JSON
or a library's English text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e
EMAIL = "refused.upload@example.org"


@pytest.fixture(scope="module")
def studio_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("upload-errors")


@pytest.fixture(scope="module")
def studio_server(studio_root: Path, curator_studio: Any) -> Iterator[str]:
    with curator_studio(studio_root, EMAIL) as (url, _):
        yield url


def test_empty_file_shows_the_translated_sentence(
    studio_server: str, new_context: Any, sign_in_curator: Any, tmp_path: Path
) -> None:
    page = new_context(studio_server, locale="fr-FR").new_page()
    sign_in_curator(page, EMAIL)
    page.goto("/studio/models/")
    empty = tmp_path / "vide.glb"
    empty.write_bytes(b"")
    page.locator("#file").set_input_files(str(empty))
    note = page.locator("#uploads li.error .note")
    note.wait_for(timeout=60_000)
    failed = page.locator("#upload-form").get_attribute("data-msg-failed")
    assert failed == "Échec de l’envoi"  # the page is in French
    assert note.inner_text() == f"{failed}: Le fichier est vide."


def test_store_failing_as_the_upload_ends_is_explained_then_resumed(
    studio_server: str,
    studio_root: Path,
    new_context: Any,
    sign_in_curator: Any,
    testdata: Path,
) -> None:
    page = new_context(studio_server, locale="fr-FR").new_page()
    sign_in_curator(page, EMAIL)
    page.goto("/studio/models/")
    objects = studio_root / "blobs" / "objects"
    objects.mkdir(parents=True, exist_ok=True)
    aside = objects.with_name("objects-aside")
    objects.rename(aside)
    objects.write_text("not a folder")  # the local store fails every write
    try:
        page.locator("#file").set_input_files(str(testdata / "Duck.glb"))
        note = page.locator("#uploads li.retrying .note", has_text="n’a pas pu être enregistré")
        note.wait_for(timeout=60_000)
        assert note.inner_text().startswith("Le fichier est arrivé mais n’a pas pu être")
    finally:
        objects.unlink()
        aside.rename(objects)
    # The next try sends the last chunk again; the model is made and listed.
    row = page.locator("#models tr", has_text="Duck.glb")
    row.locator(".status-ready").wait_for(timeout=180_000)
