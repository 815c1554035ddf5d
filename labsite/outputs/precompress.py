"""Precompressed copies of the text files, for a server that sends them as they are (gzip_static, brotli_static)."""

from __future__ import annotations

import gzip
import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import PurePosixPath

import brotli

#: The kinds of file worth compressing: text. Images and fonts are compressed already.
TEXT_SUFFIXES = frozenset({".html", ".css", ".js", ".json", ".xml", ".ics", ".txt", ".svg", ".webmanifest"})
#: Smaller files are sent as they are: a compressed response would save less than a packet.
MIN_SIZE = 1024
COMPRESSED_SUFFIXES = (".gz", ".br")


def is_compressible(path: str, data: bytes) -> bool:
    """Whether ``path`` gets a ``.gz`` and a ``.br`` beside it: a text file over 1 KB."""
    return PurePosixPath(path).suffix.lower() in TEXT_SUFFIXES and len(data) > MIN_SIZE


def gzip_bytes(data: bytes) -> bytes:
    """Gzip at the best level, with no file name and a zero time in the header, so equal input gives equal bytes."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def brotli_bytes(data: bytes) -> bytes:
    """Brotli at the best quality, in its mode for text."""
    return brotli.compress(data, mode=brotli.MODE_TEXT, quality=11)


def _both(data: bytes) -> tuple[bytes, bytes]:
    """The gzip and brotli forms of one file."""
    return gzip_bytes(data), brotli_bytes(data)


def compressed_files(files: Mapping[str, bytes]) -> dict[str, bytes]:
    """``<path>.gz`` and ``<path>.br`` for every text file over 1 KB, each only where it is smaller than the file.

    Brotli's best quality is slow (about 0.6 s for the real site on one core) and releases the GIL, so the
    files are compressed on every core.
    """
    chosen = sorted(path for path, data in files.items() if is_compressible(path, data))
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        results = pool.map(_both, (files[path] for path in chosen))
        out: dict[str, bytes] = {}
        for path, (gz, br) in zip(chosen, results, strict=True):
            size = len(files[path])
            if len(gz) < size:
                out[f"{path}.gz"] = gz
            if len(br) < size:
                out[f"{path}.br"] = br
    return out


def with_compressed(files: Mapping[str, bytes]) -> dict[str, bytes]:
    """``files`` and their precompressed copies, as the write step puts them on disk."""
    return {**files, **compressed_files(files)}


def compression_totals(written: Mapping[str, bytes]) -> dict[str, tuple[int, int, int]]:
    """Per encoding (``br``, ``gzip``): how many files have a copy, their bytes, and the bytes of the copies."""
    totals: dict[str, tuple[int, int, int]] = {}
    for suffix, name in ((".br", "br"), (".gz", "gzip")):
        pairs = [(len(written[path[: -len(suffix)]]), len(data)) for path, data in written.items()
                 if path.endswith(suffix) and path[: -len(suffix)] in written]
        totals[name] = (len(pairs), sum(p[0] for p in pairs), sum(p[1] for p in pairs))
    return totals
