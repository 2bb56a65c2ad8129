"""Speed measurements for issue #17 (not shipped with the package).

`run.py` prints the issue's table (`python -m benchmarks.run`, or `--quick`); `rows.py` says what
each row compares, `processes.py` times one whole process, `vaults.py` writes the vaults with
`../shared/bench/make_vault.py` (`shared.py` finds it), `report.py` renders the table and
`pyspy.py` sums a py-spy profile. `RESULTS.md` holds the latest figures.
"""
