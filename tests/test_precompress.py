"""Precompressed copies: a .gz and a .br beside every text file over 1 KB, equal to it once decompressed."""

from __future__ import annotations

import gzip
import random
import re
from pathlib import Path

import brotli
import pytest

from labsite.outputs.precompress import MIN_SIZE, TEXT_SUFFIXES, compressed_files

NOW = "2025-08-01"


@pytest.fixture
def written(sample_site: Path, build) -> tuple[Path, str]:
    """The sample site built at a fixed moment: the output folder and the build's summary."""
    result = build(sample_site, "--now", NOW)
    assert result.returncode == 0, result.stderr
    return sample_site / "_site", result.stdout


def test_every_text_file_over_1_kb_has_gzip_and_brotli_copies_with_the_same_bytes(written: tuple[Path, str]) -> None:
    site, _ = written
    originals = [p for p in site.rglob("*") if p.is_file() and p.suffix not in (".gz", ".br")]
    compressed = [p for p in originals if p.suffix in TEXT_SUFFIXES and p.stat().st_size > MIN_SIZE]
    assert {p.suffix for p in compressed} >= {".html", ".css", ".js", ".ics", ".xml"}
    for path in compressed:
        data = path.read_bytes()
        assert gzip.decompress(Path(f"{path}.gz").read_bytes()) == data, path
        assert brotli.decompress(Path(f"{path}.br").read_bytes()) == data, path
    small = [p for p in originals if p not in compressed]
    assert any(p.name == "robots.txt" for p in small)  # a text file of less than 1 KB
    for path in small:
        assert not Path(f"{path}.gz").exists() and not Path(f"{path}.br").exists(), path
    copies = {p for p in site.rglob("*") if p.suffix in (".gz", ".br")}
    assert copies == {Path(f"{p}{s}") for p in compressed for s in (".gz", ".br")}


def test_gzip_copies_carry_no_time_or_name_so_builds_stay_byte_identical(written: tuple[Path, str]) -> None:
    site, _ = written
    for path in site.rglob("*.gz"):
        header = path.read_bytes()[:10]
        assert header[:3] == b"\x1f\x8b\x08" and header[3] == 0, f"{path}: a file name or flags in the header"
        assert header[4:8] == b"\0\0\0\0", f"{path}: a modification time in the header"


def test_the_summary_reports_the_bytes_saved(written: tuple[Path, str]) -> None:
    site, summary = written
    match = re.search(r"precompressed (\d+) text file\(s\): (\d+) KB → (\d+) KB br, (\d+) KB gzip", summary)
    assert match, summary
    count, before, br, gz = map(int, match.groups())
    assert count == len(list(site.rglob("*.br")))
    assert br < gz < before


def test_only_text_over_1_kb_is_compressed_and_only_where_it_saves_bytes() -> None:
    text = ("<p>Кино зертханасы</p>\n" * 80).encode()
    noise = random.Random(19).randbytes(4000)  # does not compress
    files = {"a.html": text, "exactly.css": b"x" * MIN_SIZE, "big.css": b"x" * (MIN_SIZE + 1),
             "photo.png": text, "noise.txt": noise}
    out = compressed_files(files)
    assert set(out) >= {"a.html.gz", "a.html.br", "big.css.gz", "big.css.br"}
    assert not {"exactly.css.gz", "photo.png.gz", "photo.png.br", "noise.txt.br"} & set(out)
    assert all(len(data) < len(files[name[:-3]]) for name, data in out.items())
    assert compressed_files(files) == out


def stream_window(stream: bytes) -> int:
    """The window a brotli stream declares in its first bits (RFC 7932, section 9.1), as a power of two."""
    first = stream[0]
    if first & 1 == 0:
        return 16
    if (first >> 1) & 7:
        return 17 + ((first >> 1) & 7)
    return 8 + ((first >> 4) & 7) if (first >> 4) & 7 else 17


@pytest.mark.parametrize(("size", "window"), [(1_500, 16), (65_536, 16), (65_537, 17), (300_000, 19),
                                              (5_000_000, 22)])
def test_a_brotli_copy_declares_the_smallest_window_that_holds_its_file(size: int, window: int) -> None:
    """A page gets a 64 KB window, a larger file the window that holds it, up to brotli's usual 4 MB."""
    rng = random.Random(size)
    words = [("".join(rng.choice("абвгдежзклмнопрстуabcdefghij") for _ in range(rng.randint(2, 9)))).encode()
             for _ in range(3000)]
    data = b" ".join(rng.choice(words) for _ in range(size))[:size]
    made = compressed_files({"page.html": data})["page.html.br"]
    assert stream_window(made) == window
    assert brotli.decompress(made) == data
