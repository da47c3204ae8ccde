"""What counting visitors costs the pages: stop-page throughput with counting on and off.

``python -m bench insight`` (needs ``wrk`` from Debian). The same embedded site as
``bench serving`` runs under gunicorn (``gunicorn.conf.py``, 2 workers), once with
``HERITOUR_INSIGHT=1`` and once with it off. ``wrk`` (10 s, 50 connections, loopback) sends
what visitors' phones send: each stop page is followed by its beacon (``POST
/api/v1/events``). With counting off the beacon is answered without counting, so the ratio
of the two throughputs is the cost of counting itself (the in-process batch and its
writes); the goal is at least 0.95. Each setting is measured twice, alternately, and the
better run of each is kept. Takes about a minute.
"""

from __future__ import annotations

import json
import logging
import shutil
import signal
import sqlite3
import tempfile
from pathlib import Path

from bench.serving import CONNECTIONS, DURATION, STOP, _answers, _gunicorn, _site, _wait, _wrk

BEACON = {"tour": "tour-0", "stop": 1, "lang": "en", "event": "view", "device": "phone"}


def _visits_script(root: Path) -> Path:
    """A wrk script whose requests alternate a stop page and its beacon."""
    script = root / "visits.lua"
    script.write_text(
        f"""
local page = wrk.format("GET", "{STOP}")
local beacon = wrk.format("POST", "/api/v1/events", {{["Content-Type"] = "text/plain"}},
  {json.dumps(json.dumps(BEACON))})
local n = 0
request = function()
  n = n + 1
  if n % 2 == 1 then return page end
  return beacon
end
"""
    )
    return script


def _run(root: Path, env: dict[str, str], counting: bool, script: Path) -> float:
    """Stop pages per second while each page's beacon is sent too."""
    server, port = _gunicorn({**env, "HERITOUR_INSIGHT": "1" if counting else "0"}, root / "g.log")
    try:
        _wait(lambda: _answers(f"http://127.0.0.1:{port}{STOP}"), "the app")
        rate, _p99, errors = _wrk(f"http://127.0.0.1:{port}", "-s", str(script))
        if errors:
            raise RuntimeError(f"{errors} requests failed")
        return rate / 2
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)


def main() -> None:
    """Print stop pages per second with counting on and off, and their ratio."""
    logging.disable(logging.INFO)
    if not shutil.which("wrk"):
        print("skipped: needs wrk (apt-get install -y wrk)")
        return
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        env = _site(root)
        script = _visits_script(root)
        runs: dict[bool, list[float]] = {False: [], True: []}
        for _ in range(2):
            for counting in (False, True):
                runs[counting].append(_run(root, env, counting, script))
        with sqlite3.connect(root / "bench.db") as database:
            (counted,) = database.execute("SELECT SUM(count) FROM visit_counts").fetchone()
    off, on = max(runs[False]), max(runs[True])
    print(f"wrk -t2 -c{CONNECTIONS} -d{DURATION} on loopback, gunicorn directly (2 workers);")
    print("every stop page is followed by its beacon")
    print("\n| counting | stop pages/s (best of 2) | runs |")
    print("|---|---:|---|")
    print(f"| off (baseline) | {off:,.0f} | {', '.join(f'{r:,.0f}' for r in runs[False])} |")
    print(f"| on | {on:,.0f} | {', '.join(f'{r:,.0f}' for r in runs[True])} |")
    print(f"\nratio on/off: {on / off:.3f} (goal ≥ 0.95); beacons counted: {counted:,}")


if __name__ == "__main__":
    main()
