"""MPEG audio frames read from their headers: what measurement.py measures and stitch.py counts.

Only MPEG Layer III (MP3) frames are recognized; a Xing/Info/VBRI header frame is told
apart from audio.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from narrate.errors import AudioError

_BITRATES = {  # kbps by (MPEG-1?, bitrate index), Layer III
    True: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    False: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_SAMPLE_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}
MPEG1_BITRATES = _BITRATES[True]  # kbps by bitrate index, MPEG-1 Layer III (what narrate encodes)
MPEG1_RATES = _SAMPLE_RATES[3]


@dataclass(frozen=True)
class Frame:
    """One frame's header: its length in bytes, bitrate, sample rate, channels and samples."""

    length: int
    bitrate_kbps: int
    sample_rate: int
    channels: int
    samples: int


def frame_header(data, pos: int) -> Frame | None:
    """The MPEG Layer III frame header at `pos`, or None when there is none."""
    if pos + 4 > len(data):
        return None
    b0, b1, b2, b3 = data[pos], data[pos + 1], data[pos + 2], data[pos + 3]
    if b0 != 0xFF or (b1 & 0xE0) != 0xE0:
        return None
    version = (b1 >> 3) & 3  # 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
    layer = (b1 >> 1) & 3  # 1: Layer III
    bitrate_index, rate_index = b2 >> 4, (b2 >> 2) & 3
    if version == 1 or layer != 1 or bitrate_index in (0, 15) or rate_index == 3:
        return None
    mpeg1 = version == 3
    bitrate = _BITRATES[mpeg1][bitrate_index]
    rate = _SAMPLE_RATES[version][rate_index]
    length = (144 if mpeg1 else 72) * bitrate * 1000 // rate + ((b2 >> 1) & 1)
    channels = 1 if (b3 >> 6) == 3 else 2
    return Frame(length, bitrate, rate, channels, 1152 if mpeg1 else 576)


def is_info_frame(data, pos: int, frame: Frame) -> bool:
    """Whether the frame at `pos` is a Xing/Info/VBRI header rather than audio."""
    mpeg1 = frame.samples == 1152
    side = (17 if mpeg1 else 9) if frame.channels == 1 else (32 if mpeg1 else 17)
    tag = bytes(data[pos + 4 + side : pos + 8 + side])
    return tag in (b"Xing", b"Info") or bytes(data[pos + 36 : pos + 40]) == b"VBRI"


def id3v2_end(data) -> int:
    """Offset just past the ID3v2 tag(s) at the start of the file."""
    pos = 0
    while bytes(data[pos : pos + 3]) == b"ID3" and pos + 10 <= len(data):
        size = 0
        for byte in data[pos + 6 : pos + 10]:
            size = (size << 7) | (byte & 0x7F)
        pos += 10 + size + (10 if data[pos + 5] & 0x10 else 0)
    return pos




def frame_count(data: bytes) -> int:
    """Number of frames in headerless MP3 data (a run narrate encoded, no tag, no Xing frame).

    Raises:
        AudioError: the data is not a clean run of Layer III frames.
    """
    count, end = _walk(data, 0, 0)
    if end != len(data):
        raise AudioError(f"not an MPEG Layer III frame at byte {end}")
    return count


def _walk(data, pos: int, offset: int) -> tuple[int, int]:
    """Frames whose header starts in data[pos:], and where the next header would start (past them)."""
    count = 0
    while pos + 4 <= len(data):
        frame = frame_header(data, pos)
        if frame is None:
            raise AudioError(f"not an MPEG Layer III frame at byte {offset + pos}")
        pos += frame.length
        count += 1
    return count, pos


def file_frame_count(path: Path) -> int:
    """`frame_count` of a file, read a block at a time (a run may be a long chapter).

    Raises:
        AudioError: the file is not a clean run of Layer III frames.
    """
    count = offset = pos = 0
    size = Path(path).stat().st_size
    with open(path, "rb") as f:
        while offset + pos < size:
            f.seek(offset + pos)
            offset += pos
            block = f.read(1 << 20)
            found, pos = _walk(block, 0, offset)
            count += found
            if not found:  # fewer than 4 bytes left: not a whole header
                break
    if offset + pos != size:
        raise AudioError(f"not a whole MPEG Layer III frame at byte {offset + pos} of {path}")
    return count
