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
def studio_server(tmp_path_factory: pytest.TempPathFactory, curator_studio: Any) -> Iterator[str]:
    with curator_studio(tmp_path_factory.mktemp("upload-errors"), EMAIL) as (url, _):
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
