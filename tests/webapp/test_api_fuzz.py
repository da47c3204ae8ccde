"""Schemathesis against the JSON API, in process (WSGI), on each database: requests made
from the OpenAPI document, valid and invalid, to the public read API and, with a personal
token holding every scope, to the studio's API. No answer may be a 5xx or differ from what
the document says (status, content type, body schema).

The run is derandomized (the same cases every time) and small enough for a 2-core machine.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    ignored_auth,
    missing_required_header,
    negative_data_rejection,
    positive_data_acceptance,
)

MAX_EXAMPLES = 200
# What the test client asks for: the app would otherwise compress its answers, and the WSGI
# transport, unlike a real client, does not decompress them.
PLAIN = {"Accept-Encoding": "identity"}


def no_server_error(ctx: Any, response: Any, case: Any) -> bool | None:
    """No 5xx, except the 501 that the oEmbed specification (2.3.2) asks for when a format
    other than JSON is asked for."""
    if response.status_code == 501 and case.path == "/oembed":
        assert (case.query or {}).get("format") not in (None, "json"), case.query
        return True
    return not_a_server_error(ctx, response, case)


def invalid_data_refused(ctx: Any, response: Any, case: Any) -> bool | None:
    """Data the document forbids is refused; but a request may carry headers the document
    does not name (HTTP has no closed set of headers), so a header added is not invalid."""
    data = getattr(getattr(case.meta, "phase", None), "data", None)
    location = getattr(getattr(data, "parameter_location", None), "name", "")
    if location == "HEADER" and "unexpected properties" in (getattr(data, "description", "") or ""):
        return None
    if _tus_version_refused(response, case):
        return None
    return negative_data_rejection(ctx, response, case)


def required_header_missed(ctx: Any, response: Any, case: Any) -> bool | None:
    """A required header left out is refused (with 412 for tus's version header)."""
    if _tus_version_refused(response, case):
        return None
    return missing_required_header(ctx, response, case)


def _tus_version_refused(response: Any, case: Any) -> bool:
    """tus 1.0.0 answers a missing or wrong ``Tus-Resumable`` with 412 (not 400)."""
    return bool(
        response.status_code == 412
        and case.path == "/api/v1/uploads"
        and (case.headers or {}).get("Tus-Resumable") != "1.0.0"
    )


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    """The shared settings, with a token rate limit the fuzzer does not reach."""
    app_config["API_TOKEN_RATE_LIMIT"] = "1000000 per minute"
    return app_config


@pytest.fixture
def bearer(db: Any, studio_users: dict[str, Any]) -> dict[str, str]:
    """The Authorization header of a curator's token with every scope."""
    from tours.apitokens import create_token

    secret = create_token(db, studio_users["curator"], "fuzz", ["read:drafts", "write", "publish"])
    return {"Authorization": f"Bearer {secret.secret}"}


@pytest.fixture
def api_schema(app: Any, published_tour: Any) -> Any:
    """The app's OpenAPI document, as schemathesis reads it (with a published tour to find)."""
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_as_documented(case: Any, bearer: dict[str, str]) -> None:
    secured = case.operation.definition.raw.get("security")
    case.call_and_validate(
        headers={**PLAIN, **bearer} if secured else PLAIN,
        excluded_checks=[
            # Invalid and missing tokens on every route: test_api_tokens. Here it is valid.
            ignored_auth,
            # A body the schema allows may still be refused with a 4xx: an unknown language
            # tag, a control character, a model that does not exist. A schema cannot say so.
            positive_data_acceptance,
            not_a_server_error,  # replaced by no_server_error
            negative_data_rejection,  # replaced by invalid_data_refused
            missing_required_header,  # replaced by required_header_missed
        ],
        additional_checks=[no_server_error, invalid_data_refused, required_header_missed],
    )
