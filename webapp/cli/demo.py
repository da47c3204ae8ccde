"""``flask demo``: the demo tour."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from webapp.extensions import jobs

group = AppGroup("demo", help="The demo tour.")


@group.command("seed")
def seed() -> None:
    """Seed the demo tour if the database has no tour yet."""
    from tours.seed import seed_demo

    tour = seed_demo(jobs.settings)
    if tour is None:
        click.echo("The database already has tours; nothing seeded.")
    else:
        click.echo(f"Seeded the demo tour '{tour.slug}'.")
