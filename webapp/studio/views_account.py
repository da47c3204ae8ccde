"""Studio pages of one's own account: the second sign-in step, sessions, password, two-factor.

Every change is a CSRF-protected POST. Pages that show a secret (the enrolment's QR code and
text, the recovery codes) are sent with ``Cache-Control: no-store``.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.wrappers import Response

from tours import twofactor
from tours.accounts import AccountError, set_password, verify_password
from tours.models import User, UserSession
from tours.qrcodes import qr_svg
from tours.usersessions import end_session, end_user_sessions, list_sessions
from webapp.extensions import db
from webapp.messages import account_message
from webapp.studio import bp
from webapp.studio.security import (
    code_attempt_allowed,
    current_session,
    current_user,
    is_admin,
    login_allowed,
    login_user,
    pending_user,
    safe_next,
)


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


def _signed_in() -> tuple[User, UserSession]:
    user, row = current_user(), current_session()
    if user is None or row is None:  # the studio's before_request lets nobody else in
        abort(401)
    return user, row


@bp.route("/login/code", methods=["GET", "POST"])
def login_code() -> Response | str | tuple[str, int]:
    """The second sign-in step: a code from the authenticator app, or a recovery code."""
    user = pending_user()
    if user is None:
        return redirect(url_for("studio.login"))
    next_page = request.values.get("next", "")
    if request.method == "GET":
        return render_template("studio/login_code.html", next=next_page)
    if not code_attempt_allowed(user):
        abort(429)
    if not twofactor.verify_second_factor(db.session, user, request.form.get("code", "")):
        error = _("This code is wrong or was already used.")
        return render_template("studio/login_code.html", next=next_page, error=error), 401
    login_user(user)
    return redirect(safe_next(next_page))


@bp.get("/account")
def account() -> Response:
    user, row = _signed_in()
    page = render_template(
        "studio/account.html",
        sessions=list_sessions(db.session, user.id),
        this_session=row.id,
        two_factor=twofactor.is_enabled(user),
        codes_left=twofactor.recovery_codes_left(user),
    )
    return _no_store(Response(page, mimetype="text/html"))


@bp.post("/account/sessions/<int:session_id>/end")
def end_own_session(session_id: int) -> Response:
    user, row = _signed_in()
    if session_id == row.id or not end_session(db.session, session_id, user.id):
        abort(404)
    flash(_("The session has ended."))
    return redirect(url_for("studio.account"))


@bp.post("/account/sessions/end-others")
def end_other_sessions() -> Response:
    user, row = _signed_in()
    count = end_user_sessions(db.session, user.id, keep=row.id)
    db.session.commit()
    flash(ngettext("%(num)d other session has ended.", "%(num)d other sessions have ended.", count))
    return redirect(url_for("studio.account"))


@bp.post("/account/password")
def change_password() -> Response | tuple[str, int]:
    """A new password ends every session; this browser gets a new one at once."""
    user, _row = _signed_in()
    if not login_allowed():
        abort(429)
    if not verify_password(user, request.form.get("current_password", "")):
        flash(_("The current password is wrong."), "error")
        return redirect(url_for("studio.account"))
    try:
        set_password(db.session, user, request.form.get("new_password", ""))
    except AccountError as error:
        flash(account_message(error), "error")
        return redirect(url_for("studio.account"))
    login_user(user)
    flash(_("Your password is changed; every other session has ended."))
    return redirect(url_for("studio.account"))


@bp.route("/account/two-factor", methods=["GET", "POST"])
def two_factor() -> Response | tuple[Response, int]:
    """Turn on two-factor sign-in: scan the code, confirm with a code, keep recovery codes."""
    user, _row = _signed_in()
    if twofactor.is_enabled(user):
        page = render_template(
            "studio/two_factor.html", enabled=True, codes_left=twofactor.recovery_codes_left(user)
        )
        return _no_store(Response(page, mimetype="text/html"))
    secret = twofactor.begin_enrolment(db.session, user)
    error, status = None, 200
    if request.method == "POST":
        if not code_attempt_allowed(user):
            abort(429)
        codes = twofactor.confirm_enrolment(db.session, user, request.form.get("code", ""))
        if codes is not None:
            page = render_template("studio/two_factor.html", enabled=True, recovery_codes=codes)
            return _no_store(Response(page, mimetype="text/html"))
        error, status = _("This code is wrong or was already used."), 400
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    page = render_template(
        "studio/two_factor.html",
        enabled=False,
        secret=grouped,
        error=error,
        required=is_admin(user),
    )
    return _no_store(Response(page, status=status, mimetype="text/html"))


@bp.get("/account/two-factor/qr.svg")
def two_factor_qr() -> Response:
    """The pending secret as a QR code for an authenticator app (made like the stops' codes)."""
    user, _row = _signed_in()
    if twofactor.is_enabled(user):
        abort(404)
    twofactor.begin_enrolment(db.session, user)
    issuer = current_app.config["SITE_NAME"]
    svg = qr_svg(twofactor.provisioning_uri(user, issuer), title=issuer)
    return _no_store(Response(svg, mimetype="image/svg+xml"))


@bp.post("/account/two-factor/disable")
def two_factor_disable() -> Response:
    """Curators may turn two-factor sign-in off with a current code; admins must keep it."""
    user, _row = _signed_in()
    if is_admin(user):
        abort(403)
    if not code_attempt_allowed(user):
        abort(429)
    if not twofactor.verify_second_factor(db.session, user, request.form.get("code", "")):
        flash(_("This code is wrong or was already used."), "error")
        return redirect(url_for("studio.two_factor"))
    twofactor.disable(db.session, user)
    flash(_("Two-factor sign-in is off."))
    return redirect(url_for("studio.account"))
