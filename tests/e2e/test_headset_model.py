"""A 3D model stop in a headset. Headset browsers (Meta Quest, Pico, Vision Pro) start WebXR
`immersive-ar` sessions with hit testing, so model-viewer's own WebXR mode places the scanned
object in the visitor's room, to walk around, grab, turn and scale with the controllers or
hands. It is the same renderer, level, lighting and framing as the stop on a screen, which a
second `immersive-vr` renderer would not be. The button appears only where a session can start."""

from __future__ import annotations

from typing import Any

import pytest
from headset import INSTALL_HEADSET, IWER

pytestmark = pytest.mark.e2e

HEADSET = {"viewport": {"width": 1280, "height": 900}, "is_mobile": False, "has_touch": False}
STOP = "/en/tours/hue-imperial-city/1"
LOADED = "() => document.querySelector('model-viewer')?.loaded === true"


def _stop(new_context: Any, url: str, *scripts: str) -> Any:
    context = new_context(url, **HEADSET)
    if scripts:
        context.add_init_script(path=str(IWER))
    for script in scripts:
        context.add_init_script(script)
    page = context.new_page()
    page.goto(STOP)
    page.wait_for_function(LOADED, timeout=60_000)
    return page


def test_model_stop_enters_the_room_in_a_headset(new_context: Any, live_server: str) -> None:
    page = _stop(new_context, live_server, INSTALL_HEADSET)
    button = page.get_by_role("button", name="View in your space (AR)")
    page.wait_for_function("() => document.querySelector('model-viewer').canActivateAR === true")
    assert button.is_visible()
    page.evaluate(
        """() => { window.arStatus = [];
        document.querySelector('model-viewer').addEventListener('ar-status',
            (event) => window.arStatus.push(event.detail.status));
        const request = navigator.xr.requestSession.bind(navigator.xr);
        navigator.xr.requestSession = async (mode, options) => {
            window.xrSession = { mode, session: await request(mode, options) };
            return window.xrSession.session; }; }"""
    )
    button.click()
    page.wait_for_function("() => window.arStatus.includes('session-started')", timeout=30_000)
    assert page.evaluate("() => window.xrSession.mode") == "immersive-ar"
    page.evaluate("() => window.xrSession.session.end()")
    page.wait_for_function("() => window.arStatus.at(-1) === 'not-presenting'", timeout=30_000)


def test_no_headset_button_without_webxr(new_context: Any, live_server: str) -> None:
    page = _stop(new_context, live_server)
    assert page.evaluate("() => document.querySelector('model-viewer').canActivateAR") is False
    assert not page.get_by_role("button", name="View in your space (AR)").is_visible()
