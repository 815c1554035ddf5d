"""CommonMark with GitHub's extensions to HTML through cmark-gfm, every piece of memory it lends given back.

``cmarkgfm.markdown_to_html_with_extensions`` leaves the document's tree and the returned HTML to the caller
and never frees them: about 60 KB a text, 265 MB for a worker converting 4,500 texts, and more with every rebuild
of the preview. This is the same sequence of calls with both freed.
"""

from __future__ import annotations

import ctypes
import functools
from collections.abc import Sequence
from typing import Any

from cmarkgfm import _cmark

_LIB, _FFI = _cmark.lib, _cmark.ffi


@functools.cache
def _release() -> tuple[Any, Any]:
    """``cmark_node_free`` from the library cmarkgfm loaded, and the C library's ``free`` (cmark allocates with
    the C library's ``calloc`` and ``realloc``); neither is among the functions cmarkgfm declares."""
    node_free, free = ctypes.CDLL(_cmark.__file__).cmark_node_free, ctypes.CDLL(None).free
    for function in (node_free, free):
        function.argtypes, function.restype = [ctypes.c_void_p], None
    return node_free, free


def _address(pointer: object) -> int:
    """Where a pointer of cmarkgfm's points."""
    return int(_FFI.cast("uintptr_t", pointer))


@functools.cache
def _extensions(names: tuple[str, ...]) -> list[object]:
    """The syntax extensions called ``names``, registered first."""
    _LIB.cmark_gfm_core_extensions_ensure_registered()
    found = [_LIB.cmark_find_syntax_extension(name.encode("utf-8")) for name in names]
    missing = [name for name, extension in zip(names, found, strict=True) if extension == _FFI.NULL]
    if missing:
        raise ValueError(f"unknown cmark-gfm extensions: {', '.join(missing)}")
    return found


def markdown_to_html(text: str, options: int, extensions: Sequence[str]) -> str:
    """``text`` as HTML, parsed with ``extensions`` and rendered with ``options`` (cmark's ``CMARK_OPT_*``)."""
    node_free, free = _release()
    encoded = text.encode("utf-8")
    parser = _LIB.cmark_parser_new(options)
    try:
        for extension in _extensions(tuple(extensions)):
            _LIB.cmark_parser_attach_syntax_extension(parser, extension)
        _LIB.cmark_parser_feed(parser, encoded, len(encoded))
        root = _LIB.cmark_parser_finish(parser)
        if root == _FFI.NULL:
            raise MemoryError("cmark-gfm could not parse the text")
        try:
            html = _LIB.cmark_render_html(root, options, _LIB.cmark_parser_get_syntax_extensions(parser))
            try:
                return bytes(_FFI.string(html)).decode("utf-8")
            finally:
                free(_address(html))
        finally:
            node_free(_address(root))
    finally:
        _LIB.cmark_parser_free(parser)
