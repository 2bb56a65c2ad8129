"""Suppression comments: the problems a note's author has looked at and chosen to keep.

In the body (outside code fences), as HTML or Obsidian comments:
    <!-- vaultlint-disable-next-line RULE[, RULE] -->    the next line
    <!-- vaultlint-disable RULE --> … <!-- vaultlint-enable RULE -->   a range (to the end if open)
    <!-- vaultlint-disable-file RULE -->                 the whole note
    %% vaultlint-disable RULE %%                          the same forms inside %% … %%
In the frontmatter: a YAML comment `# vaultlint: disable=RULE[,RULE]` on a line (that line),
and, since Obsidian drops YAML comments when it rewrites a note, a `vaultlint-disable:
[RULE, ...]` key (the whole note). No rule named means every rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vaultlint.note import Note

_BODY = re.compile(
    r"(?:<!--|%%)\s*vaultlint-(disable-next-line|disable-file|disable|enable)\b"
    r"(?P<rules>[^%>]*?)\s*(?:-->|%%)"
)
_YAML = re.compile(r"#\s*vaultlint:\s*disable=(?P<rules>[\w,\s-]+)")
KEY = "vaultlint-disable"
EVERY_LINE = 10**9


@dataclass(frozen=True, slots=True)
class Suppression:
    rules: frozenset[str] | None  # None: every rule
    first_line: int
    last_line: int
    start: int  # byte span of the comment, for unused-suppression
    end: int
    line: int  # the line the comment is on

    def covers(self, rule: str, line: int) -> bool:
        in_rules = self.rules is None or rule in self.rules
        return in_rules and self.first_line <= line <= self.last_line


def _rule_set(text: str) -> frozenset[str] | None:
    names = frozenset(part for part in re.split(r"[\s,]+", text.strip()) if part)
    return names or None


def suppressions(note: Note) -> list[Suppression]:
    text = note.text
    if text is None or "vaultlint" not in text:
        return []
    found = _frontmatter_comments(note) + _key(note)
    found += _body_comments(note, text)
    return found


def _frontmatter_comments(note: Note) -> list[Suppression]:
    block = note.block
    if block is None or not block.terminated or note.text is None:
        return []
    found = []
    last_line = note.body_first_line - 1
    for line in range(2, last_line):
        start, end = note.lines.line_start(line), note.lines.line_end(line)
        match = _YAML.search(note.raw[start:end].decode("utf-8", "replace"))
        if match:
            comment_start = start + len(
                note.raw[start:end].decode("utf-8", "replace")[: match.start()].encode()
            )
            found.append(
                Suppression(_rule_set(match["rules"]), line, line, comment_start, end, line)
            )
    return found


def _key(note: Note) -> list[Suppression]:
    frontmatter = note.frontmatter
    if frontmatter is None or frontmatter.data is None or KEY not in frontmatter.data:
        return []
    value = frontmatter.data[KEY]
    names = value if isinstance(value, list) else [value]
    rules = frozenset(str(name) for name in names if name is not None) or None
    key_node, _ = frontmatter.node_at((KEY,))
    start = note.yaml_byte(key_node.start_mark.index) if key_node is not None else 0
    line = note.lines.line_of(start)
    return [Suppression(rules, 1, EVERY_LINE, start, start + len(KEY), line)]


def _body_comments(note: Note, text: str) -> list[Suppression]:
    found: list[Suppression] = []
    open_ranges: list[tuple[frozenset[str] | None, int, int, int, int]] = []
    first = note.body_first_line
    lines = text.split("\n")
    fence: str | None = None
    for offset, raw_line in enumerate(lines[first - 1 :]):
        line_number = first + offset
        stripped = raw_line.lstrip()
        if stripped.startswith(("```", "~~~")):
            marker = stripped[:3]
            fence = None if fence == marker else (fence or marker)
            continue
        if fence is not None or "vaultlint-" not in raw_line:
            continue
        for match in _BODY.finditer(raw_line):
            start = note.lines.line_start(line_number) + len(raw_line[: match.start()].encode())
            if line_number == 1:
                start += note.bom_length
            end = start + len(match.group(0).encode())
            kind, rules = match.group(1), _rule_set(match["rules"])
            if kind == "disable-next-line":
                found.append(
                    Suppression(rules, line_number + 1, line_number + 1, start, end, line_number)
                )
            elif kind == "disable-file":
                found.append(Suppression(rules, 1, EVERY_LINE, start, end, line_number))
            elif kind == "disable":
                open_ranges.append((rules, line_number, start, end, line_number))
            else:
                found += _close(open_ranges, rules, line_number)
    found += [Suppression(r, line, EVERY_LINE, s, e, at) for r, line, s, e, at in open_ranges]
    return found


def _close(
    open_ranges: list[tuple[frozenset[str] | None, int, int, int, int]],
    rules: frozenset[str] | None,
    line: int,
) -> list[Suppression]:
    closed = [r for r in open_ranges if rules is None or r[0] == rules]
    for item in closed:
        open_ranges.remove(item)
    return [Suppression(r, start_line, line, s, e, at) for r, start_line, s, e, at in closed]
