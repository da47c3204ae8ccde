"""gunicorn settings for Heritour's web processes: ``gunicorn -c gunicorn.conf.py wsgi:app``.

Meant to run behind the nginx site in ``docs/nginx.conf``, which buffers whole requests and
responses: a slow phone on a weak network then holds an nginx connection, never a worker,
so plain synchronous workers serve every request at full speed. Settings come from the
environment (``HERITOUR_BIND``, ``HERITOUR_WEB_WORKERS``, ``HERITOUR_WEB_TIMEOUT``,
``HERITOUR_FORWARDED_ALLOW_IPS``), like the app's own.
"""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

# Where nginx reaches the app. Loopback by default: only the proxy on this machine talks to it.
bind = os.environ.get("HERITOUR_BIND", "127.0.0.1:8000")

# Synchronous workers: each request is short once nginx has buffered it. Two per core, plus
# one, is gunicorn's usual figure for work that mixes CPU and database waits.
workers = int(os.environ.get("HERITOUR_WEB_WORKERS", 2 * multiprocessing.cpu_count() + 1))
worker_class = "sync"

# A request taking longer than this is a bug or an attack: the worker is restarted.
timeout = int(os.environ.get("HERITOUR_WEB_TIMEOUT", "30"))
graceful_timeout = 30

# Workers are replaced after a number of requests (spread out so they do not all restart at
# once), so a slow leak in a library cannot grow a process's memory without end.
max_requests = 2000
max_requests_jitter = 200

# Each worker builds its own app (database pools and clients are never shared across fork).
preload_app = False

# Bounds on what a request line and its headers may be; larger ones are refused early.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

# Only the proxy may say which scheme the visitor used (X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("HERITOUR_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# The heartbeat file lives in memory when the system has one, so a busy disk cannot make
# the arbiter think a worker hung.
worker_tmp_dir = "/dev/shm" if Path("/dev/shm").is_dir() else None

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("HERITOUR_LOG_LEVEL", "info")
proc_name = "heritour"
