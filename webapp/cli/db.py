"""``flask db``: the database schema."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from tours.db import migrate, write_migration
from webapp.extensions import db

group = AppGroup("db", help="Database schema.")


@group.command("upgrade")
def upgrade() -> None:
    """Create or migrate the database schema to the latest version."""
    migrate(db.engine)
    click.echo("Database is up to date.")


@group.command("revision")
@click.argument("message")
def revision(message: str) -> None:
    """Write a migration for model changes (run on a scratch database)."""
    write_migration(db.engine, message)
