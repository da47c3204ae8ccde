"""A tour whose media live in an S3 bucket: models come straight from the bucket (through
presigned redirects, allowed by the rule `flask storage cors` sets), and the tour can still
be saved for offline use and followed with the network off."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.e2e


def test_models_come_from_the_bucket_and_the_tour_works_offline(
    new_context: Any, s3_levels_server: str, moto_endpoint: str, model_drawn: str
) -> None:
    bucket_host = urlsplit(moto_endpoint).netloc
    page = new_context(s3_levels_server, extra_netloc=bucket_host).new_page()

    def model_from_bucket(request: Any) -> bool:
        url = urlsplit(request.url)
        return url.netloc == bucket_host and "/models/" in url.path

    # The event is awaited, not collected: Playwright may report the request finished only
    # after the page has already drawn the model.
    with page.expect_request_finished(model_from_bucket, timeout=60_000):
        page.goto("/en/tours/levels/1")
        page.wait_for_function(model_drawn, timeout=60_000)

    page.goto("/en/tours/levels/")
    page.click("#save-offline")
    page.wait_for_function(
        "() => document.getElementById('offline').dataset.state === 'saved'", timeout=120_000
    )
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=10_000)
    page.context.set_offline(True)
    for number in (1, 2):
        page.goto(f"/en/tours/levels/{number}")
        assert page.locator("h1").inner_text() == f"Stop {number}"
        page.wait_for_function(model_drawn, timeout=60_000)
    page.context.set_offline(False)
