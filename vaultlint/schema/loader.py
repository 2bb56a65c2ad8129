"""Load a note schema: read the JSON, check it and its extension, compile the validator once.

Schemas are data: `$ref` resolves to local files only, never the network, and patterns run on
jsonschema-rs's linear-time regex engine, so a hostile `pattern` cannot hang a run.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from vaultlint.errors import SchemaError
from vaultlint.schema.extension import Extension, read_extension

EXTENSION_KEY = "x-vaultlint"
_MESSAGE_LIMIT = 300
DEFAULT_SCHEMA = "recipe.schema.json"
_EXTENSION_META = "x-vaultlint.schema.json"


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

    document, raw_bytes = _read_json(path)
    if not isinstance(document, dict):
        raise SchemaError(f"{path}: a schema must be a JSON object")
    _check_meta_schema(path, document)
    extension_raw = document.get(EXTENSION_KEY, {})
    _check_extension(path, extension_raw, document)
    referenced: list[tuple[Path, bytes]] = []
    try:
        validator = jsonschema_rs.validator_for(
            document,
            validate_formats=True,
            base_uri=path.resolve().as_uri(),
            retriever=_local_retriever(path, referenced),
            pattern_options=jsonschema_rs.RegexOptions(),
        )
    except (jsonschema_rs.ValidationError, jsonschema_rs.ReferencingError, ValueError) as error:
        first_line = str(error).strip().splitlines()[0]
        if len(first_line) > _MESSAGE_LIMIT:  # a 1 MB pattern must not make a 1 MB message
            first_line = first_line[:_MESSAGE_LIMIT] + "… (cut)"
        raise SchemaError(f"{path}: cannot compile the schema: {first_line}") from None
    import hashlib  # here, not at the top: config imports this module for its names only

    digest = hashlib.sha256(raw_bytes + b"".join(raw for _, raw in referenced)).hexdigest()
    sources = (str(path), *(str(target) for target, _ in referenced))
    return CompiledSchema(
        path, document, validator, read_extension(extension_raw, document), digest, sources
    )


def _read_json(path: Path) -> tuple[Any, bytes]:
    import json

    try:
        raw = path.read_bytes()
    except OSError as error:
        raise SchemaError(f"{path}: cannot read the schema: {error.strerror or error}") from None
    try:
        return json.loads(raw), raw
    except (ValueError, UnicodeDecodeError) as error:  # json.JSONDecodeError is a ValueError
        raise SchemaError(f"{path}: not valid JSON: {error}") from None


def _check_meta_schema(path: Path, document: dict[str, Any]) -> None:
    import jsonschema_rs

    try:
        jsonschema_rs.meta.validate(document)
    except jsonschema_rs.ValidationError as error:
        where = _pointer(error.instance_path)
        message = str(error.message).splitlines()[0]
        raise SchemaError(f"{path}: not a valid JSON Schema at {where}: {message}") from None
    except jsonschema_rs.ReferencingError as error:
        raise SchemaError(f"{path}: unknown $schema dialect: {error}") from None


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
        raise SchemaError(f"{path}: bad {EXTENSION_KEY} extension at {where}: {error.message}")
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


def _local_retriever(schema_path: Path, referenced: list[tuple[Path, bytes]]) -> Any:
    def retrieve(uri: str) -> Any:
        from urllib.parse import unquote, urlparse

        parsed = urlparse(uri)
        if parsed.scheme != "file":
            raise ValueError(
                f"{schema_path}: refuses to fetch {uri}: vaultlint never reads schemas over "
                "the network; save it beside the schema and use a relative $ref"
            )
        target = Path(unquote(parsed.path))
        document, raw = _read_json(target)
        referenced.append((target, raw))
        return document

    return retrieve
