"""``flask users``: create the first admin, reset someone's two-factor sign-in, and the demo
curator of the embedded setup (a curator, so ``make run`` signs in without a second factor)."""

from __future__ import annotations

import secrets

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from tours.accounts import ROLES, AccountError, create_user, normalize_email, set_password
from tours.models import User, UserRole
from tours.twofactor import disable as disable_two_factor
from tours.usersessions import end_user_sessions
from webapp.extensions import db

DEMO_EMAIL = "curator@example.org"

group = AppGroup("users", help="Studio accounts.")


@group.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), default="curator", show_default=True)
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Asked for when not given.",
)
def create(email: str, role: str, password: str) -> None:
    """Create a studio user (the first one with --role admin)."""
    try:
        user = create_user(db.session, email, password, role)
    except AccountError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Created {user.role} {user.email}.")


@group.command("reset-two-factor")
@click.argument("email")
def reset_two_factor(email: str) -> None:
    """Turn a user's two-factor sign-in off (lost phone and recovery codes) and end their
    sessions; an admin must set it up again at the next sign-in."""
    user = db.session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None:
        raise click.ClickException(f"No user {email}.")
    end_user_sessions(db.session, user.id)
    disable_two_factor(db.session, user)
    click.echo(f"Two-factor sign-in is off for {user.email}; their sessions have ended.")


@group.command("demo")
def demo() -> None:
    """Give the demo curator a fresh password and print how to sign in (SQLite only)."""
    if not current_app.config["DATABASE_URL"].startswith("sqlite"):
        raise click.ClickException("The demo account exists only in the embedded setup.")
    password = secrets.token_urlsafe(12)
    user = db.session.scalar(select(User).where(User.email == DEMO_EMAIL))
    try:
        if user is None:
            create_user(db.session, DEMO_EMAIL, password, UserRole.CURATOR)
        else:
            set_password(db.session, user, password)
    except AccountError as error:
        raise click.ClickException(error.message) from error
    click.echo("Curator studio: http://127.0.0.1:5000/studio/")
    click.echo(f"  sign in as {DEMO_EMAIL} with the password {password}")
    click.echo("  (an admin account: flask --app wsgi users create EMAIL --role admin)")
