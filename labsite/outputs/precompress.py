"""Precompressed copies of the text files, for a server that sends them as they are (gzip_static, brotli_static)."""

from __future__ import annotations

import functools
import gzip
import os
import posixpath
import zlib
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import brotli

from ..load.cache import BuildCache, code_digest

#: The kinds of file worth compressing: text. Images and fonts are compressed already.
TEXT_SUFFIXES = frozenset({".html", ".css", ".js", ".json", ".xml", ".ics", ".txt", ".svg", ".webmanifest"})
#: Smaller files are sent as they are: a compressed response would save less than a packet.
MIN_SIZE = 1024
COMPRESSED_SUFFIXES = (".gz", ".br")
#: Brotli qualities (see :func:`quality_of`) and the folder of the fingerprinted static files.
BEST_QUALITY, PAGE_QUALITY = 11, 8
STATIC_PREFIX = "static/"


def is_compressible(path: str, data: bytes) -> bool:
    """Whether ``path`` gets a ``.gz`` and a ``.br`` beside it: a text file over 1 KB."""
    return len(data) > MIN_SIZE and posixpath.splitext(path)[1].lower() in TEXT_SUFFIXES


def gzip_bytes(data: bytes) -> bytes:
    """Gzip at the best level, with no file name and a zero time in the header, so equal input gives equal bytes."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def brotli_bytes(data: bytes, quality: int = 11) -> bytes:
    """Brotli in its mode for text, at ``quality`` (11, the best, by default), with a window just large enough for
    the file (from 64 KB up to brotli's usual 4 MB: see :func:`window_bits`)."""
    return brotli.compress(data, mode=brotli.MODE_TEXT, quality=quality, lgwin=window_bits(len(data)))


#: The smallest and largest brotli windows used, as powers of two: 64 KB and 4 MB (brotli's own default).
MIN_WINDOW_BITS, MAX_WINDOW_BITS = 16, 22


def window_bits(size: int) -> int:
    """The brotli window for a file of ``size`` bytes: the smallest that holds it, within 64 KB to 4 MB.

    A window larger than the file finds nothing more, but makes the encoder use larger tables: with brotli's
    4 MB window for every page, the compressing threads of a 3,000-page build kept about 50 MB more resident,
    and the files came out 0.1 % larger.
    """
    return max(MIN_WINDOW_BITS, min(MAX_WINDOW_BITS, (size - 1).bit_length()))


def quality_of(path: str) -> int:
    """The brotli quality of a file: the best for the static files every page shares, 8 for pages and feeds.

    Quality 11 makes pages 9 to 11 % smaller than 8 but costs about 50 times as long, which for thousands of
    pages is most of a build; a static file is compressed once per change and fetched by every visitor.
    """
    return BEST_QUALITY if path.startswith(STATIC_PREFIX) else PAGE_QUALITY


def _both(item: tuple[bytes, int]) -> tuple[bytes, bytes]:
    """The gzip and brotli forms of one file, given with its brotli quality."""
    data, quality = item
    return gzip_bytes(data), brotli_bytes(data, quality)


@functools.lru_cache(maxsize=1)
def _cache_kind() -> bytes:
    """What cached copies depend on besides the file: the libraries' versions and this code (levels, modes)."""
    return code_digest("precompress", zlib.ZLIB_RUNTIME_VERSION, brotli.version, Path(__file__))


def _unpack(value: bytes | None) -> tuple[bytes, bytes] | None:
    """The gzip and brotli copies of a cache entry, or ``None`` when absent or of another shape."""
    if value is None or len(value) < 4:
        return None
    size = int.from_bytes(value[:4], "big")
    return (value[4:4 + size], value[4 + size:]) if 4 + size <= len(value) else None


def compressed_files(files: Mapping[str, bytes], cache: BuildCache | None = None) -> dict[str, bytes]:
    """``<path>.gz`` and ``<path>.br`` for every text file over 1 KB, each only where it is smaller than the file.

    Compression releases the GIL, so the files are compressed on every core; with ``cache``, copies of bytes
    compressed before are taken from there.
    """
    chosen = sorted(path for path, data in files.items() if is_compressible(path, data))
    cache = cache or BuildCache(None)
    keys = {path: cache.key(_cache_kind() + bytes([quality_of(path)]), files[path]) for path in chosen}
    stored = cache.get_many(keys.values())
    pairs = {path: pair for path in chosen if (pair := _unpack(stored.get(keys[path]))) is not None}
    todo = [path for path in chosen if path not in pairs]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        for path, (gz, br) in zip(todo, pool.map(_both, ((files[path], quality_of(path)) for path in todo)),
                                   strict=True):
            pairs[path] = gz, br
            cache.put(keys[path], len(gz).to_bytes(4, "big") + gz + br)
    cache.flush()  # to disk now, rather than every copy of the site held in memory until the end
    out: dict[str, bytes] = {}
    for path in chosen:
        gz, br = pairs[path]
        size = len(files[path])
        if len(gz) < size:
            out[f"{path}.gz"] = gz
        if len(br) < size:
            out[f"{path}.br"] = br
    return out


def with_compressed(files: Mapping[str, bytes], cache: BuildCache | None = None) -> dict[str, bytes]:
    """``files`` and their precompressed copies, as the write step puts them on disk."""
    return {**files, **compressed_files(files, cache)}


class Precompressor:
    """The copies the write step puts beside each file, made batch by batch (see ``outputs.writer.Compressor``)."""

    def __init__(self, cache: BuildCache | None = None) -> None:
        self.cache = cache

    def recipe(self, path: str, data: bytes) -> str:
        """What the copies of ``path`` depend on besides its bytes (code, libraries, quality); "" when it gets none."""
        return (_cache_kind() + bytes([quality_of(path)])).hex() if is_compressible(path, data) else ""

    def compress(self, files: Mapping[str, bytes]) -> dict[str, bytes]:
        """The copies of ``files``."""
        return compressed_files(files, self.cache)


def compression_totals(sizes: Mapping[str, int]) -> dict[str, tuple[int, int, int]]:
    """Per encoding (``br``, ``gzip``), from the size of every written file: how many files have a copy, their
    bytes, and the bytes of the copies."""
    totals: dict[str, tuple[int, int, int]] = {}
    for suffix, name in ((".br", "br"), (".gz", "gzip")):
        pairs = [(sizes[path[: -len(suffix)]], size) for path, size in sizes.items()
                 if path.endswith(suffix) and path[: -len(suffix)] in sizes]
        totals[name] = (len(pairs), sum(p[0] for p in pairs), sum(p[1] for p in pairs))
    return totals
