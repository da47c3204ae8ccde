"""Appending new data to an in-memory glTF's single buffer, as new buffer views."""

from __future__ import annotations

from typing import Any


class BufferAppender:
    """Collects data to append to ``binary`` (4-byte aligned); :meth:`binary` joins it once."""

    def __init__(self, doc: dict[str, Any], binary: bytes) -> None:
        self.doc = doc
        self.parts = [binary]
        self.length = len(binary)

    def view(self, data: bytes) -> int:
        """Append ``data`` as a new buffer view of buffer 0; returns the view's index."""
        pad = -self.length % 4
        self.parts.append(b"\0" * pad)
        self.length += pad
        views = self.doc.setdefault("bufferViews", [])
        views.append({"buffer": 0, "byteOffset": self.length, "byteLength": len(data)})
        self.parts.append(data)
        self.length += len(data)
        return len(views) - 1

    @property
    def changed(self) -> bool:
        """True once anything was appended."""
        return len(self.parts) > 1

    def binary(self) -> bytes:
        """The original buffer with everything appended; buffer 0's byteLength is updated."""
        tail = b"\0" * (-self.length % 4)
        data = b"".join([*self.parts, tail])
        self.doc.setdefault("buffers", [{}])[0]["byteLength"] = len(data)
        return data
