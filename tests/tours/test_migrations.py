"""The same migrations build the schema the models describe, on every backend."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tours.db import Base


def test_migrated_schema_matches_models(app: Any) -> None:
    """Alembic finds nothing to change: tables, columns, types, indexes, constraints."""
    from webapp.extensions import db

    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
