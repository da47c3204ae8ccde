"""Command-line tasks (``flask --app wsgi <group> <command>``), one module per group.

``COMMANDS`` lists every top-level command and group; :func:`init_app` registers them.
A new group is a module with an :class:`~flask.cli.AppGroup` (its commands run inside the
app context) added here.
"""

from __future__ import annotations

import click
from flask import Flask

from webapp.cli import backup, db, demo, jobs, models, serve, static, storage, users

COMMANDS: tuple[click.Command, ...] = (
    backup.backup,
    backup.restore,
    db.group,
    demo.group,
    jobs.group,
    models.group,
    serve.command,
    static.group,
    storage.group,
    users.group,
)


def init_app(app: Flask) -> None:
    """Register every command group on the app's ``flask`` command."""
    for command in COMMANDS:
        app.cli.add_command(command)
