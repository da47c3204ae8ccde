"""Personal API tokens: made in the studio (shown once, stored hashed), revoked, scoped on
every API route for every role, rate-limited; CSRF for cookie sessions only."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

import pytest

# The scope a token needs for each method of each studio API route. A route missing here
# fails test_every_api_route_has_a_scope, so a new route cannot be forgotten.
SCOPES = {
    ("api.list_models_status", "GET"): "read:drafts",
    ("api.model_detail", "GET"): "read:drafts",
    ("api.model_detail", "DELETE"): "write",
    ("api.narration_preview", "POST"): "read:drafts",
    ("api.tus_create", "POST"): "write",
    ("api.tus_upload", "HEAD"): "write",
    ("api.tus_upload", "PATCH"): "write",
    ("api.tus_upload", "DELETE"): "write",
    ("api.s3_sign", "POST"): "write",
    ("api.s3_finish", "POST"): "write",
    ("api.drafts", "GET"): "read:drafts",
    ("api.drafts", "POST"): "write",
    ("api.draft", "GET"): "read:drafts",
    ("api.draft", "PATCH"): "write",
    ("api.publication", "POST"): "publish",
    ("api.publication", "DELETE"): "publish",
    ("api.draft_add_stop", "POST"): "write",
    ("api.draft_stop_order", "PUT"): "write",
    ("api.draft_stop_detail", "GET"): "read:drafts",
    ("api.draft_stop_detail", "PATCH"): "write",
    ("api.draft_stop_detail", "DELETE"): "write",
    ("api.draft_add_hotspot", "POST"): "write",
    ("api.draft_hotspot", "PATCH"): "write",
    ("api.draft_hotspot", "DELETE"): "write",
    ("api.draft_stop_audio", "PUT"): "write",
    ("api.draft_stop_audio", "DELETE"): "write",
    ("api.model_rights", "PUT"): "write",
    ("api.model_reprocess", "POST"): "write",
}
ALL_SCOPES = ["read:drafts", "write", "publish"]
_SECRET = re.compile(r"htr_[A-Za-z0-9_-]{43}")


def _api_calls(app: Any, values: dict[str, Any]) -> list[tuple[str, str, str]]:
    from tests.webapp.test_route_rules import PUBLIC_API

    calls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api.") and rule.endpoint not in PUBLIC_API:
            methods = set(rule.methods) - {"OPTIONS"}
            if "GET" in methods:
                methods.discard("HEAD")
            url = rule.build({arg: values[arg] for arg in rule.arguments})[1]
            calls += [(rule.endpoint, method, url) for method in sorted(methods)]
    return calls


@pytest.fixture
def users(studio_users: dict[str, Any], db: Any, studio: Any) -> dict[str, Any]:
    """The admin, the curator, and another curator."""
    from tours.accounts import create_user

    other = create_user(db, "other@example.org", studio.password, "curator")
    return {**studio_users, "other": other}


@pytest.fixture
def token_of(db: Any) -> Callable[..., str]:
    """``token_of(user, scopes)``: a fresh token's secret."""
    from tours.apitokens import create_token

    def make(user: Any, scopes: list[str] | None = None) -> str:
        return create_token(db, user, "test", scopes or ALL_SCOPES).secret

    return make


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_every_api_route_has_a_scope(app: Any) -> None:
    values = {name: 1 for name in ("tour_id", "stop_id", "hotspot_id", "asset_id")}
    calls = _api_calls(app, values | {"upload_id": "x", "lang": "en"})
    found = {(endpoint, method) for endpoint, method, _url in calls}
    assert found == set(SCOPES)


def test_token_is_shown_once_and_stored_hashed(
    curator: Any, db: Any, users: dict[str, Any]
) -> None:
    from tours.models import ApiToken

    page = curator.post("/studio/tokens", data={"name": "Museum kiosk", "scope": ["write"]})
    assert page.status_code == 201
    secrets_shown = _SECRET.findall(page.get_data(as_text=True))
    assert len(set(secrets_shown)) == 1
    secret = secrets_shown[0]
    token = db.query(ApiToken).one()
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.scopes == ["write"] and token.name == "Museum kiosk"
    stored = " ".join(str(getattr(token, column.key)) for column in ApiToken.__table__.columns)
    assert secret not in stored and secret[8:] not in stored
    listing = curator.get("/studio/tokens").get_data(as_text=True)
    assert "Museum kiosk" in listing and token.prefix in listing and secret not in listing


@pytest.mark.parametrize(
    ("form", "code"),
    [
        ({"name": "", "scope": ["write"]}, "Name the token"),
        ({"name": "x" * 101, "scope": ["write"]}, "Name the token"),
        ({"name": "kiosk"}, "Choose at least one scope"),
        ({"name": "kiosk", "scope": ["admin"]}, "Choose at least one scope"),
    ],
)
def test_a_token_needs_a_name_and_known_scopes(
    curator: Any, db: Any, form: dict[str, Any], code: str
) -> None:
    from tours.models import ApiToken

    page = curator.post("/studio/tokens", data=form)
    assert page.status_code == 400 and code in page.get_data(as_text=True)
    assert db.query(ApiToken).count() == 0


def test_revoked_token_is_refused_and_only_its_owner_revokes_it(
    client_as: Callable[[str | None], Any], db: Any, users: dict[str, Any], studio: Any, app: Any
) -> None:
    from tours.models import ApiToken

    curator = client_as("curator")
    secret = _SECRET.findall(
        curator.post("/studio/tokens", data={"name": "ci", "scope": ALL_SCOPES}).get_data(
            as_text=True
        )
    )[0]
    token = db.query(ApiToken).one()
    assert app.test_client().get("/api/v1/studio/tours", headers=_bearer(secret)).status_code == 200
    other = app.test_client()
    studio.sign_in(other, "other@example.org")
    assert other.post(f"/studio/tokens/{token.id}/revoke").status_code == 404
    assert app.test_client().get("/api/v1/studio/tours", headers=_bearer(secret)).status_code == 200
    assert curator.post(f"/studio/tokens/{token.id}/revoke").status_code == 302
    assert secret not in curator.get("/studio/tokens").get_data(as_text=True)
    answer = app.test_client().get("/api/v1/studio/tours", headers=_bearer(secret))
    assert answer.status_code == 401 and answer.json["error"]["code"] == "invalid_token"


def test_token_of_a_deactivated_user_is_refused(
    client: Any, db: Any, users: dict[str, Any], token_of: Callable[..., str]
) -> None:
    secret = token_of(users["curator"])
    users["curator"].active = False
    db.commit()
    answer = client.get("/api/v1/studio/tours", headers=_bearer(secret))
    assert answer.status_code == 401 and answer.json["error"]["code"] == "invalid_token"


def test_last_used_time_is_noted(
    client: Any, db: Any, users: dict[str, Any], token_of: Callable[..., str]
) -> None:
    from tours.models import ApiToken

    secret = token_of(users["curator"])
    assert db.query(ApiToken).one().last_used_at is None
    assert client.get("/api/v1/models", headers=_bearer(secret)).status_code == 200
    db.expire_all()
    assert db.query(ApiToken).one().last_used_at is not None


def test_cookie_sessions_need_csrf_and_tokens_do_not(
    app: Any, curator: Any, users: dict[str, Any], token_of: Callable[..., str], studio: Any
) -> None:
    body = {"slug": "from-a-script", "default_locale": "en", "title": "Script"}
    del curator.environ_base["HTTP_X_CSRFTOKEN"]
    refused = curator.post("/api/v1/studio/tours", json=body)
    assert refused.status_code == 400 and refused.json["error"]["code"] == "csrf_failed"
    secret = token_of(users["curator"])
    made = app.test_client().post("/api/v1/studio/tours", json=body, headers=_bearer(secret))
    assert made.status_code == 201 and made.json["tour"]["slug"] == "from-a-script"
    # A bad token is refused even beside a signed-in session: cookies are not read then.
    answer = curator.get("/api/v1/studio/tours", headers=_bearer("htr_" + "x" * 43))
    assert answer.status_code == 401 and answer.json["error"]["code"] == "invalid_token"
    # A token does not open the studio's pages.
    page = app.test_client().get("/studio/", headers=_bearer(secret))
    assert page.status_code == 302 and "/studio/login" in page.headers["Location"]


@pytest.mark.parametrize("role", ["curator", "other", "admin"])
def test_every_api_route_for_every_role_and_scope(
    app: Any,
    db: Any,
    users: dict[str, Any],
    draft_tour: Any,
    token_of: Callable[..., str],
    role: str,
) -> None:
    stop = draft_tour.stops[0]
    values = {
        "tour_id": draft_tour.id,
        "stop_id": stop.id,
        "hotspot_id": stop.hotspots[0].id,
        "asset_id": stop.model_asset_id,
        "upload_id": "0" * 32,
        "lang": "en",
    }
    client = app.test_client()
    wrong = []
    for scope in ALL_SCOPES:
        headers = _bearer(token_of(users[role], [scope]))
        for endpoint, method, url in _api_calls(app, values):
            response = client.open(url, method=method, headers=headers, json={})
            needed = SCOPES[(endpoint, method)]
            status = response.status_code
            if needed == scope:
                if status in {401, 403, 429} or status >= 500:
                    wrong.append((scope, method, url, status, "should be let through"))
            elif status != 403 or (
                method != "HEAD" and response.json["error"]["code"] != "insufficient_scope"
            ):
                wrong.append((scope, method, url, status, f"needs {needed}"))
    assert wrong == [], "\n".join(map(str, wrong))


def test_every_api_route_refuses_unknown_and_missing_tokens(
    app: Any, users: dict[str, Any], draft_tour: Any
) -> None:
    values = {"tour_id": draft_tour.id, "stop_id": 1, "hotspot_id": 1, "asset_id": 1}
    client = app.test_client()
    for endpoint, method, url in _api_calls(app, values | {"upload_id": "0" * 32, "lang": "en"}):
        for header in ("Bearer htr_" + "A" * 43, "Bearer nonsense", "Bearer "):
            response = client.open(url, method=method, headers={"Authorization": header})
            assert response.status_code == 401, (endpoint, method, header)
            if method != "HEAD":
                assert response.json["error"]["code"] == "invalid_token"
        anonymous = client.open(url, method=method)
        assert anonymous.status_code in {401, 400}, (endpoint, method)  # 400: no CSRF token


def test_token_requests_are_rate_limited(
    app_config: dict[str, Any], users: dict[str, Any], token_of: Callable[..., str]
) -> None:
    from webapp import create_app

    limited = create_app({**app_config, "API_TOKEN_RATE_LIMIT": "3 per minute"})
    secret = token_of(users["curator"])
    client = limited.test_client()
    answers = [client.get("/api/v1/models", headers=_bearer(secret)) for _ in range(4)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert answers[-1].json["error"]["code"] == "too_many_requests"
    assert 1 <= int(answers[-1].headers["Retry-After"]) <= 60
    other = token_of(users["other"])  # each token has its own count
    assert client.get("/api/v1/models", headers=_bearer(other)).status_code == 200
