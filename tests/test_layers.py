"""Imports go one way: webapp → tours → models3d. models3d knows no Flask, SQL or S3."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {
    "models3d": {"webapp", "tours", "flask", "flask_babel", "sqlalchemy", "boto3", "botocore"},
    "tours": {"webapp", "flask", "flask_babel", "werkzeug"},
}


def _imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_only_downwards(package: str) -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imported_roots(path) & FORBIDDEN[package])
        for path in sorted((ROOT / package).rglob("*.py"))
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_wsgi_only_builds_the_app() -> None:
    tree = ast.parse((ROOT / "wsgi.py").read_text(encoding="utf-8"))
    statements = [node for node in tree.body if not isinstance(node, ast.Expr)]  # docstring
    assert [type(node).__name__ for node in statements] == ["ImportFrom", "Assign"]
