"""Two-factor sign-in in Chromium, on a phone and on a laptop: a curator turns it on from
their account (QR code, key as text, a code from the app, recovery codes shown once), signs
out and back in with a code; an admin without it is sent to set it up before anything else.
The authenticator app is pyotp, reading the key the page shows."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pyotp
import pytest

pytestmark = pytest.mark.e2e
EMAIL = "two.factor@example.org"
ADMIN = "new.admin@example.org"
PASSWORD = "a long enough password"  # the one curator_studio gives its curator
VIEWPORTS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "laptop": {"viewport": {"width": 1280, "height": 900}, "is_mobile": False, "has_touch": False},
}


@pytest.fixture(scope="module")
def studio_server(tmp_path_factory: pytest.TempPathFactory, curator_studio: Any) -> Iterator[str]:
    """A studio with one curator and one admin who has not set up two-factor sign-in."""

    def admin(session: Any) -> None:
        from tours.accounts import create_user

        create_user(session, ADMIN, PASSWORD, "admin")

    root = tmp_path_factory.mktemp("two-factor")
    with curator_studio(root, EMAIL, seed=admin, LOGIN_RATE_LIMIT="100 per minute") as (url, _):
        yield url


def _password(page: Any, email: str) -> None:
    page.goto("/studio/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("form.stack button[type=submit]").click()


def _enrol(page: Any) -> tuple[str, list[str]]:
    """Read the key from the enrolment page, type the app's code; the recovery codes shown."""
    qr = page.locator("#totp-qr")
    qr.wait_for()
    page.wait_for_function("() => document.querySelector('#totp-qr').naturalWidth > 0")
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.locator("#code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn two-factor sign-in on").click()
    page.locator("#recovery-codes").wait_for()
    return secret, page.locator("#recovery-codes code").all_inner_texts()


@pytest.mark.parametrize("device", VIEWPORTS)
def test_curator_turns_on_two_factor_and_signs_in_with_a_code(
    studio_server: str, new_context: Any, device: str
) -> None:
    page = new_context(studio_server, locale="en-US", **VIEWPORTS[device]).new_page()
    _password(page, EMAIL)
    page.wait_for_url("**/studio/")
    page.locator("a.who").click()  # the email in the menu: the account page
    page.wait_for_url("**/studio/account")
    page.locator("#two-factor-link").click()
    secret, codes = _enrol(page)
    assert len(codes) == 10
    page.get_by_role("button", name="Sign out", exact=True).click()
    page.wait_for_url("**/studio/login")

    _password(page, EMAIL)
    page.wait_for_url("**/studio/login/code**")
    page.locator("#code").fill("000000")
    page.locator("form.stack button[type=submit]").click()
    page.locator("#code-error").wait_for()
    # The enrolment used this 30-second step's code; an app shows the next one soon after.
    page.locator("#code").fill(pyotp.TOTP(secret).at(time.time() + 30))
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_url("**/studio/")
    page.goto("/studio/account")
    assert "10 recovery codes left." in page.locator("main, body").first.inner_text()

    page.get_by_role("button", name="Sign out", exact=True).click()
    page.wait_for_url("**/studio/login")
    _password(page, EMAIL)
    page.wait_for_url("**/studio/login/code**")
    page.locator("#code").fill(codes[0])  # a recovery code, once
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_url("**/studio/")
    # Turn it off again (with a recovery code), so the other viewport starts from scratch.
    page.goto("/studio/account/two-factor")
    page.locator("#disable-code").fill(codes[1])
    page.once("dialog", lambda dialog: dialog.accept())  # the studio asks before it removes
    page.get_by_role("button", name="Turn two-factor sign-in off").click()
    page.wait_for_url("**/studio/account")


@pytest.mark.parametrize("device", ["phone"])
def test_admin_is_sent_to_set_up_two_factor(
    studio_server: str, new_context: Any, device: str
) -> None:
    page = new_context(studio_server, locale="en-US", **VIEWPORTS[device]).new_page()
    _password(page, ADMIN)
    page.wait_for_url("**/studio/account/two-factor")
    assert "Administrators must use two-factor sign-in." in page.content()
    page.goto("/studio/users")
    assert page.url.endswith("/studio/account/two-factor")
    _enrol(page)
    page.goto("/studio/users")
    assert page.url.endswith("/studio/users")
    assert page.get_by_role("heading", name="Users").is_visible()
