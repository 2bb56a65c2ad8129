"""Where a cold one-process check spends its time: py-spy samples, summed by function.

    python -m benchmarks.pyspy VAULT [--rate 500] [--top 20] [--raw FILE] [--schema FILE]

Runs `py-spy record` (`pip install py-spy`; not a dependency of the project) around
`python -m vaultlint check -q --jobs 1 --no-cache .` in VAULT, then prints three Markdown
tables, each as a share of all samples: the functions the samples stood in (self time), the
same summed by file, and the project's functions with everything they called (inclusive time;
the call chain from `main` down to the loop over notes, above 90 %, is left out). Line numbers
are dropped so that one function is one row.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from benchmarks.run import environment

# py-spy's raw format: "frame;frame;...;frame count", a frame being "function (file:line)".
# Inclusive shares above this are the call chain every sample goes through (cli, runner loop).
CHAIN = 0.9
FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^()]*?)(?::\d+)?\)$")


def frame_name(frame: str) -> str:
    """`check (vaultlint/engine.py:12)` -> `vaultlint/engine.py: check`."""
    match = FRAME.match(frame.strip())
    if match is None:
        return frame.strip()
    file = match["file"]
    if "/vaultlint/" in file:  # the checkout's path, shortened to the package's
        file = "vaultlint/" + file.rsplit("/vaultlint/", 1)[1]
    elif "site-packages/" in file:
        file = file.rsplit("site-packages/", 1)[1]
    return f"{file}: {match['function']}"


def shares(raw: str) -> tuple[Counter[str], Counter[str], int]:
    """(self samples by function, inclusive samples by project function, all samples)."""
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [frame_name(frame) for frame in stack.split(";")]
        total += count
        own[frames[-1]] += count
        for name in set(frames):  # a recursive function counts once per sample
            if name.startswith("vaultlint/"):
                inclusive[name] += count
    return own, inclusive, total


def by_file(own: Counter[str]) -> Counter[str]:
    files: Counter[str] = Counter()
    for name, count in own.items():
        files[name.split(": ", 1)[0]] += count
    return files


def markdown(counts: Counter[str], total: int, top: int, heading: str) -> str:
    lines = [f"| share | {heading} |", "|---:|---|"]
    lines += [f"| {count / total:.1%} | `{name}` |" for name, count in counts.most_common(top)]
    return "\n".join(lines)


def record(vault: Path, rate: int, out: Path, schema: Path | None) -> None:
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(py_spy).exists():
        raise SystemExit("benchmarks: error: py-spy is not installed (pip install py-spy)")
    check = [sys.executable, "-m", "vaultlint", "check", "-q", "--jobs", "1", "--no-cache", "."]
    if schema is not None:
        check[4:4] = ["--schema", str(schema.resolve())]
    command = [py_spy, "record", "--format", "raw", "--rate", str(rate), "-o", str(out), "--"]
    done = subprocess.run(
        [*command, *check],
        cwd=vault,
        env=environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    if not out.exists():
        raise SystemExit(f"benchmarks: error: py-spy recorded nothing:\n{done.stderr.strip()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("vault", type=Path)
    parser.add_argument("--rate", type=int, default=500, help="samples per second")
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--raw", type=Path, help="keep py-spy's raw stacks in this file")
    parser.add_argument("--schema", type=Path, help="pass --schema FILE to the check")
    arguments = parser.parse_args(argv)
    if not arguments.vault.is_dir():
        parser.error(f"{arguments.vault} is not a folder")
    with tempfile.TemporaryDirectory() as folder:
        out = arguments.raw or Path(folder) / "stacks.txt"
        record(arguments.vault, arguments.rate, out, arguments.schema)
        own, inclusive, total = shares(out.read_text(encoding="utf-8"))
    if not total:
        raise SystemExit("benchmarks: error: py-spy recorded no sample")
    print(f"{total:,} samples at {arguments.rate} Hz\n")
    print(markdown(own, total, arguments.top, "function (self)") + "\n")
    print(markdown(by_file(own), total, arguments.top, "file (self)") + "\n")
    below_chain = Counter({name: n for name, n in inclusive.items() if n <= CHAIN * total})
    print(markdown(below_chain, total, arguments.top, "vaultlint function (with callees)"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
