"""Studio pages for signing in and out, the dashboard, the interface language and users
(admins may also end another user's sessions)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.wrappers import Response

from tours.accounts import ROLES, AccountError, authenticate, create_user, delete_user, list_users
from tours.accounts import set_role as change_role
from tours.authoring import list_tours
from tours.locales import INTERFACE_LOCALES
from tours.models import User
from tours.twofactor import is_enabled
from tours.usersessions import count_sessions
from tours.usersessions import end_user_sessions as end_sessions
from webapp.extensions import db
from webapp.i18n import remember_language
from webapp.messages import account_message
from webapp.studio import bp, get_or_404
from webapp.studio.security import (
    admin_required,
    begin_second_factor,
    current_session,
    current_user,
    login_allowed,
    login_user,
    logout_user,
    require_studio_login,
    safe_next,
)

bp.before_request(require_studio_login)


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | str | tuple[str, int]:
    if request.method == "GET":
        if current_user() is not None:
            return redirect(url_for("studio.dashboard"))
        return render_template("studio/login.html", next=request.args.get("next", ""))
    if not login_allowed():
        abort(429)
    user = authenticate(db.session, request.form.get("email", ""), request.form.get("password", ""))
    if user is None:
        error = _("The email or the password is wrong.")
        page = render_template(
            "studio/login.html",
            next=request.form.get("next", ""),
            error=error,
            email=request.form.get("email", ""),
        )
        return page, 401
    if is_enabled(user):
        begin_second_factor(user)
        return redirect(url_for("studio.login_code", next=request.form.get("next", "")))
    login_user(user)
    return redirect(safe_next(request.form.get("next")))


@bp.post("/logout")
def logout() -> Response:
    logout_user()
    flash(_("You are signed out."))
    return redirect(url_for("studio.login"))


@bp.get("/")
def dashboard() -> str:
    return render_template("studio/dashboard.html", tours=list_tours(db.session))


@bp.get("/language/<code>")
def set_language(code: str) -> Response:
    """Switch the interface language (kept in the same cookie as the public pages)."""
    if code not in INTERFACE_LOCALES:
        abort(404)
    response = redirect(safe_next(request.args.get("next")))
    remember_language(response, code)
    return response


@bp.get("/users")
@admin_required
def users() -> str:
    return _users_page()


def _users_page() -> str:
    return render_template(
        "studio/users.html",
        users=list_users(db.session),
        roles=ROLES,
        session_counts=count_sessions(db.session),
    )


@bp.post("/users")
@admin_required
def add_user() -> Response | tuple[str, int]:
    form = request.form
    try:
        user = create_user(
            db.session, form.get("email", ""), form.get("password", ""), form.get("role", "")
        )
    except AccountError as error:
        flash(account_message(error), "error")
        return _users_page(), 400
    flash(_("Created %(email)s.", email=user.email))
    return redirect(url_for("studio.users"))


def _user_or_404(user_id: int) -> User:
    return get_or_404(User, user_id)


@bp.post("/users/<int:user_id>/role")
@admin_required
def set_role(user_id: int) -> Response:
    user = _user_or_404(user_id)
    try:
        change_role(db.session, user, request.form.get("role", ""))
        flash(_("%(email)s is now %(role)s.", email=user.email, role=user.role))
    except AccountError as error:
        flash(account_message(error), "error")
    return redirect(url_for("studio.users"))


@bp.post("/users/<int:user_id>/sessions/end")
@admin_required
def end_user_sessions(user_id: int) -> Response:
    """End every session of a user (the admin's own current one stays)."""
    user = _user_or_404(user_id)
    row = current_session()
    count = end_sessions(db.session, user.id, keep=row.id if row is not None else None)
    db.session.commit()
    flash(
        ngettext(
            "%(num)d session of %(email)s has ended.",
            "%(num)d sessions of %(email)s have ended.",
            count,
            email=user.email,
        )
    )
    return redirect(url_for("studio.users"))


@bp.post("/users/<int:user_id>/delete")
@admin_required
def remove_user(user_id: int) -> Response:
    user = _user_or_404(user_id)
    try:
        delete_user(db.session, user)
        flash(_("Removed %(email)s.", email=user.email))
    except AccountError as error:
        flash(account_message(error), "error")
    return redirect(url_for("studio.users"))
