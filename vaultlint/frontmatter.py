"""Parse a frontmatter's YAML into nodes with positions and JSON-like data.

PyYAML's C loader composes the node tree (with code-point marks); the values are built here
rather than by PyYAML's constructor, for three reasons: it is several times faster, it reads
values as YAML 1.2's core schema does (as Obsidian does: `yes` and `2025-10-12` stay strings,
`010` is ten), and it catches what the constructor lets through silently (duplicate keys) or
cannot bound (alias expansion).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

try:  # libyaml is ~10x faster; the pure loader gives the same nodes and marks
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

# Bounds on what one frontmatter may expand to (alias bombs, absurd nesting).
MAX_VALUES = 100_000
MAX_DEPTH = 100

JSON = Any  # str | int | float | bool | None | list[JSON] | dict[str, JSON]

_NULL = re.compile(r"~|null|Null|NULL|")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+")
_OCT = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)")
_NAN = re.compile(r"\.(nan|NaN|NAN)")
_STR_TAG = "tag:yaml.org,2002:str"


@dataclass(frozen=True, slots=True)
class FrontmatterProblem:
    """A reason the YAML cannot be read as a mapping, at a code-point index into the YAML."""

    message: str
    index: int
    end: int | None = None  # end of the offending node, when there is one
    limit: bool = False  # a resource bound was hit (rule `limit`), not a syntax error


@dataclass(frozen=True, slots=True)
class ParsedFrontmatter:
    data: dict[str, JSON] | None
    root: yaml.MappingNode | None
    problem: FrontmatterProblem | None
    yaml_text: str

    def node_at(self, path: tuple[str | int, ...]) -> tuple[yaml.Node | None, yaml.Node | None]:
        """The (key node, value node) at a JSON path; the key is None for list items."""
        key_node: yaml.Node | None = None
        node: yaml.Node | None = self.root
        for step in path:
            if isinstance(node, yaml.MappingNode) and isinstance(step, str):
                found = _find_key(node, step)
                if found is None:
                    return key_node, node
                key_node, node = found
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
                if step >= len(node.value):
                    return key_node, node
                key_node, node = None, node.value[step]
            else:
                return key_node, node
        return key_node, node


def _find_key(node: yaml.MappingNode, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    found = None
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            found = (key_node, value_node)  # the last one wins, as when reading
    return found


def parse_frontmatter(yaml_text: str) -> ParsedFrontmatter:
    try:
        root = yaml.compose(yaml_text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        return _failed(yaml_text, _syntax_problem(error))
    except yaml.YAMLError as error:  # e.g. a ReaderError on a control character
        position = getattr(error, "position", 0)
        return _failed(yaml_text, FrontmatterProblem(f"invalid YAML: {error}", position))
    except RecursionError:
        return _failed(yaml_text, FrontmatterProblem("YAML nested too deeply", 0, limit=True))
    if root is None:  # an empty block: no properties
        return ParsedFrontmatter({}, None, None, yaml_text)
    if not isinstance(root, yaml.MappingNode):
        kind = "a list" if isinstance(root, yaml.SequenceNode) else "a single value"
        problem = FrontmatterProblem(
            f"the frontmatter is {kind}, not a mapping of properties (key: value)",
            root.start_mark.index,
            root.end_mark.index,
        )
        return _failed(yaml_text, problem)
    try:
        data = _Builder(yaml_text).mapping(root, 0)
    except _BuildError as error:
        return _failed(yaml_text, error.problem)
    return ParsedFrontmatter(data, root, None, yaml_text)


def _failed(yaml_text: str, problem: FrontmatterProblem) -> ParsedFrontmatter:
    return ParsedFrontmatter(None, None, problem, yaml_text)


def _syntax_problem(error: yaml.MarkedYAMLError) -> FrontmatterProblem:
    mark = error.problem_mark or error.context_mark
    problem = error.problem or "invalid YAML"
    if error.context:
        problem = f"{problem} ({error.context})"
    if "\t" in problem or "found character '\\t'" in problem:
        problem += "; YAML does not allow tabs for indentation"
    return FrontmatterProblem(f"invalid YAML: {problem}", mark.index if mark else 0)


class _BuildError(Exception):
    def __init__(self, problem: FrontmatterProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


class _Builder:
    """Builds JSON-like values from nodes, counting every value so that aliases stay bounded."""

    def __init__(self, yaml_text: str) -> None:
        self.values = 0
        self.yaml_text = yaml_text

    def build(self, node: yaml.Node, depth: int) -> JSON:
        self.values += 1
        if self.values > MAX_VALUES:
            raise _BuildError(
                FrontmatterProblem(
                    f"the frontmatter expands to more than {MAX_VALUES:,} values (an alias bomb?)",
                    node.start_mark.index,
                    limit=True,
                )
            )
        if depth > MAX_DEPTH:
            raise _BuildError(
                FrontmatterProblem(
                    f"the frontmatter is nested more than {MAX_DEPTH} levels deep",
                    node.start_mark.index,
                    limit=True,
                )
            )
        if isinstance(node, yaml.ScalarNode):
            return scalar_value(node, self.yaml_text)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, depth + 1) for item in node.value]
        assert isinstance(node, yaml.MappingNode)
        return self.mapping(node, depth + 1)

    def mapping(self, node: yaml.MappingNode, depth: int) -> dict[str, JSON]:
        result: dict[str, JSON] = {}
        first_seen: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _BuildError(
                    FrontmatterProblem(
                        "a key is a list or mapping, not text "
                        "(an unquoted {{placeholder}} or [[link]]? quote it)",
                        key_node.start_mark.index,
                        key_node.end_mark.index,
                    )
                )
            key = key_node.value
            if key in first_seen:
                first_line = first_seen[key].start_mark.line + 1
                raise _BuildError(
                    FrontmatterProblem(
                        f'duplicate key "{key}" (first defined on frontmatter line {first_line})',
                        key_node.start_mark.index,
                        key_node.end_mark.index,
                    )
                )
            first_seen[key] = key_node
            result[key] = self.build(value_node, depth)
        return result


def scalar_value(node: yaml.ScalarNode, yaml_text: str) -> JSON:
    """A scalar as YAML 1.2's core schema reads it (an explicit `!!str` keeps it a string)."""
    value: str = node.value
    if node.style:  # quoted, literal or folded: always a string
        return value
    properties = yaml_text[node.start_mark.index : value_start(node, yaml_text)]
    if node.tag == _STR_TAG and "!" in properties:
        return value
    return resolve_plain(value)


def resolve_plain(value: str) -> JSON:
    result: JSON = value
    if _NULL.fullmatch(value):
        result = None
    elif value in _BOOL:
        result = _BOOL[value]
    elif _INT.fullmatch(value):
        result = int(value)
    elif _OCT.fullmatch(value):
        result = int(value[2:], 8)
    elif _HEX.fullmatch(value):
        result = int(value[2:], 16)
    elif _FLOAT.fullmatch(value):
        result = float(value)
    elif _INF.fullmatch(value):
        result = float("-inf") if value.startswith("-") else float("inf")
    elif _NAN.fullmatch(value):
        result = float("nan")
    return result


_PROPERTIES = re.compile(r"(?:[&!][^ \t\r\n]*[ \t\r\n]+)*")


def value_start(node: yaml.Node, yaml_text: str) -> int:
    """Index of a node's value itself, after any `&anchor` and `!tag` that start its span."""
    start: int = node.start_mark.index
    if start < len(yaml_text) and yaml_text[start] in "&!":
        match = _PROPERTIES.match(yaml_text, start, node.end_mark.index)
        if match:
            return match.end()
    return start
