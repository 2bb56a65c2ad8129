"""Key-field values made comparable, so that one page shared twice is seen as one.

A URL is compared without the query parameters that only say who shared it (the schema's
`x-vaultlint.duplicates.tracking_parameters`: `utm_*`, `igsh`, `si`, `fbclid`...), without a
trailing slash, with its scheme and host in lower case; every other parameter stays
(`watch?v=…` names the video). Any other value is compared without case or surrounding space.
"""

from __future__ import annotations

import fnmatch
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit


def comparable(value: str, tracking: tuple[str, ...]) -> str:
    text = unicodedata.normalize("NFC", value.strip())
    if not text.lower().startswith(("http://", "https://")):
        return text.casefold()
    try:
        parts = urlsplit(text)
    except ValueError:  # e.g. a bad IPv6 host: compare as written
        return text.casefold()
    query = [
        (name, item)
        for name, item in parse_qsl(parts.query, keep_blank_values=True)
        if not any(fnmatch.fnmatchcase(name.lower(), pattern.lower()) for pattern in tracking)
    ]
    path = parts.path.rstrip("/")
    scheme = "https" if parts.scheme.lower() == "http" else parts.scheme.lower()
    return urlunsplit((scheme, parts.netloc.lower(), path, urlencode(query), parts.fragment))
