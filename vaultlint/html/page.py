"""Render a vault's report as one self-contained HTML page.

The page holds everything: totals, problems by rule and by folder, the notes with the most
problems, the values of the enum fields, then every problem under its note. Each problem row has
an anchor (`#p-12`) that the tables link to; each note links to its file (`file://`) or, when
`links` says so, to the note in Obsidian (`obsidian://`, see links.py), with the line and its
text beside each problem. Everything from the notes is escaped, and nothing is fetched: the
style and the small filtering script are inline, and a Content-Security-Policy forbids any
request. The output is deterministic: no timestamp unless one is passed in.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path, PurePosixPath
from typing import TextIO

from vaultlint import __version__
from vaultlint.diagnostic import Applicability, Severity
from vaultlint.html.assets import SCRIPT, STYLE
from vaultlint.html.links import Links, file_link
from vaultlint.html.values import ENUM, Distribution
from vaultlint.results import Finding, RunReport

TOP_NOTES = 20  # rows of the "most problems" table
FOLDERS_SHOWN = 15  # folder rows shown at once; the others fold away
LINE_TEXT_MAX = 200  # characters of a problem's line shown under its message
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)


@dataclass(frozen=True, slots=True)
class PageInput:
    title: str
    report: RunReport
    cwd: Path  # the findings' paths are relative to it (or absolute)
    distributions: Sequence[Distribution] = ()
    generated: str | None = None  # shown as is when given (a date, a commit…)
    links: Links = file_link  # absolute note path -> the URI its links open


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@dataclass(frozen=True, slots=True)
class _Note:
    """A note of the report as the page shows it."""

    anchor: str  # "n-3"
    shown: str  # path relative to the base folder
    folder: str  # its folder, relative to the base folder ("." for the base itself)
    uri: str  # file:// or obsidian:// URI
    findings: tuple[tuple[str, Finding], ...]  # (problem anchor, finding)

    def count(self, severity: Severity) -> int:
        return sum(1 for _, f in self.findings if f.severity is severity)


class _Layout:
    """Anchors, short paths and URIs for every note and problem, computed once."""

    def __init__(self, report: RunReport, cwd: Path, links: Links = file_link) -> None:
        absolute = [Path(os.path.normpath(cwd / file.path)) for file in report.files]
        self.base = _common_folder(absolute, cwd)
        self.notes: list[_Note] = []
        self.all_folders: Counter[str] = Counter()
        problem = 0
        for file, path in zip(report.files, absolute, strict=True):
            shown = _relative(path, self.base)
            folder = str(PurePosixPath(shown).parent)
            self.all_folders[folder] += 1
            if not file.findings:
                continue
            anchored = []
            for finding in file.findings:
                problem += 1
                anchored.append((f"p-{problem}", finding))
            anchor = f"n-{len(self.notes) + 1}"
            self.notes.append(_Note(anchor, shown, folder, links(path), tuple(anchored)))

    def problems(self) -> Iterable[tuple[_Note, str, Finding]]:
        for note in self.notes:
            for anchor, finding in note.findings:
                yield note, anchor, finding


def _common_folder(paths: list[Path], cwd: Path) -> Path:
    if not paths:
        return cwd
    try:
        return Path(os.path.commonpath([path.parent for path in paths]))
    except ValueError:  # different drives
        return cwd


def _relative(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()


def render_page(page: PageInput, out: TextIO) -> None:
    layout = _Layout(page.report, page.cwd, page.links)
    parts = [
        _head(page.title),
        _header(page, layout),
        "<main>",
    ]
    if not layout.notes:
        parts.append('<p class="clean">No problem found: every note passes every check.</p>')
    else:
        parts += [
            _rules(layout),
            _folders(layout),
            _top_notes(layout),
        ]
    parts.append(_values(page.distributions))
    if layout.notes:
        parts.append(_problems(layout))
    obsidian = any(note.uri.startswith("obsidian:") for note in layout.notes)
    parts += [
        "</main>",
        _footer(obsidian=obsidian),
        f"<script>\n{SCRIPT}\n</script>",
        "</body>",
        "</html>",
    ]
    out.write("\n".join(part for part in parts if part) + "\n")


def _head(title: str) -> str:
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
            f'<meta name="generator" content="vaultlint {_e(__version__)}">',
            f"<title>{_e(title)}</title>",
            f"<style>\n{STYLE}\n</style>",
            "</head>",
            "<body>",
        ]
    )


def _card(number: int | str, label: str, tone: str = "") -> str:
    kind = f"card {tone}".strip()
    shown = f'<span class="n">{_e(number)}</span><span class="l">{label}</span>'
    return f'<div class="{kind}">{shown}</div>'


def _header(page: PageInput, layout: _Layout) -> str:
    report = page.report
    findings = report.findings
    noted = len(layout.notes)
    share = f" ({noted * 100 // len(report.files)}%)" if report.files else ""
    safe = sum(1 for f in findings if f.fix is Applicability.SAFE)
    unsafe = sum(1 for f in findings if f.fix is Applicability.UNSAFE)
    meta = [f"Folder <span class=mono>{_e(layout.base)}</span>", f"vaultlint {_e(__version__)}"]
    if page.generated:
        meta.append(f"generated {_e(page.generated)}")
    cards = [
        _card(len(report.files), "notes checked"),
        _card(f"{noted}{share}", "notes with problems", "error" if noted else "ok"),
        _card(len(findings), "problems"),
        _card(report.errors, "errors", "error" if report.errors else ""),
        _card(report.warnings, "warnings", "warning" if report.warnings else ""),
        _card(safe, "fixable by <code>vaultlint fix</code>", "ok" if safe else ""),
        _card(unsafe, "more with <code>--unsafe-fixes</code>"),
    ]
    links = [("rules", "By rule"), ("folders", "By folder"), ("top-notes", "Most problems")]
    links = (links if layout.notes else []) + [("values", "Field values")]
    links += [("problems", "All problems")] if layout.notes else []
    nav = " ".join(f'<a href="#{anchor}">{label}</a>' for anchor, label in links)
    return "\n".join(
        [
            "<header>",
            f"<h1>{_e(page.title)}</h1>",
            f'<p class="meta">{" · ".join(meta)}</p>',
            f'<div class="cards">{"".join(cards)}</div>',
            f"<nav>{nav}</nav>",
            "</header>",
        ]
    )


def _bar(count: int, largest: int, tone: str = "") -> str:
    if not count or not largest:
        return '<td class="barcell"></td>'
    width = max(1, round(100 * count / largest))
    kind = f"bar {tone}".strip()
    return f'<td class="barcell"><span class="{kind}" style="width:{width}%"></span></td>'


def _severity(severity: Severity) -> str:
    return f'<span class="sev {severity.value}">{severity.value}</span>'


def _rules(layout: _Layout) -> str:
    rows: dict[str, list[tuple[_Note, str, Finding]]] = {}
    for note, anchor, finding in layout.problems():
        rows.setdefault(finding.rule, []).append((note, anchor, finding))
    ordered = sorted(rows.items(), key=lambda item: (-len(item[1]), item[0]))
    largest = len(ordered[0][1])
    lines = [
        '<section id="rules">',
        "<h2>Problems by rule</h2>",
        "<table>",
        "<thead><tr><th>Rule</th><th>Severity</th><th class=num>Problems</th>"
        "<th class=num>Notes</th><th class=num>Safe fixes</th><th class=num>Unsafe fixes</th>"
        "<th></th><th></th></tr></thead>",
        "<tbody>",
    ]
    for rule, found in ordered:
        severities = sorted({f.severity for _, _, f in found}, key=lambda s: s.value)
        first = found[0][1]
        tone = "error" if Severity.ERROR in severities else "warning"
        safe = sum(1 for _, _, f in found if f.fix is Applicability.SAFE)
        unsafe = sum(1 for _, _, f in found if f.fix is Applicability.UNSAFE)
        lines.append(
            f'<tr><td><a href="#{first}" title="first problem">{_e(rule)}</a></td>'
            f"<td>{' '.join(_severity(s) for s in severities)}</td>"
            f"<td class=num>{len(found)}</td><td class=num>{len({n.anchor for n, _, _ in found})}"
            f"</td><td class=num>{safe or ''}</td><td class=num>{unsafe or ''}</td>"
            f"{_bar(len(found), largest, tone)}"
            f'<td><a href="#problems" data-filter="rule:{_e(rule)}">show all</a></td></tr>'
        )
    lines += ["</tbody>", "</table>", "</section>"]
    return "\n".join(lines)


def _folders(layout: _Layout) -> str:
    by_folder: dict[str, list[_Note]] = {}
    for note in layout.notes:
        by_folder.setdefault(note.folder, []).append(note)
    counted = {
        folder: sum(len(n.findings) for n in by_folder.get(folder, []))
        for folder in layout.all_folders
    }
    ordered = sorted(layout.all_folders, key=lambda folder: (-counted[folder], folder))
    largest = max(counted.values())
    rows = [
        _folder_row(folder, by_folder.get(folder, []), layout.all_folders[folder], largest)
        for folder in ordered
    ]
    lines = [
        '<section id="folders">',
        "<h2>Problems by folder</h2>",
        *_folder_table(rows[:FOLDERS_SHOWN]),
    ]
    if len(rows) > FOLDERS_SHOWN:
        more = len(rows) - FOLDERS_SHOWN
        lines += [f"<details><summary>{_plural(more, 'more folder')}</summary>"]
        lines += [*_folder_table(rows[FOLDERS_SHOWN:]), "</details>"]
    lines.append("</section>")
    return "\n".join(lines)


def _folder_table(rows: list[str]) -> list[str]:
    head = (
        "<thead><tr><th>Folder</th><th class=num>Notes</th><th class=num>With problems</th>"
        "<th class=num>Problems</th><th class=num>Errors</th><th class=num>Warnings</th>"
        "<th></th><th></th></tr></thead>"
    )
    return ['<table class="folders">', head, "<tbody>", *rows, "</tbody>", "</table>"]


def _folder_row(folder: str, notes: list[_Note], checked: int, largest: int) -> str:
    problems = sum(len(n.findings) for n in notes)
    errors = sum(n.count(Severity.ERROR) for n in notes)
    warnings = sum(n.count(Severity.WARNING) for n in notes)
    shown = _e(folder if folder != "." else "(top folder)")
    name = f'<a href="#{notes[0].anchor}">{shown}</a>' if notes else shown
    show = f'<a href="#problems" data-filter="folder:{_e(folder)}">show all</a>' if notes else ""
    return (
        f"<tr><td>{name}</td><td class=num>{checked}</td>"
        f"<td class=num>{len(notes)}</td><td class=num>{problems}</td>"
        f"<td class=num>{errors or ''}</td><td class=num>{warnings or ''}</td>"
        f"{_bar(problems, largest)}<td>{show}</td></tr>"
    )


def _top_notes(layout: _Layout) -> str:
    ordered = sorted(layout.notes, key=lambda n: (-len(n.findings), n.shown))[:TOP_NOTES]
    lines = [
        '<section id="top-notes">',
        f"<h2>The {_plural(len(ordered), 'note')} with the most problems</h2>",
        "<table>",
        "<thead><tr><th>Note</th><th class=num>Problems</th><th class=num>Errors</th>"
        "<th class=num>Warnings</th><th>Rules</th></tr></thead>",
        "<tbody>",
    ]
    for note in ordered:
        rules = Counter(f.rule for _, f in note.findings)
        listed = ", ".join(
            f"{_e(rule)}{f' ×{count}' if count > 1 else ''}"
            for rule, count in sorted(rules.items())
        )
        lines.append(
            f'<tr><td><a href="#{note.anchor}">{_e(note.shown)}</a></td>'
            f"<td class=num>{len(note.findings)}</td>"
            f"<td class=num>{note.count(Severity.ERROR) or ''}</td>"
            f"<td class=num>{note.count(Severity.WARNING) or ''}</td><td>{listed}</td></tr>"
        )
    lines += ["</tbody>", "</table>", "</section>"]
    return "\n".join(lines)


def _values(distributions: Sequence[Distribution]) -> str:
    lines = ['<section id="values">', "<h2>Field values</h2>"]
    if not distributions:
        lines.append("<p>No field of the schema has an enum or known values.</p>")
        return "\n".join([*lines, "</section>"])
    lines.append(
        "<p>Every value the notes give each field with an enum or known values, most used "
        "first. A value outside the list is flagged: this is where typos show up.</p>"
    )
    several = len({d.schema for d in distributions}) > 1
    lines.append('<div class="grid">')
    for index, distribution in enumerate(distributions, start=1):
        lines += _distribution(distribution, f"v-{index}", several=several)
    lines += ["</div>", "</section>"]
    return "\n".join(lines)


def _distribution(distribution: Distribution, anchor: str, *, several: bool) -> list[str]:
    source = "enum" if distribution.source == ENUM else "known values"
    outside = "outside the enum" if distribution.source == ENUM else "not a known value"
    outside_many = "outside the enum" if distribution.source == ENUM else "not known"
    schema = f" ({_e(distribution.schema)})" if several else ""
    facts = [f"{_plural(distribution.notes, 'note')}", f"{distribution.missing} without a value"]
    if distribution.outside:
        count = _plural(distribution.outside, "value")
        facts.append(f'<span class="flag">{count} {outside_many}</span>')
    largest = max((v.count for v in distribution.values), default=0)
    lines = [
        f'<div class="field" id="{anchor}">',
        f"<h3><code>{_e(distribution.field)}</code>{schema} · {source}</h3>",
        f"<p>{', '.join(facts)}</p>",
        "<table>",
        "<thead><tr><th>Value</th><th class=num>Notes</th><th></th></tr></thead>",
        "<tbody>",
    ]
    for value in distribution.values:
        if value.allowed:
            kind = ' class="unused"' if value.count == 0 else ""
            note = ""
        else:
            kind = ' class="outside near"' if value.like is not None else ' class="outside"'
            hint = f": {_e(value.hint)}" if value.hint else ""
            note = f'<span class="flag">⚠ {outside}{hint}</span>'
        lines.append(
            f"<tr{kind}><td><code>{_e(value.value)}</code>{note}</td>"
            f"<td class=num>{value.count}</td>"
            f"{_bar(value.count, largest, '' if value.allowed else 'error')}</tr>"
        )
    lines += ["</tbody>", "</table>", "</div>"]
    return lines


def _problems(layout: _Layout) -> str:
    rules = sorted({f.rule for _, _, f in layout.problems()})
    folders = sorted({note.folder for note in layout.notes})
    options = ['<option value="">every problem</option>']
    options += [f'<option value="rule:{_e(r)}">rule {_e(r)}</option>' for r in rules]
    options += [
        f'<option value="folder:{_e(f)}">folder {_e(f if f != "." else "(top folder)")}</option>'
        for f in folders
    ]
    lines = [
        '<section id="problems">',
        "<h2>All problems, note by note</h2>",
        '<div id="filters" hidden><label>Show <select id="filter">'
        + "".join(options)
        + "</select></label></div>",
    ]
    for note in layout.notes:
        lines += _note(note)
    lines.append("</section>")
    return "\n".join(lines)


def _note(note: _Note) -> list[str]:
    lines = [
        f'<article class="note" id="{note.anchor}" data-folder="{_e(note.folder)}">',
        f'<h3><a href="{_e(note.uri)}">{_e(note.shown)}</a>'
        f'<span class="count">{_plural(len(note.findings), "problem")}</span></h3>',
        "<table>",
        '<colgroup><col class="c-where"><col class="c-sev"><col class="c-rule"><col>'
        '<col class="c-fix"></colgroup>',
        "<thead><tr><th>Line:col</th><th>Severity</th><th>Rule</th><th>Message</th>"
        "<th>Fix</th></tr></thead>",
        "<tbody>",
    ]
    for anchor, finding in note.findings:
        lines.append(_problem_row(note, anchor, finding))
    lines += ["</tbody>", "</table>", "</article>"]
    return lines


def _problem_row(note: _Note, anchor: str, finding: Finding) -> str:
    where = f"{finding.line}:{finding.column}"
    title = f"open {note.shown} (the problem is on line {finding.line})"
    text = finding.line_text.rstrip("\r\n")
    if len(text) > LINE_TEXT_MAX:
        text = text[:LINE_TEXT_MAX] + "…"
    code = f"<code>{_e(text)}</code>" if text.strip() else ""
    fix = ""
    if finding.fix is Applicability.SAFE:
        fix = '<span class="fix">[*] safe</span>'
    elif finding.fix is Applicability.UNSAFE:
        fix = '<span class="fix unsafe">unsafe</span>'
    return (
        f'<tr id="{anchor}" data-rule="{_e(finding.rule)}">'
        f'<td class="where mono"><a href="{_e(note.uri)}" title="{_e(title)}">{where}</a></td>'
        f"<td>{_severity(finding.severity)}</td><td>{_e(finding.rule)}</td>"
        f'<td class="message">{_e(finding.message)}{code}</td><td>{fix}</td></tr>'
    )


def _footer(*, obsidian: bool = False) -> str:
    opened = (
        "in Obsidian (<code>obsidian://</code>)" if obsidian else "as files (<code>file://</code>)"
    )
    return (
        f"<footer>Written by vaultlint. Links open the notes {opened}; "
        "the line of each problem stands beside it. <code>vaultlint rules RULE-ID</code> explains "
        "a rule; <code>vaultlint fix</code> applies the safe fixes.</footer>"
    )
