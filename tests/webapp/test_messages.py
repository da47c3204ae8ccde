"""Every stable code the services raise has a sentence in the web layer, in every language."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask_babel import force_locale

from tours.locales import INTERFACE_LOCALES
from webapp.errors import CODES, api_error
from webapp.messages import error_message

ROOT = Path(__file__).resolve().parents[2]
# A code is the first argument of a coded error (or of ``bundle_error``, for bundles).
_RAISED = re.compile(
    r"\b(?:AuthoringError|AccountError|PasswordRejected|UploadError|bundle_error)\(\s*\"([a-z_]+)\""
)


def _raised_codes() -> list[str]:
    codes = set()
    for path in (ROOT / "tours").rglob("*.py"):
        codes.update(_RAISED.findall(path.read_text()))
    return sorted(codes)


def test_the_services_raise_codes_we_can_find() -> None:
    assert {"password_too_short", "upload_not_found", "blob_mismatch"} <= set(_raised_codes())


@pytest.mark.parametrize("code", [*_raised_codes(), *CODES.values()])
def test_every_code_has_its_own_sentence(app: Any, code: str) -> None:
    sentences = set()
    for locale in INTERFACE_LOCALES:
        with force_locale(locale):
            sentence = error_message(code)
        assert sentence != code and sentence.endswith((".", "。")), (locale, sentence)
        sentences.add(sentence)
    assert len(sentences) == len(INTERFACE_LOCALES)  # translated, not English six times


def test_tours_carries_no_http_status() -> None:
    for path in (ROOT / "tours").rglob("*.py"):
        text = path.read_text()
        assert not re.search(r"\bstatus\s*=\s*4\d\d|\b(?:400|404|409|413)\)", text), path


def test_api_error_shape_takes_the_sentence_from_the_code(app: Any) -> None:
    with app.test_request_context("/api/v1/x"), force_locale("fr"):
        response, status = api_error(404, "tour_not_found", {"slug": "x"})
    assert status == 404
    assert response.json == {
        "error": {
            "code": "tour_not_found",
            "message": "Aucune visite publiée ne se trouve à cette adresse.",
            "detail": {"slug": "x"},
        }
    }


def test_sentences_state_the_limits_that_are_configured(app: Any) -> None:
    from webapp.messages import model_error

    app.config["MAX_TEXTURE_PIXELS"] = 2048 * 2048
    with app.test_request_context("/"), force_locale("en"):
        assert "(to 2048 × 2048 pixels or less)" in model_error("texture_too_large", "")
        assert error_message("captions_too_large") == "The captions file is larger than 1 MB."
    with app.test_request_context("/"), force_locale("fr"):
        assert "(à 2048 × 2048 pixels ou moins)" in model_error("texture_too_large", "")


def test_every_panorama_correction_has_a_sentence(app: Any) -> None:
    """Each correction code the panorama pipeline can report is said in words."""
    import re
    from pathlib import Path

    import models3d
    from webapp.messages import panorama_correction

    source = Path(models3d.__file__).with_name("panorama.py").read_text()
    codes = set(
        re.findall(r'"((?:cmyk|sixteen|orientation|icc|alpha|grey|gpano|aspect)_\w+)"', source)
    )
    assert len(codes) >= 8
    with app.test_request_context(headers={"Accept-Language": "en"}):
        for code in codes:
            assert panorama_correction(code) != code, code
