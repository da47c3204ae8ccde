"""The same migrations build the schema the models describe, on every backend."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect

from tours.db import Base


def test_migrated_schema_matches_models(app: Any) -> None:
    from webapp.extensions import db

    inspector = inspect(db.engine)
    tables = set(inspector.get_table_names()) - {"alembic_version"}
    assert tables == set(Base.metadata.tables)
    for name, table in Base.metadata.tables.items():
        columns = {column["name"] for column in inspector.get_columns(name)}
        assert columns == set(table.columns.keys()), name
