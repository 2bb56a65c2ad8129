"""Which fields identify a note, for `duplicate-note`: a link to its source (`url`).

A field is a key when nearly every value is a web address and nearly every address is its own:
a link shared by many notes (a site's home page) tells nothing about which recipe it is. The
tracking parameters that make one address look like two (`?utm_source=…`, Instagram's `igsh`)
are the usual ones; the schema's owner can add more.
"""

from __future__ import annotations

from collections.abc import Iterable

from vaultlint.infer.common import JSON

TRACKING_PARAMETERS = (
    "utm_*", "igsh", "igshid", "si", "fbclid", "gclid", "dclid", "msclkid",
    "mc_cid", "mc_eid", "_ga", "ref_src", "share_id",
)  # fmt: skip
_WEB = ("http://", "https://")
_SHARE = 0.9  # of the values that are addresses, and of the addresses that are distinct
_MIN_NOTES = 3


def infer_duplicates(datas: list[dict[str, JSON]], fields: Iterable[str]) -> JSON:
    """The `duplicates` block of `x-vaultlint`, or None when no field identifies a note."""
    keys = []
    for name in fields:
        values = [v.strip() for d in datas if isinstance(v := d.get(name), str) and v.strip()]
        if len(values) < _MIN_NOTES:
            continue
        addresses = [value for value in values if value.lower().startswith(_WEB)]
        if len(addresses) < _SHARE * len(values) or len(set(addresses)) < _SHARE * len(addresses):
            continue
        keys.append(name)
    if not keys:
        return None
    return {"keys": keys, "tracking_parameters": list(TRACKING_PARAMETERS)}
