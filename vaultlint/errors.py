"""Errors in the set-up (options, config, schema): the CLI turns them into a message and exit 2.

A problem inside a note is never an exception: it is a `Diagnostic`.
"""

from __future__ import annotations


class UsageError(Exception):
    """A problem with how vaultlint was invoked or configured."""


class ConfigError(UsageError):
    """A configuration file that cannot be read or has a bad key."""


class SchemaError(UsageError):
    """A schema file that cannot be read, is not valid JSON Schema, or has a bad extension."""


class InternalError(Exception):
    """A bug in vaultlint, caught where it can be named (the note, the rule); exit 2."""
