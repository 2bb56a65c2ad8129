"""CI options: output file, format from the environment, exit-zero, baselines, changed-since."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import generated_vault
from tests.test_cli import clean_note, invoke


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    (tmp_path / ".obsidian").mkdir()
    (tmp_path / "bad.md").write_bytes(clean_note(**{"portions: 6": "portions: 0"}))
    return tmp_path


def test_output_file_receives_the_report_and_stdout_stays_empty(vault: Path) -> None:
    code, out, _ = invoke("check", "--output-format", "json", "-o", "report.json", ".", cwd=vault)
    assert (code, out) == (1, "")
    report = json.loads((vault / "report.json").read_text(encoding="utf-8"))
    assert [d["rule"] for d in report["diagnostics"]] == ["schema"]


def test_output_format_comes_from_the_environment(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VAULTLINT_OUTPUT_FORMAT", "json-lines")
    code, out, _ = invoke("check", ".", cwd=vault)
    assert code == 1
    assert json.loads(out)["rule"] == "schema"


def test_github_actions_gets_annotations_by_default(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VAULTLINT_OUTPUT_FORMAT", raising=False)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    _, out, _ = invoke("check", ".", cwd=vault)
    assert out.startswith("::error file=bad.md,line=7,col=11,endLine=7,endColumn=12,")
    _, out, _ = invoke("check", "--output-format", "concise", ".", cwd=vault)
    assert out.startswith("bad.md:7:11: error schema")


def test_exit_zero_keeps_problems_from_failing_but_not_usage_errors(vault: Path) -> None:
    assert invoke("check", "--exit-zero", ".", cwd=vault)[0] == 0
    assert invoke("check", "--exit-zero", "--select", "nope", ".", cwd=vault)[0] == 2


def test_baseline_hides_recorded_problems_and_shows_new_ones(vault: Path) -> None:
    code, _, err = invoke("check", "--write-baseline", "baseline.json", ".", cwd=vault)
    assert (code, err) == (0, "Recorded 1 problem in baseline.json\n")
    code, out, _ = invoke("check", "--baseline", "baseline.json", ".", cwd=vault)
    assert (code, out) == (0, "All checks passed! (1 note checked)\n")
    # Ten lines added above the recorded problem do not make it new...
    note = vault / "bad.md"
    text = note.read_text(encoding="utf-8")
    note.write_text(
        text.replace("cuisine:", "\n".join(f"x{i}: 1" for i in range(10)) + "\ncuisine:", 1),
        "utf-8",
    )
    assert invoke("check", "--baseline", "baseline.json", ".", cwd=vault)[0] == 0
    # ...but a new problem is reported.
    note.write_text(
        note.read_text(encoding="utf-8").replace("temps_total: 230", "temps_total: 200"), "utf-8"
    )
    code, out, _ = invoke(
        "check", "--baseline", "baseline.json", "--output-format", "json", ".", cwd=vault
    )
    assert code == 1
    assert [d["rule"] for d in json.loads(out)["diagnostics"]] == ["time-sum"]


def test_baseline_works_from_another_folder(vault: Path) -> None:
    invoke("check", "--write-baseline", "baseline.json", ".", cwd=vault)
    code, _, _ = invoke(
        "check", "--baseline", str(vault / "baseline.json"), str(vault), cwd=vault.parent
    )
    assert code == 0


def test_a_broken_baseline_is_a_usage_error(vault: Path) -> None:
    (vault / "baseline.json").write_text("[]", encoding="utf-8")
    code, _, err = invoke("check", "--baseline", "baseline.json", ".", cwd=vault)
    assert code == 2
    assert "baseline.json: not a vaultlint baseline" in err


def test_changed_since_checks_only_changed_notes(vault: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=vault, check=True, capture_output=True)

    git("init", "-q")
    git("add", "-A")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "start")
    assert invoke("check", "--changed-since", "HEAD", ".", cwd=vault)[1].startswith(
        "All checks passed! (0 notes"
    )
    new = {"temps_total: 230": "temps_total: 200", "DQDuWQZAaoP": "DQDuWQZAnew"}  # not bad.md's URL
    (vault / "new.md").write_bytes(clean_note(**new))
    code, out, _ = invoke("check", "--changed-since", "HEAD", ".", cwd=vault)
    assert code == 1
    assert out.startswith("new.md:6:14: error time-sum")
    assert "bad.md" not in out


def test_baseline_on_a_generated_vault_reports_exactly_the_new_problem(tmp_path: Path) -> None:
    vault = generated_vault(tmp_path, notes=2000, seed=5, bad_fraction=0.1)
    assert invoke("check", "--write-baseline", "baseline.json", "vault", cwd=tmp_path)[0] == 0
    assert invoke("check", "--baseline", "baseline.json", "vault", cwd=tmp_path)[0] == 0
    manifest = json.loads((tmp_path / "vault.manifest.json").read_text(encoding="utf-8"))
    clean = next(
        e["path"] for e in manifest["notes"] if e["problem"] is None and not e["style"]["crlf"]
    )
    old = next(
        e["path"]
        for e in manifest["notes"]
        if e["problem"] and e["problem"]["kind"] == "french-heading" and not e["style"]["crlf"]
    )
    clean_note_path = vault / clean
    text = clean_note_path.read_text(encoding="utf-8")
    start = text.index("temps_prep: ") + len("temps_prep: ")
    clean_note_path.write_text(text[:start] + "abc" + text[text.index("\n", start) :], "utf-8")
    old_path = vault / old
    old_text = old_path.read_text(encoding="utf-8")
    end_of_frontmatter = old_text.index("\n---\n", 4) + len("\n---\n")
    padding = "".join(f"Ligne ajoutée {i}\n" for i in range(10))
    old_path.write_text(
        old_text[:end_of_frontmatter] + padding + old_text[end_of_frontmatter:], "utf-8"
    )
    code, out, _ = invoke(
        "check", "--baseline", "baseline.json", "--output-format", "json", "vault", cwd=tmp_path
    )
    assert code == 1
    found = json.loads(out)["diagnostics"]
    assert [(d["path"], d["rule"]) for d in found] == [(f"vault/{clean}", "schema")]


@pytest.mark.parametrize("output_format", ["concise", "json", "sarif", "junit", "gitlab"])
def test_the_order_of_the_arguments_does_not_change_a_byte(vault: Path, output_format: str) -> None:
    (vault / "another.md").write_bytes(clean_note(**{"temps_total: 230": "temps_total: 200"}))
    forward = invoke("check", "--output-format", output_format, "bad.md", "another.md", cwd=vault)
    backward = invoke("check", "--output-format", output_format, "another.md", "bad.md", cwd=vault)
    assert forward == backward
