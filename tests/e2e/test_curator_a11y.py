"""WCAG 2.2 AA in the curator studio, checked by axe-core on a laptop, in English and
Vietnamese, for a curator and an admin; and the main studio flows done with the keyboard.

The studio's interface language is the ``lang`` cookie (set by its language menu), else the
browser's Accept-Language, else Vietnamese; each context here sends its own Accept-Language.
The data (users, models, tours) is made once through ``tours`` and ``models3d``.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.audio_samples import encode_audio
from tours.db import migrate

pytestmark = pytest.mark.e2e

PASSWORD = "a long enough password"
USERS = {"curator": "curator@example.org", "admin": "admin@example.org"}
TOTP_SECRETS: dict[str, str] = {}
LAPTOP = {
    "viewport": {"width": 1280, "height": 900},
    "device_scale_factor": 1,  # also spares the software WebGL three quarters of its pixels
    "is_mobile": False,
    "has_touch": False,
}
ACCEPT = {"en": "en-US", "vi": "vi-VN"}
LANGS = list(ACCEPT)


@dataclass
class Site:
    """The served studio and the ids of what was made in it."""

    url: str = ""
    tour: int = 0
    draft: int = 0
    keyboard: int = 0
    stops: list[int] = field(default_factory=list)
    keyboard_stops: list[int] = field(default_factory=list)
    ready: int = 0
    rejected: int = 0
    signed_in: dict[str, Any] = field(default_factory=dict)


def _webp(colour: tuple[int, int, int]) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), colour).save(buffer, "WEBP")
    return buffer.getvalue()


def _models(session: Any, store: Any, testdata: Path, site: Site) -> int:
    """A ready model (with the report models3d writes), a rejected file and one in progress."""
    from models3d import inspect_file
    from tours.ingest import store_original
    from tours.models import AssetStatus, ModelAsset
    from webapp.extensions import jobs

    box = testdata / "BoxTextured.glb"  # small, so that the software WebGL draws it quickly
    glb = box.read_bytes()
    key = store.put_content("models", io.BytesIO(glb), "glb", "model/gltf-binary")
    report = inspect_file(box, original_name="BoxTextured.glb")
    report["validator"]["messages"] = [
        {"severity": "warning", "code": "UNUSED_OBJECT", "message": "Unused.", "pointer": "/x"}
    ]
    ready = ModelAsset(
        name="BoxTextured.glb",
        sha256=key.split("/")[1][:64],
        original_key=key,
        size_bytes=len(glb),
        status=AssetStatus.READY,
        progress=100,
        levels={
            level: {"key": key, "bytes": len(glb), "triangles": 12}
            for level in ("thumb", "low", "medium", "high")
        },
        poster_key=store.put_content("posters", io.BytesIO(_webp((200, 170, 60))), "webp", "x"),
        report=report,
    )
    session.add(ready)
    session.commit()
    rejected = store_original(session, store, io.BytesIO(b"not a model at all"), "broken.glb")
    jobs.queue.process_model(rejected.id)  # the real pipeline rejects it
    session.refresh(rejected)
    assert rejected.status == AssetStatus.REJECTED, rejected.status
    processing = store_original(session, store, io.BytesIO(glb + b"\0"), "Bunny scan.glb")
    processing.status, processing.progress, processing.stage = AssetStatus.PROCESSING, 40, "lod"
    session.commit()
    site.ready, site.rejected = ready.id, rejected.id
    return ready.id


def _stop(session: Any, store: Any, tour: Any, model: int, titles: dict[str, str]) -> Any:
    from tours import authoring
    from tours.stopmedia import set_audio, store_poster

    stop = authoring.add_stop(session, tour, model)
    for lang, title in titles.items():
        authoring.save_stop_text(
            session,
            stop,
            lang,
            title,
            f"About **{title}**:\n\n- one\n- two",
            f"A textured box ({lang})",
        )
    poster = store_poster(store, _webp((90, 90, 90)))
    authoring.set_camera(session, stop, "30deg 70deg 3m", "0m 0.7m 0m", "30deg", poster)
    for number, point in enumerate(["0m 1.2m 0.3m", "0.5m 0.4m 0m"], start=1):
        spot = authoring.add_hotspot(session, stop, point, "0 1 0")
        for lang, title in titles.items():
            authoring.save_hotspot_text(session, spot, lang, f"{title} {number}", "A detail.")
    audio = io.BytesIO(encode_audio("ogg"))
    set_audio(session, store, stop, tour.default_locale, audio, b"WEBVTT\n", 10**6)
    return stop


def _tours(session: Any, store: Any, model: int, site: Site) -> None:
    """A published two-stop tour in vi and en, an unfinished draft, and a tour to reorder."""
    from tours import authoring
    from tours.publishing import publish_tour

    tour = authoring.create_tour(session, "kinh-thanh", "vi", "Kinh thành Huế")
    authoring.save_tour_text(session, tour, "vi", "Kinh thành Huế", "Một vòng.", "Huế")
    authoring.save_tour_text(session, tour, "en", "The Citadel", "A walk round.", "Hue")
    authoring.update_tour(session, tour, "vi", "16.4698", "107.5786")
    site.stops = [
        _stop(session, store, tour, model, {"vi": vi, "en": en}).id
        for vi, en in [("Ngọ Môn", "Noon Gate"), ("Điện Thái Hòa", "Hall of Supreme Harmony")]
    ]
    publish_tour(session, tour)
    draft = authoring.create_tour(session, "nhap", "vi", "Bản nháp")
    authoring.add_language(session, draft, "fr")
    authoring.add_stop(session, draft, None)
    keyboard = authoring.create_tour(session, "ban-phim", "en", "Keyboard only")
    site.keyboard_stops = [
        _stop(session, store, keyboard, model, {"en": en, "vi": vi}).id
        for en, vi in [("First", "Thứ nhất"), ("Second", "Thứ hai")]
    ]
    site.tour, site.draft, site.keyboard = tour.id, draft.id, keyboard.id


def _sign_in(browser: Any, url: str, role: str) -> Any:
    """The cookies of a session signed in as ``role`` (through the login page)."""
    context = browser.new_context(base_url=url, **LAPTOP)
    page = context.new_page()
    page.goto("/studio/login")
    page.fill("#email", USERS[role])
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    if "/studio/login/code" in page.url:  # the admin's second step (admins must use it)
        import pyotp

        page.fill("#code", pyotp.TOTP(TOTP_SECRETS[role]).now())
        with page.expect_navigation():
            page.click("form.stack button[type=submit]")
    assert page.url.endswith("/studio/"), page.url
    state = context.storage_state()
    context.close()
    return state


@pytest.fixture(scope="module")
def site(
    tmp_path_factory: pytest.TempPathFactory,
    testdata: Path,
    browser: Any,
    serve: Any,
    e2e_app: Any,
) -> Iterator[Site]:
    """The studio with an admin (two-factor sign-in on), a curator, three models and three
    tours, served locally."""
    import pyotp

    from tours.accounts import create_user
    from tours.db import utcnow
    from webapp.extensions import blobs, db

    app = e2e_app(tmp_path_factory.mktemp("curator-a11y"), LOGIN_RATE_LIMIT="100 per minute")
    site = Site()
    with app.app_context():
        migrate(db.engine)
        for role, email in USERS.items():
            user = create_user(db.session, email, PASSWORD, role)
            if role == "admin":
                TOTP_SECRETS[role] = user.totp_secret = pyotp.random_base32()
                user.totp_enabled_at = utcnow()
                db.session.commit()
        model = _models(db.session, blobs.store, testdata, site)
        _tours(db.session, blobs.store, model, site)
    with serve(app) as site.url:
        site.signed_in = {role: _sign_in(browser, site.url, role) for role in USERS}
        yield site


@pytest.fixture(scope="module")
def pages(site: Site, module_context: Any) -> Callable[[str | None, str], Any]:
    """``pages(role, lang)``: one laptop page per role (None: signed out) and language,
    made on first use and shared by the module's tests."""
    made: dict[tuple[str | None, str], Any] = {}

    def page(role: str | None, lang: str) -> Any:
        if (role, lang) not in made:
            options: dict[str, Any] = {"locale": ACCEPT[lang], **LAPTOP}
            if role is not None:
                options["storage_state"] = site.signed_in[role]
            made[role, lang] = module_context(site.url, **options).new_page()
        return made[role, lang]

    return page


def _check(page: Any, lang: str, violations: Any) -> None:
    """The page is in the interface language and axe finds nothing against WCAG 2.2 AA."""
    assert page.locator("html").get_attribute("lang") == lang
    assert violations(page) == [], page.url


def _viewer_ready(page: Any, selector: str) -> None:
    page.wait_for_function(
        "(s) => { const v = document.querySelector(s); return v && v.loaded; }",
        arg=selector,
        timeout=60_000,
    )


OTHER = {"en": "vi", "vi": "en"}  # edit content in the other language than the interface's
CURATOR_PAGES = {
    "dashboard": "/studio/",
    "new-tour": "/studio/tours/new",
    "tour": "/studio/tours/{s.tour}?lang={other}",
    "draft": "/studio/tours/{s.draft}",
    "translations": "/studio/tours/{s.tour}/translations",
    "models": "/studio/models/",
    "model-ready": "/studio/models/{s.ready}",
    "model-rejected": "/studio/models/{s.rejected}",
    "import": "/studio/import",
    "preview-tour": "/studio/tours/{s.tour}/preview/{lang}/",
    "preview-stop": "/studio/tours/{s.tour}/preview/{lang}/1",
    "account": "/studio/account",
    "two-factor": "/studio/account/two-factor",
}


@pytest.mark.parametrize("lang", LANGS)
def test_login_page(pages: Any, violations: Any, lang: str) -> None:
    page = pages(None, lang)
    page.goto("/studio/")
    assert "/studio/login?next=" in page.url
    _check(page, lang, violations)
    page.fill("#email", USERS["curator"])
    page.fill("#password", "not the password")
    page.click("form.stack button[type=submit]")
    page.locator("#login-error").wait_for()
    _check(page, lang, violations)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", CURATOR_PAGES)
def test_curator_page(site: Site, pages: Any, violations: Any, name: str, lang: str) -> None:
    page = pages("curator", lang)
    page.goto(CURATOR_PAGES[name].format(s=site, lang=lang, other=OTHER[lang]))
    _check(page, lang, violations)


@pytest.mark.parametrize("lang", LANGS)
def test_forms_with_errors(pages: Any, violations: Any, lang: str) -> None:
    page = pages("curator", lang)
    page.goto("/studio/tours/new")
    page.fill("#slug", "kinh-thanh")  # taken
    page.fill("#title", "Again")
    page.click("form.stack button[type=submit]")
    page.locator(".flash.error").wait_for()
    _check(page, lang, violations)
    page.goto("/studio/")
    page.click(".studio-languages summary")  # the interface language menu, open
    _check(page, lang, violations)


@pytest.mark.parametrize("lang", LANGS)
def test_admin_pages(pages: Any, violations: Any, lang: str) -> None:
    page = pages("admin", lang)
    page.goto("/studio/account/two-factor")  # on, and admins may not turn it off
    assert page.locator("#two-factor-on").is_visible()
    _check(page, lang, violations)
    page.goto("/studio/users")
    _check(page, lang, violations)
    page.fill("#new-email", USERS["curator"])  # taken
    page.fill("#new-password", PASSWORD)
    page.click("form.stack button[type=submit]")
    page.locator(".flash.error").wait_for()
    _check(page, lang, violations)


def test_language_menu_switches_the_interface(site: Site, pages: Any) -> None:
    """The cookie set by the menu wins over Accept-Language, whatever content is edited."""
    page = pages("curator", "en")
    page.goto(f"/studio/tours/{site.tour}?lang=en")
    for lang in ("vi", "en"):
        page.click(".studio-languages summary")
        with page.expect_navigation():
            page.click(f".studio-languages a[hreflang={lang}]")
        assert page.locator("html").get_attribute("lang") == lang
        assert (
            page.locator(".language-tabs [aria-current=page]")
            .inner_text()
            .startswith("English" if lang == "en" else "Tiếng Anh")
        )


FOCUS = """(selector) => {
    let el = document.activeElement;
    const host = el;
    while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
    if (el === document.body) return { target: false, ring: true, name: '' };
    const ring = (e) => {
        const style = getComputedStyle(e);
        return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    };
    const name = el ? (el.getAttribute('aria-label') || el.textContent || el.id).trim() : '';
    return { target: host.matches(selector), ring: ring(el) || ring(host), name };
}"""


def _tab_to(page: Any, selector: str, limit: int = 150) -> None:
    """Press Tab until the focus is on ``selector``; every stop on the way shows a focus ring."""
    unringed = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS, selector)
        if not focus["ring"]:
            unringed.append(focus["name"])
        if focus["target"]:
            assert unringed == [], f"focus without a visible ring: {unringed}"
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_keyboard_sign_in(site: Site, new_context: Any) -> None:
    page = new_context(site.url, locale="en-US", **LAPTOP).new_page()
    page.goto("/studio/login")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0  # shown when focused
    page.keyboard.press("Enter")  # past the studio's menu, to the page's own content
    assert page.evaluate("() => document.activeElement.id") == "studio-content"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('.studio-nav')") is None
    _tab_to(page, "#email")
    page.keyboard.type(USERS["curator"])
    _tab_to(page, "#password")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_role("heading", name="Tours").wait_for()


def test_keyboard_reorders_stops(site: Site, pages: Any) -> None:
    page = pages("curator", "en")
    page.goto(f"/studio/tours/{site.keyboard}")
    first = page.locator("#stop-list li").first
    _tab_to(page, "#stop-list li:first-child button[value=down]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    first.filter(has_text="Second").wait_for()
    _tab_to(page, "#stop-list li:nth-child(2) button[value=up]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    first.filter(has_text="First").wait_for()


def test_preview_banner_link_shows_its_focus(site: Site, pages: Any) -> None:
    page = pages("curator", "en")
    page.goto(f"/studio/tours/{site.tour}/preview/en/")
    _tab_to(page, ".preview-banner a")
    ring, background = page.evaluate(
        """() => [getComputedStyle(document.activeElement).outlineColor,
                  getComputedStyle(document.querySelector('.preview-banner')).backgroundColor]"""
    )
    assert ring != background


# The stop editors come last: their software-rendered viewer keeps the browser busy for a while.


def test_stop_editor_in_vietnamese(site: Site, pages: Any, violations: Any) -> None:
    page = pages("curator", "vi")
    page.goto(f"/studio/tours/{site.tour}/stops/{site.stops[0]}?lang=en")
    _viewer_ready(page, "#stop-viewer")
    page.locator("#narration-preview li").first.wait_for()
    page.eval_on_selector_all(
        "details:not(.studio-languages)", "all => all.forEach((d) => d.open = true)"
    )
    page.focus("#place-hotspot")
    page.keyboard.press("Enter")  # pressed, with its instructions in the status line
    page.locator("#viewer-status").filter(has_text=".").wait_for()
    _check(page, "vi", violations)
    page.goto("about:blank")


def test_stop_editor_in_english_by_keyboard(site: Site, pages: Any, violations: Any) -> None:
    """Turn the model, keep the view, open both forms, add a hotspot by its coordinates."""
    page = pages("curator", "en")
    page.goto(f"/studio/tours/{site.keyboard}/stops/{site.keyboard_stops[0]}?lang=vi")
    _viewer_ready(page, "#stop-viewer")
    page.locator("#narration-preview li").first.wait_for()
    _tab_to(page, "#stop-viewer")
    for _ in range(4):
        page.keyboard.press("ArrowRight")  # model-viewer turns the model
    _tab_to(page, "#use-view")
    page.keyboard.press("Enter")
    page.locator("#viewer-status").get_by_text("The camera view is saved.").wait_for()
    assert not page.locator("#orbit").input_value().startswith("30deg 70deg")
    _tab_to(page, "#place-hotspot")
    page.keyboard.press("Enter")
    assert page.locator("#place-hotspot").get_attribute("aria-pressed") == "true"
    for summary in ("details:has(#orbit) > summary", "details:has(#hs-position) > summary"):
        _tab_to(page, summary)
        page.keyboard.press("Enter")
    _check(page, "en", violations)
    hotspots = page.locator(".hotspot-editor > li").count()
    _tab_to(page, "#hs-position")
    page.keyboard.type("0m 0.5m 0m")
    _tab_to(page, "#hs-label")
    page.keyboard.type("Gõ phím")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".hotspot-editor > li").count() == hotspots + 1
    assert page.locator(".hotspot-editor > li input[name=label]").last.input_value() == "Gõ phím"
    page.goto("about:blank")


def test_removing_asks_first(site: Site, new_context: Any) -> None:
    """Removing cannot be undone, so the studio asks (WCAG 3.3.4), in the curator's language."""
    page = new_context(
        site.url, locale="fr-FR", storage_state=site.signed_in["curator"], **LAPTOP
    ).new_page()
    tour = f"/studio/tours/{site.draft}"
    page.goto(tour)
    page.locator("#new-stop-model").select_option(value="")
    with page.expect_navigation():
        page.locator("#new-stop-model").locator("xpath=ancestor::form").locator(
            "button[type=submit]"
        ).click()
    page.goto(tour)
    stops = page.locator("#stop-list li")
    count = stops.count()
    asked: list[str] = []

    def answer(dialog: Any, accept: bool) -> None:
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    # The window hears a submit last, after the studio's handler: it records whether the
    # submission was cancelled, so the test knows the answer instead of waiting a while.
    page.evaluate(
        """() => window.addEventListener('submit', (event) => {
            (window.submits = window.submits || []).push(event.defaultPrevented);
        })"""
    )
    page.once("dialog", lambda dialog: answer(dialog, False))
    stops.last.locator("button.danger").click()
    page.wait_for_function("() => window.submits?.length === 1")
    assert page.evaluate("() => window.submits") == [True]  # a dismissed dialog sends nothing
    assert stops.count() == count
    page.once("dialog", lambda dialog: answer(dialog, True))
    with page.expect_navigation():
        stops.last.locator("button.danger").click()
    assert page.locator("#stop-list li").count() == count - 1
    assert asked == ["Cette action est irréversible. Supprimer définitivement ?"] * 2
