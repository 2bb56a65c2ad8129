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

_SEQ_TAG, _MAP_TAG = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"


def _compose_loader() -> Any:
    """libyaml's composer without PyYAML's implicit tag resolver (the pure loader without it).

    The resolver runs Python regexes on every untagged scalar, for tags that `scalar_value`
    ignores (it resolves plain scalars as YAML 1.2 does): half the time of composing a
    frontmatter. An untagged plain scalar gets YAML's non-specific tag `?`; everything else
    gets the tag PyYAML's resolver gives it (quoted scalars and `! value`: str).
    """
    try:
        from yaml._yaml import CParser
    except ImportError:  # pragma: no cover - depends on how PyYAML was built
        return _Loader

    class ComposeLoader(CParser):
        def resolve(self, kind: type, value: Any, implicit: Any) -> str:
            if kind is yaml.ScalarNode:
                return "?" if implicit[0] else _STR_TAG
            return _SEQ_TAG if kind is yaml.SequenceNode else _MAP_TAG

        def descend_resolver(self, current_node: Any, current_index: Any) -> None:
            pass

        def ascend_resolver(self) -> None:
            pass

    return ComposeLoader


# Bounds on what one frontmatter may expand to (alias bombs, absurd nesting).
MAX_VALUES = 100_000
MAX_DEPTH = 100
# Digits of a plain integer: Python refuses int <-> text conversions past 4,300 digits
# (CVE-2020-10735), and 1,000 hex digits stay under that once printed in decimal.
MAX_NUMBER_LENGTH = 1_000
_DEPTH_MESSAGE = f"the frontmatter is nested more than {MAX_DEPTH} levels deep"

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
_Composer = _compose_loader()
_EXPANSION_MESSAGE = f"the frontmatter expands to more than {MAX_VALUES:,} values (an alias bomb?)"


@dataclass(frozen=True, slots=True)
class FrontmatterProblem:
    """A reason the YAML cannot be read as a mapping, at a code-point index into the YAML."""

    message: str
    index: int
    end: int | None = None  # end of the offending node, when there is one
    limit: bool = False  # a resource bound was hit (rule `limit`), not a syntax error
    # Another place the message refers to ("first defined on line N"): rules turn it into a
    # line of the whole note, since the YAML here does not know where it sits in the file.
    related: int | None = None


@dataclass(frozen=True, slots=True)
class ParsedFrontmatter:
    data: dict[str, JSON] | None
    root: yaml.MappingNode | None
    problem: FrontmatterProblem | None
    yaml_text: str

    def value_start(self, node: yaml.Node) -> int:
        """`value_start` of one of this frontmatter's nodes."""
        return value_start(node, self.yaml_text)

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
        root = yaml.compose(yaml_text, Loader=_Composer)
    except yaml.MarkedYAMLError as error:
        return _failed(yaml_text, _syntax_problem(error, yaml_text))
    except yaml.YAMLError as error:  # e.g. a ReaderError on a control character
        position = getattr(error, "position", 0)
        return _failed(yaml_text, FrontmatterProblem(f"invalid YAML: {error}", position))
    except RecursionError:  # the pure-Python loader composes recursively
        return _failed(yaml_text, FrontmatterProblem(_DEPTH_MESSAGE, 0, limit=True))
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


def _syntax_problem(error: yaml.MarkedYAMLError, yaml_text: str) -> FrontmatterProblem:
    mark = error.problem_mark or error.context_mark
    index = mark.index if mark else 0
    problem = error.problem or "invalid YAML"
    if "maximum nesting depth" in problem:  # libyaml stops at 1,000 levels: a limit, not a typo
        return FrontmatterProblem(_DEPTH_MESSAGE, _deepest_allowed(yaml_text, index), limit=True)
    if error.context:
        problem = f"{problem} ({error.context})"
    mentions_tab = "tab" in problem
    if not mentions_tab and (_tab_in_indentation(yaml_text, index) or "'\\t'" in problem):
        problem += "; YAML does not allow tabs for indentation"
    return FrontmatterProblem(f"invalid YAML: {problem}", index)


def _tab_in_indentation(yaml_text: str, index: int) -> bool:
    """True when the line of `index` (or the one before, where libyaml often points) is indented
    with a tab: libyaml's messages do not say so, and a tab is the usual cause."""
    line_start = yaml_text.rfind("\n", 0, max(index, 0)) + 1
    previous_start = yaml_text.rfind("\n", 0, max(line_start - 1, 0)) + 1
    for start in (line_start, previous_start):
        line = yaml_text[start : yaml_text.find("\n", start) if "\n" in yaml_text[start:] else None]
        indentation = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indentation:
            return True
    return False


def _deepest_allowed(yaml_text: str, fallback: int) -> int:
    """Where flow collections first nest deeper than MAX_DEPTH, as the builder would report it."""
    depth, quote = 0, ""
    for index, character in enumerate(yaml_text):
        if quote:
            quote = "" if character == quote else quote
        elif character in "\"'":
            quote = character
        elif character in "[{":
            depth += 1
            if depth > MAX_DEPTH + 1:  # the builder counts the top-level value as depth 0
                return index
        elif character in "]}":
            depth -= 1
    return fallback


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
                    _EXPANSION_MESSAGE,
                    node.start_mark.index,
                    limit=True,
                )
            )
        if depth > MAX_DEPTH:
            raise _BuildError(FrontmatterProblem(_DEPTH_MESSAGE, node.start_mark.index, limit=True))
        if isinstance(node, yaml.ScalarNode):
            try:
                return scalar_value(node, self.yaml_text)
            except NumberTooLongError as error:
                message = (
                    f"a number of {error.length:,} digits: longer than the limit of "
                    f"{MAX_NUMBER_LENGTH:,}"
                )
                start, end = node.start_mark.index, node.end_mark.index
                raise _BuildError(FrontmatterProblem(message, start, end, limit=True)) from None
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
                raise _BuildError(
                    FrontmatterProblem(
                        f'duplicate key "{key}"',
                        key_node.start_mark.index,
                        key_node.end_mark.index,
                        related=first_seen[key].start_mark.index,
                    )
                )
            first_seen[key] = key_node
            try:
                result[key] = self.build(value_node, depth)
            except _BuildError as error:
                if depth == 0 and error.problem.message == _EXPANSION_MESSAGE:
                    # Point at the property whose value explodes, not at a harmless inner alias.
                    start, end = key_node.start_mark.index, key_node.end_mark.index
                    raise _BuildError(
                        FrontmatterProblem(_EXPANSION_MESSAGE, start, end, limit=True)
                    ) from None
                raise
        return result


def scalar_value(node: yaml.ScalarNode, yaml_text: str) -> JSON:
    """A scalar as YAML 1.2's core schema reads it (an explicit `!!str` keeps it a string)."""
    value: str = node.value
    if node.style:  # quoted, literal or folded: always a string
        return value
    if node.tag == _STR_TAG:  # the properties are looked at only when they can matter
        properties = yaml_text[node.start_mark.index : value_start(node, yaml_text)]
        if "!" in properties:
            return value
    return resolve_plain(value)


# Every null, boolean and number of the core schema starts with one of these: any other plain
# scalar is text, without trying the eight patterns below (most values are words).
_NOT_TEXT_STARTS = frozenset("0123456789+-.~nNtTfF")


def resolve_plain(value: str) -> JSON:
    result: JSON = value
    if value and value[0] not in _NOT_TEXT_STARTS:
        return result
    if _NULL.fullmatch(value):
        result = None
    elif value in _BOOL:
        result = _BOOL[value]
    elif _INT.fullmatch(value):
        result = _integer(value, 10)
    elif _OCT.fullmatch(value):
        result = _integer(value[2:], 8)
    elif _HEX.fullmatch(value):
        result = _integer(value[2:], 16)
    elif _FLOAT.fullmatch(value):
        result = float(value)
    elif _INF.fullmatch(value):
        result = float("-inf") if value.startswith("-") else float("inf")
    elif _NAN.fullmatch(value):
        result = float("nan")
    return result


class NumberTooLongError(ValueError):
    """A plain integer with more than MAX_NUMBER_LENGTH digits (rule `limit`)."""

    def __init__(self, length: int) -> None:
        super().__init__(f"a number of {length:,} digits")
        self.length = length


def _integer(digits: str, base: int) -> int:
    length = len(digits.lstrip("+-"))
    if length > MAX_NUMBER_LENGTH:
        raise NumberTooLongError(length)
    return int(digits, base)


_PROPERTIES = re.compile(r"(?:[&!][^ \t\r\n]*[ \t\r\n]+)*")


def value_start(node: yaml.Node, yaml_text: str) -> int:
    """Index of a node's value itself, after any `&anchor` and `!tag` that start its span."""
    start: int = node.start_mark.index
    if start < len(yaml_text) and yaml_text[start] in "&!":
        match = _PROPERTIES.match(yaml_text, start, node.end_mark.index)
        if match:
            return match.end()
    return start
