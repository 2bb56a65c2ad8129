"""`vaultlint schema infer PATHS -o schema.json`: a starting schema from the notes themselves.

The notes are found as `check` finds them (config `include`/`exclude`, dot-folders skipped); the
schema is what `vaultlint.infer` makes of them. An existing file is replaced only with `--force`:
a schema is hand-edited work. The summary goes to standard error, so that the schema alone can be
piped from standard output.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

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
    targets = runner.targets(list(request.paths))
    if not targets:
        shown = ", ".join(str(path) for path in request.paths)
        raise UsageError(f"no notes found in {shown}: nothing to infer a schema from")
    samples = read_samples(runner, targets)
    title = request.title or f"Notes in {_folder_name(request.paths, targets[0].settings.root)}"
    inferred = infer_schema(samples, title=title)
    with destination(OutputOptions(output_file=request.output), out) as stream:
        stream.write(inferred.to_json())
    err.write(summary(inferred, request.output) + "\n")
    return 0


def read_samples(runner: Runner, targets: Iterable[Target]) -> list[NoteSample]:
    """Each readable note, read as the rules read it (`Runner.load`); unreadable ones, and
    links out of the vault, are left out."""
    from vaultlint.reading import NoteReadError

    samples = []
    for target in targets:
        try:
            raw = runner.load(target)
        except NoteReadError:
            continue
        samples.append(sample_note(raw, str(target.path)))
    return samples


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
    )


def _count(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"
