"""Database plumbing: the declarative base, engines and sessions, and migrations."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.orm import DeclarativeBase, sessionmaker

MIGRATIONS = Path(__file__).parent / "migrations"
# The largest id the integer primary keys hold on every database: PostgreSQL's INTEGER is 32
# bits (SQLite's is 64). A larger number names no row, and must never reach a query.
MAX_ID = 2**31 - 1


def is_id(value: object) -> bool:
    """Whether ``value`` is an int that may name a row (from 1 to :data:`MAX_ID`)."""
    return type(value) is int and 1 <= value <= MAX_ID


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base class of every mapped table."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: DateTime(timezone=True)}


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets foreign keys and a write-friendly journal."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def make_sessionmaker(engine: Engine) -> sessionmaker:
    """A session factory bound to ``engine``; objects stay usable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema of ``engine``'s database up to ``revision`` with Alembic."""
    with engine.begin() as connection:
        migrate_connection(connection, revision)


def migrate_connection(connection: Connection, revision: str = "head") -> None:
    """Like :func:`migrate`, inside the transaction ``connection`` has begun (not committed)."""
    config = _alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def head_revision() -> str:
    """The Alembic revision the code's models are at (the migrations' single head)."""
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None, "the migrations have no head"
    return head


def write_migration(engine: Engine, message: str) -> None:
    """Write a new migration from the difference between the models and the migrated schema."""
    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        command.revision(config, message=message, autogenerate=True)
