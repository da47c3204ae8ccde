"""Child-process side of :mod:`models3d.isolation` (``python -m models3d.worker``).

The request (JSON on stdin) names a ``command``: ``process`` or ``inspect``. The answer is
JSON lines on the original stdout: progress, then ``{"result": ...}``, ``{"error": ...}``
(the upload is rejected) or ``{"failure": ...}`` (our code broke: a bug, not a rejection).
"""

from __future__ import annotations

import json
import logging
import os
import sys
import traceback
from pathlib import Path
from typing import Any, TextIO


def _send(channel: TextIO, message: dict[str, Any]) -> None:
    channel.write(json.dumps(message) + "\n")
    channel.flush()


def _run(request: dict[str, Any], channel: TextIO) -> dict[str, Any]:
    from models3d.options import ProcessOptions
    from models3d.pipeline import inspect_file, process_file

    options = ProcessOptions.from_dict(request["options"])
    if request.get("command", "process") == "inspect":
        report = inspect_file(
            Path(request["path"]), original_name=request["original_name"], limits=options.limits
        )
        return {"report": report}
    result = process_file(
        Path(request["path"]),
        Path(request["out_dir"]),
        original_name=request["original_name"],
        options=options,
        progress=lambda pct, stage: _send(channel, {"progress": [pct, stage]}),
    )
    return {"report": result.report}


def main() -> int:
    """Read the request on stdin, run it, answer with JSON lines on the original stdout."""
    channel = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # anything printed by libraries goes to stderr, not into the protocol
    try:
        from models3d.errors import ModelError

        request = json.loads(sys.stdin.read())
        logging.basicConfig(level=request.get("log_level", "INFO"), stream=sys.stderr)
        _send(channel, {"result": _run(request, channel)})
    except ModelError as exc:
        _send(channel, {"error": exc.to_dict()})
    except MemoryError:
        _send(channel, {"error": {"code": "processing_out_of_memory", "detail": {}}})
    except Exception as exc:
        logging.getLogger("models3d.worker").exception("processing failed")
        trace = traceback.format_exc()[-4000:]
        _send(channel, {"failure": {"error": repr(exc)[:1000], "traceback": trace}})
    return 0


if __name__ == "__main__":
    sys.exit(main())
