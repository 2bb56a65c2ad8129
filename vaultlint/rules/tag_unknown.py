"""A tag outside the vault's vocabulary: an unknown namespace, or an unknown value.

Why: a tag vocabulary only helps if it is closed; `#cuisine/thai` beside `#cuisine/thaï`, or a
stray `#dessert` with no namespace, splits the vault. The namespaces and their values come from
`x-vaultlint.tags.namespaces` (a namespace linked to a field with an `enum` takes its values;
one linked to an open field accepts any value).

Example: `#saveur/amer`: `tag "#saveur/amer": "amer" is not a known saveur (known: acidulé,
crémeux, épicé, sucré-salé, umami)`. Reported at the tag.

Fix: a value that differs from one of its namespace's values only by case, accents, separators
or a plural `s` (`#saveur/epice` -> `#saveur/épicé`, `#cuisson/airfryer` -> `#cuisson/air-fryer`)
is rewritten (safe); one typing slip away inside a word of five or more letters (a letter
missing, doubled, extra, or two swapped; never another first letter), the same but unsafe.
No suggestion ever makes another word (`#protéine/oeuf` is not `#protéine/bœuf`), and there is
no fix when the suggested tag is already in the list: the rewrite would repeat it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from vaultlint.diagnostic import Applicability, Diagnostic, Fix, Severity
from vaultlint.note import Note
from vaultlint.rules._frontmatter_values import (
    TagList,
    check_tag_list,
    one_line,
    pending_tags,
    sequence_style,
    several_tags,
    span,
)
from vaultlint.rules.base import Fixability, RuleContext
from vaultlint.schema.extension import TagSpec
from vaultlint.suggest import normalise, suggest
from vaultlint.yaml_edit import replace_item

ID = "tag-unknown"
DEFAULT_SEVERITY = Severity.ERROR
FIX = Fixability.SOMETIMES
SUMMARY = "a tag's namespace or value is outside the vault's vocabulary"


def check(note: Note, ctx: RuleContext) -> Iterator[Diagnostic]:
    return check_tag_list(note, ctx, _check)


def _check(note: Note, ctx: RuleContext, spec: TagSpec, tags: TagList) -> Iterator[Diagnostic]:
    for item in tags.items:
        if item.normalized is None or several_tags(item.value, spec) is not None:
            continue  # not one tag (`#a, #b`): tag-format says so
        problem = _problem(item.normalized, spec)
        if problem is None:
            continue
        start, end = span(note, item.node)
        message = one_line(f'tag "{item.normalized}": {problem}')
        suggestion = _suggestion(item.normalized, spec)
        fix = None
        if suggestion is not None and suggestion[0] in pending_tags(note, spec):
            message += f' ("{suggestion[0]}" is already in the list)'
        elif suggestion is not None:
            wanted, safe = suggestion
            message += f' ({"did you mean" if safe else "perhaps"} "{wanted}"?)'
            style = sequence_style(note, tags.sequence)  # only when fixing: it costs
            edit = replace_item(note, item.node, wanted, style)
            applicability = Applicability.SAFE if safe else Applicability.UNSAFE
            fix = Fix(f"rewrite as {wanted}", (edit,), applicability, frozenset({spec.field}))
        yield Diagnostic(ID, message, start, end, DEFAULT_SEVERITY, fix)


def _listed(values: Iterable[str]) -> str:
    """Values in the order a reader expects: accents do not send `épicé` after `umami`."""
    return ", ".join(sorted(values, key=lambda value: (normalise(value), value)))


def _suggestion(tag: str, spec: TagSpec) -> tuple[str, bool] | None:
    """The vocabulary tag a mistyped one was meant to be (`#saveur/epice` -> `#saveur/épicé`)."""
    parts = spec.split(tag)
    if parts is None:
        return None
    namespace = spec.namespaces.get(parts[0])
    if namespace is None or namespace.values is None:
        return None
    suggestion = suggest(parts[1], namespace.values)
    if suggestion is None:
        return None
    return spec.tag(namespace.name, suggestion.value), suggestion.safe


def _problem(tag: str, spec: TagSpec) -> str | None:
    parts = spec.split(tag)
    if parts is None:
        if not spec.closed:
            return None
        return f"it has no namespace (known namespaces: {_listed(spec.namespaces)})"
    namespace_name, value = parts
    namespace = spec.namespaces.get(namespace_name)
    if namespace is None:
        if not spec.closed:
            return None
        return f'"{namespace_name}" is not a known namespace (known: {_listed(spec.namespaces)})'
    if not value:
        return f"it has no value after {namespace_name}{spec.separator}"
    if namespace.values is not None and value not in namespace.values:
        return f'"{value}" is not a known {namespace_name} (known: {_listed(namespace.values)})'
    return None
