"""Key-field values made comparable, so that one page shared twice is seen as one.

A URL is compared without the query parameters that only say who shared it (the schema's
`x-vaultlint.duplicates.tracking_parameters`: `utm_*`, `igsh`, `si`, `fbclid`...), without a
trailing slash, http and https alike, its host in lower case; every other parameter stays
(`watch?v=…` names the video). Any other value is compared without case or surrounding space.
"""

from __future__ import annotations

import fnmatch
import functools
import re
import unicodedata


def comparable(value: str, tracking: tuple[str, ...]) -> str:
    text = unicodedata.normalize("NFC", value.strip())
    scheme, separator, rest = text.partition("://")
    if not separator or scheme.lower() not in ("http", "https"):
        return text.casefold()
    # Split by hand (urllib's urlsplit and parse_qsl cost a third of a note's facts): the
    # parts are compared, never decoded, so nothing is lost.
    rest, hash_mark, fragment = rest.partition("#")
    rest, _, query = rest.partition("?")
    host, slash, path = rest.partition("/")
    tracked = _tracking_pattern(tracking)
    kept = [
        pair
        for pair in query.split("&")
        if pair and (tracked is None or not tracked.fullmatch(pair.partition("=")[0].lower()))
    ]
    path = (slash + path).rstrip("/")
    return (
        "https://"
        + host.lower()
        + path
        + ("?" + "&".join(kept) if kept else "")
        + (hash_mark + fragment)
    )


@functools.cache
def _tracking_pattern(tracking: tuple[str, ...]) -> re.Pattern[str] | None:
    """One regular expression for every shell-style pattern (compiled once per schema)."""
    if not tracking:
        return None
    return re.compile("|".join(fnmatch.translate(pattern.lower()) for pattern in tracking))
