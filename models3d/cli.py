"""Command line: ``python -m models3d inspect FILE`` and ``python -m models3d process FILE -o DIR``.

Exit status: 0 accepted, 2 rejected (stdout holds ``{"error": {...}}``), 1 for anything else.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from models3d.errors import ModelError
from models3d.options import ProcessOptions
from models3d.pipeline import inspect_file, process_file


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


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr)
    if not args.file.is_file():
        sys.stderr.write(f"no such file: {args.file}\n")
        return 1
    try:
        if args.command == "inspect":
            report = inspect_file(args.file, original_name=args.name)
        else:
            options = ProcessOptions(up_axis=args.up, unit=args.unit)
            report = process_file(
                args.file, args.out, original_name=args.name, options=options
            ).report
    except ModelError as exc:
        sys.stdout.write(json.dumps({"error": exc.to_dict()}, ensure_ascii=False) + "\n")
        return 2
    sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    return 0
