"""Suggest the allowed value that a mistyped one was meant to be.

`Thai` -> `thaï`, `plat principal` -> `plat-principal`, `Americaine` -> `américaine`,
`desserts` -> `dessert`: a value that *normalises* (case, accents, spaces or underscores versus
dashes, a trailing `s` on a word) to exactly one allowed value gets that value as a safe fix.
A value only close to one (edit distance) gets it as an unsafe fix; an ambiguous one, nothing.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

_SEPARATORS = re.compile(r"[\s_]+")
_CLOSE_ENOUGH = 0.8  # difflib ratio on normalised forms: one or two letters off in a word


@dataclass(frozen=True, slots=True)
class Suggestion:
    value: str
    safe: bool  # True: the value normalises to exactly this one; False: only close to it


def normalise(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value.strip())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    bare = bare.replace("œ", "oe").replace("æ", "ae").casefold()
    words = _SEPARATORS.sub("-", bare).split("-")
    return "-".join(word[:-1] if len(word) > 3 and word.endswith("s") else word for word in words)


def suggest(value: str, allowed: Iterable[str]) -> Suggestion | None:
    choices = sorted(set(allowed))
    if value in choices:
        return None
    key = normalise(value)
    exact = [choice for choice in choices if normalise(choice) == key]
    if len(exact) == 1:
        return Suggestion(exact[0], safe=True)
    if exact:
        return None  # ambiguous
    by_form = {normalise(choice): choice for choice in choices}
    close = difflib.get_close_matches(key, list(by_form), n=2, cutoff=_CLOSE_ENOUGH)
    if len(close) == 1:
        return Suggestion(by_form[close[0]], safe=False)
    return None
