"""The language server driven by a real LSP client (pygls's) over stdio, as an editor drives it.

The server runs as `python -m vaultlint server` in a subprocess; the vault uses this folder's own
schema (`notes.schema.json`: `Ingredients` with the alias `Ingrédients`), so that these tests do
not follow the bundled schema's section names.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

SCHEMA = Path(__file__).with_name("notes.schema.json")
NOTE = (
    "---\ncuisine: thaï\nportions:   4\n---\n# Curry vert\n\n## Ingrédients\n\n- riz\n\n"
    "## Steps\n\n1. Cuire.\n"
)
TIMEOUT = 30.0


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    (tmp_path / ".obsidian").mkdir()
    (tmp_path / ".vaultlint.toml").write_text(f"schema = {str(SCHEMA)!r}\n", encoding="utf-8")
    return tmp_path


class Client(LanguageClient):
    """Keeps every `publishDiagnostics` it receives, per URI, and lets a test wait for one."""

    def __init__(self) -> None:
        super().__init__("vaultlint-tests", "0")
        self.published: dict[str, list[types.PublishDiagnosticsParams]] = {}
        self.arrived = asyncio.Event()

        self.messages: list[str] = []

        # pygls's client leaves `feature` untyped (its server types it).
        @self.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)  # type: ignore[untyped-decorator]
        def publish(params: types.PublishDiagnosticsParams) -> None:
            self.published.setdefault(params.uri, []).append(params)
            self.arrived.set()

        @self.feature(types.WINDOW_SHOW_MESSAGE)  # type: ignore[untyped-decorator]
        def show(params: types.ShowMessageParams) -> None:
            self.messages.append(params.message)

    async def next_diagnostics(self, uri: str, count: int) -> list[types.Diagnostic]:
        """The diagnostics of the `count`-th publication for `uri` (1-based), once it came."""
        while len(self.published.get(uri, [])) < count:
            self.arrived.clear()
            await asyncio.wait_for(self.arrived.wait(), TIMEOUT)
        return list(self.published[uri][count - 1].diagnostics)


def run_session(vault: Path, body: Callable[[Client], Awaitable[None]]) -> int:
    """Start the server in `vault`, initialize, run `body`, shut down and exit; its status."""

    async def session() -> int:
        client = Client()
        await client.start_io(sys.executable, "-m", "vaultlint", "server", cwd=vault)
        await asyncio.wait_for(
            client.initialize_async(
                types.InitializeParams(
                    capabilities=types.ClientCapabilities(),
                    root_uri=from_fs_path(str(vault)),
                    workspace_folders=[
                        types.WorkspaceFolder(uri=from_fs_path(str(vault)) or "", name="vault")
                    ],
                )
            ),
            TIMEOUT,
        )
        client.initialized(types.InitializedParams())
        await body(client)
        await asyncio.wait_for(client.shutdown_async(None), TIMEOUT)
        client.exit(None)
        server = client._server
        assert server is not None
        status = await asyncio.wait_for(server.wait(), TIMEOUT)
        await client.stop()  # type: ignore[no-untyped-call]
        return status

    return asyncio.run(session())


def open_note(client: Client, path: Path, text: str) -> str:
    uri = from_fs_path(str(path)) or ""
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="markdown", version=1, text=text
            )
        )
    )
    return uri


def test_an_editor_session_diagnoses_fixes_repairs_formats_and_exits_0(vault: Path) -> None:
    seen: dict[str, object] = {}

    async def body(client: Client) -> None:
        uri = open_note(client, vault / "Curry vert.md", NOTE)
        diagnostics = await client.next_diagnostics(uri, 1)
        [diagnostic] = diagnostics
        assert diagnostic.code == "heading-alias"
        assert diagnostic.source == "vaultlint"
        assert diagnostic.severity == types.DiagnosticSeverity.Error
        assert diagnostic.range.start == types.Position(line=6, character=0)
        assert diagnostic.message == '"Ingrédients" is an alias of the section "Ingredients"'
        assert diagnostic.code_description is not None
        assert diagnostic.code_description.href.startswith("https://")

        actions = await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=diagnostic.range,
                context=types.CodeActionContext(diagnostics=[diagnostic]),
            )
        )
        assert actions is not None
        quick = [a for a in actions if isinstance(a, types.CodeAction) and a.kind == "quickfix"]
        [action] = quick
        assert action.is_preferred
        assert action.edit is not None
        assert action.edit.changes is not None
        [edit] = action.edit.changes[uri]
        assert edit.range.start.line == 6
        assert "Ingredients" in edit.new_text
        fix_all = [a for a in actions if isinstance(a, types.CodeAction) and a.kind != "quickfix"]
        assert [a.kind for a in fix_all] == ["source.fixAll.vaultlint"]

        # As editors send it: only the changed range ("Ingrédients" on line 6, in UTF-16 units).
        heading = types.Range(
            start=types.Position(line=6, character=3), end=types.Position(line=6, character=14)
        )
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
                content_changes=[
                    types.TextDocumentContentChangePartial(range=heading, text="Ingredients")
                ],
            )
        )
        assert await client.next_diagnostics(uri, 2) == []

        edits = await client.text_document_formatting_async(
            types.DocumentFormattingParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                options=types.FormattingOptions(tab_size=2, insert_spaces=True),
            )
        )
        seen["format"] = edits

    assert run_session(vault, body) == 0
    edits = seen["format"]
    assert isinstance(edits, Sequence)
    assert [(e.range.start.line, e.range.end.line, e.new_text) for e in edits] == [
        (2, 3, "portions: 4\n"),
        (4, 4, "\n"),
    ]
    assert not (vault / "Curry vert.md").exists()  # the server returns edits, never writes


def test_a_broken_config_is_one_message_naming_the_file_and_the_server_goes_on(
    vault: Path,
) -> None:
    (vault / ".vaultlint.toml").write_text("select = 3\n", encoding="utf-8")
    seen: dict[str, list[str]] = {}

    async def body(client: Client) -> None:
        first = open_note(client, vault / "a.md", NOTE)
        assert await client.next_diagnostics(first, 1) == []
        second = open_note(client, vault / "b.md", NOTE)
        assert await client.next_diagnostics(second, 1) == []
        seen["messages"] = client.messages

    assert run_session(vault, body) == 0
    [message] = seen["messages"]
    assert message.startswith("vaultlint: ")
    assert ".vaultlint.toml: select must be a list of strings" in message
