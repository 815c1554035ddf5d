"""YAML and front matter read with the line of every key, for errors that point at the input."""

from __future__ import annotations

import contextlib
import functools
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .cache import BuildCache, code_digest
from .paths import CONTROL_HINT, control_at
from .yamlerrors import explained

try:
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _Loader = yaml.SafeLoader

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
#: Tags YAML 1.1 gives plain scalars that YAML 1.2 reads differently (23:59, NO, 010, 1_000).
_RETYPED = frozenset({"tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool"})
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
#: How deeply blocks and lists may nest in one file.
MAX_DEPTH = 30
_constructor = yaml.constructor.SafeConstructor()


class YamlMap(dict[str, Any]):
    """A mapping that remembers the line of itself and of each key."""

    line: int = 0
    lines: dict[str, int]
    #: The text as written of each value that was read as a number or true/false.
    texts: dict[str, str]


class YamlList(list[Any]):
    """A sequence that remembers the line of itself and of each item."""

    line: int = 0
    lines: list[int]


@dataclass(frozen=True)
class YamlError(Exception):
    """Malformed YAML at a line."""

    line: int
    message: str
    hint: str = ""


def line_of(value: Any, key: str | int | None = None, default: int = 0) -> int:
    """The line of ``value`` (or of its ``key``), or ``default`` when unknown."""
    if key is not None and isinstance(value, YamlMap):
        return value.lines.get(str(key), value.line)
    if key is not None and isinstance(value, YamlList) and isinstance(key, int):
        return value.lines[key] if key < len(value.lines) else value.line
    return getattr(value, "line", default) or default


def value_line(mapping: Any, key: str) -> int:
    """The line where the value of ``key`` starts: the key's own, or the next one for a block (``key: |``), whose
    text keeps its last line end as a value on the key's line does not."""
    value = mapping.get(key)
    return line_of(mapping, key) + (isinstance(value, str) and value.endswith("\n"))


def text_of(mapping: Any, key: str) -> str | None:
    """A value of ``mapping`` as the text the editor typed (``010`` stays ``010``); ``None`` for blocks and lists."""
    value = mapping.get(key)
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, int, float)):
        return getattr(mapping, "texts", {}).get(key, str(value))
    return None


def parse_yaml(text: str, first_line: int = 1, cache: BuildCache | None = None) -> Any:
    """Parse one YAML document; dates stay text so that they are checked by ``dates``.

    Plain values are read as YAML 1.2 does (``23:59``, ``NO`` and ``yes`` are text), and aliases are refused:
    a few lines of aliases can expand into gigabytes ("billion laughs"). With ``cache``, a text parsed by an
    earlier build is taken from there (errors are never cached: they are found again).
    """
    if cache is None:
        return _parse(text, first_line)
    key = cache.key(_cache_kind(), f"{first_line}\n{text}".encode("utf-8", "surrogatepass"))
    stored = cache.get(key)
    if stored is not None:
        try:
            return _decode(json.loads(stored.decode("utf-8")))
        except (ValueError, TypeError, KeyError, IndexError):
            pass  # not of the shape this code writes: parsed again below, and the entry replaced
    value = _parse(text, first_line)
    with contextlib.suppress(TypeError):  # a value JSON cannot hold (!!binary) is simply not cached
        cache.put(key, json.dumps(_encode(value), ensure_ascii=False, allow_nan=True).encode("utf-8"))
    return value


@functools.lru_cache(maxsize=1)
def _cache_kind() -> bytes:
    """What a cached parse depends on besides its text: the YAML library and this code."""
    return code_digest("yaml", yaml.__version__, _Loader.__name__, Path(__file__))


def _encode(value: Any) -> Any:
    """A parsed value as JSON, lines and texts as written included."""
    if isinstance(value, YamlMap):
        items = [[key, value.lines[key], _encode(item)] for key, item in value.items()]
        return {"m": [value.line, items, value.texts]}
    if isinstance(value, YamlList):
        return {"l": [value.line, value.lines, [_encode(item) for item in value]]}
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    raise TypeError(f"not cached: {type(value).__name__}")


def _decode(data: Any) -> Any:
    """The value :func:`_encode` wrote."""
    if isinstance(data, dict):
        if "m" in data:
            line, items, texts = data["m"]
            result = YamlMap()
            result.line, result.lines, result.texts = int(line), {}, {str(k): str(v) for k, v in texts.items()}
            for key, key_line, item in items:
                result[str(key)] = _decode(item)
                result.lines[str(key)] = int(key_line)
            return result
        line, lines, items = data["l"]
        seq = YamlList(_decode(item) for item in items)
        seq.line, seq.lines = int(line), [int(n) for n in lines]
        return seq
    if data is None or isinstance(data, (str, bool, int, float)):
        return data
    raise TypeError(f"not a cached value: {type(data).__name__}")


def _parse(text: str, first_line: int) -> Any:
    """Parse one YAML document (see :func:`parse_yaml`)."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.reader.ReaderError as exc:  # a character YAML refuses (its position: in bytes or characters)
        line = text.count("\n", 0, max(0, text.find(chr(exc.character)))) + first_line
        raise YamlError(line, f"the line holds a character YAML does not allow (U+{exc.character:04X})",
                        CONTROL_HINT) from None
    except yaml.MarkedYAMLError as exc:
        line, message, hint = explained(text.split("\n"), exc)
        raise YamlError(line + first_line, message, hint) from None
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        raise YamlError(first_line, f"malformed YAML: {exc}") from None
    except RecursionError:
        raise YamlError(first_line, f"the YAML is nested more than {MAX_DEPTH} levels deep",
                        "Flatten the lists and blocks.") from None
    if node is None:
        return None
    return _Converter(first_line - 1).convert(node, first_line, 0)


class _Converter:
    """Turns composed nodes into plain values that know their lines, refusing aliases and deep nesting."""

    def __init__(self, offset: int) -> None:
        self.offset = offset
        self.seen: set[int] = set()

    def convert(self, node: yaml.Node, used_at: int, depth: int) -> Any:
        """The value of ``node``, written at line ``used_at`` at nesting ``depth``."""
        line = node.start_mark.line + 1 + self.offset
        if id(node) in self.seen:
            raise YamlError(used_at, "YAML aliases (*name) are not allowed",
                            "Write the value out in full instead of referring to an '&anchor'.")
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            raise YamlError(line, f"the YAML is nested more than {MAX_DEPTH} levels deep", "Flatten the lists and blocks.")
        if isinstance(node, yaml.MappingNode):
            result = YamlMap()
            result.line, result.lines, result.texts = line, {}, {}
            for key_node, value_node in node.value:
                key_line = key_node.start_mark.line + 1 + self.offset
                key = str(self.convert(key_node, key_line, depth + 1))
                if key in result:
                    raise YamlError(key_line, f"the key '{key}' appears twice in the same block")
                result[key] = self.convert(value_node, key_line, depth + 1)
                result.lines[key] = key_line
                if isinstance(value_node, yaml.ScalarNode) and not isinstance(result[key], str):
                    result.texts[key] = value_node.value
            return result
        if isinstance(node, yaml.SequenceNode):
            lines = [item.start_mark.line + 1 + self.offset for item in node.value]
            items = YamlList(self.convert(item, line, depth + 1) for item in node.value)
            items.line, items.lines = line, lines
            return items
        return self.scalar(node, line)

    @staticmethod
    def scalar(node: yaml.Node, line: int) -> Any:
        """A plain value as YAML 1.2 reads it; dates stay text."""
        if node.tag == _TIMESTAMP:
            return node.value
        if node.tag in _RETYPED and not getattr(node, "style", None):
            text = node.value
            if text in _BOOLS:
                return _BOOLS[text]
            if _INT.fullmatch(text):
                try:
                    return int(text, 10)
                except ValueError:  # more digits than Python reads from text
                    raise _too_long(line, text) from None
            if _FLOAT.fullmatch(text):
                return float(text)
            return text
        try:
            value = _constructor.construct_object(node)
        except yaml.constructor.ConstructorError as exc:
            raise YamlError(line, f"malformed YAML value: {exc.problem}") from None
        except ValueError:  # a tagged number too long to read (``!!int 1000…``)
            raise _too_long(line, str(node.value)) from None
        control = control_at(value) if isinstance(value, str) else None
        if control is not None:  # written as an escape in quotes ("\a", "\x07")
            raise YamlError(line, f"the value holds an invisible control character ({control[1]}), written as an "
                                  "escape such as \\a or \\x07", "Delete the escape.")
        return value


def _too_long(line: int, text: str) -> YamlError:
    """The error for a number of more digits than a value may have."""
    return YamlError(line, f"the number {text[:12]}… has {len(text)} characters, more than a number may have "
                           f"({sys.get_int_max_str_digits()} digits)",
                     "Write a shorter number, or put it in quotes to keep it as text.")


@dataclass(frozen=True)
class FrontMatterFile:
    """A text file split into its front matter and Markdown body."""

    front: YamlMap
    body: str
    body_line: int


def split_front_matter(text: str, cache: BuildCache | None = None) -> FrontMatterFile:
    """Split ``---`` front matter from the body; a file without it has an empty one."""
    empty = YamlMap()
    empty.line, empty.lines = 1, {}
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        return FrontMatterFile(empty, text, 1)
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "---":
            front = parse_yaml("".join(lines[1:index]), first_line=2, cache=cache)
            if front is None:
                front = empty
            if not isinstance(front, YamlMap):
                raise YamlError(2, "the front matter must be a list of 'field: value' lines")
            return FrontMatterFile(front, "".join(lines[index + 1 :]), index + 2)
    raise YamlError(1, "the front matter starting on line 1 has no closing '---' line")
