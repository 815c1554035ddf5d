"""The pieces of an 8-bit PNG assembled from parts compressed apart: scanlines, deflate blocks that join into one
stream, chunks, and the stream's Adler-32 checksum continued over parts whose own checksums are known."""

from __future__ import annotations

import functools
import zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: The zlib header of a stream of deflate blocks (the default window and level).
ZLIB_HEADER = b"\x78\x9c"


def scanlines(pixels: bytes, width: int) -> bytes:
    """One byte per pixel as PNG's scanlines: each row of ``width`` pixels after its filter byte (0, no filter)."""
    return b"".join(b"\0" + pixels[at:at + width] for at in range(0, len(pixels), width))


def deflated(data: bytes, last: bool, strategy: int = zlib.Z_DEFAULT_STRATEGY) -> bytes:
    """``data`` as raw deflate blocks that start afresh and end on a byte, so that parts compressed apart join into
    one stream; ``last`` ends the stream."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15, 8, strategy)
    return compressor.compress(data) + compressor.flush(zlib.Z_FINISH if last else zlib.Z_FULL_FLUSH)


def chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk: its length, kind, data and checksum."""
    return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")


def adler_joined(adler: int, part: int, size: int) -> int:
    """The Adler-32 checksum ``adler`` continued over ``size`` bytes whose own checksum is ``part``."""
    low = (adler & 0xFFFF) + (part & 0xFFFF) - 1
    high = (adler >> 16) + (part >> 16) + size * (adler & 0xFFFF) - size
    return (high % 65521) << 16 | low % 65521


@functools.cache
def plain(rows: int, width: int) -> bytes:
    """``rows`` rows of ``width`` plain pixels (every byte 0: the filter and the palette's first colour), compressed
    to join a stream (see :func:`deflated`); nothing for none."""
    return deflated(bytes((width + 1) * rows), last=False) if rows else b""


def after_plain(adler: int, rows: int, width: int) -> int:
    """The Adler-32 checksum ``adler`` continued over the ``rows`` of :func:`plain`: zero bytes, whose own checksum
    has its first sum 1 and its second their count."""
    size = (width + 1) * rows
    return adler_joined(adler, (size % 65521) << 16 | 1, size)
