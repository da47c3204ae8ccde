"""Narration audio is checked by decoding it with FFmpeg (PyAV), not by its first bytes.

A file is accepted when FFmpeg, allowed only the MP3, AAC (ADTS), MP4/M4A and Ogg demuxers
and the MP3, AAC, Vorbis and Opus decoders, finds an audio stream in it, decodes its first
seconds without an error, and finds it no longer than :data:`MAX_AUDIO_SECONDS` (counted
from every packet's duration, which needs no decoding). Its content type comes from the
container FFmpeg recognised, never from its name or the browser's word.

Refusals are :class:`tours.authoring.AuthoringError` with a stable code:
``unsupported_audio`` (not one of those formats, or no audio in it), ``audio_undecodable``
(damaged: it does not decode) and ``audio_too_long``.
"""

from __future__ import annotations

import logging
from typing import IO

import av

from tours.authoring import AuthoringError

MAX_AUDIO_SECONDS = 60 * 60  # an hour of narration for one stop is plenty
DECODED_SECONDS = 5.0  # how much of the start is decoded to prove the file plays
MAX_PACKETS = 500_000  # more packets than an hour of any accepted codec holds
# FFmpeg's demuxer name -> the content type the file is stored and served with.
CONTAINERS = {"mp3": "audio/mpeg", "aac": "audio/aac", "mov": "audio/mp4", "ogg": "audio/ogg"}
DECODERS = ("mp3", "mp3float", "aac", "vorbis", "opus")
_OPTIONS = {
    "format_whitelist": "mp3,aac,mov,ogg",
    "codec_whitelist": ",".join(DECODERS),
    "probesize": str(1024 * 1024),
}
_log = logging.getLogger(__name__)


def _refused(code: str, message: str) -> AuthoringError:
    return AuthoringError(code, message)


def check_audio(audio: IO[bytes]) -> str:
    """The content type of ``audio`` (a seekable binary file, read from its start and left
    at its start), if it is narration the app accepts; else :class:`AuthoringError`."""
    audio.seek(0)
    try:
        container = av.open(audio, mode="r", options=dict(_OPTIONS))
    except (av.FFmpegError, ValueError, UnicodeDecodeError) as error:
        _log.info("audio refused: not a format FFmpeg may open (%s)", error)
        audio.seek(0)
        raise _refused("unsupported_audio", "Audio must be MP3, AAC or Ogg.") from None
    try:
        return _checked(container)
    finally:
        container.close()
        audio.seek(0)


def _checked(container: av.container.InputContainer) -> str:
    name = container.format.name.split(",")[0]
    streams = container.streams.audio
    if name not in CONTAINERS or not streams or streams[0].codec_context.name not in DECODERS:
        raise _refused("unsupported_audio", "Audio must be MP3, AAC or Ogg.")
    stream = streams[0]
    decoded, seconds, packets = 0.0, 0.0, 0
    try:
        for packet in container.demux(stream):
            packets += 1
            if packets > MAX_PACKETS:
                raise _refused("audio_too_long", "The audio is too long.")
            if packet.duration and packet.time_base is not None:
                seconds += float(packet.duration * packet.time_base)
            if seconds > MAX_AUDIO_SECONDS:
                raise _refused("audio_too_long", "The audio is too long.")
            if decoded < DECODED_SECONDS:
                for frame in stream.codec_context.decode(packet):
                    decoded += frame.samples / (frame.sample_rate or 1)
    except av.FFmpegError as error:
        _log.info("audio refused: it does not decode (%s)", error)
        raise _refused("audio_undecodable", "The audio does not decode.") from None
    if decoded <= 0:
        raise _refused("audio_undecodable", "The audio does not decode.")
    return CONTAINERS[name]
