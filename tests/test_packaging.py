"""What a user of the package relies on and cannot see from the code: the licence and types."""

from __future__ import annotations

import tomllib

from tests.conftest import PROJECT


def _project() -> dict[str, object]:
    with (PROJECT / "pyproject.toml").open("rb") as file:
        project: dict[str, object] = tomllib.load(file)["project"]
    return project


def test_the_license_file_is_the_mit_license_pyproject_declares() -> None:
    text = (PROJECT / "LICENSE").read_text(encoding="utf-8")
    assert _project()["license"] == "MIT"
    assert text.startswith("MIT License\n")
    assert "Copyright (c) 2026 the vaultlint authors" in text


def test_the_package_is_marked_typed_as_its_classifier_says() -> None:
    classifiers = _project()["classifiers"]
    assert isinstance(classifiers, list)
    assert "Typing :: Typed" in classifiers
    assert (PROJECT / "vaultlint" / "py.typed").is_file()


def test_every_supported_python_version_has_its_classifier() -> None:
    classifiers = _project()["classifiers"]
    assert isinstance(classifiers, list)
    assert _project()["requires-python"] == ">=3.11"
    for minor in (11, 12, 13):
        assert f"Programming Language :: Python :: 3.{minor}" in classifiers


def test_the_project_urls_name_the_source_and_the_issues() -> None:
    urls = _project()["urls"]
    assert isinstance(urls, dict)
    assert {"Homepage", "Source", "Issues", "Documentation"} <= set(urls)
