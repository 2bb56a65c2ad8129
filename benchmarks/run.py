"""Time vaultlint against the floor, side by side, and print medians and ratios as Markdown.

    python -m benchmarks.run [--notes 10000] [--runs 5] [--workdir DIR] [--peers] [--curve]
                             [--write benchmarks/RESULTS.md]

Whole processes, as a user runs them: `subprocess` with `time.perf_counter` around each run, and
`os.wait4` for that run's CPU time and peak memory (ru_maxrss; a pool's workers included, since
they are waited for). The cases take turns (floor, cold, warm, ... then again), so that a busy
machine slows them alike, and each row gives the median of `--runs`. Nothing here needs a tool
outside the repository and PyPI; `--peers` adds rumdl and check-jsonschema when they are on PATH
(and says nothing otherwise).

Vaults come from `benchmarks/make_vault.py` (deterministic; files aged a day, as a vault is):
`--notes` notes with 10 % bad for check, 20 % bad for fix (copied fresh before every fix run and
before the check it is compared with). Until the CLI lists `--jobs`, `--no-cache` and
`--cache-strategy`, the runs go through `benchmarks/check_entry.py` (same code, no click), and the
output says so.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.make_vault import age, write_vault

REPO = Path(__file__).resolve().parent.parent
CACHE_DIR = ".vaultlint_cache"

FLOOR_SCRIPT = """
import os, sys
def notes(folder):
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from notes(entry.path)
        elif entry.name.endswith(".md"):
            yield entry.path
size = 0
for path in notes(sys.argv[1]):
    with open(path, "rb") as handle:
        size += len(handle.read())
print(size)
"""


@dataclass
class Sample:
    wall: float
    cpu: float
    max_rss_kib: int
    code: int


@dataclass
class Case:
    name: str
    argv: Callable[[], tuple[list[str], Path]]  # prepares (untimed), returns argv and cwd
    samples: list[Sample] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return statistics.median(sample.wall for sample in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(sample.cpu for sample in self.samples)

    @property
    def rss_mib(self) -> float:
        return max(sample.max_rss_kib for sample in self.samples) / 1024


def measure(argv: Sequence[str], cwd: Path, env: dict[str, str]) -> Sample:
    start = time.perf_counter()
    process = subprocess.Popen(
        list(argv), cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    error = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
    if process.returncode not in (0, 1) or "Traceback" in error:
        raise SystemExit(f"{' '.join(argv)} failed ({process.returncode}):\n{error}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, process.returncode)


# ------------------------------------------------------------------------------ vaults


def make(folder: Path, notes: int, bad_fraction: float) -> Path:
    if not folder.exists():
        write_vault(folder, notes, seed=42, bad_fraction=bad_fraction)
        age(folder)
    return folder


def fresh_copy(template: Path, destination: Path) -> Path:
    if destination.exists():
        shutil.rmtree(destination)
    shutil.copytree(template, destination, symlinks=True)
    return destination


def drop_cache(vault: Path) -> None:
    shutil.rmtree(vault / CACHE_DIR, ignore_errors=True)


def one_note(vault: Path) -> Path:
    return next(path for path in sorted(vault.glob("Recettes/*/*.md")))


# ----------------------------------------------------------------------------- command


def vaultlint_command(env: dict[str, str]) -> tuple[list[str], bool]:
    """`python -m vaultlint`, or the click-free entry when the CLI lacks the speed flags."""
    help_text = subprocess.run(
        [sys.executable, "-m", "vaultlint", "check", "--help"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    ).stdout
    if all(flag in help_text for flag in ("--jobs", "--no-cache", "--cache-strategy")):
        return [sys.executable, "-m", "vaultlint"], True
    return [sys.executable, "-m", "benchmarks.check_entry"], False


def build_cases(
    work: Path, notes: int, env: dict[str, str], peers: bool
) -> tuple[list[Case], bool]:
    vault = make(work / "vault", notes, 0.1)
    fix_template = make(work / "vault-fix-template", notes, 0.2)
    base, wired = vaultlint_command(env)
    check = [*base, "check"] if wired else base
    note = one_note(vault).relative_to(vault)

    def cold(*extra: str) -> Callable[[], tuple[list[str], Path]]:
        def prepare() -> tuple[list[str], Path]:
            drop_cache(vault)
            return [*check, "-q", *extra, "."], vault

        return prepare

    def warm() -> tuple[list[str], Path]:
        # Fill the cache first (untimed): any edit to vaultlint's sources changes its key.
        measure([*check, "-q", "."], vault, env)
        return [*check, "-q", "."], vault

    def one(*, cached: bool) -> Callable[[], tuple[list[str], Path]]:
        def prepare() -> tuple[list[str], Path]:
            if not cached:
                drop_cache(vault)
            else:
                measure([*check, "-q", str(note)], vault, env)
            return [*check, "-q", str(note)], vault

        return prepare

    cases = [
        Case(
            "floor: list and read every note",
            lambda: ([sys.executable, "-c", FLOOR_SCRIPT, "."], vault),
        ),
        Case("python -c pass", lambda: ([sys.executable, "-c", "pass"], vault)),
        Case("check, cold, --jobs 1", cold("--jobs", "1")),
        Case("check, cold, --jobs 1 --no-cache", cold("--jobs", "1", "--no-cache")),
        Case("check, cold, all cores", cold()),
        Case("check, warm (mtime)", warm),
        Case("check, warm, --cache-strategy content", _content_warm(check, vault, env)),
        Case("check ONE.md, cold", one(cached=False)),
        Case("check ONE.md, warm", one(cached=True)),
        *_fix_cases(work, fix_template, check),
    ]
    if peers:
        cases += _peer_cases(work, vault)
    return cases, wired


def _fix_cases(work: Path, template: Path, check: list[str]) -> list[Case]:
    """fix, fix --diff (the same work, nothing written: no fsync) and check, each on a copy."""
    fix = [sys.executable, "-m", "vaultlint", "fix"]

    def on_copy(argv: list[str], name: str) -> Callable[[], tuple[list[str], Path]]:
        return lambda: (argv, fresh_copy(template, work / name))

    return [
        Case("fix (20 % bad), fresh copy", on_copy([*fix, "-q", "."], "vault-fix")),
        Case(
            "fix --diff (20 % bad): fix without writing",
            on_copy([*fix, "--diff", "-q", "."], "vault-fix"),
        ),
        Case("check (20 % bad), fresh copy", on_copy([*check, "-q", "."], "vault-check")),
    ]


def _content_warm(
    check: list[str], vault: Path, env: dict[str, str]
) -> Callable[[], tuple[list[str], Path]]:
    argv = [*check, "-q", "--cache-strategy", "content", "."]

    def prepare() -> tuple[list[str], Path]:
        measure(argv, vault, env)  # the content cache is another file: make sure it is filled
        return argv, vault

    return prepare


def _peer_cases(work: Path, vault: Path) -> list[Case]:
    """rumdl (Markdown lint, Rust) and check-jsonschema (frontmatters as YAML files), if present."""
    cases = []
    rumdl = shutil.which("rumdl")
    if rumdl:
        cases.append(Case("peer: rumdl check", lambda: ([rumdl, "check", "."], vault)))
    checker = shutil.which("check-jsonschema")
    if checker:
        frontmatters = _frontmatter_files(vault, work / "frontmatters")
        schema = REPO / "schemas" / "recipe.schema.json"
        files = [str(path) for path in sorted(frontmatters.iterdir())]
        cases.append(
            Case(
                "peer: check-jsonschema (frontmatters)",
                lambda: ([checker, "--schemafile", str(schema), *files], frontmatters),
            )
        )
    return cases


def _frontmatter_files(vault: Path, out: Path) -> Path:
    if out.exists():
        return out
    out.mkdir()
    for number, note in enumerate(sorted(vault.rglob("*.md"))):
        text = note.read_bytes().decode("utf-8", "replace").lstrip("\ufeff")
        if not text.startswith("---"):
            continue
        end = text.find("\n---", 3)
        if end != -1:
            (out / f"{number:06d}.yaml").write_text(text[4 : end + 1], encoding="utf-8")
    return out


# ------------------------------------------------------------------------------ recall


def recall(vault: Path) -> str:
    """Whether check finds every injected problem on its line, and nothing in clean notes."""
    import json

    from vaultlint.runner import Runner, RunOptions

    manifest = vault.parent / f"{vault.name}.manifest.jsonl"
    report = Runner(RunOptions(jobs=1, cache=False), cwd=vault).run([vault])
    found = {file.path: [(f.rule, f.line) for f in file.findings] for file in report.files}
    injected = found_on_line = false_positives = 0
    for line in manifest.read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        findings = found.get(entry["path"], [])
        if entry["kind"] is None:
            false_positives += len(findings)
            continue
        injected += 1
        wanted = [(rule, at) for rule, at in findings if rule == entry["rule"]]
        if wanted and (entry["line"] is None or (entry["rule"], entry["line"]) in wanted):
            found_on_line += 1
    return (
        f"Recall on the benchmark vault: {found_on_line}/{injected} injected problems reported "
        f"by their rule on their line; {false_positives} findings in clean notes."
    )


def _recall_in_child(vault: Path, env: dict[str, str]) -> str:
    """`recall` in another process: importing vaultlint here would grow this process, and a
    child's peak RSS counts the pages it shares with its parent when it starts."""
    code = "import sys; from pathlib import Path; from benchmarks.run import recall; "
    code += "print(recall(Path(sys.argv[1])))"
    done = subprocess.run(
        [sys.executable, "-c", code, str(vault)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    return done.stdout.strip() or f"Recall: not measured ({done.stderr.strip()[-200:]})"


# ------------------------------------------------------------------------------ report


@dataclass(frozen=True)
class Target:
    case: str
    versus: str
    limit: float
    what: str


TARGETS = [
    Target("check, cold, --jobs 1", "floor: list and read every note", 8.0, "≤ 8× floor"),
    Target("check, cold, all cores", "floor: list and read every note", 5.0, "≤ 5× floor"),
    Target("check, warm (mtime)", "floor: list and read every note", 1.0, "≤ 1× floor"),
    Target("check ONE.md, cold", "python -c pass", 5.0, "≤ 5× python -c pass"),
    Target("check ONE.md, warm", "python -c pass", 5.0, "≤ 5× python -c pass"),
    Target("fix (20 % bad), fresh copy", "check (20 % bad), fresh copy", 1.5, "≤ 1.5× check"),
]


def table(cases: list[Case], notes: int) -> str:
    by_name = {case.name: case for case in cases}
    floor = by_name["floor: list and read every note"].wall
    targets = {target.case: target for target in TARGETS}
    lines = [
        "| case | median wall (s) | median CPU (s) | peak RSS (MiB) | × floor | target | met |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for case in cases:
        target = targets.get(case.name)
        ratio_text = met = ""
        if target is not None:
            ratio = case.wall / by_name[target.versus].wall
            ratio_text = f"{ratio:.2f}× {_short(target.versus)}"
            met = "yes" if ratio <= target.limit else f"no ({ratio / target.limit:.2f}× the limit)"
        goal = f"{target.what}: {ratio_text}" if target else ""
        lines.append(
            f"| {case.name} | {case.wall:.3f} | {case.cpu:.3f} | {case.rss_mib:.1f} | "
            f"{case.wall / floor:.2f} | {goal} | {met} |"
        )
    memory = by_name["check, cold, --jobs 1 --no-cache"].rss_mib
    lines.append(
        f"| memory: check, cold, --jobs 1 --no-cache, {notes:,} notes | | | {memory:.1f} | | "
        f"≤ 64 MiB | {'yes' if memory <= 64 else 'no'} |"
    )
    return "\n".join(lines)


def _short(name: str) -> str:
    return "floor" if name.startswith("floor") else name


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return (
        f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {model}; "
        f"Python {platform.python_version()} ({platform.python_implementation()}); "
        f"{platform.system()} {platform.release()}; vaultlint at {commit or 'unknown'} "
        "(plus uncommitted changes, if any)"
    )


# ------------------------------------------------------------------------------- curve


def curve(work: Path, sizes: Sequence[int], runs: int, env: dict[str, str]) -> str:
    """Cost per note, one process, no cache, from small to large vaults."""
    base, wired = vaultlint_command(env)
    check = [*base, "check"] if wired else base
    lines = [
        "| notes | median wall (s) | µs per note | peak RSS (MiB) |",
        "|---:|---:|---:|---:|",
    ]
    for size in sizes:
        vault = make(work / f"curve-{size}", size, 0.1)
        samples = [
            measure([*check, "-q", "--jobs", "1", "--no-cache", "."], vault, env)
            for _ in range(runs)
        ]
        wall = statistics.median(sample.wall for sample in samples)
        rss = max(sample.max_rss_kib for sample in samples) / 1024
        lines.append(f"| {size:,} | {wall:.3f} | {wall / size * 1e6:.0f} | {rss:.1f} |")
    return "\n".join(lines)


# -------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workdir", type=Path, help="keep the vaults here (default: a temp dir)")
    parser.add_argument("--peers", action="store_true", help="add rumdl and check-jsonschema")
    parser.add_argument(
        "--curve", type=str, default="", help="comma-separated vault sizes, e.g. 1000,10000,100000"
    )
    parser.add_argument("--write", type=Path, help="also write the tables to this Markdown file")
    arguments = parser.parse_args(argv)

    work = arguments.workdir or Path(tempfile.mkdtemp(prefix="vaultlint-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
    }
    env.pop("NO_COLOR", None)
    # An installed wheel has its bytecode compiled; a checkout run with PYTHONDONTWRITEBYTECODE
    # would compile every module at every start-up. Compile once, as pip does.
    subprocess.run(
        [
            sys.executable,
            "-m",
            "compileall",
            "-q",
            str(REPO / "vaultlint"),
            str(REPO / "benchmarks"),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    cases, wired = build_cases(work.resolve(), arguments.notes, env, arguments.peers)
    load_before = (
        " ".join(Path("/proc/loadavg").read_text().split()[:3])
        if Path("/proc/loadavg").exists()
        else "unknown"
    )
    for _ in range(arguments.runs):  # interleaved: every case once per round
        for case in cases:
            command, cwd = case.argv()
            case.samples.append(measure(command, cwd, env))
    output = [
        f"## {arguments.notes:,} notes, median of {arguments.runs} interleaved runs",
        "",
        table(cases, arguments.notes),
        "",
        f"Machine: {machine()}. Load average before the runs: {load_before}.",
        "",
        _recall_in_child(work.resolve() / "vault", env),
    ]
    if not wired:
        output.append(
            "Note: the CLI does not list --jobs/--no-cache/--cache-strategy yet; `check` ran "
            "through benchmarks/check_entry.py (same code, without the click import)."
        )
    if arguments.curve:
        sizes = [int(size) for size in arguments.curve.split(",")]
        output += [
            "",
            "## Cost per note (check, --jobs 1, --no-cache)",
            "",
            curve(work, sizes, max(1, arguments.runs // 2), env),
        ]
    text = "\n".join(output) + "\n"
    sys.stdout.write(text)
    if arguments.write:
        arguments.write.write_text(text, encoding="utf-8")
    if arguments.workdir is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
