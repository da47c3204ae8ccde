"""Real narration audio for tests, encoded on the fly by FFmpeg (PyAV): no binary files
kept in the repository, and every format the app accepts."""

from __future__ import annotations

AUDIO_FORMATS = {  # kind -> (PyAV muxer, encoder, sample rate)
    "mp3": ("mp3", "libmp3lame", 44100),
    "aac": ("adts", "aac", 44100),
    "m4a": ("ipod", "aac", 44100),
    "ogg": ("ogg", "libopus", 48000),
}


def encode_audio(kind: str = "mp3", seconds: float = 1.0) -> bytes:
    """A real, playable file of ``seconds`` of a 440 Hz tone, encoded by FFmpeg (PyAV)."""
    import io
    import math

    import av
    import numpy as np

    muxer, encoder, rate = AUDIO_FORMATS[kind]
    buffer = io.BytesIO()
    with av.open(buffer, "w", format=muxer) as output:
        stream = output.add_stream(encoder, rate=rate)
        stream.layout = "mono"
        wanted = stream.codec_context.codec.audio_formats[0].name
        resampler = av.AudioResampler(format=wanted, layout="mono", rate=rate)
        samples = 0.3 * np.sin(2 * math.pi * 440 * np.arange(int(rate * seconds)) / rate)
        size = stream.codec_context.frame_size or 1024
        for start in range(0, len(samples), size):
            chunk = samples[start : start + size].astype(np.float32).reshape(1, -1)
            frame = av.AudioFrame.from_ndarray(chunk, format="flt", layout="mono")
            frame.sample_rate = rate
            for resampled in resampler.resample(frame):
                output.mux(stream.encode(resampled))
        output.mux(stream.encode(None))
    return buffer.getvalue()
