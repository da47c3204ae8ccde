"""Studio sessions kept on the server: starting, finding, listing and ending them.

The browser's cookie carries only a random token (256 bits); the database keeps its SHA-256
hash, so a leaked database row cannot be turned back into a cookie. Signing out, a new
password or an administrator deletes the row, and the copied cookie stops working at once.
A session also ends after ``IDLE_LIMIT`` without use and ``ABSOLUTE_LIMIT`` after sign-in.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tours.db import utcnow
from tours.models import User, UserSession

IDLE_LIMIT = timedelta(days=7)
ABSOLUTE_LIMIT = timedelta(days=30)
# ``last_seen_at`` is written at most this often, so reading pages does not write every time.
TOUCH_EVERY = timedelta(minutes=1)
_AGENT_LENGTH = 120


@dataclass(frozen=True)
class Started:
    """A new session: its row, and the token for the cookie (never stored)."""

    row: UserSession
    token: str


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes; they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def summarize_user_agent(user_agent: str) -> str:
    """A short label for a browser's User-Agent (browser and system), for the sessions list."""
    agent = user_agent or ""
    browser = next(
        (
            name
            for key, name in (
                ("Edg/", "Edge"),
                ("OPR/", "Opera"),
                ("Firefox/", "Firefox"),
                ("Chrome/", "Chrome"),
                ("Chromium/", "Chromium"),
                ("Safari/", "Safari"),
            )
            if key in agent
        ),
        "",
    )
    system = next(
        (
            name
            for key, name in (
                ("Android", "Android"),
                ("iPhone", "iOS"),
                ("iPad", "iPadOS"),
                ("Windows", "Windows"),
                ("Mac OS X", "macOS"),
                ("CrOS", "ChromeOS"),
                ("Linux", "Linux"),
            )
            if key in agent
        ),
        "",
    )
    label = " · ".join(part for part in (browser, system) if part)
    return (label or "".join(ch for ch in agent if ch.isprintable()))[:_AGENT_LENGTH]


def start_session(session: Session, user: User, user_agent: str = "") -> Started:
    """Start a session for ``user``; the returned token goes into the cookie."""
    token = secrets.token_urlsafe(32)
    row = UserSession(
        token_hash=_digest(token),
        user_id=user.id,
        user_agent=summarize_user_agent(user_agent),
    )
    session.add(row)
    session.commit()
    return Started(row=row, token=token)


def find_session(session: Session, token: str) -> UserSession | None:
    """The live session of ``token``, touched; None when it ended or expired."""
    if not token:
        return None
    row = session.scalar(select(UserSession).where(UserSession.token_hash == _digest(token)))
    if row is None:
        return None
    now = utcnow()
    if now - _aware(row.last_seen_at) > IDLE_LIMIT or now - _aware(row.created_at) > ABSOLUTE_LIMIT:
        session.delete(row)
        session.commit()
        return None
    if now - _aware(row.last_seen_at) > TOUCH_EVERY:
        row.last_seen_at = now
        session.commit()
    return row


def list_sessions(session: Session, user_id: int) -> list[UserSession]:
    """The user's sessions, the most recently used first."""
    query = (
        select(UserSession)
        .where(UserSession.user_id == user_id)
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
    )
    return list(session.scalars(query))


def count_sessions(session: Session) -> dict[int, int]:
    """How many sessions each user has (users with none are left out)."""
    counts: dict[int, int] = {}
    for user_id in session.scalars(select(UserSession.user_id)):
        counts[user_id] = counts.get(user_id, 0) + 1
    return counts


def end_session(session: Session, session_id: int, user_id: int | None = None) -> bool:
    """End one session (only if it belongs to ``user_id`` when given); whether it existed."""
    query = delete(UserSession).where(UserSession.id == session_id)
    if user_id is not None:
        query = query.where(UserSession.user_id == user_id)
    ended = session.execute(query).rowcount  # type: ignore[attr-defined]
    session.commit()
    return bool(ended)


def end_user_sessions(session: Session, user_id: int, keep: int | None = None) -> int:
    """End every session of the user but ``keep``; how many ended. The caller commits."""
    query = delete(UserSession).where(UserSession.user_id == user_id)
    if keep is not None:
        query = query.where(UserSession.id != keep)
    return int(session.execute(query).rowcount)  # type: ignore[attr-defined]
