"""Every valid YAML document, wrapped as a note's frontmatter, goes through `check` and `fix`.

Two sources: our own documents in `tests/yaml_suite/` (always run; `expect.json` says what each
must read as), and the valid documents of the official YAML test suite in
`../shared/corpus/yaml-test-suite/` (run where that corpus is present, skipped saying so where it
is not; it is never copied into the project). Each document is wrapped twice:

- as the whole frontmatter of a note with a clean body (`---` + document + `---` + body);
- under a property of a recipe note that has fixable problems, so that fixes edit a frontmatter
  holding the document.

Each wrapped note must give diagnostics or a clean pass with no exception, every diagnostic
inside the note, and a fix that either changes nothing or writes a note whose frontmatter still
reads (`tests/fuzz/pipeline.py`). Where the suite's `index.json` says more about a document (a
single mapping, a list, a scalar, rejected by PyYAML), the test asserts more.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SHARED
from tests.fuzz.pipeline import check_note, fix_note_checked, fixer_module
from tests.test_cli import clean_note, invoke
from vaultlint.diagnostic import Applicability
from vaultlint.engine import LintResult
from vaultlint.note import Note

OWN = Path(__file__).parent / "yaml_suite"
OWN_EXPECTED: dict[str, str] = json.loads((OWN / "expect.json").read_text(encoding="utf-8"))
OWN_DOCUMENTS = sorted(OWN.glob("*.yaml"))
CORPUS = SHARED / "corpus" / "yaml-test-suite"
CORPUS_ABSENT = f"{CORPUS} is absent: the YAML test suite corpus is not here"

CLEAN_NOTE = clean_note()
CLEAN_FRONTMATTER, CLEAN_BODY = CLEAN_NOTE.split(b"\n---\n", 1)
# The clean recipe note with two fixable problems: a wrong total and a wrong time bucket tag.
FIXABLE_FRONTMATTER = CLEAN_FRONTMATTER.replace(b"temps_total: 230", b"temps_total: 200")
assert FIXABLE_FRONTMATTER != CLEAN_FRONTMATTER

# Rules whose diagnostics always point into the frontmatter block.
FRONTMATTER_RULES = frozenset(
    {
        "frontmatter-syntax",
        "limit",
        "schema",
        "time-sum",
        "tag-missing",
        "tag-conflict",
        "tag-format",
        "tag-unknown",
        "tag-duplicate",
        "tag-count",
        "value-unknown",
    }
)


def as_frontmatter(document: bytes) -> bytes:
    """The document as the whole frontmatter of a note with a clean body."""
    if document and not document.endswith(b"\n"):
        document += b"\n"
    return b"---\n" + document + b"---\n" + CLEAN_BODY


def under_a_property(document: bytes) -> bytes:
    """The document, indented, as the value of `extra:` in a recipe note with fixable problems."""
    lines = document.splitlines(keepends=True) or [b"\n"]
    indented = b"".join(b"  " + line if line.strip() else line for line in lines)
    if not indented.endswith(b"\n"):
        indented += b"\n"
    return FIXABLE_FRONTMATTER + b"\nextra:\n" + indented + b"---\n" + CLEAN_BODY


def corpus_index() -> dict[str, dict[str, Any]]:
    if not CORPUS.is_dir():
        return {}
    index = json.loads((CORPUS / "index.json").read_text(encoding="utf-8"))
    return {entry["file"]: entry for entry in index["files"]}


CORPUS_INDEX = corpus_index()

# Valid YAML that the pure-Python PyYAML loads but libyaml (the C loader vaultlint composes with)
# rejects: each must be one frontmatter-syntax diagnostic, like any YAML vaultlint cannot read.
LIBYAML_REJECTS = {
    "4ABK.yaml": "a flow mapping entry with an omitted value (`omitted value:,`)",
    "96NN-00.yaml": "a tab after the indentation of a block scalar line",
    "96NN-01.yaml": "a tab after the indentation of a block scalar line",
    "Y79Y-001.yaml": "a tab after the indentation of a block scalar line",
}


def corpus_params(keep: str = "all") -> list[Any]:
    """One parameter per corpus file that `keep` selects, or one skipped parameter without it."""
    if not CORPUS_INDEX:
        return [pytest.param(None, marks=pytest.mark.skip(reason=CORPUS_ABSENT), id="absent")]
    entries = [entry for entry in CORPUS_INDEX.values() if _kept(entry, keep)]
    return [pytest.param(entry["file"], id=entry["file"]) for entry in entries]


def _kept(entry: dict[str, Any], keep: str) -> bool:
    single = entry["docs"] == 1 and not entry["doc_markers"] and not entry["directives"]
    loads = entry["pyyaml"] == "ok" and entry["ruamel_rt"] == "ok"
    if keep == "single-mapping":
        return single and loads and entry["root"] in ("dict", "CommentedMap")
    if keep == "not-a-mapping":
        return single and loads and entry["root"] in ("list", "CommentedSeq", "str")
    if keep == "rejected-by-pyyaml":
        return single and entry["pyyaml"] == "error"
    return True


def corpus_document(name: str | None) -> bytes:
    assert name is not None
    return (CORPUS / name).read_bytes()


def frontmatter_problems(result: LintResult) -> list[str]:
    return [d.rule for d in result.diagnostics if d.rule in ("frontmatter-syntax", "limit")]


def assert_goes_through(raw: bytes) -> LintResult:
    """check: no exception, diagnostics inside the note; fix: nothing refused, still readable."""
    result = check_note(raw)
    fixed = fix_note_checked(raw)
    if fixed is not None:
        assert fixed.refused is None, f"the fixer refused its own fix: {fixed.refused}"
    return result


def assert_frontmatter_rules_point_into_the_frontmatter(result: LintResult) -> None:
    note = result.note
    block = note.block
    assert block is not None
    assert block.terminated
    body_start = note.char_to_byte(block.body_start)
    for diagnostic in result.diagnostics:
        if diagnostic.rule in FRONTMATTER_RULES:
            assert diagnostic.end <= body_start, diagnostic


# --- our own documents (always run) --------------------------------------------------------------


def test_every_own_document_declares_what_it_reads_as() -> None:
    declared = {name for name in OWN_EXPECTED if name != "_"}
    assert declared == {path.name for path in OWN_DOCUMENTS}


@pytest.mark.parametrize("document", OWN_DOCUMENTS, ids=lambda path: path.name)
def test_own_document_as_frontmatter_reads_as_declared(document: Path) -> None:
    result = assert_goes_through(as_frontmatter(document.read_bytes()))
    assert_frontmatter_rules_point_into_the_frontmatter(result)
    frontmatter = result.note.frontmatter
    assert frontmatter is not None
    expected = OWN_EXPECTED[document.name]
    if expected in ("mapping", "empty"):
        assert frontmatter_problems(result) == []
        assert frontmatter.data is not None
        assert bool(frontmatter.data) == (expected == "mapping")
    else:
        assert frontmatter_problems(result) == ["frontmatter-syntax"]
        assert frontmatter.data is None
    if expected == "not-a-mapping":
        assert frontmatter.problem is not None
        assert "not a mapping" in frontmatter.problem.message


@pytest.mark.parametrize("document", OWN_DOCUMENTS, ids=lambda path: path.name)
def test_own_document_under_a_property_goes_through_check_and_fix(document: Path) -> None:
    assert_goes_through(under_a_property(document.read_bytes()))


# --- the YAML test suite (where the corpus is present) -------------------------------------------


@pytest.mark.parametrize("name", corpus_params())
def test_suite_document_goes_through_check_and_fix(name: str | None) -> None:
    document = corpus_document(name)
    assert_goes_through(as_frontmatter(document))
    assert_goes_through(under_a_property(document))


@pytest.mark.parametrize("name", corpus_params("single-mapping"))
def test_suite_single_mapping_reads_and_safe_fix_changes_nothing(name: str | None) -> None:
    raw = as_frontmatter(corpus_document(name))
    result = assert_goes_through(raw)
    assert_frontmatter_rules_point_into_the_frontmatter(result)
    if name in LIBYAML_REJECTS:
        assert frontmatter_problems(result) == ["frontmatter-syntax"]
        return
    assert frontmatter_problems(result) == []
    fixer = fixer_module()
    if fixer is not None:
        outcome = fixer.fix_note(result.note, None, _every_rule(), Applicability.SAFE)
        assert outcome.fixed == raw


@pytest.mark.parametrize("name", corpus_params("not-a-mapping"))
def test_suite_list_or_scalar_is_one_not_a_mapping_diagnostic(name: str | None) -> None:
    result = assert_goes_through(as_frontmatter(corpus_document(name)))
    problem = result.note.frontmatter.problem if result.note.frontmatter else None
    assert frontmatter_problems(result) == ["frontmatter-syntax"]
    assert problem is not None
    assert "not a mapping" in problem.message


@pytest.mark.parametrize("name", corpus_params("rejected-by-pyyaml"))
def test_suite_document_pyyaml_rejects_reads_or_is_one_syntax_diagnostic(name: str | None) -> None:
    # PyYAML's safe_load refuses some for their unknown `!tags`, which vaultlint, composing nodes
    # and building values itself, reads; the others (YAML 1.2 only) are one syntax diagnostic.
    result = assert_goes_through(as_frontmatter(corpus_document(name)))
    assert frontmatter_problems(result) in ([], ["frontmatter-syntax"])
    assert_frontmatter_rules_point_into_the_frontmatter(result)


def _every_rule() -> Any:
    from tests.fuzz.pipeline import every_rule

    return every_rule()


# --- the command line over all of them at once ---------------------------------------------------


def all_documents() -> Iterator[tuple[str, bytes]]:
    for path in OWN_DOCUMENTS:
        yield f"own-{path.stem}", path.read_bytes()
    for name in CORPUS_INDEX:
        yield f"suite-{Path(name).stem}", corpus_document(name)


def test_check_fix_diff_and_fix_over_every_document_print_no_traceback(tmp_path: Path) -> None:
    originals: dict[Path, bytes] = {}
    for stem, document in all_documents():
        wraps = (("fm", as_frontmatter(document)), ("prop", under_a_property(document)))
        for wrap, wrapped in wraps:
            path = tmp_path / f"{stem}-{wrap}.md"
            path.write_bytes(wrapped)
            originals[path] = wrapped

    code, out, err = invoke("check", "--output-format", "json", ".", cwd=tmp_path)
    assert code in (0, 1), err
    assert "Traceback" not in out + err
    assert "internal error" not in err
    report = json.loads(out)
    assert report["files"] == len(originals)
    reported = {diagnostic["path"] for diagnostic in report["diagnostics"]}
    assert reported == {path.name for path in originals}  # each has a finding: schema at least

    if fixer_module() is None:
        pytest.skip("vaultlint.fixer does not exist yet: fix --diff and fix not run")
    code, out, err = invoke("fix", "--diff", "--unsafe-fixes", ".", cwd=tmp_path)
    assert code in (0, 1), err
    assert "Traceback" not in out + err
    assert "internal error" not in err
    assert all(path.read_bytes() == raw for path, raw in originals.items())  # --diff writes nothing

    code, out, err = invoke("fix", "--unsafe-fixes", ".", cwd=tmp_path)
    assert code in (0, 1), err
    assert "Traceback" not in out + err
    assert "internal error" not in err
    for path, raw in originals.items():
        before, after = Note.from_bytes(raw), Note.from_bytes(path.read_bytes())
        assert after.text is not None, path.name
        if before.frontmatter is not None and before.frontmatter.data is not None:
            assert after.frontmatter is not None, path.name
            assert after.frontmatter.data is not None, path.name
