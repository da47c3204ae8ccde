"""Every interface catalog is complete and real, and matches the strings in the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tours.locales import INTERFACE_LOCALES

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _catalog(locale: str) -> Catalog:
    with (ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po").open("rb") as file:
        return read_po(file, locale=locale)


def _source_ids() -> set[str]:
    method_map = [("webapp/**.py", "python"), ("webapp/templates/**.html", "jinja2")]
    ids = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT, method_map, keywords={"_": None, "gettext": None, "ngettext": (1, 2), "_l": None}
    ):
        ids.add(message if isinstance(message, str) else message[0])
    return ids


def _ids(catalog: Catalog) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


@pytest.mark.parametrize("locale", INTERFACE_LOCALES)
def test_catalog_is_complete(locale: str) -> None:
    catalog = _catalog(locale)
    assert not catalog.fuzzy, f"{locale}: the header is marked fuzzy (pybabel would skip it)"
    assert catalog.project == "Heritour" and "FULL NAME" not in catalog.last_translator
    assert not catalog.obsolete
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"{locale}: untranslated {message.id!r}"
        assert not message.fuzzy, f"{locale}: fuzzy {message.id!r}"
        source = message.id if isinstance(message.id, str) else message.id[0]
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) == set(PLACEHOLDER.findall(source)), (
                f"{locale}: placeholders differ in {message.id!r}"
            )


@pytest.mark.parametrize("locale", INTERFACE_LOCALES)
def test_catalog_matches_the_code(locale: str) -> None:
    assert _ids(_catalog(locale)) == _source_ids()


@pytest.mark.parametrize("locale", [locale for locale in INTERFACE_LOCALES if locale != "en"])
def test_translations_are_not_english_copies(locale: str) -> None:
    catalog = _catalog(locale)
    copies = [
        m.id
        for m in catalog
        if m.id and isinstance(m.id, str) and m.string == m.id and not PLACEHOLDER.fullmatch(m.id)
    ]
    assert copies == []
