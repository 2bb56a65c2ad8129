"""The pygls wiring: LSP messages in, `session` and `actions` called, diagnostics and edits out.

Text is synchronised incrementally; diagnostics are published on open, change and save, and
cleared on close. A problem with the setup (a broken config or schema) is shown once as a
message naming the file, and that note gets no diagnostics until it is repaired: the server
never stops on it, as the CLI never shows a traceback.
"""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from vaultlint import __version__
from vaultlint.errors import UsageError
from vaultlint.server.actions import FIX_ALL_KIND, code_actions
from vaultlint.server.convert import Units, lsp_diagnostic, replacement_edits
from vaultlint.server.session import BufferLint, Session

NOTE_SUFFIX = ".md"


class VaultlintServer(LanguageServer):
    """The language server, with one lint session for the workspace."""

    def __init__(self) -> None:
        super().__init__("vaultlint", __version__)
        self._session: Session | None = None
        self._last: dict[str, tuple[int | None, BufferLint | None]] = {}
        self._shown: set[str] = set()

    @property
    def session(self) -> Session:
        if self._session is None:
            root = self.workspace.root_path
            self._session = Session(Path(root) if root else Path.cwd().resolve())
        return self._session

    @property
    def units(self) -> Units:
        codec = self.workspace.position_codec

        def units(text: str) -> int:
            return int(codec.client_num_units(text))

        return units

    def lint(self, uri: str) -> BufferLint | None:
        """The open buffer's lint, kept per version; None when it is not a note to check."""
        path = _note_path(uri)
        if path is None:
            return None
        document = self.workspace.get_text_document(uri)
        known = self._last.get(uri)
        if known is not None and known[0] == document.version and document.version is not None:
            return known[1]
        try:
            lint = self.session.lint(path, document.source)
        except UsageError as error:
            self.show_once(str(error))
            lint = None
        self._last[uri] = (document.version, lint)
        return lint

    def publish(self, uri: str) -> None:
        lint = self.lint(uri)
        units = self.units
        diagnostics = [lsp_diagnostic(p, units) for p in lint.placed] if lint else []
        version = self.workspace.get_text_document(uri).version
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
        )

    def publish_dependents(self, uri: str) -> None:
        """Publish again the open notes whose vault findings an edit of `uri` can change: those
        that link to it (see vault_rules.py)."""
        path = _note_path(uri)
        if path is None:
            return
        open_notes = {_note_path(known): known for known in self._last}
        for dependent in self.session.dependents(path):
            other = open_notes.get(dependent)
            if other is not None and other != uri:
                self._last.pop(other, None)  # its buffer did not change, its findings may have
                self.publish(other)

    def show_once(self, message: str) -> None:
        if message not in self._shown:
            self._shown.add(message)
            self.window_show_message(
                types.ShowMessageParams(
                    type=types.MessageType.Error, message=f"vaultlint: {message}"
                )
            )

    def forget(self, uri: str) -> None:
        self._last.pop(uri, None)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )


def _note_path(uri: str) -> Path | None:
    """The file a buffer stands for: a `file:` URI of a `*.md` note (others are not ours)."""
    if not uri.startswith("file:"):
        return None
    path = to_fs_path(uri)
    if path is None or not path.endswith(NOTE_SUFFIX):
        return None
    return Path(path)


def build_server() -> VaultlintServer:
    server = VaultlintServer()
    _register_sync(server)
    _register_requests(server)
    return server


def _register_sync(server: VaultlintServer) -> None:
    """The buffer's life: diagnostics published on open, change and save, cleared on close."""

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: VaultlintServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: VaultlintServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.publish(params.text_document.uri)
        ls.publish_dependents(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: VaultlintServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: VaultlintServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.forget(params.text_document.uri)


def _register_requests(server: VaultlintServer) -> None:
    """What the editor asks for: code actions and formatting, answered with edits."""

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND],
            resolve_provider=False,
        ),
    )
    def code_action(ls: VaultlintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        lint = ls.lint(uri)
        if lint is None:
            return []
        only = params.context.only
        return code_actions(ls.session, lint, uri, params.range, only=only, units=ls.units)

    @server.feature(types.TEXT_DOCUMENT_FORMATTING)
    def formatting(
        ls: VaultlintServer, params: types.DocumentFormattingParams
    ) -> list[types.TextEdit]:
        uri = params.text_document.uri
        path = _note_path(uri)
        if path is None:
            return []
        try:
            formatted = ls.session.format(path, ls.workspace.get_text_document(uri).source)
        except UsageError as error:
            ls.show_once(str(error))
            return []
        if formatted is None:
            return []
        note, new = formatted
        return replacement_edits(note, new, ls.units)


def serve() -> None:
    """Run the server on stdin and stdout until the client says exit."""
    build_server().start_io()
