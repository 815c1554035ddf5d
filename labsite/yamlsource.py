"""YAML and front matter read with the line of every key, for errors that point at the input."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

try:
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _Loader = yaml.SafeLoader

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_constructor = yaml.constructor.SafeConstructor()


class YamlMap(dict[str, Any]):
    """A mapping that remembers the line of itself and of each key."""

    line: int = 0
    lines: dict[str, int]


class YamlList(list[Any]):
    """A sequence that remembers the line of itself and of each item."""

    line: int = 0
    lines: list[int]


@dataclass(frozen=True)
class YamlError(Exception):
    """Malformed YAML at a line."""

    line: int
    message: str


def line_of(value: Any, key: str | int | None = None, default: int = 0) -> int:
    """The line of ``value`` (or of its ``key``), or ``default`` when unknown."""
    if key is not None and isinstance(value, YamlMap):
        return value.lines.get(str(key), value.line)
    if key is not None and isinstance(value, YamlList) and isinstance(key, int):
        return value.lines[key] if key < len(value.lines) else value.line
    return getattr(value, "line", default) or default


def parse_yaml(text: str, first_line: int = 1) -> Any:
    """Parse one YAML document; dates stay text so that they are checked by ``dates``."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line if mark else 0) + first_line
        raise YamlError(line, f"malformed YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        raise YamlError(first_line, f"malformed YAML: {exc}") from None
    if node is None:
        return None
    return _convert(node, first_line - 1)


def _convert(node: yaml.Node, offset: int) -> Any:
    """Turn a composed node into plain values that know their lines."""
    line = node.start_mark.line + 1 + offset
    if isinstance(node, yaml.MappingNode):
        result = YamlMap()
        result.line, result.lines = line, {}
        for key_node, value_node in node.value:
            key = str(_convert(key_node, offset))
            key_line = key_node.start_mark.line + 1 + offset
            if key in result:
                raise YamlError(key_line, f"the key '{key}' appears twice in the same block")
            result[key] = _convert(value_node, offset)
            result.lines[key] = key_line
        return result
    if isinstance(node, yaml.SequenceNode):
        items = YamlList(_convert(item, offset) for item in node.value)
        items.line = line
        items.lines = [item.start_mark.line + 1 + offset for item in node.value]
        return items
    if node.tag == _TIMESTAMP:
        return node.value
    try:
        return _constructor.construct_object(node)
    except yaml.constructor.ConstructorError as exc:
        raise YamlError(line, f"malformed YAML value: {exc.problem}") from None


@dataclass(frozen=True)
class FrontMatterFile:
    """A text file split into its front matter and Markdown body."""

    front: YamlMap
    body: str
    body_line: int


def split_front_matter(text: str) -> FrontMatterFile:
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
            front = parse_yaml("".join(lines[1:index]), first_line=2)
            if front is None:
                front = empty
            if not isinstance(front, YamlMap):
                raise YamlError(2, "the front matter must be a list of 'field: value' lines")
            return FrontMatterFile(front, "".join(lines[index + 1 :]), index + 2)
    raise YamlError(1, "the front matter starting on line 1 has no closing '---' line")
