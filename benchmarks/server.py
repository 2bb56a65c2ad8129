"""The language server's latency: one note of a 1,000-note vault changed, re-linted, published.

    python -m benchmarks.server [--notes 1000] [--changes 50] [--warmup 5]

Writes a vault with the shared generator (`../shared/bench/make_vault.py`), starts
`vaultlint server` over stdio with pygls's client, opens one note, then sends `--changes` edits
(alternately breaking and repairing a section heading, as typing would) after `--warmup`
unmeasured ones. Each sample is the time from sending `didChange` to receiving the
`publishDiagnostics` of that version: the whole path an editor waits on (JSON-RPC both ways,
incremental sync, lint, conversion). Prints the median,
the 90th percentile and the worst, in milliseconds; the target is a median of 50 ms or less.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

from benchmarks.shared import find_shared_tools
from benchmarks.vaults import generate

TARGET_MS = 50.0


class _Client(LanguageClient):
    def __init__(self) -> None:
        super().__init__("vaultlint-benchmark", "0")
        self.versions: dict[int, float] = {}  # version -> when its diagnostics came
        self.arrived = asyncio.Event()

        @self.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)  # type: ignore[untyped-decorator]
        def publish(params: types.PublishDiagnosticsParams) -> None:
            if params.version is not None:
                self.versions[params.version] = time.perf_counter()
            self.arrived.set()

    async def wait_for(self, version: int) -> float:
        while version not in self.versions:
            self.arrived.clear()
            await asyncio.wait_for(self.arrived.wait(), 30)
        return self.versions[version]


def _heading_range(text: str, heading: str) -> types.Range:
    line = text.splitlines().index(heading)
    return types.Range(
        start=types.Position(line=line, character=3),
        end=types.Position(line=line, character=len(heading)),
    )


async def measure(vault: Path, changes: int, warmup: int) -> list[float]:
    note = next(path for path in sorted(vault.rglob("*.md")) if ".trash" not in path.parts)
    text = note.read_text(encoding="utf-8-sig")
    heading = next(line for line in text.splitlines() if line.startswith("## Ingr"))
    client = _Client()
    await client.start_io(sys.executable, "-m", "vaultlint", "server", cwd=vault)
    await client.initialize_async(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(), root_uri=from_fs_path(str(vault))
        )
    )
    client.initialized(types.InitializedParams())
    uri = from_fs_path(str(note)) or ""
    item = types.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text)
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=item))
    await client.wait_for(1)
    samples = []
    names = [heading[3:], heading[3:] + "x"]  # the section's own name, then a typo
    current = names[0]
    for index in range(warmup + changes):
        version = index + 2
        new = names[(index + 1) % 2]
        line_range = _heading_range(text, "## " + current)
        text = text.replace("## " + current, "## " + new, 1)
        current = new
        change = types.TextDocumentContentChangePartial(range=line_range, text=new)
        sent = time.perf_counter()
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[change],
            )
        )
        arrived = await client.wait_for(version)
        if index >= warmup:
            samples.append((arrived - sent) * 1000)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()  # type: ignore[no-untyped-call]
    return samples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=int, default=1000)
    parser.add_argument("--changes", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    arguments = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        vault = Path(folder) / "vault"
        tools = find_shared_tools()
        generate(tools.make_vault, vault, notes=arguments.notes, seed=42, bad_fraction=0.1)
        samples = asyncio.run(measure(vault, arguments.changes, arguments.warmup))
    samples.sort()
    median = statistics.median(samples)
    p90 = samples[int(len(samples) * 0.9) - 1]
    print(
        f"{arguments.notes} notes, {len(samples)} changes after {arguments.warmup} warm-up: "
        f"median {median:.1f} ms, p90 {p90:.1f} ms, worst {samples[-1]:.1f} ms "
        f"(target: median <= {TARGET_MS:.0f} ms: {'met' if median <= TARGET_MS else 'NOT met'})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
