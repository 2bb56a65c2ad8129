"""The one-page HTML report of a vault (`vaultlint report`): `values` counts the values of the
enum and known-value fields, `page` renders the page, `assets` holds its inline CSS and script.
"""
