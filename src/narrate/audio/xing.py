"""The Info (Xing) frame with a LAME tag that goes in front of a joined MP3.

Players read the frame count, byte count and seek table from it instead of
estimating a duration from the bitrate, and gapless decoders read the encoder
delay and padding from its LAME tag. The frame is assembled from the run's own
frame header, so a re-stitched file gets a fresh one without any re-encoding.

Delay declared: the encoder's (`audio.mp3_delay()` less the decoder's 529
samples), so decoders honouring the tag (ffmpeg, mpg123, Apple) drop exactly the
first run's priming; chapter and caption times follow that timeline. Padding
declared: 0 (the file ends in the tail's silence; its last partial frame is kept).
"""

from __future__ import annotations

import struct

from narrate.audio import mp3frames
from narrate.errors import AudioError

DECODER_DELAY = 529  # samples an MPEG Layer III decoder adds; the LAME tag's delay excludes it
_SIDE_INFO = 17  # MPEG-1 mono
_TAG_AT = 4 + _SIDE_INFO  # "Info" follows the side information
_LAME_AT = _TAG_AT + 120  # after id, flags, frames, bytes, 100-byte TOC, quality
_END = _LAME_AT + 36


def _crc16(data: bytes) -> int:
    """CRC-16 (polynomial 0x8005, reflected, initial 0), as the LAME tag's CRC."""
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def _frame_header(first: bytes) -> tuple[bytes, int]:
    """A header for the Info frame like the stream's first (a bitrate whose frame holds the tag), and its size."""
    if len(first) < 4 or first[0] != 0xFF or (first[1] & 0xFE) != 0xFA:
        raise AudioError("cannot add an Info header: the audio does not start with an MPEG-1 Layer III frame")
    index, rate = first[2] >> 4, mp3frames.MPEG1_RATES[(first[2] >> 2) & 3]
    if 144 * mp3frames.MPEG1_BITRATES[index] * 1000 // rate < _END:
        index = mp3frames.MPEG1_BITRATES.index(64)
    b2 = (index << 4) | (first[2] & 0x0C)  # no padding bit, no private bit
    size = 144 * mp3frames.MPEG1_BITRATES[index] * 1000 // rate
    return bytes([0xFF, first[1] | 0x01, b2, first[3]]), size  # protection bit set: no CRC after the header


def info_frame(first_header: bytes, frames: int, size: int, delay: int, bitrate_kbps: int) -> bytes:
    """The Info frame for `frames` audio frames of `size` bytes in all.

    Args:
        first_header: the first 4 bytes of the audio that follows.
        frames: audio frames after the Info frame.
        size: bytes of those frames.
        delay: samples of priming before the audio, decoder delay included (as `audio.mp3_delay()`).
        bitrate_kbps: the stream's bitrate, recorded in the LAME tag.

    Returns:
        The frame's bytes.

    Raises:
        AudioError: the audio does not start with an MPEG-1 Layer III frame, or the delay does not fit.
    """
    header, frame_size = _frame_header(first_header)
    total = size + frame_size
    encoder_delay = delay - DECODER_DELAY
    if not 0 <= encoder_delay < 4096:
        raise AudioError(f"cannot add an Info header: an encoder delay of {encoder_delay} samples does not fit its 12 bits")
    toc = bytes(min(255, i * 256 // 100) for i in range(100))  # constant bitrate: position grows linearly with time
    xing = b"Info" + struct.pack(">III", 0x0F, frames, total) + toc + struct.pack(">I", 0)
    lame = (
        b"LAME3.100"
        + bytes([0x01, 0])  # tag revision 0, method 1 (constant bitrate); lowpass not recorded
        + bytes(8)  # no ReplayGain
        + bytes([0, min(255, bitrate_kbps)])
        + (encoder_delay << 12 | 0).to_bytes(3, "big")  # padding declared 0
        + bytes([0, 0])  # misc, MP3 gain
        + bytes(2)  # preset, surround
        + struct.pack(">I", total)
        + bytes(2)  # music CRC not computed (the file is joined at disk speed, never read back)
    )
    frame = bytearray(frame_size)
    frame[:4] = header
    frame[_TAG_AT:_LAME_AT] = xing
    frame[_LAME_AT : _END - 2] = lame
    frame[_END - 2 : _END] = struct.pack(">H", _crc16(bytes(frame[: _END - 2])))
    return bytes(frame)
