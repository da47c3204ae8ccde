"""Who is signed in, and what they may do: sessions, roles, CSRF and the login rate limit.

``current_user()`` reads the session once per request. Studio pages send anonymous people
to the login page; the studio's JSON routes answer 401 or 403 in the house error shape.
CSRF protection (Flask-WTF) covers every POST, PUT, PATCH and DELETE of the whole app;
scripts send the token in the ``X-CSRFToken`` header. Sign-in attempts are rate-limited
per client address with the ``limits`` library: in memory by default, in Redis (shared by
every worker) when ``RATELIMIT_STORAGE_URI`` names one; the client's address is the one a
trusted proxy names (:mod:`webapp.clientaddress`).

Programs use the API with a personal token instead (``Authorization: Bearer htr_...``,
:mod:`tours.apitokens`). A request that carries one is judged by the token alone: cookies
are not read, CSRF does not apply (a browser never adds the header on its own), the
token's scopes must cover the route, and each token has its own rate limit
(``API_TOKEN_RATE_LIMIT``), answered by 429 with ``Retry-After``.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import Flask, current_app, g, redirect, request, session, url_for
from flask_babel import refresh
from flask_wtf.csrf import CSRFError, CSRFProtect
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from werkzeug.wrappers import Response

from tours.apitokens import READ_DRAFTS, WRITE, TokenError, allows, authenticate
from tours.models import ApiToken, User, UserRole
from webapp.clientaddress import client_address
from webapp.errors import api_error, error_page
from webapp.extensions import db


class _CSRFProtect(CSRFProtect):
    """CSRF protection that leaves API requests carrying a token to the token check."""

    def _is_exempt(self) -> bool:
        return bearer_secret() is not None or bool(super()._is_exempt())


csrf = _CSRFProtect()
F = TypeVar("F", bound=Callable[..., Any])
_USER = "heritour.studio_user"
_TOKEN = "heritour.api_token"
_BEARER = "bearer "


def _session_stamp(user: User) -> str:
    """Changes when the password does, so a new password ends the other sessions."""
    return user.password_hash[-16:]


def _forget_request_state() -> None:
    """Drop what this request cached about the old session (user, CSRF token)."""
    request.environ.pop(_USER, None)
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)


def login_user(user: User) -> None:
    """Start a fresh session for ``user`` (a new session on every login)."""
    session.clear()
    session["user_id"] = user.id
    session["stamp"] = _session_stamp(user)
    session.permanent = False
    _forget_request_state()


def logout_user() -> None:
    """End the session."""
    session.clear()
    _forget_request_state()


def bearer_secret() -> str | None:
    """The token of an API request sent with ``Authorization: Bearer``, else None."""
    if not request.path.startswith("/api/"):
        return None
    header = request.headers.get("Authorization", "")
    if header[: len(_BEARER)].lower() != _BEARER:
        return None
    return header[len(_BEARER) :].strip()


def current_token() -> ApiToken | None:
    """The valid API token this request carries, or None."""
    current_user()
    return cast(ApiToken | None, request.environ.get(_TOKEN))


def current_user() -> User | None:
    """The signed-in, active user of this request, or None (looked up once per request).

    An API request with a token acts as the token's user; its cookies are ignored."""
    cache = request.environ
    secret = bearer_secret()
    if secret is not None and _USER not in cache:
        try:
            token = authenticate(db.session, secret)
        except TokenError:
            cache[_USER] = None
        else:
            cache[_TOKEN], cache[_USER] = token, token.user
    if _USER not in cache:
        user = None
        user_id = session.get("user_id")
        if isinstance(user_id, int):
            found = db.session.get(User, user_id)
            stamp = session.get("stamp")
            if found is not None and found.active and stamp == _session_stamp(found):
                user = found
        cache[_USER] = user
    return cast(User | None, cache[_USER])


def is_admin(user: User | None) -> bool:
    """Whether ``user`` may manage users."""
    return user is not None and user.role == UserRole.ADMIN


def admin_required(view: F) -> F:
    """A studio page only admins may use (curators get 403)."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not is_admin(current_user()):
            from flask import abort

            abort(403)
        return view(*args, **kwargs)

    return cast(F, wrapper)


def needed_scope(method: str) -> str:
    """The token scope a method needs by default: reads ``read:drafts``, changes ``write``."""
    return READ_DRAFTS if method in {"GET", "HEAD"} else WRITE


def _token_refusal(scope: str) -> tuple[Response, int] | None:
    """Why this token request may not go on (no token, a scope missing, too many requests)."""
    token = current_token()
    if token is None:
        return api_error(401, "invalid_token")
    if not allows(token, scope):
        return api_error(403, "insufficient_scope", {"needed": scope, "granted": token.scopes})
    throttle: LoginThrottle = current_app.extensions["token_throttle"]
    if not throttle.allow(str(token.id)):
        response, status = api_error(429, "too_many_requests")
        response.headers["Retry-After"] = str(throttle.retry_after(str(token.id)))
        return response, status
    return None


def api_login_required(view: F | None = None, *, scope: str | None = None) -> Any:
    """A JSON route for signed-in studio users (401 for anyone else), or for programs with
    a token that carries ``scope`` (by default :func:`needed_scope` of the method; 403
    without it). ``@api_login_required`` or ``@api_login_required(scope=PUBLISH)``."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if bearer_secret() is not None:
                refusal = _token_refusal(scope or needed_scope(request.method))
                if refusal is not None:
                    return refusal
            elif current_user() is None:
                return api_error(401, "login_required")
            return view(*args, **kwargs)

        wrapper.token_scope = scope  # type: ignore[attr-defined]  # read by the OpenAPI plugin
        return cast(F, wrapper)

    return decorate(view) if view is not None else decorate


def require_studio_login() -> Response | None:
    """``before_request`` of the studio: anonymous people go to the login page."""
    refresh()  # the interface language is chosen per request, never reused from another
    if request.endpoint in {"studio.login", "studio.set_language"}:
        return None
    if current_user() is None:
        return redirect(url_for("studio.login", next=request.full_path.rstrip("?")))
    return None


def safe_next(target: str | None) -> str:
    """Where to go after signing in: only a path inside the studio, never another site."""
    if target and target.startswith("/studio/") and not target.startswith("//"):
        return target
    return url_for("studio.dashboard")


class LoginThrottle:
    """At most ``rate`` (e.g. "10 per minute") sign-in attempts per client address (or, in
    the ``heritour-token`` namespace, API requests per token)."""

    def __init__(self, storage_uri: str, rate: str, namespace: str = "heritour-login") -> None:
        self.limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))
        self.rate = parse(rate)
        self.namespace = namespace

    def allow(self, address: str) -> bool:
        """Count one attempt from ``address``; False when it is over the limit."""
        return bool(self.limiter.hit(self.rate, self.namespace, address))

    def retry_after(self, address: str) -> int:
        """Whole seconds until ``address`` may try again (at least 1)."""
        reset, _remaining = self.limiter.get_window_stats(self.rate, self.namespace, address)
        return max(1, int(reset - time.time()) + 1)


def login_allowed() -> bool:
    """Count a sign-in attempt from this request's client; False when over the limit."""
    throttle: LoginThrottle = current_app.extensions["login_throttle"]
    return throttle.allow(client_address())


def init_security(app: Flask) -> None:
    """Bind CSRF protection and the sign-in rate limit (their settings are in the config)."""
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    csrf.init_app(app)
    app.extensions["login_throttle"] = LoginThrottle(
        app.config["RATELIMIT_STORAGE_URI"], app.config["LOGIN_RATE_LIMIT"]
    )
    app.extensions["token_throttle"] = LoginThrottle(
        app.config["RATELIMIT_STORAGE_URI"], app.config["API_TOKEN_RATE_LIMIT"], "heritour-token"
    )

    @app.errorhandler(CSRFError)
    def _csrf_failed(error: CSRFError) -> Any:
        if request.path.startswith("/api/"):
            return api_error(400, "csrf_failed")
        return error_page(400, "csrf_failed")

    @app.context_processor
    def _user_context() -> dict[str, Any]:
        if not request.path.startswith("/studio"):
            return {}
        return {"current_user": current_user(), "is_admin": is_admin(current_user())}
