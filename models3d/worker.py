"""Child-process side of :func:`models3d.process_isolated` (``python -m models3d.worker``)."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import Any, TextIO


def _send(channel: TextIO, message: dict[str, Any]) -> None:
    channel.write(json.dumps(message) + "\n")
    channel.flush()


def main() -> int:
    """Read the request on stdin, process, answer with JSON lines on the original stdout."""
    channel = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # anything printed by libraries goes to stderr, not into the protocol
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    try:
        from models3d.errors import ModelError
        from models3d.options import ProcessOptions
        from models3d.pipeline import process_file

        request = json.loads(sys.stdin.read())
        result = process_file(
            Path(request["path"]),
            Path(request["out_dir"]),
            original_name=request["original_name"],
            options=ProcessOptions.from_dict(request["options"]),
            progress=lambda pct, stage: _send(channel, {"progress": [pct, stage]}),
        )
        _send(channel, {"result": {"report": result.report}})
    except ModelError as exc:
        _send(channel, {"error": exc.to_dict()})
    except MemoryError:
        _send(channel, {"error": {"code": "processing_out_of_memory", "detail": {}}})
    except Exception as exc:
        logging.getLogger("models3d.worker").exception("processing failed")
        _send(channel, {"error": {"code": "processing_failed", "detail": {"error": repr(exc)}}})
    return 0


if __name__ == "__main__":
    sys.exit(main())
