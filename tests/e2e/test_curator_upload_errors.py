"""A refused upload reaches the curator as the app's translated sentence, never as raw JSON
or a library's English text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tours.db import migrate

pytestmark = pytest.mark.e2e
EMAIL, PASSWORD = "refused.upload@example.org", "a long enough password"


@pytest.fixture(scope="module")
def studio_server(
    tmp_path_factory: pytest.TempPathFactory, serve: Any, e2e_app: Any
) -> Iterator[str]:
    from tours.accounts import create_user
    from webapp.extensions import db

    app = e2e_app(tmp_path_factory.mktemp("upload-errors"))
    with app.app_context():
        migrate(db.engine)
        create_user(db.session, EMAIL, PASSWORD, "curator")
    with serve(app) as url:
        yield url


def test_empty_file_shows_the_translated_sentence(
    studio_server: str, new_context: Any, tmp_path: Path
) -> None:
    page = new_context(studio_server, locale="fr-FR").new_page()
    page.goto("/studio/login")
    page.locator("#email").fill(EMAIL)
    page.locator("#password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/studio/")
    page.goto("/studio/models/")
    empty = tmp_path / "vide.glb"
    empty.write_bytes(b"")
    page.locator("#file").set_input_files(str(empty))
    note = page.locator("#uploads li.error .note")
    note.wait_for(timeout=60_000)
    failed = page.locator("#upload-form").get_attribute("data-msg-failed")
    assert failed == "Échec de l’envoi"  # the page is in French
    assert note.inner_text() == f"{failed}: Le fichier est vide."
