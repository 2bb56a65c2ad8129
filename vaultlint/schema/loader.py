"""Load a note schema: read the JSON, check it and its extension, compile the validator once.

Schemas are data: `$ref` resolves to local files only, never the network, and patterns run on
jsonschema-rs's linear-time regex engine, so a hostile `pattern` cannot hang a run.

The schema path often comes from a vault's config, which a stranger may have written (issue
#15). The config may name a schema anywhere, outside the repository too: a user's own schema
folder is legitimate. What it cannot do is make vaultlint hang, exhaust memory or show a file:

- the schema and every `$ref` target are read only when they are regular files (never a FIFO
  or a device such as /dev/zero) of at most `MAX_SCHEMA_BYTES`, checked before reading;
- a `$ref` reaches only files inside the folder of the schema that the config or `--schema`
  names (resolved through links): the schema folder is the unit of trust;
- an error names the file, the place (a JSON pointer) and what is wrong, never a value read from
  the file: a JSON file that is not a schema (`{"token": ...}`) would otherwise be printed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vaultlint.errors import SchemaError

if TYPE_CHECKING:
    from vaultlint.schema.extension import Extension

EXTENSION_KEY = "x-vaultlint"
# A schema or a referenced file larger than this is not read (the bundled one is 8 KB).
MAX_SCHEMA_BYTES = 4 * 1024 * 1024
DEFAULT_SCHEMA = "recipe.schema.json"
_EXTENSION_META = "x-vaultlint.schema.json"


@cache  # every folder's Settings names the bundled schema: resolved once, not per folder
def bundled_schema(name: str) -> Path:
    """A schema shipped with vaultlint: inside the wheel, or the repository's `schemas/`."""
    packaged = Path(__file__).resolve().parent.parent / "_schemas" / name
    if packaged.exists():
        return packaged
    return Path(__file__).resolve().parent.parent.parent / "schemas" / name


@dataclass(frozen=True, slots=True, eq=False)
class CompiledSchema:
    path: Path
    document: dict[str, Any]
    validator: Any  # a jsonschema_rs validator
    extension: Extension
    digest: str  # sha256 of the schema file and the files it references, for cache keys
    # The files the digest hashes, in order (the schema, then each reference as fetched), so
    # that the results cache can re-check the digest without compiling the schema.
    sources: tuple[str, ...] = ()


@cache
def load_schema(path: Path) -> CompiledSchema:
    import jsonschema_rs

    from vaultlint.schema.extension import read_extension

    document, raw_bytes = _read_json(path)
    if not isinstance(document, dict):
        raise SchemaError(f"{path}: a schema must be a JSON object")
    _check_meta_schema(path, document)
    extension_raw = document.get(EXTENSION_KEY, {})
    _check_extension(path, extension_raw, document)
    referenced: list[tuple[Path, bytes]] = []
    retriever = _LocalRetriever(path, referenced)
    try:
        validator = jsonschema_rs.validator_for(
            document,
            validate_formats=True,
            base_uri=path.resolve().as_uri(),
            retriever=retriever,
            pattern_options=jsonschema_rs.RegexOptions(),
        )
    except (jsonschema_rs.ValidationError, jsonschema_rs.ReferencingError, ValueError) as error:
        if retriever.refusal is not None:
            raise SchemaError(f"{path}: {retriever.refusal}") from None
        if isinstance(error, jsonschema_rs.ValidationError):
            where = _pointer(error.instance_path)
            raise SchemaError(
                f"{path}: cannot compile the schema at {where}: {_describe(error)}"
            ) from None
        # Their text quotes the schema (a pattern, a URI): say only what kind of problem it is.
        raise SchemaError(
            f"{path}: cannot compile the schema: a $ref cannot be resolved, or a pattern or "
            "format is not supported"
        ) from None
    import hashlib  # here, not at the top: config imports this module for its names only

    digest = hashlib.sha256(raw_bytes + b"".join(raw for _, raw in referenced)).hexdigest()
    sources = (str(path), *(str(target) for target, _ in referenced))
    return CompiledSchema(
        path, document, validator, read_extension(extension_raw, document), digest, sources
    )


def _read_json(path: Path) -> tuple[Any, bytes]:
    import json

    from vaultlint.bounded import BoundedReadError, read_regular_file

    try:
        raw = read_regular_file(path, MAX_SCHEMA_BYTES)
    except BoundedReadError as error:
        raise SchemaError(f"{path}: cannot read the schema: {error}") from None
    try:
        return json.loads(raw), raw
    except json.JSONDecodeError as error:  # its message gives the place, not the text
        raise SchemaError(f"{path}: not valid JSON: {error.msg} at line {error.lineno}") from None
    except (ValueError, RecursionError):  # not UTF-8, or nested beyond Python's stack
        raise SchemaError(f"{path}: not valid JSON (not UTF-8 text, or nested too deep)") from None


def _describe(error: Any) -> str:
    """What a jsonschema-rs error says is wrong, without the value it found (issue #15)."""
    kind = error.kind
    details: dict[str, Any] = kind.as_dict() if hasattr(kind, "as_dict") else {}
    name = str(getattr(kind, "name", "")) or type(kind).__name__
    if name == "type" and isinstance(details.get("types"), list):
        return "wrong type (expected " + " or ".join(map(str, details["types"])) + ")"
    if name == "required":
        return "a required key is missing"
    if name in ("additionalProperties", "unevaluatedProperties"):
        return "a key that is not allowed here"
    if name == "enum":
        return "not one of the allowed values"
    return f"the value breaks the {name!r} rule of the meta-schema"


def _check_meta_schema(path: Path, document: dict[str, Any]) -> None:
    import jsonschema_rs

    try:
        jsonschema_rs.meta.validate(document)
    except jsonschema_rs.ValidationError as error:
        where = _pointer(error.instance_path)
        raise SchemaError(
            f"{path}: not a valid JSON Schema at {where}: {_describe(error)}"
        ) from None
    except jsonschema_rs.ReferencingError:
        raise SchemaError(f"{path}: unknown $schema dialect") from None


@cache
def _extension_validator() -> Any:
    import jsonschema_rs

    meta, _ = _read_json(bundled_schema(_EXTENSION_META))
    return jsonschema_rs.validator_for(meta)


def _check_extension(path: Path, extension: Any, document: dict[str, Any]) -> None:
    errors = sorted(
        _extension_validator().iter_errors(extension), key=lambda e: list(map(str, e.instance_path))
    )
    if errors:
        error = errors[0]
        where = _pointer([EXTENSION_KEY, *error.instance_path])
        raise SchemaError(f"{path}: bad {EXTENSION_KEY} extension at {where}: {_describe(error)}")
    properties = document.get("properties")
    if not isinstance(properties, dict):
        return
    for where, field in _named_fields(extension):
        if field not in properties:
            raise SchemaError(
                f"{path}: {EXTENSION_KEY} at {where} names the field {field!r}, "
                "which the schema's properties do not declare"
            )


def _named_fields(extension: dict[str, Any]) -> list[tuple[str, str]]:
    """Every field name the extension refers to, with where it says it (a JSON pointer)."""
    named: list[tuple[str, str]] = []
    time = extension.get("time", {})
    if "total" in time:
        named.append(("/x-vaultlint/time/total", time["total"]))
    for key in ("parts", "rest"):
        named += [(f"/x-vaultlint/time/{key}/{i}", f) for i, f in enumerate(time.get(key, []))]
    tags = extension.get("tags", {})
    if "field" in tags:
        named.append(("/x-vaultlint/tags/field", tags["field"]))
    for name, spec in tags.get("namespaces", {}).items():
        if "field" in spec:
            named.append((f"/x-vaultlint/tags/namespaces/{name}/field", spec["field"]))
    named += [(f"/x-vaultlint/fields/{name}", name) for name in extension.get("fields", {})]
    return named


def _pointer(parts: list[Any] | tuple[Any, ...]) -> str:
    return "/" + "/".join(str(part) for part in parts) if parts else "/ (the top level)"


class _RefusedReferenceError(Exception):
    """A `$ref` vaultlint will not follow; raised through jsonschema-rs to `load_schema`."""


class _LocalRetriever:
    """Fetch `$ref` targets: local files in the schema's folder only, read within bounds.

    jsonschema-rs wraps whatever a retriever raises in its own error, whose text quotes the
    reference; the refusal is kept here so that `load_schema` can report it as it was.
    """

    def __init__(self, schema_path: Path, referenced: list[tuple[Path, bytes]]) -> None:
        self.folder = Path(os.path.realpath(schema_path.parent))
        self.referenced = referenced
        self.refusal: str | None = None

    def __call__(self, uri: str) -> Any:
        try:
            return self._retrieve(uri)
        except _RefusedReferenceError as refused:
            self.refusal = self.refusal or str(refused)
            raise

    def _retrieve(self, uri: str) -> Any:
        from urllib.parse import unquote, urlparse

        parsed = urlparse(uri)
        if parsed.scheme != "file":
            raise _RefusedReferenceError(
                f"refuses to fetch {uri}: vaultlint never reads schemas over the network; "
                "save it beside the schema and use a relative $ref"
            )
        target = Path(unquote(parsed.path))
        if not Path(os.path.realpath(target)).is_relative_to(self.folder):
            raise _RefusedReferenceError(
                f"refuses the $ref to {target}: it lies outside the schema's folder {self.folder}"
            )
        try:
            document, raw = _read_json(target)
        except SchemaError as error:
            raise _RefusedReferenceError(f"$ref to {error}") from None
        self.referenced.append((target, raw))
        return document
