"""Flask extensions, created unbound here and bound to an app with ``init_app``."""

from __future__ import annotations

import atexit
import weakref
from collections import Counter
from typing import Any

from flask import Flask, current_app, g
from flask_babel import Babel
from sqlalchemy.orm import Session

from tours.blobstore import BlobStore, make_blob_store
from tours.db import make_engine, make_sessionmaker
from tours.ingest import IngestSettings
from tours.insight import CountBuffer, CountKey, write_counts
from tours.jobs import JobQueue, make_queue
from tours.leases import LeasePolicy
from webapp.config import ingest_limits


class Database:
    """One SQLAlchemy engine per app, one session per app context."""

    def init_app(self, app: Flask) -> None:
        engine = make_engine(app.config["DATABASE_URL"])
        app.extensions["database"] = (engine, make_sessionmaker(engine))
        app.teardown_appcontext(self._close)

    @property
    def engine(self) -> Any:
        return current_app.extensions["database"][0]

    @property
    def session(self) -> Session:
        """The session of the current app context, created on first use."""
        if "db_session" not in g:
            g.db_session = current_app.extensions["database"][1]()
        session: Session = g.db_session
        return session

    @staticmethod
    def _close(_error: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()


class Blobs:
    """The app's blob store, chosen by configuration."""

    def init_app(self, app: Flask) -> None:
        store = make_blob_store(app.config)
        if app.config["S3_CREATE_BUCKET"]:
            store.create_if_missing()
        app.extensions["blob_store"] = store

    @property
    def store(self) -> BlobStore:
        store: BlobStore = current_app.extensions["blob_store"]
        return store


class Jobs:
    """The background job queue and what its jobs need. Bind after ``db`` and ``blobs``."""

    def init_app(self, app: Flask) -> None:
        settings = IngestSettings(
            sessions=app.extensions["database"][1],
            store=app.extensions["blob_store"],
            limits=ingest_limits(app.config),
            lease=LeasePolicy(
                seconds=app.config["JOBS_LEASE_SECONDS"],
                max_attempts=app.config["JOBS_MAX_ATTEMPTS"],
            ),
        )
        app.extensions["ingest"] = settings
        app.extensions["jobs"] = make_queue(app.config, settings)

    @property
    def queue(self) -> JobQueue:
        queue: JobQueue = current_app.extensions["jobs"]
        return queue

    @property
    def settings(self) -> IngestSettings:
        settings: IngestSettings = current_app.extensions["ingest"]
        return settings


def _flush_at_exit(buffer: weakref.ref[CountBuffer]) -> None:
    alive = buffer()
    if alive is not None:
        alive.flush()


class Insight:
    """The visitor counts gathered by this process, written in batches. Bind after ``db``."""

    def init_app(self, app: Flask) -> None:
        sessions = app.extensions["database"][1]

        def write(counts: Counter[CountKey]) -> None:
            with sessions() as session:
                write_counts(session, counts)

        buffer = CountBuffer(
            write, app.config["INSIGHT_BATCH"], app.config["INSIGHT_FLUSH_SECONDS"]
        )
        app.extensions["insight"] = (buffer, {})
        # A weak reference: the exit hook must not keep an app (and its connections) alive.
        atexit.register(_flush_at_exit, weakref.ref(buffer))

    @property
    def buffer(self) -> CountBuffer:
        buffer: CountBuffer = current_app.extensions["insight"][0]
        return buffer

    @property
    def published(self) -> dict[str, Any]:
        """Published tours the beacon has looked up: slug -> (when, (id, stops) or None)."""
        known: dict[str, Any] = current_app.extensions["insight"][1]
        return known


babel = Babel()
db = Database()
blobs = Blobs()
jobs = Jobs()
insight = Insight()
