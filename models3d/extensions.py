"""The document-level lists of glTF extensions (``extensionsUsed``, ``extensionsRequired``)."""

from __future__ import annotations

from typing import Any


def undeclare_extension(doc: dict[str, Any], name: str) -> None:
    """Remove ``name`` from both lists once nothing in ``doc`` uses it any more; an emptied
    list is removed too, as the glTF schema wants lists with at least one item."""
    for key in ("extensionsUsed", "extensionsRequired"):
        if key in doc:
            doc[key] = [used for used in doc[key] if used != name]
            if not doc[key]:
                del doc[key]
