"""Who is signed in, and what they may do: sessions, roles, CSRF and the login rate limit.

Sessions live on the server (:mod:`tours.usersessions`); the signed cookie carries only the
session's random token (and Flask-WTF's CSRF token), so signing out or an admin ending a
session makes a copied cookie useless. ``current_user()`` reads the session once per
request. Studio pages send anonymous people to the login page; the studio's JSON routes
answer 401 or 403 in the house error shape.
CSRF protection (Flask-WTF) covers every POST, PUT, PATCH and DELETE of the whole app;
scripts send the token in the ``X-CSRFToken`` header. Sign-in attempts are rate-limited
per client address with the ``limits`` library: in memory by default, in Redis (shared by
every worker) when ``RATELIMIT_STORAGE_URI`` names one; the client's address is the one a
trusted proxy names (:mod:`webapp.proxies`).

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
from tours.models import ApiToken, User, UserRole, UserSession
from tours.twofactor import is_enabled
from tours.usersessions import end_session, find_session, start_session
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
_SESSION = "heritour.studio_session"
_SESSION_ID = "heritour.studio_session_id"
_PENDING_SECONDS = 300  # time to enter the second factor after the password
_PUBLIC_ENDPOINTS = {"studio.login", "studio.login_code", "studio.set_language"}
# What an admin who has not set up two-factor sign-in yet may still open.
_ENROLMENT_ENDPOINTS = {"studio.two_factor", "studio.two_factor_qr", "studio.logout"}


def _forget_request_state() -> None:
    """Drop what this request cached about the old session (user, CSRF token)."""
    request.environ.pop(_USER, None)
    request.environ.pop(_SESSION, None)
    request.environ.pop(_SESSION_ID, None)
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)


def login_user(user: User) -> None:
    """Start a fresh server-side session for ``user`` (ending the one this browser had);
    the cookie gets only its token."""
    current_session()
    previous = request.environ.get(_SESSION_ID)
    if previous is not None:
        end_session(db.session, previous)
    session.clear()
    started = start_session(db.session, user, request.user_agent.string)
    session["sid"] = started.token
    _forget_request_state()


def logout_user() -> None:
    """End the session on the server (a copied cookie stops working) and in the browser."""
    current_session()
    previous = request.environ.get(_SESSION_ID)
    if previous is not None:
        end_session(db.session, previous)
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


def begin_second_factor(user: User) -> None:
    """The password was right and ``user`` has two-factor sign-in: remember them for a few
    minutes while they enter a code. This grants nothing else."""
    session.clear()
    session["pending_user"] = user.id
    session["pending_at"] = int(time.time())
    _forget_request_state()


def pending_user() -> User | None:
    """The user whose password was right and who still owes a code, or None."""
    user_id, started = session.get("pending_user"), session.get("pending_at")
    if not isinstance(user_id, int) or not isinstance(started, int):
        return None
    if not 0 <= time.time() - started <= _PENDING_SECONDS:
        return None
    user = db.session.get(User, user_id)
    return user if user is not None and user.active else None


def current_session() -> UserSession | None:
    """The server-side session this request's cookie names, or None."""
    cache = request.environ
    if _SESSION not in cache:
        token = session.get("sid")
        row = find_session(db.session, token) if isinstance(token, str) else None
        cache[_SESSION] = row
        cache[_SESSION_ID] = row.id if row is not None else None
    return cast(UserSession | None, cache[_SESSION])


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
        row = current_session()
        if row is not None:
            found = db.session.get(User, row.user_id)
            if found is not None and found.active:
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
    """A JSON route for signed-in studio users (401 for anyone else; 403 for an admin who has
    not set up two-factor sign-in yet), or for programs with a token that carries ``scope``
    (by default :func:`needed_scope` of the method; 403 without it).
    ``@api_login_required`` or ``@api_login_required(scope=PUBLISH)``."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if bearer_secret() is not None:
                refusal = _token_refusal(scope or needed_scope(request.method))
                if refusal is not None:
                    return refusal
            else:
                user = current_user()
                if user is None:
                    return api_error(401, "login_required")
                if is_admin(user) and not is_enabled(user):
                    return api_error(403, "two_factor_required")
            return view(*args, **kwargs)

        wrapper.token_scope = scope  # type: ignore[attr-defined]  # read by the OpenAPI plugin
        return cast(F, wrapper)

    return decorate(view) if view is not None else decorate


def require_studio_login() -> Response | None:
    """``before_request`` of the studio: anonymous people go to the login page, and an
    admin without two-factor sign-in goes to its enrolment before anything else."""
    refresh()  # the interface language is chosen per request, never reused from another
    if request.endpoint in _PUBLIC_ENDPOINTS:
        return None
    user = current_user()
    if user is None:
        return redirect(url_for("studio.login", next=request.full_path.rstrip("?")))
    if is_admin(user) and not is_enabled(user) and request.endpoint not in _ENROLMENT_ENDPOINTS:
        return redirect(url_for("studio.two_factor"))
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

    def allow(self, key: str, scope: str | None = None) -> bool:
        """Count one attempt for ``key`` in ``scope`` (by default this throttle's namespace);
        False when it is over the limit."""
        return bool(self.limiter.hit(self.rate, scope or self.namespace, key))

    def retry_after(self, key: str, scope: str | None = None) -> int:
        """Whole seconds until ``key`` may try again (at least 1)."""
        reset, _remaining = self.limiter.get_window_stats(self.rate, scope or self.namespace, key)
        return max(1, int(reset - time.time()) + 1)


def login_allowed() -> bool:
    """Count a sign-in attempt from this request's client; False when over the limit.

    The client's address is the one the trusted proxies vouch for (``webapp.proxies``),
    never an ``X-Forwarded-For`` sent by anyone else."""
    throttle: LoginThrottle = current_app.extensions["login_throttle"]
    return throttle.allow(request.remote_addr or "unknown")


def code_attempt_allowed(user: User) -> bool:
    """Count a two-factor code attempt for ``user`` (from any address) and from this client;
    False when either is over the limit."""
    throttle: LoginThrottle = current_app.extensions["login_throttle"]
    by_user = throttle.allow(str(user.id), "heritour-2fa-user")
    by_client = throttle.allow(request.remote_addr or "unknown", "heritour-2fa-client")
    return by_user and by_client


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
        from webapp.messages import password_rules

        return {
            "current_user": current_user(),
            "is_admin": is_admin(current_user()),
            "password_rules": password_rules(),
        }
