"""The one shape of an error a service raises: a stable ``code``, never an HTTP status.

The web layer owns what follows from a code: the sentence in the visitor's language
(``webapp/messages.py``) and the HTTP status (beside the view that answers). ``message``
is English for logs and the command line; ``detail`` says where the problem is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class CodedError(Exception):
    """Something a caller asked for that cannot be done; ``code`` is stable snake_case."""

    code: str
    message: str = ""
    detail: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message or self.code
