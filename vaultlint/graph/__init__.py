"""The vault as a graph: what the vault rules (link-broken, link-anchor, duplicate-note,
file-name) need from every note, and the second phase of a run that uses it.

- `links.py` finds a note's links in its text (not in code or comments);
- `facts.py` extracts a note's facts in phase 1 (links, headings, block ids, aliases, keys);
- `keys.py` makes key-field values comparable (URLs without their tracking parameters);
- `index.py` indexes the vault's files and facts; `resolve.py` resolves a link against it;
- `gather.py`, `placing.py` and `phase.py` run phase 2; `store.py` caches facts and findings;
- `fixing.py` applies the link fixes for `vaultlint fix`.
"""
