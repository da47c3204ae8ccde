"""Direct uploads from the browser to the store (S3 presigned requests, multipart included).

A store that can take uploads without the bytes passing through the app says so with
``takes_direct_uploads`` and signs them with ``presign_upload``. The browser (Uppy's AwsS3
plugin) sends every S3 request itself; the app only signs each one, after checking it.
Keys of direct uploads live under ``incoming/`` until ingest copies them to their
content-addressed place.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

INCOMING = "incoming"
MAX_PARTS = 10_000


def incoming_key() -> str:
    """A fresh key for an upload that is not yet content-addressed."""
    return f"{INCOMING}/{secrets.token_hex(16)}"


def is_incoming_key(key: str) -> bool:
    """Whether ``key`` names a direct upload (and nothing else)."""
    prefix, _, name = key.partition("/")
    return prefix == INCOMING and len(name) == 32 and all(c in "0123456789abcdef" for c in name)


@dataclass(frozen=True)
class UploadRequest:
    """One S3 request the browser wants to send, named as S3 names its operations."""

    operation: str  # put_object, create_multipart_upload, upload_part, list_parts,
    # complete_multipart_upload or abort_multipart_upload
    key: str
    upload_id: str | None = None
    part_number: int | None = None


OPERATIONS = {
    # operation: (needs an upload id, needs a part number)
    "put_object": (False, False),
    "create_multipart_upload": (False, False),
    "upload_part": (True, True),
    "list_parts": (True, False),
    "complete_multipart_upload": (True, False),
    "abort_multipart_upload": (True, False),
}


def check_upload_request(request: UploadRequest) -> UploadRequest:
    """``request`` if it is one the app may sign, else :class:`ValueError`."""
    if request.operation not in OPERATIONS or not is_incoming_key(request.key):
        raise ValueError("not a direct upload request")
    needs_id, needs_part = OPERATIONS[request.operation]
    if needs_id != bool(request.upload_id):
        raise ValueError("upload id missing or unexpected")
    if needs_part != (request.part_number is not None):
        raise ValueError("part number missing or unexpected")
    if request.part_number is not None and not 1 <= request.part_number <= MAX_PARTS:
        raise ValueError("part number out of range")
    return request
