"""SQLAlchemy mappings of the tour domain: model assets, tours, stops, their texts and revisions.

Translated texts live in ``*_texts`` tables, one row per (owner, locale), so any BCP 47
language can be added without a schema change. A published tour is an immutable
:class:`TourRevision` holding the whole tour document; the draft tables can change freely.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tours.db import Base, utcnow


class AssetStatus(enum.StrEnum):
    """Where a model asset is in the ingest pipeline."""

    UPLOADED = "uploaded"
    PROCESSING = "processing"
    READY = "ready"
    REJECTED = "rejected"
    FAILED = "failed"


class AssetKind(enum.StrEnum):
    """What an upload became: a 3D model (or point cloud) or a 360° panorama."""

    MODEL = "model"
    PANORAMA = "panorama"


class ModelAsset(Base):
    """An uploaded scan or panorama, its original kept unchanged, and the outputs made from it.

    For a panorama (``kind == "panorama"``), ``levels`` holds ``preview`` and ``equirect``
    (equirectangular JPEGs, ``{"key", "bytes", "width", "height"}``) and ``tiles`` the tile
    pyramid: ``{"set": <sha256 of the set>, "tile_size", "levels": [{"width", "cols",
    "rows"}, ...] smallest first, "count", "bytes"}``, stored under
    ``tiles/<set>/<level>/<col>_<row>.jpg`` (see :mod:`tours.panoramas`).
    """

    __tablename__ = "model_assets"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(
        String(16), default=AssetKind.MODEL, server_default=AssetKind.MODEL.value
    )
    name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    original_key: Mapped[str] = mapped_column(String(255))
    size_bytes: Mapped[int]
    status: Mapped[str] = mapped_column(String(16), default=AssetStatus.UPLOADED)
    progress: Mapped[int] = mapped_column(default=0)
    stage: Mapped[str] = mapped_column(String(64), default="")
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    levels: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    tiles: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    poster_key: Mapped[str | None] = mapped_column(String(255))
    error_code: Mapped[str | None] = mapped_column(String(64))
    error_message: Mapped[str | None] = mapped_column(Text)
    # Rights statement, attribution and source (see tours.rights), or None.
    rights: Mapped[dict[str, str] | None] = mapped_column(JSON)
    # The job's lease (see tours.leases): which worker processes the asset, until when it
    # counts as alive without a heartbeat, and how many times a run of it was started.
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_expires_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Tour(Base):
    """The draft of a tour. What tourists see is its current :class:`TourRevision`."""

    __tablename__ = "tours"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    default_locale: Mapped[str] = mapped_column(String(35), default="vi")
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    published_number: Mapped[int | None]
    # Rights statement, attribution and source (see tours.rights), or None.
    rights: Mapped[dict[str, str] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    texts: Mapped[list[TourText]] = relationship(
        back_populates="tour", cascade="all, delete-orphan", order_by="TourText.locale"
    )
    stops: Mapped[list[Stop]] = relationship(
        back_populates="tour", cascade="all, delete-orphan", order_by="Stop.position"
    )
    images: Mapped[list[TourImage]] = relationship(
        back_populates="tour", cascade="all, delete-orphan", order_by="TourImage.id"
    )


class TourText(Base):
    """A tour's title, summary and site name in one language."""

    __tablename__ = "tour_texts"
    __table_args__ = (UniqueConstraint("tour_id", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tour_id: Mapped[int] = mapped_column(ForeignKey("tours.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(String(35))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    site_name: Mapped[str] = mapped_column(String(200), default="")

    tour: Mapped[Tour] = relationship(back_populates="texts")


class Stop(Base):
    """One stop of a tour: a model seen from a camera view, or a panorama seen from a start
    view, with hotspots (on a panorama also links to other stops) and narration."""

    __tablename__ = "stops"

    id: Mapped[int] = mapped_column(primary_key=True)
    tour_id: Mapped[int] = mapped_column(ForeignKey("tours.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    model_asset_id: Mapped[int | None] = mapped_column(
        ForeignKey("model_assets.id", ondelete="RESTRICT")
    )
    camera_orbit: Mapped[str] = mapped_column(String(100), default="")
    camera_target: Mapped[str] = mapped_column(String(100), default="")
    field_of_view: Mapped[str] = mapped_column(String(32), default="")
    poster_key: Mapped[str | None] = mapped_column(String(255))
    # What the curator framed: {"half_width", "half_height"} in metres, the rectangle seen
    # around the camera target, kept in view on any canvas (see models3d.camera).
    framing: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # A lighting preset name (see models3d.camera.LIGHTING), or None for the default.
    lighting: Mapped[str | None] = mapped_column(String(16))
    # Posters rendered by the server at the stop's camera: {"<width>": key}, widest last.
    posters: Mapped[dict[str, str] | None] = mapped_column(JSON)
    # The model for AR apps: plain glTF (no meshopt compression or quantisation), which
    # Scene Viewer can read; made with the posters (tours.stopposters).
    ar_key: Mapped[str | None] = mapped_column(String(255))
    # Where the stop is on the ground (WGS 84 degrees), for "near me" and directions; or None.
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    # A panorama stop's start view: {"yaw", "pitch", "fov"} in degrees (yaw 0 is the image's
    # centre, growing eastwards; fov is vertical), or None for the panorama's default.
    panorama_view: Mapped[dict[str, float] | None] = mapped_column(JSON)

    tour: Mapped[Tour] = relationship(back_populates="stops")
    model: Mapped[ModelAsset | None] = relationship()
    texts: Mapped[list[StopText]] = relationship(
        back_populates="stop", cascade="all, delete-orphan", order_by="StopText.locale"
    )
    hotspots: Mapped[list[Hotspot]] = relationship(
        back_populates="stop",
        cascade="all, delete-orphan",
        order_by="Hotspot.position",
        foreign_keys="Hotspot.stop_id",
    )
    audio: Mapped[list[StopAudio]] = relationship(
        back_populates="stop", cascade="all, delete-orphan", order_by="StopAudio.locale"
    )


class StopText(Base):
    """A stop's title, narration (Markdown) and model description in one language."""

    __tablename__ = "stop_texts"
    __table_args__ = (UniqueConstraint("stop_id", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    stop_id: Mapped[int] = mapped_column(ForeignKey("stops.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(String(35))
    title: Mapped[str] = mapped_column(String(200))
    narration: Mapped[str] = mapped_column(Text, default="")
    model_alt: Mapped[str] = mapped_column(String(500), default="")

    stop: Mapped[Stop] = relationship(back_populates="texts")


class StopAudio(Base):
    """Narration audio of a stop in one language, with optional WebVTT captions."""

    __tablename__ = "stop_audio"
    __table_args__ = (UniqueConstraint("stop_id", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    stop_id: Mapped[int] = mapped_column(ForeignKey("stops.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(String(35))
    audio_key: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(64))
    captions_key: Mapped[str | None] = mapped_column(String(255))
    # Rights statement, attribution and source (see tours.rights), or None.
    rights: Mapped[dict[str, str] | None] = mapped_column(JSON)

    stop: Mapped[Stop] = relationship(back_populates="audio")


class Hotspot(Base):
    """A labelled point on a stop's model, in model coordinates (metres), or a direction in
    a panorama (``yaw``, ``pitch`` in degrees, ``surface_position`` empty).

    A panorama hotspot with ``link_stop_id`` is a link: it takes the visitor to that stop of
    the same tour ("through the gate"); its label and text are translated like any hotspot's.
    """

    __tablename__ = "hotspots"

    id: Mapped[int] = mapped_column(primary_key=True)
    stop_id: Mapped[int] = mapped_column(ForeignKey("stops.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    surface_position: Mapped[str] = mapped_column(String(100))
    surface_normal: Mapped[str] = mapped_column(String(100), default="0 1 0")
    # Its own camera view, {"orbit", "target", "field_of_view"} as for a stop, or None.
    view: Mapped[dict[str, str] | None] = mapped_column(JSON)
    yaw: Mapped[float | None]
    pitch: Mapped[float | None]
    link_stop_id: Mapped[int | None] = mapped_column(
        ForeignKey("stops.id", ondelete="CASCADE"), index=True
    )

    stop: Mapped[Stop] = relationship(back_populates="hotspots", foreign_keys=[stop_id])
    link_stop: Mapped[Stop | None] = relationship(foreign_keys=[link_stop_id])
    texts: Mapped[list[HotspotText]] = relationship(
        back_populates="hotspot", cascade="all, delete-orphan", order_by="HotspotText.locale"
    )


class HotspotText(Base):
    """A hotspot's label and text in one language."""

    __tablename__ = "hotspot_texts"
    __table_args__ = (UniqueConstraint("hotspot_id", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hotspot_id: Mapped[int] = mapped_column(ForeignKey("hotspots.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(String(35))
    label: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text, default="")

    hotspot: Mapped[Hotspot] = relationship(back_populates="texts")


class TourImage(Base):
    """An image a tour's texts show (``![](image:REF)``): its WebP copies by width and its
    alternative text per language (see :mod:`tours.images`)."""

    __tablename__ = "tour_images"
    __table_args__ = (UniqueConstraint("tour_id", "ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tour_id: Mapped[int] = mapped_column(ForeignKey("tours.id", ondelete="CASCADE"), index=True)
    ref: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(255), default="")
    width: Mapped[int]
    height: Mapped[int]
    variants: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    alt: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # Rights statement, attribution and source (see tours.rights), or None.
    rights: Mapped[dict[str, str] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    tour: Mapped[Tour] = relationship(back_populates="images")


class UserRole(enum.StrEnum):
    """What a studio user may do: curators write tours, admins also manage users."""

    ADMIN = "admin"
    CURATOR = "curator"


class User(Base):
    """A person who signs in to the curator studio. Passwords are kept as Argon2id hashes."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default=UserRole.CURATOR)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Two-factor sign-in (TOTP, RFC 6238): the shared secret (set at enrolment, in use once
    # ``totp_enabled_at`` is set), the last time step accepted (a code works once), and the
    # SHA-256 hashes of the unused recovery codes.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None]
    recovery_code_hashes: Mapped[list[str] | None] = mapped_column(JSON)


class UserSession(Base):
    """A signed-in studio session, kept on the server: the cookie holds only a random id,
    stored here as its SHA-256 hash, so ending the row ends the session everywhere."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    user_agent: Mapped[str] = mapped_column(String(120), default="")


class ApiToken(Base):
    """A personal API token of a studio user: only its SHA-256 is kept, with its scopes
    (``read:drafts``, ``write``, ``publish``), when it was last used and when revoked."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    scopes: Mapped[list[str]] = mapped_column(JSON)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class TourRevision(Base):
    """An immutable published snapshot of a tour: the whole tour document as JSON."""

    __tablename__ = "tour_revisions"
    __table_args__ = (UniqueConstraint("tour_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tour_id: Mapped[int] = mapped_column(ForeignKey("tours.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)


class CatalogueEntry(Base):
    """What the catalogue shows of one published tour, prepared when it is published.

    ``search_text`` holds the tour's titles, summaries and site names in every language, and
    its slug, folded (case and accents removed, see :func:`tours.listing.fold`), so that a
    search is a ``LIKE`` per word in the database; PostgreSQL has a trigram index for it.
    ``card`` holds the texts and figures a catalogue card needs, so that listing never loads
    a whole tour document. The row goes when the tour is taken down (see tours.publishing).
    """

    __tablename__ = "catalogue_entries"
    __table_args__ = (
        # PostgreSQL answers ``LIKE '%word%'`` from a trigram index. SQLite cannot use an
        # index for such a pattern, so there the index is an empty partial one.
        Index(
            "ix_catalogue_entries_search_trgm",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
            sqlite_where=false(),
        ),
        Index("ix_catalogue_entries_published", "published_at", "tour_id"),
    )

    tour_id: Mapped[int] = mapped_column(
        ForeignKey("tours.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    revision_id: Mapped[int] = mapped_column(
        ForeignKey("tour_revisions.id", ondelete="CASCADE"), index=True
    )
    slug: Mapped[str] = mapped_column(String(80))
    published_at: Mapped[datetime]
    site_key: Mapped[str] = mapped_column(String(200), index=True, default="")
    search_text: Mapped[str] = mapped_column(Text, default="")
    card: Mapped[dict[str, Any]] = mapped_column(JSON)


class CatalogueLanguage(Base):
    """A language a published tour is written in, for the catalogue's language filter."""

    __tablename__ = "catalogue_languages"

    tour_id: Mapped[int] = mapped_column(
        ForeignKey("catalogue_entries.tour_id", ondelete="CASCADE"), primary_key=True
    )
    locale: Mapped[str] = mapped_column(String(35), primary_key=True)
    # The primary language subtag (``en`` for ``en-GB``): the filter matches on it.
    language: Mapped[str] = mapped_column(String(8), index=True)


class VisitCount(Base):
    """How often something happened on one day, in one tour (and stop), language and device
    class: the only thing visitor insight keeps (see tours.insight). No row names a visitor."""

    __tablename__ = "visit_counts"
    __table_args__ = (
        UniqueConstraint(
            "day", "tour_id", "stop_number", "language", "event", "device", name="uq_visit_counts"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date]
    tour_id: Mapped[int] = mapped_column(ForeignKey("tours.id", ondelete="CASCADE"), index=True)
    # 0 for the tour's own pages (its overview and its end), n for stop n.
    stop_number: Mapped[int]
    language: Mapped[str] = mapped_column(String(35))
    event: Mapped[str] = mapped_column(String(20))
    device: Mapped[str] = mapped_column(String(10))
    count: Mapped[int]
