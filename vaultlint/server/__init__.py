"""`vaultlint server`: the Language Server Protocol over stdio, so that editors show vaultlint's
problems as the note is written (issue #16).

One job per module: `positions` turns byte offsets into LSP positions, `session` lints an editor's
buffer as the CLI would lint its file (config, schema, excludes, baseline), `vault_rules` is the
seam for the rules over the whole vault, `convert` builds the LSP's diagnostics and edits,
`actions` the code actions and formatting, and `app` wires them to pygls. Only `app` imports
pygls; the server never writes a file: it returns edits.
"""
