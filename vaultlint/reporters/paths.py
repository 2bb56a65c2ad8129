"""Paths as CI services want them: relative to the checked-out project, not the current folder.

A finding's path is relative to the folder vaultlint ran in (or absolute when outside it); GitHub
resolves annotation and SARIF paths against the repository root (`GITHUB_WORKSPACE`), GitLab its
Code Quality paths against `CI_PROJECT_DIR`. Running in a sub-folder of the project must still
point at the right file.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from vaultlint.reporters import ReportContext

GITHUB_WORKSPACE = "GITHUB_WORKSPACE"
CI_PROJECT_DIR = "CI_PROJECT_DIR"


def project_path(path: str, context: ReportContext, variable: str) -> str:
    """`path` relative to the folder named by the environment `variable` when it is set and holds
    the path, else `path` unchanged."""
    environ = os.environ if context.environ is None else context.environ
    project = environ.get(variable)
    if not project:
        return path
    cwd = context.cwd if context.cwd is not None else Path.cwd().resolve()
    absolute = Path(os.path.normpath(cwd / path))
    # The variable may name the project through a symbolic link (macOS /var -> /private/var).
    for folder in dict.fromkeys((Path(project), Path(os.path.realpath(project)))):
        try:
            relative = absolute.relative_to(folder)
        except ValueError:
            continue
        return relative.as_posix() if relative.parts else path
    return path


def uri_reference(path: str) -> str:
    """A POSIX path as a URI reference: relative stays relative, absolute becomes `file://`.

    Every character outside the unreserved set is percent-encoded (UTF-8 for non-ASCII), so a
    space is `%20` and a `:` in the first segment cannot be read as a URI scheme.
    """
    if path.startswith("/"):
        return PurePosixPath(path).as_uri()
    return quote(os.fsencode(path), safe="/")  # fsencode: a non-UTF-8 name keeps its bytes
