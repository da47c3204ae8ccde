"""Command line: ``python -m models3d inspect FILE`` and ``python -m models3d process FILE -o DIR``.

Both run in a child process with the default memory and time limits, as ingest jobs do
(:mod:`models3d.isolation`). Exit status: 0 accepted, 2 rejected (stdout holds
``{"error": {...}}``), 1 for anything else (usage errors, and bugs: a traceback on stderr).
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
from pathlib import Path

from models3d.errors import ModelError, ProcessingError
from models3d.isolation import inspect_isolated, process_isolated
from models3d.options import ProcessOptions


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(1)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for both commands."""
    parser = _Parser(prog="python -m models3d", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    ins = sub.add_parser("inspect", help="print a JSON report on a model")
    ins.add_argument("file", type=Path)
    ins.add_argument("--name", help="original upload name (for format detection)")
    pro = sub.add_parser("process", help="write levels of detail, poster and report")
    pro.add_argument("file", type=Path)
    pro.add_argument("-o", "--out", type=Path, required=True, help="output folder")
    pro.add_argument("--name", help="original upload name (for format detection)")
    pro.add_argument("--up", choices=("auto", "y", "z"), default="auto")
    pro.add_argument("--unit", choices=("m", "cm", "mm"), default="m")
    return parser


def _echo(chunk: bytes) -> None:
    sys.stderr.buffer.write(chunk)
    sys.stderr.flush()


def _terminate(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds, so the child process is killed too


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    level = "INFO" if args.verbose else "WARNING"
    logging.basicConfig(level=level, stream=sys.stderr)
    if not args.file.is_file():
        sys.stderr.write(f"no such file: {args.file}\n")
        return 1
    try:
        if args.command == "inspect":
            report = inspect_isolated(
                args.file, original_name=args.name, log_level=level, stderr_sink=_echo
            )
        else:
            options = ProcessOptions(up_axis=args.up, unit=args.unit)
            report = process_isolated(
                args.file,
                args.out,
                original_name=args.name,
                options=options,
                log_level=level,
                stderr_sink=_echo,
            ).report
    except ModelError as exc:
        sys.stdout.write(json.dumps({"error": exc.to_dict()}, ensure_ascii=False) + "\n")
        return 2
    except ProcessingError as exc:
        # The child's traceback or log is already on stderr (echoed as it came).
        brief = {k: v for k, v in exc.detail.items() if k not in ("traceback", "log")}
        sys.stderr.write(f"models3d failed on our side (a bug, not the file's fault): {brief}\n")
        return 1
    sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    return 0
