"""Media a curator attaches to a stop: narration audio, WebVTT captions, the poster image.

Nothing is trusted by its name or declared type: audio is decoded (:mod:`tours.narrationaudio`),
captions by their ``WEBVTT`` header, posters by decoding them with Pillow and encoding
them again as WebP.
"""

from __future__ import annotations

import io
from typing import IO

from PIL import Image, UnidentifiedImageError
from sqlalchemy.orm import Session

from tours.authoring import AuthoringError, language_tag
from tours.blobstore import BlobStore
from tours.models import Stop, StopAudio
from tours.narrationaudio import check_audio

POSTER_SIZE = 1024
MAX_POSTER_PIXELS = 4096 * 4096
MAX_CAPTIONS_BYTES = 1024 * 1024
_AUDIO_EXTENSIONS = {
    "audio/mpeg": "mp3",
    "audio/aac": "aac",
    "audio/mp4": "m4a",
    "audio/ogg": "ogg",
}


def check_captions(data: bytes) -> None:
    """Raise :class:`AuthoringError` unless ``data`` is a WebVTT file."""
    if len(data) > MAX_CAPTIONS_BYTES:
        raise AuthoringError("captions_too_large", "The captions file is larger than 1 MB.")
    text = data.removeprefix(b"\xef\xbb\xbf")
    if not (text.startswith(b"WEBVTT") and text[6:7] in {b"", b" ", b"\t", b"\n", b"\r"}):
        raise AuthoringError("invalid_captions", "Captions must be WebVTT (starting with WEBVTT).")
    try:
        text.decode("utf-8")
    except UnicodeDecodeError as error:
        raise AuthoringError("invalid_captions", "Captions must be UTF-8 text.") from error


def set_audio(
    session: Session,
    store: BlobStore,
    stop: Stop,
    locale: str,
    audio: IO[bytes],
    captions: bytes | None,
    max_bytes: int,
) -> StopAudio:
    """Attach narration audio (and captions) in ``locale`` to ``stop``, replacing any."""
    locale = language_tag(locale)
    audio.seek(0, io.SEEK_END)
    size = audio.tell()
    audio.seek(0)
    if size > max_bytes:
        raise AuthoringError("audio_too_large", "The audio file is too large.")
    content_type = check_audio(audio)
    captions_key = None
    if captions:
        check_captions(captions)
        captions_key = store.put_content("captions", io.BytesIO(captions), "vtt", "text/vtt")
    key = store.put_content("audio", audio, _AUDIO_EXTENSIONS[content_type], content_type)
    row = next((item for item in stop.audio if item.locale == locale), None)
    if row is None:
        row = StopAudio(locale=locale, audio_key=key, content_type=content_type)
        stop.audio.append(row)
    row.audio_key, row.content_type, row.captions_key = key, content_type, captions_key
    session.commit()
    return row


def remove_audio(session: Session, stop: Stop, locale: str) -> None:
    """Detach the audio in ``locale`` from ``stop`` (stored blobs are kept)."""
    stop.audio[:] = [item for item in stop.audio if item.locale != locale]
    session.commit()


def store_poster(store: BlobStore, data: bytes) -> str:
    """Decode an image captured in the viewer, store it as WebP; returns its key."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_POSTER_PIXELS:
                raise AuthoringError("invalid_poster", "The poster image is too large.")
            image.load()
            picture = image.convert("RGBA") if image.mode in {"RGBA", "LA", "P"} else image
            picture = picture.convert("RGB") if picture.mode not in {"RGB", "RGBA"} else picture
            picture.thumbnail((POSTER_SIZE, POSTER_SIZE))
            out = io.BytesIO()
            picture.save(out, "WEBP", quality=82)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise AuthoringError("invalid_poster", "The poster is not an image.") from error
    out.seek(0)
    return store.put_content("posters", out, "webp", "image/webp")
