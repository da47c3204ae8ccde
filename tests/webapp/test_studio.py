"""Studio accounts: signing in and out, CSRF, the rate limit, cookies, roles on every route."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

# Who may use each studio route and each studio JSON route. A route missing here fails
# test_every_route_is_in_the_table, so a new route cannot be forgotten.
ACCESS = {
    "studio.login": "anyone",
    "studio.set_language": "anyone",
    "studio.logout": "curator",
    "studio.dashboard": "curator",
    "studio.users": "admin",
    "studio.add_user": "admin",
    "studio.set_role": "admin",
    "studio.remove_user": "admin",
    "studio.models": "curator",
    "studio.upload_model": "curator",
    "studio.model": "curator",
    "studio.reprocess_model": "curator",
    "studio.remove_model": "curator",
    "studio.new_tour": "curator",
    "studio.tour": "curator",
    "studio.tour_settings": "curator",
    "studio.tour_add_language": "curator",
    "studio.tour_texts": "curator",
    "studio.tour_add_stop": "curator",
    "studio.tour_stop_order": "curator",
    "studio.tour_publish": "curator",
    "studio.tour_unpublish": "curator",
    "studio.tour_translations": "curator",
    "studio.preview_tour": "curator",
    "studio.preview_stop": "curator",
    "studio.preview_panorama_json": "curator",
    "studio.export_tour": "curator",
    "studio.import_tour": "curator",
    "studio.stop": "curator",
    "studio.stop_move": "curator",
    "studio.stop_delete": "curator",
    "studio.stop_model": "curator",
    "studio.stop_camera": "curator",
    "studio.stop_lighting": "curator",
    "studio.stop_location": "curator",
    "studio.hotspot_view": "curator",
    "studio.panorama_view": "curator",
    "studio.panorama_add_hotspot": "curator",
    "studio.hotspot_link": "curator",
    "studio.stop_texts": "curator",
    "studio.stop_add_hotspot": "curator",
    "studio.hotspot_texts": "curator",
    "studio.hotspot_delete": "curator",
    "studio.stop_audio": "curator",
    "studio.stop_audio_delete": "curator",
    "studio.tour_image_add": "curator",
    "studio.tour_image_alt": "curator",
    "studio.tour_image_delete": "curator",
    "studio.model_rights": "curator",
    "studio.tour_rights": "curator",
    "studio.stop_audio_rights": "curator",
    "studio.tour_image_rights": "curator",
    "api.list_models_status": "curator",
    "api.model_detail": "curator",
    "api.narration_preview": "curator",
    "api.tus_create": "curator",
    "api.tus_upload": "curator",
    "api.s3_sign": "curator",
    "api.s3_finish": "curator",
    "studio.tokens": "curator",
    "studio.revoke_api_token": "curator",
    "api.drafts": "curator",
    "api.draft": "curator",
    "api.publication": "curator",
    "api.draft_add_stop": "curator",
    "api.draft_stop_order": "curator",
    "api.draft_stop_detail": "curator",
    "api.draft_add_hotspot": "curator",
    "api.draft_hotspot": "curator",
    "api.draft_stop_audio": "curator",
    "api.model_rights": "curator",
    "api.model_reprocess": "curator",
    "studio.tour_insight": "curator",
    "studio.tour_insight_export": "curator",
}
PUBLIC_API = {
    "api.index",
    "api.list_tours",
    "api.get_tour",
    "api.get_stop",
    "api.openapi",
    "api.docs",
    "api.dump_json",
    "api.dump_csv",
    "api.count_event",
}
# What a signed-in role that may use a route gets from it in test_roles_on_every_route's sweep
# (empty forms, ids of the draft tour): the exact status, so that a 500 cannot pass for
# "allowed". 404: an earlier call of the sweep removed the thing (the model's DELETE,
# studio.stop_delete) or the id names nothing (upload_id); 400: the empty form is refused with
# a reason; 401: the sign-in form without a password; 412: tus without its protocol headers.
ALLOWED_STATUS = {
    ("api.list_models_status", "GET"): 200,
    ("api.model_detail", "DELETE"): 200,
    ("api.model_detail", "GET"): 404,
    ("api.narration_preview", "POST"): 400,
    ("api.tus_create", "POST"): 412,
    ("api.tus_upload", "DELETE"): 404,
    ("api.tus_upload", "HEAD"): 404,
    ("api.tus_upload", "PATCH"): 404,
    ("studio.add_user", "POST"): 400,
    ("studio.dashboard", "GET"): 200,
    ("studio.export_tour", "GET"): 200,
    ("studio.hotspot_delete", "POST"): 404,
    ("studio.hotspot_texts", "POST"): 404,
    ("studio.import_tour", "GET"): 200,
    ("studio.import_tour", "POST"): 400,
    ("studio.login", "GET"): 302,
    ("studio.login", "POST"): 401,
    ("studio.logout", "POST"): 302,
    ("studio.model", "GET"): 404,
    ("studio.models", "GET"): 200,
    ("studio.new_tour", "GET"): 200,
    ("studio.new_tour", "POST"): 400,
    ("studio.preview_stop", "GET"): 200,
    ("studio.preview_panorama_json", "GET"): 404,
    ("studio.preview_tour", "GET"): 200,
    ("studio.remove_model", "POST"): 404,
    ("studio.remove_user", "POST"): 302,
    ("studio.reprocess_model", "POST"): 404,
    ("studio.set_language", "GET"): 302,
    ("studio.set_role", "POST"): 302,
    ("studio.stop", "GET"): 200,
    ("studio.stop_add_hotspot", "POST"): 404,
    ("studio.stop_audio", "POST"): 404,
    ("studio.stop_audio_delete", "POST"): 404,
    ("studio.stop_camera", "POST"): 404,
    ("studio.stop_delete", "POST"): 302,
    ("studio.stop_lighting", "POST"): 404,
    ("studio.stop_location", "POST"): 404,
    ("studio.hotspot_view", "POST"): 404,
    ("studio.panorama_view", "POST"): 404,
    ("studio.panorama_add_hotspot", "POST"): 404,
    ("studio.hotspot_link", "POST"): 404,
    ("studio.stop_model", "POST"): 404,
    ("studio.stop_move", "POST"): 302,
    ("studio.stop_texts", "POST"): 404,
    ("studio.tour", "GET"): 200,
    ("studio.tour_add_language", "POST"): 302,
    ("studio.tour_add_stop", "POST"): 302,
    ("studio.tour_publish", "POST"): 302,
    ("studio.tour_settings", "POST"): 302,
    ("studio.tour_stop_order", "POST"): 400,
    ("studio.tour_image_add", "POST"): 404,  # no content language in the form
    ("studio.tour_image_alt", "POST"): 404,
    ("studio.tour_image_delete", "POST"): 404,
    ("studio.tour_texts", "POST"): 302,
    ("studio.tour_translations", "GET"): 200,
    ("studio.tour_unpublish", "POST"): 302,
    ("studio.upload_model", "POST"): 302,
    ("studio.model_rights", "POST"): 404,
    ("studio.tour_rights", "POST"): 302,
    ("studio.stop_audio_rights", "POST"): 404,
    ("studio.tour_image_rights", "POST"): 404,
    ("studio.users", "GET"): 200,
    ("studio.tokens", "GET"): 200,
    ("studio.tokens", "POST"): 400,  # no name, no scope
    ("studio.revoke_api_token", "POST"): 404,
    ("studio.tour_insight", "GET"): 200,
    ("studio.tour_insight_export", "GET"): 200,
    # The draft API runs after the studio's sweep has deleted the stops (404) and the model
    # (publishing is refused with 409); bodies are missing (400).
    ("api.drafts", "GET"): 200,
    ("api.drafts", "POST"): 400,
    ("api.draft", "GET"): 200,
    ("api.draft", "PATCH"): 400,
    ("api.publication", "DELETE"): 200,
    ("api.publication", "POST"): 409,
    ("api.draft_add_stop", "POST"): 400,
    ("api.draft_stop_order", "PUT"): 400,
    ("api.draft_stop_detail", "DELETE"): 404,
    ("api.draft_stop_detail", "GET"): 404,
    ("api.draft_stop_detail", "PATCH"): 404,
    ("api.draft_add_hotspot", "POST"): 404,
    ("api.draft_hotspot", "DELETE"): 404,
    ("api.draft_hotspot", "PATCH"): 404,
    ("api.draft_stop_audio", "DELETE"): 404,
    ("api.draft_stop_audio", "PUT"): 404,
    ("api.model_rights", "PUT"): 404,
    ("api.model_reprocess", "POST"): 404,
}
DRAFT_API = {
    "api.drafts",
    "api.draft",
    "api.publication",
    "api.draft_add_stop",
    "api.draft_stop_order",
    "api.draft_stop_detail",
    "api.draft_add_hotspot",
    "api.draft_hotspot",
    "api.draft_stop_audio",
    "api.model_rights",
    "api.model_reprocess",
}
ANONYMOUS_STATUS = {
    ("studio.login", "GET"): 200,
    ("studio.login", "POST"): 401,
    ("studio.set_language", "GET"): 302,
}
# Direct uploads: refused with 409 where the store is not S3, with 400 for the empty form on S3.
DIRECT_UPLOAD_STATUS = {"sqlite-local": 409, "postgres-s3": 400}


def _studio_routes(app: Any) -> list[Any]:
    return [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("studio.")
        or (rule.endpoint.startswith("api.") and rule.endpoint not in PUBLIC_API)
    ]


def test_every_route_is_in_the_table(app: Any) -> None:
    assert {rule.endpoint for rule in _studio_routes(app)} == set(ACCESS)


def _calls(app: Any, values: dict[str, Any]) -> list[tuple[str, str, str]]:
    calls = []
    for rule in _studio_routes(app):
        methods = set(rule.methods) - {"OPTIONS"}
        if "GET" in methods:
            methods.discard("HEAD")
        url = rule.build({arg: values[arg] for arg in rule.arguments})[1]
        calls += [(rule.endpoint, method, url) for method in sorted(methods)]
    # The API's draft routes after the others (they delete and publish), and sign out last.
    return sorted(calls, key=lambda call: (call[0] == "studio.logout", call[0] in DRAFT_API))


@pytest.mark.parametrize("role", [None, "curator", "admin"])
def test_roles_on_every_route(
    app: Any,
    client_as: Callable[[str | None], Any],
    draft_tour: Any,
    db: Any,
    role: str | None,
    studio: Any,
    backend: str,
) -> None:
    from tours.accounts import create_user

    victim = create_user(db, "victim@example.org", studio.password, "curator")
    stop = draft_tour.stops[0]
    values = {
        "tour_id": draft_tour.id,
        "stop_id": stop.id,
        "hotspot_id": stop.hotspots[0].id,
        "asset_id": stop.model_asset_id,
        "user_id": victim.id,
        "lang": "en",
        "code": "en",
        "number": 1,
        "upload_id": "0" * 32,
        "image_id": 1,
        "token_id": 1,
        "kind": "csv",
    }
    client = client_as(role)
    rank = {None: 0, "curator": 1, "admin": 2}[role]
    wrong = []
    for endpoint, method, url in _calls(app, values):
        response = client.open(url, method=method)
        needed = {"anyone": 0, "curator": 1, "admin": 2}[ACCESS[endpoint]]
        location = response.headers.get("Location", "")
        if rank >= needed:
            if endpoint in {"api.s3_sign", "api.s3_finish"}:
                expected = DIRECT_UPLOAD_STATUS[backend]
            else:
                expected = (ANONYMOUS_STATUS if role is None else ALLOWED_STATUS)[
                    (endpoint, method)
                ]
            refused = "/studio/login?" in location  # sent to sign in: not let through
            if response.status_code != expected or refused:
                wrong.append((method, url, response.status_code, f"expected {expected}"))
        elif rank == 0 and endpoint.startswith("api."):
            code = response.json["error"]["code"] if method != "HEAD" else "login_required"
            if response.status_code != 401 or code != "login_required":
                wrong.append((method, url, response.status_code))
        elif rank == 0:
            if response.status_code != 302 or "/studio/login" not in location:
                wrong.append((method, url, response.status_code))
        elif response.status_code != 403:
            wrong.append((method, url, response.status_code))
    assert wrong == [], "\n".join(map(str, wrong))


def test_sign_in_and_out(client: Any, studio_users: dict[str, Any], studio: Any) -> None:
    assert client.get("/studio/").headers["Location"].startswith("/studio/login?next=/studio/")
    response = studio.sign_in(client, "curator@example.org")
    assert response.status_code == 302 and response.headers["Location"] == "/studio/"
    page = client.get("/studio/").get_data(as_text=True)
    assert "curator@example.org" in page
    assert client.post("/studio/logout").status_code == 302
    assert client.get("/studio/").status_code == 302


def test_wrong_password_is_refused(client: Any, studio_users: dict[str, Any], studio: Any) -> None:
    response = studio.sign_in(client, "curator@example.org", "wrong password!")
    assert response.status_code == 401
    assert "The email or the password is wrong." in response.get_data(as_text=True)
    assert client.get("/studio/").status_code == 302


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/studio/models/", "/studio/models/"),
        ("https://evil.example/", "/studio/"),
        ("//evil.example/studio/", "/studio/"),
        ("/en/", "/studio/"),
    ],
)
def test_next_never_leaves_the_studio(
    client: Any, studio_users: dict[str, Any], studio: Any, target: str, expected: str
) -> None:
    form = {
        "email": "curator@example.org",
        "password": studio.password,
        "csrf_token": studio.csrf_token(client),
        "next": target,
    }
    assert client.post("/studio/login", data=form).headers["Location"] == expected


def test_forms_need_the_csrf_token(client: Any, studio_users: dict[str, Any], studio: Any) -> None:
    response = client.post(
        "/studio/login", data={"email": "curator@example.org", "password": studio.password}
    )
    assert response.status_code == 400
    studio.sign_in(client, "curator@example.org")
    del client.environ_base["HTTP_X_CSRFTOKEN"]
    assert client.post("/studio/tours/new", data={"slug": "x"}).status_code == 400
    answer = client.post("/api/v1/narration/preview", json={"markdown": "*a*"})
    assert answer.status_code == 400 and answer.json["error"]["code"] == "csrf_failed"


def test_session_cookie_flags(client: Any, studio_users: dict[str, Any], studio: Any) -> None:
    token = studio.csrf_token(client)
    response = client.post(
        "/studio/login",
        data={"email": "curator@example.org", "password": studio.password, "csrf_token": token},
    )
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=Lax" in cookie


def test_sign_in_is_rate_limited(
    app_config: dict[str, Any], studio_users: Any, studio: Any
) -> None:
    from webapp import create_app

    limited = create_app({**app_config, "LOGIN_RATE_LIMIT": "3 per minute"})
    client = limited.test_client()
    token = studio.csrf_token(client)
    form = {"email": "curator@example.org", "password": "wrong password!", "csrf_token": token}
    statuses = [client.post("/studio/login", data=form).status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]


def test_new_password_ends_other_sessions(
    client: Any, db: Any, studio_users: Any, studio: Any
) -> None:
    from tours.accounts import set_password

    studio.sign_in(client, "curator@example.org")
    assert client.get("/studio/").status_code == 200
    set_password(db, studio_users["curator"], "another long password")
    assert client.get("/studio/").status_code == 302


def test_admin_manages_users(client_as: Callable[[str | None], Any], db: Any) -> None:
    from tours.models import User

    admin = client_as("admin")
    response = admin.post(
        "/studio/users",
        data={"email": "new@example.org", "password": "a long password", "role": "curator"},
    )
    assert response.status_code == 302
    user = db.query(User).filter_by(email="new@example.org").one()
    admin.post(f"/studio/users/{user.id}/role", data={"role": "admin"})
    db.refresh(user)
    assert user.role == "admin"
    refused = admin.post(
        "/studio/users", data={"email": "bad", "password": "a long password", "role": "curator"}
    )
    assert refused.status_code == 400
    assert "This is not a valid email address." in refused.get_data(as_text=True)
    admin.post(f"/studio/users/{user.id}/delete")
    assert db.query(User).filter_by(email="new@example.org").count() == 0


def test_studio_speaks_the_chosen_language(curator: Any) -> None:
    curator.get("/studio/language/vi")
    assert "Thư viện mô hình" in curator.get("/studio/models/").get_data(as_text=True)
    curator.get("/studio/language/en")
    assert "Model library" in curator.get("/studio/models/").get_data(as_text=True)


def test_users_cli(app: Any, db: Any) -> None:
    from tours.accounts import authenticate

    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["users", "create", "first@example.org", "--role", "admin", "--password", "x" * 12]
    )
    assert result.exit_code == 0, result.output
    assert authenticate(db, "first@example.org", "x" * 12).role == "admin"
    again = runner.invoke(args=["users", "create", "first@example.org", "--password", "x" * 12])
    assert again.exit_code != 0 and "already exists" in again.output


def test_demo_account_prints_its_password(app: Any, db: Any, backend: str) -> None:
    from tours.accounts import authenticate

    result = app.test_cli_runner().invoke(args=["users", "demo"])
    if backend != "sqlite-local":
        assert result.exit_code != 0
        return
    password = re.search(r"with the password (\S+)", result.output).group(1)
    assert authenticate(db, "curator@example.org", password).role == "curator"
