"""`vaultlint schema infer PATHS -o schema.json`: a starting schema from the notes themselves.

The notes are found as `check` finds them (config `include`/`exclude`, dot-folders, Obsidian's
excluded files and template folders skipped), less the config's `pages`, which are not notes of
the schema's kind; the schema is what `vaultlint.infer` makes of them. An existing file is
replaced only with `--force`: a schema is hand-edited work, and the section aliases it names are
kept (once `fix` has renamed them, the notes no longer show them). The summary of the decisions
and of the values to review goes to standard error, so that the schema alone can be piped from
standard output.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from vaultlint.commands.output import OutputOptions, destination
from vaultlint.errors import UsageError
from vaultlint.infer import Inferred, NoteSample, infer_schema, sample_note
from vaultlint.runner import Runner, RunOptions, Target


@dataclass(frozen=True, slots=True)
class InferRequest:
    paths: Sequence[Path]
    output: Path | None = None  # None: standard output
    title: str | None = None  # the schema's title; default: "Notes in <folder>"
    force: bool = False  # replace an existing output file


def run_infer(options: RunOptions, request: InferRequest, out: TextIO, err: TextIO) -> int:
    if request.output is not None and request.output.exists() and not request.force:
        raise UsageError(f"{request.output} already exists; use --force to replace it")
    runner = Runner(options)
    targets = [
        target
        for target in runner.targets(list(request.paths))
        if not target.settings.is_page(target.relative)
    ]
    if not targets:
        shown = ", ".join(str(path) for path in request.paths)
        raise UsageError(f"no notes found in {shown}: nothing to infer a schema from")
    samples = [s for s in runner.map_notes(targets, read_sample) if s is not None]
    title = request.title or f"Notes in {_folder_name(request.paths, targets[0].settings.root)}"
    previous = read_previous(request.output) if request.output is not None else None
    inferred = infer_schema(samples, title=title, previous=previous)
    with destination(OutputOptions(output_file=request.output), out) as stream:
        stream.write(inferred.to_json())
    err.write(summary(inferred, request.output) + "\n")
    return 0


def read_sample(runner: Runner, target: Target) -> NoteSample | None:
    """One note read as the rules read it (`Runner.load`), or None when it cannot be; run in
    the pool's workers (`Runner.map_notes`)."""
    from vaultlint.reading import NoteReadError

    try:
        return sample_note(runner.load(target), target.relative)
    except NoteReadError:
        return None


def read_samples(notes: Iterable[tuple[Callable[[], bytes], str]]) -> list[NoteSample]:
    """Each readable note (how to load it, and its path relative to the vault root), read as
    the rules read it (the one load path: `Runner.load`, or `read_note` with the vault root);
    unreadable ones, and links out of the vault, are left out."""
    from vaultlint.reading import NoteReadError

    samples = []
    for load, relative in notes:
        try:
            raw = load()
        except NoteReadError:
            continue
        samples.append(sample_note(raw, relative))
    return samples


def read_previous(path: Path) -> Any:
    """The JSON of the schema about to be replaced, or None when there is none (or not JSON)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _folder_name(paths: Sequence[Path], root: Path) -> str:
    if len(paths) == 1 and paths[0].is_dir():
        return paths[0].resolve().name or str(paths[0].resolve())
    return root.name or str(root)


def summary(inferred: Inferred, output: Path | None) -> str:
    schema = inferred.schema
    properties = schema["properties"]
    enums = sum(1 for spec in properties.values() if "enum" in spec)
    extension = schema.get("x-vaultlint", {})
    namespaces = len(extension.get("tags", {}).get("namespaces", {}))
    sections = len(extension.get("sections", {}).get("order", []))
    where = f" in {output}" if output is not None else ""
    return (
        f"Inferred a schema{where} from {_count(inferred.notes, 'note')} "
        f"({inferred.frontmatters} with frontmatter): {_count(len(properties), 'field')} "
        f"({len(schema['required'])} required, {_count(enums, 'enum')}), "
        f"{_count(namespaces, 'tag namespace')}, {_count(sections, 'section')}"
        f"{', a time sum' if 'time' in extension else ''}. Review it before use."
    ) + "".join(f"\n{line}" for line in decisions(inferred))


def decisions(inferred: Inferred) -> list[str]:
    """What was decided, one line per part of the schema, then the doubts to review."""
    schema = inferred.schema
    extension = schema.get("x-vaultlint", {})
    lines = []
    sections = extension.get("sections", {}).get("order", [])
    if sections:
        lines.append("Sections: " + ", ".join(_section(entry) for entry in sections) + ".")
    if "time" in extension:
        lines.append("Time: " + _time(extension["time"]) + ".")
    if "tags" in extension:
        lines.append("Tags: " + _tags(extension["tags"]) + ".")
    enums = [name for name, spec in schema["properties"].items() if "enum" in spec]
    known = sorted(extension.get("fields", {}))
    if enums or known:
        lines.append(
            f"Closed lists (enum): {', '.join(enums) or 'none'}; "
            f"open lists (known, a warning): {', '.join(known) or 'none'}."
        )
    if inferred.doubts:
        lines.append("To review:")
        lines += [f"- {doubt}" for doubt in inferred.doubts]
    return lines


def _section(entry: dict[str, Any]) -> str:
    extra = [f"alias {alias}" for alias in entry.get("aliases", [])]
    if entry.get("required") is False:
        extra.append("optional")
    return str(entry["name"]) + (f" ({', '.join(extra)})" if extra else "")


def _time(time: dict[str, Any]) -> str:
    text = f"{time['total']} = {' + '.join(time['parts'])}"
    if "rest" in time:
        text += f" (+ {', '.join(time['rest'])} when present)"
    if "advance_tag" in time:
        text += f"; advance tag {time['advance_tag']}"
    buckets = time.get("buckets")
    if buckets:
        bounds = ", ".join(f"{r['value']} <= {r['max']}" for r in buckets["ranges"] if "max" in r)
        text += f"; buckets {buckets['namespace']}/…: {bounds}, {buckets['ranges'][-1]['value']}"
    return text


def _tags(tags: dict[str, Any]) -> str:
    namespaces = tags.get("namespaces", {})
    levels = Counter(spec.get("level", "optional") for spec in namespaces.values())
    parts = [f"prefix {tags.get('prefix') or 'none'!r}, case {tags.get('case', 'any')}"]
    if "count" in tags:
        parts.append(f"{tags['count']['min']} to {tags['count']['max']} a note")
    parts.append(
        f"{_count(len(namespaces), 'namespace')} ("
        + ", ".join(f"{levels[level]} {level}" for level in ("required", "recommended", "optional"))
        + ")"
    )
    linked = [name for name, spec in namespaces.items() if "field" in spec]
    if linked:
        parts.append("mirroring the fields " + ", ".join(linked))
    parts.append("closed" if tags.get("closed") else "open")
    return "; ".join(parts)


def _count(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"
