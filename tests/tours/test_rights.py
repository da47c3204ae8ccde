"""Rights statements: what a curator may type, and rights kept through publishing and
through a bundle's export → import → export."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tours.authoring import AuthoringError
from tours.blobstore.local import LocalBlobStore
from tours.bundles import BundleLimits, bundle_bytes, bundle_schema, import_bundle
from tours.document import tour_document
from tours.images import image_markdown
from tours.models import ModelAsset
from tours.rights import STATEMENTS, RightsError, check_rights, set_rights
from tours.stopmedia import set_audio

BY = "https://creativecommons.org/licenses/by/4.0/"
CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"
INC_EDU = "http://rightsstatements.org/vocab/InC-EDU/1.0/"
LIMITS = BundleLimits(max_unpacked_bytes=50 * 1024 * 1024, max_files=100)


def test_the_fixed_list_has_every_cc_licence_and_the_rightsstatements() -> None:
    labels = [statement.label for statement in STATEMENTS]
    assert labels[:7] == [
        "CC0 1.0",
        "CC BY 4.0",
        "CC BY-SA 4.0",
        "CC BY-NC 4.0",
        "CC BY-NC-SA 4.0",
        "CC BY-ND 4.0",
        "CC BY-NC-ND 4.0",
    ]
    assert {"InC", "InC-EDU", "NoC-NC", "CNE", "UND"} <= set(labels)
    assert len({statement.uri for statement in STATEMENTS}) == len(STATEMENTS)
    in_copyright = {statement.label for statement in STATEMENTS if statement.in_copyright}
    assert in_copyright == {label for label in labels if label.startswith(("CC BY", "InC"))}
    credit = {statement.label for statement in STATEMENTS if statement.needs_attribution}
    assert credit == {label for label in labels if label.startswith("CC BY")}


def test_rights_are_kept_normalised() -> None:
    assert check_rights(BY, "  Photo:   Lê Văn A ", " Huế Monuments  Centre", "2023-11") == {
        "statement": BY,
        "attribution": "Photo: Lê Văn A",
        "source": "Huế Monuments Centre",
        "digitised": "2023-11",
    }
    assert check_rights(CC0) == {"statement": CC0, "attribution": "", "source": ""}
    assert check_rights("", "", "", "") is None
    today = date.today().isoformat()
    assert check_rights(CC0, digitised=today) == {
        "statement": CC0,
        "attribution": "",
        "source": "",
        "digitised": today,
    }


@pytest.mark.parametrize(
    ("statement", "attribution", "source", "digitised", "code"),
    [
        ("https://example.org/my-licence", "A", "", "", "rights_statement_unknown"),
        ("https://creativecommons.org/licenses/by/3.0/", "A", "", "", "rights_statement_unknown"),
        ("", "Someone", "", "", "rights_statement_unknown"),
        (BY, "", "Scan team", "", "rights_attribution_required"),
        (INC_EDU, "x" * 301, "", "", "rights_text_too_long"),
        (CC0, "", "y" * 301, "", "rights_text_too_long"),
        (CC0, "", "", "17/05/2024", "rights_date_invalid"),
        (CC0, "", "", "2024-13", "rights_date_invalid"),
        (CC0, "", "", "2024-02-30", "rights_date_invalid"),
        (CC0, "", "", "9999", "rights_date_invalid"),
        (CC0, "", "", "tomorrow", "rights_date_invalid"),
        (CC0, "", "", "0000", "rights_date_invalid"),
    ],
)
def test_refused_rights_have_a_stable_code(
    statement: str, attribution: str, source: str, digitised: str, code: str
) -> None:
    if digitised == "tomorrow":  # computed here: the suite may be collected before midnight
        digitised = (date.today() + timedelta(days=1)).isoformat()
    with pytest.raises(RightsError) as raised:
        check_rights(statement, attribution, source, digitised)
    assert raised.value.code == code


@pytest.fixture
def rights_tour(db: Any, store: Any, draft_tour: Any, add_image: Any, narration_audio: Any) -> Any:
    """``draft_tour`` with rights on its tour, model, audio and image."""
    stop = draft_tour.stops[0]
    set_audio(db, store, stop, "vi", io.BytesIO(narration_audio()), None, 10_000)
    image = add_image(draft_tour)
    stop.texts[0].narration += f"\n\n{image_markdown(image.ref)}"
    set_rights(db, draft_tour, check_rights(CC0, "", "Heritour editors"))
    set_rights(db, stop.model, check_rights(BY, "Scan: Huế team", "Huế team", "2024-05-17"))
    set_rights(db, stop.audio[0], check_rights(INC_EDU, "Voice: Mai", "Studio Mai", "2025"))
    set_rights(db, image, check_rights(BY, "Photo: Lan", "Lan", ""))
    return draft_tour


def test_the_document_carries_every_rights(rights_tour: Any) -> None:
    document = tour_document(rights_tour)
    first = document["stops"][0]
    assert document["rights"] == {
        "statement": CC0,
        "attribution": "",
        "source": "Heritour editors",
    }
    assert first["model"]["rights"]["digitised"] == "2024-05-17"
    assert first["audio"]["vi"]["rights"]["statement"] == INC_EDU
    (image,) = document["images"].values()
    assert image["rights"] == {"statement": BY, "attribution": "Photo: Lan", "source": "Lan"}


def _manifest(data: bytes) -> dict[str, Any]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        manifest: dict[str, Any] = json.loads(archive.read("bundle.json"))
        return manifest


def test_bundles_keep_rights_export_import_export(
    db: Any, store: Any, rights_tour: Any, tmp_path: Path
) -> None:
    first = bundle_bytes(store, rights_tour)
    manifest = _manifest(first)
    jsonschema.validate(manifest, bundle_schema())
    assert manifest["tour"]["stops"][0]["model"]["rights"]["attribution"] == "Scan: Huế team"
    db.delete(rights_tour)
    db.commit()
    for asset in db.query(ModelAsset).all():
        db.delete(asset)
    db.commit()
    other = LocalBlobStore(tmp_path / "other")
    imported = import_bundle(db, other, io.BytesIO(first), LIMITS)
    assert imported.rights == {"statement": CC0, "attribution": "", "source": "Heritour editors"}
    assert imported.stops[0].model is not None
    assert imported.stops[0].model.rights is not None
    assert imported.stops[0].audio[0].rights is not None
    assert imported.images[0].rights is not None
    assert _manifest(bundle_bytes(other, imported)) == manifest


@pytest.mark.parametrize(
    ("where", "rights", "code"),
    [
        (
            "tour",
            {"statement": "https://example.org/x", "attribution": "", "source": ""},
            "rights_statement_unknown",
        ),
        (
            "model",
            {"statement": BY, "attribution": "", "source": ""},
            "rights_attribution_required",
        ),
        (
            "tour",
            {"statement": CC0, "attribution": "", "source": "", "licence": "x"},
            "schema_invalid",
        ),
    ],
)
def test_bundles_with_bad_rights_are_refused(
    db: Any, store: Any, rights_tour: Any, where: str, rights: dict[str, str], code: str
) -> None:
    with zipfile.ZipFile(io.BytesIO(bundle_bytes(store, rights_tour))) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    manifest = json.loads(entries["bundle.json"])
    target = manifest["tour"] if where == "tour" else manifest["tour"]["stops"][0]["model"]
    target["rights"] = rights
    entries["bundle.json"] = json.dumps(manifest).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    buffer.seek(0)
    with pytest.raises(AuthoringError) as raised:
        import_bundle(db, store, buffer, LIMITS, slug="elsewhere")
    assert raised.value.code == code
