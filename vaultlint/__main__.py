"""`python -m vaultlint` runs the command line."""

from vaultlint.cli import main

main(prog_name="vaultlint")
