"""Rights in the web layer: curators set them in the studio (validated, refusals translated),
tourists see a credit line on stop and tour pages and in the text-only mode, the API
answers carry them."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest

BY_SA = "https://creativecommons.org/licenses/by-sa/4.0/"
CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"
INC = "http://rightsstatements.org/vocab/InC/1.0/"


def _rights(
    statement: str, attribution: str = "", source: str = "", digitised: str = ""
) -> dict[str, str]:
    return {
        "statement": statement,
        "attribution": attribution,
        "source": source,
        "digitised": digitised,
    }


def test_curator_sets_rights_on_model_tour_and_audio(
    curator: Any, draft_tour: Any, db: Any, store: Any, narration_audio: Any
) -> None:
    from tours.stopmedia import set_audio

    stop = draft_tour.stops[0]
    set_audio(db, store, stop, "en", io.BytesIO(narration_audio()), None, 10_000)
    asset = stop.model
    page = curator.post(
        f"/studio/models/{asset.id}/rights",
        data=_rights(BY_SA, "Scan: Hue team", "Hue Monuments Centre", "2024-05-17"),
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "The rights are saved." in page
    assert f'<option value="{BY_SA}" selected>CC BY-SA 4.0 · ' in page
    assert 'value="Scan: Hue team"' in page
    db.refresh(asset)
    assert asset.rights == {
        "statement": BY_SA,
        "attribution": "Scan: Hue team",
        "source": "Hue Monuments Centre",
        "digitised": "2024-05-17",
    }
    curator.post(f"/studio/tours/{draft_tour.id}/rights", data=_rights(CC0, source="Editors"))
    base = f"/studio/tours/{draft_tour.id}/stops/{stop.id}"
    response = curator.post(f"{base}/audio/en/rights", data=_rights(INC, "Voice: Mai"))
    assert response.headers["Location"].endswith(f"{base}?lang=en#audio-rights")
    db.refresh(draft_tour)
    db.refresh(stop.audio[0])
    assert draft_tour.rights == {"statement": CC0, "attribution": "", "source": "Editors"}
    assert stop.audio[0].rights == {"statement": INC, "attribution": "Voice: Mai", "source": ""}
    editor = curator.get(f"{base}?lang=en").get_data(as_text=True)
    assert 'value="Voice: Mai"' in editor
    ids = re.findall(r'\sid="([^"]+)"', editor)
    assert len(ids) == len(set(ids))  # the rights forms beside each other keep ids unique
    detail = curator.get(f"/api/v1/models/{asset.id}").get_json()["model"]
    assert detail["rights"]["statement"] == BY_SA
    # Sending an empty form clears them.
    curator.post(f"/studio/tours/{draft_tour.id}/rights", data=_rights(""))
    db.refresh(draft_tour)
    assert draft_tour.rights is None


@pytest.mark.parametrize(
    ("lang", "form", "sentence"),
    [
        (
            "en",
            _rights("https://example.org/licence", "A"),
            "Choose a rights statement from the list",
        ),
        (
            "fr",
            _rights("https://example.org/licence", "A"),
            "Choisissez une déclaration de droits dans la liste",
        ),
        ("en", _rights(BY_SA, ""), "This licence asks reusers to give credit"),
        ("ja", _rights(CC0, digitised="2024-13"), "デジタル化の日付を"),
    ],
)
def test_refused_rights_say_why_in_the_curators_language(
    curator: Any, draft_tour: Any, db: Any, lang: str, form: dict[str, str], sentence: str
) -> None:
    asset = draft_tour.stops[0].model
    curator.get(f"/studio/language/{lang}")
    page = curator.post(
        f"/studio/models/{asset.id}/rights", data=form, follow_redirects=True
    ).get_data(as_text=True)
    assert sentence in page
    db.refresh(asset)
    assert asset.rights is None


@pytest.fixture
def credited_tour(
    db: Any, draft_tour: Any, store: Any, add_image: Any, narration_audio: Any
) -> Any:
    """``draft_tour`` published with rights on its tour, model, English audio and an image."""
    from tours.images import image_markdown
    from tours.publishing import publish_tour
    from tours.rights import check_rights, set_rights
    from tours.stopmedia import set_audio

    stop = draft_tour.stops[0]
    set_audio(db, store, stop, "en", io.BytesIO(narration_audio()), None, 10_000)
    image = add_image(draft_tour, "en", "A wall")
    image.alt = {"en": "A wall", "vi": "Bức tường"}
    for text in stop.texts:
        text.narration += f"\n\n{image_markdown(image.ref)}"
    set_rights(db, draft_tour, check_rights(CC0, "", "Editors"))
    set_rights(db, stop.model, check_rights(BY_SA, "Scan: <Hue> team", "Hue team", "2024"))
    set_rights(db, stop.audio[0], check_rights(INC, "Voice: Mai", "", ""))
    set_rights(db, image, check_rights(BY_SA, "Photo: Lan", "", ""))
    publish_tour(db, draft_tour)
    return draft_tour


@pytest.mark.parametrize("mode", ["", "?mode=text"])
def test_stop_page_shows_each_credit(client: Any, credited_tour: Any, mode: str) -> None:
    page = client.get(f"/en/tours/citadel/1{mode}").get_data(as_text=True)
    section = page[page.index('<section class="rights"') :]
    section = section[: section.index("</section>")]
    assert (
        f'3D model:</span> © <a rel="license" href="{BY_SA}" '
        'title="Creative Commons Attribution-ShareAlike 4.0">CC BY-SA 4.0</a>'
        ' · <span class="attribution">Scan: &lt;Hue&gt; team</span> · Source: Hue team, 2024'
    ) in section
    assert f'Audio:</span> © <a rel="license" href="{INC}" title="In copyright">InC</a>' in section
    assert "Image:</span> © " in section and "Photo: Lan" in section
    # CC0 puts the texts in the public domain: no © before it.
    assert f'Tour texts:</span> <a rel="license" href="{CC0}"' in section
    assert section.index("3D model") < section.index("Audio") < section.index("Image")
    # The second stop has no audio or image of its own: only the model and the tour.
    second = client.get(f"/en/tours/citadel/2{mode}").get_data(as_text=True)
    assert second.count('rel="license"') == 2


def test_credits_are_translated(client: Any, credited_tour: Any) -> None:
    page = client.get("/vi/tours/citadel/1").get_data(as_text=True)
    assert 'Mô hình 3D:</span> © <a rel="license"' in page
    assert 'title="Creative Commons Ghi công – Chia sẻ tương tự 4.0"' in page
    assert "Nguồn: Hue team, 2024" in page
    overview = client.get("/vi/tours/citadel/").get_data(as_text=True)
    assert f'Văn bản chuyến tham quan:</span> <a rel="license" href="{CC0}"' in overview


def test_api_answers_carry_the_rights(client: Any, credited_tour: Any) -> None:
    listed = client.get("/api/v1/tours").get_json()["tours"][0]
    assert listed["rights"] == {"statement": CC0, "attribution": "", "source": "Editors"}
    document = client.get("/api/v1/tours/citadel").get_json()["document"]
    first = document["stops"][0]
    assert document["rights"]["statement"] == CC0
    assert first["model"]["rights"] == {
        "statement": BY_SA,
        "attribution": "Scan: <Hue> team",
        "source": "Hue team",
        "digitised": "2024",
    }
    assert first["audio"]["en"]["rights"]["statement"] == INC
    (image,) = document["images"].values()
    assert image["rights"]["attribution"] == "Photo: Lan"


def test_curator_sets_rights_on_an_image(
    curator: Any, draft_tour: Any, db: Any, add_image: Any
) -> None:
    image = add_image(draft_tour)
    stop = draft_tour.stops[0]
    response = curator.post(
        f"/studio/tours/{draft_tour.id}/images/{image.id}/rights",
        data={**_rights(BY_SA, "Photo: Lan"), "lang": "vi", "stop": str(stop.id)},
    )
    assert response.headers["Location"].endswith(
        f"/studio/tours/{draft_tour.id}/stops/{stop.id}?lang=vi#images"
    )
    db.refresh(image)
    assert image.rights == {"statement": BY_SA, "attribution": "Photo: Lan", "source": ""}
    editor = curator.get(f"/studio/tours/{draft_tour.id}/stops/{stop.id}?lang=vi")
    assert "Rights of image 1: CC BY-SA 4.0</summary>" in editor.get_data(as_text=True)


def test_tour_editor_lists_what_lacks_rights(
    curator: Any, draft_tour: Any, db: Any, store: Any, narration_audio: Any
) -> None:
    from tours.rights import check_rights, set_rights
    from tours.stopmedia import set_audio

    stop = draft_tour.stops[1]
    set_audio(db, store, stop, "en", io.BytesIO(narration_audio()), None, 10_000)
    page = curator.get(f"/studio/tours/{draft_tour.id}").get_data(as_text=True)
    lacking = re.findall(
        r"<li>(?:<a href=\"([^\"]*)\">)?([^<]+)", page[page.index('class="missing-rights"') :]
    )
    model = draft_tour.stops[0].model
    base = f"/studio/tours/{draft_tour.id}/stops/{stop.id}"
    assert lacking[:3] == [
        ("#rights", "The tour texts"),
        (f"/studio/models/{model.id}#rights", "Stop 1: the model Duck.glb"),  # once, both stops
        (f"{base}?lang=en#audio-rights", "Stop 2: the audio in English"),
    ]
    assert len(lacking) == 3
    set_rights(db, draft_tour, check_rights(CC0))
    set_rights(db, model, check_rights(CC0))
    set_rights(db, stop.audio[0], check_rights(CC0))
    page = curator.get(f"/studio/tours/{draft_tour.id}").get_data(as_text=True)
    assert 'class="missing-rights"' not in page
