"""Alembic environment: runs migrations on the connection handed over by tours.db.migrate."""

from alembic import context

from tours import models  # noqa: F401  (registers the tables on the metadata)
from tours.db import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
