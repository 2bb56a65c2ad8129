"""A tag outside the vault's vocabulary: an unknown namespace, or an unknown value.

Why: a tag vocabulary only helps if it is closed; `#cuisine/thai` beside `#cuisine/thaï`, or a
stray `#dessert` with no namespace, splits the vault. The namespaces and their values come from
`x-vaultlint.tags.namespaces` (a namespace linked to a field with an `enum` takes its values;
one linked to an open field accepts any value).

Example: `#saveur/amer`: `tag "#saveur/amer": "amer" is not a known saveur (known: acidulé,
crémeux, épicé, sucré-salé, umami)`. Reported at the tag. No fix.
"""

from __future__ import annotations

from collections.abc import Iterator

from vaultlint.diagnostic import Diagnostic, Severity
from vaultlint.note import Note
from vaultlint.rules._frontmatter_values import span, tag_list
from vaultlint.rules.base import Fixability, RuleContext
from vaultlint.schema.extension import TagSpec

ID = "tag-unknown"
DEFAULT_SEVERITY = Severity.ERROR
FIX = Fixability.NEVER
SUMMARY = "a tag's namespace or value is outside the vault's vocabulary"


def check(note: Note, ctx: RuleContext) -> Iterator[Diagnostic]:
    extension = ctx.extension
    if extension is None or extension.tags is None:
        return
    spec = extension.tags
    tags = tag_list(note, spec)
    if tags is None:
        return
    for item in tags.items:
        if item.normalized is None:
            continue
        problem = _problem(item.normalized, spec)
        if problem is not None:
            start, end = span(note, item.node)
            yield Diagnostic(
                ID, f'tag "{item.normalized}": {problem}', start, end, DEFAULT_SEVERITY
            )


def _problem(tag: str, spec: TagSpec) -> str | None:
    known_namespaces = ", ".join(sorted(spec.namespaces))
    parts = spec.split(tag)
    if parts is None:
        if not spec.closed:
            return None
        return f"it has no namespace (known namespaces: {known_namespaces})"
    namespace_name, value = parts
    namespace = spec.namespaces.get(namespace_name)
    if namespace is None:
        if not spec.closed:
            return None
        return f"{namespace_name!r} is not a known namespace (known: {known_namespaces})"
    if not value:
        return f"it has no value after {namespace_name}{spec.separator}"
    if namespace.values is not None and value not in namespace.values:
        listed = ", ".join(sorted(namespace.values))
        return f"{value!r} is not a known {namespace_name} (known: {listed})"
    return None
