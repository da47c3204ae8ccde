"""Job leases: an asset's job state lives in its row, so no worker's death loses it.

A worker *claims* an asset with one conditional UPDATE (free, or its lease expired): the row
then says ``processing``, names the worker (``lease_owner``) and until when the claim holds
(``lease_expires_at``). A :class:`Heartbeat` renews it while the job runs; the commit that
ends the job clears it, and only if this worker still holds it. A killed worker stops
renewing, so its lease runs out and another worker takes the job over. On the same machine
a dead owner is seen at once (its process is gone), so a restarted worker or server resumes
its own jobs without waiting. Each claim of a run counts in ``attempts``: a job that keeps
killing its worker ends ``failed`` after ``max_attempts``, not in an endless loop.

:func:`due_assets` finds what must be queued again: assets ``processing`` without a live
lease, and assets ``uploaded`` that waited longer than ``patience`` (their queue entry was
lost, say with a Redis restart). Queuing twice is harmless: only one claim succeeds.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType

from sqlalchemy import case, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from tours.db import utcnow
from tours.models import AssetStatus, ModelAsset

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LeasePolicy:
    """How long a claim holds without a heartbeat, and how many runs a job gets."""

    seconds: float = 60.0
    max_attempts: int = 3

    @property
    def patience(self) -> timedelta:
        """How long an uploaded asset waits in the queue before it is queued again."""
        return timedelta(seconds=5 * self.seconds)


def _machine() -> str:
    """This boot of this machine and PID namespace: where process ids mean the same."""
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()[:8]
        namespace = os.readlink("/proc/self/ns/pid").strip("pid:[]")
    except OSError:
        return "host-" + socket.gethostname()[:20]
    return f"{boot}-{namespace}"


def new_owner() -> str:
    """A lease owner's name: ``<machine>:<pid>:<random>``, unique to one claim."""
    return f"{_machine()}:{os.getpid()}:{secrets.token_hex(4)}"


def owner_is_dead(owner: str) -> bool:
    """True when ``owner`` was a process of this machine that no longer runs."""
    machine, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if machine != _machine() or machine.startswith("host-") or not pid.isdigit():
        return False  # another machine's, or not knowable: only the expiry tells
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rpartition(")")[2].split()[0] in {"Z", "X"}  # a zombie is gone too


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite gives back naive datetimes; every moment here is UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def claim(
    sessions: sessionmaker, asset_id: int, owner: str, policy: LeasePolicy
) -> tuple[str, int]:
    """Take the asset's job for ``owner``: ``("claimed", attempts)``, or why not
    (``"missing"``, ``"ready"``, ``"busy"``: another worker holds a live lease)."""
    now = utcnow()
    free = or_(ModelAsset.lease_owner.is_(None), ModelAsset.lease_expires_at < now)
    with sessions() as session:
        result = session.execute(
            update(ModelAsset)
            .where(ModelAsset.id == asset_id, ModelAsset.status != AssetStatus.READY, free)
            .values(
                status=AssetStatus.PROCESSING,
                lease_owner=owner,
                lease_expires_at=now + timedelta(seconds=policy.seconds),
                # a run goes on (it was interrupted) or starts anew
                attempts=case(
                    (ModelAsset.status == AssetStatus.PROCESSING, ModelAsset.attempts + 1),
                    else_=1,
                ),
                progress=0,
                stage="queued",
                error_code=None,
                error_message=None,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        session.commit()
        if result.rowcount == 1:
            attempts = session.scalar(select(ModelAsset.attempts).where(ModelAsset.id == asset_id))
            return "claimed", int(attempts or 1)
        status = session.scalar(select(ModelAsset.status).where(ModelAsset.id == asset_id))
    if status is None:
        return "missing", 0
    return ("ready" if status == AssetStatus.READY else "busy"), 0


def renew(sessions: sessionmaker, asset_id: int, owner: str, policy: LeasePolicy) -> bool:
    """Extend the lease; False when ``owner`` no longer holds it."""
    with sessions() as session:
        result = session.execute(
            update(ModelAsset)
            .where(ModelAsset.id == asset_id, ModelAsset.lease_owner == owner)
            .values(lease_expires_at=utcnow() + timedelta(seconds=policy.seconds))
            .execution_options(synchronize_session=False)
        )
        session.commit()
        return bool(result.rowcount)


def release(sessions: sessionmaker, asset_id: int, owner: str) -> None:
    """Give the lease up, the job unfinished: any worker may claim it at once."""
    with sessions() as session:
        session.execute(
            update(ModelAsset)
            .where(ModelAsset.id == asset_id, ModelAsset.lease_owner == owner)
            .values(lease_owner=None, lease_expires_at=None)
            .execution_options(synchronize_session=False)
        )
        session.commit()


class Heartbeat:
    """Renews a lease every third of its length while the ``with`` block runs.

    ``lost`` is set when another worker took the job over (this one was too slow): the
    final commit, conditional on the owner, then changes nothing."""

    def __init__(
        self, sessions: sessionmaker, asset_id: int, owner: str, policy: LeasePolicy
    ) -> None:
        self.sessions, self.asset_id, self.owner, self.policy = sessions, asset_id, owner, policy
        self.lost = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{asset_id}", daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.policy.seconds / 3):
            try:
                if not renew(self.sessions, self.asset_id, self.owner, self.policy):
                    log.warning("asset %s: the lease went to another worker", self.asset_id)
                    self.lost.set()
                    return
            except Exception:  # the database is away for a moment: try again next beat
                log.warning("asset %s: could not renew the lease", self.asset_id, exc_info=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()


def due_assets(session: Session, policy: LeasePolicy, *, starting: bool = False) -> list[int]:
    """Assets to queue again: ``processing`` with no live lease (expired, or its owner's
    process is gone), and ``uploaded`` ones that waited longer than the policy's patience
    (all of them when a worker is ``starting``: its queue may have lost them).

    Leases of dead owners are cleared and waiting assets touched, so the next look waits
    another ``patience`` before queuing them again."""
    now = utcnow()
    due: list[int] = []
    rows = session.execute(
        select(
            ModelAsset.id,
            ModelAsset.status,
            ModelAsset.lease_owner,
            ModelAsset.lease_expires_at,
            ModelAsset.updated_at,
        ).where(ModelAsset.status.in_((AssetStatus.UPLOADED, AssetStatus.PROCESSING)))
    )
    for asset_id, status, owner, expires, updated in rows.all():
        if owner is not None:
            expired = (_aware(expires) or now) <= now
            if not expired and not owner_is_dead(owner):
                continue
            condition = ModelAsset.lease_owner == owner
            values: dict[str, object] = {"lease_owner": None, "lease_expires_at": None}
        else:
            waited = (_aware(updated) or now) <= now - policy.patience
            if status == AssetStatus.UPLOADED and not (starting or waited):
                continue
            condition, values = ModelAsset.lease_owner.is_(None), {"updated_at": now}
        session.execute(
            update(ModelAsset)
            .where(ModelAsset.id == asset_id, condition)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        due.append(asset_id)
    session.commit()
    return due
