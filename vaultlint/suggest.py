"""Suggest the allowed value that a mistyped one was meant to be, and never another word.

A suggestion repairs a typo; it must never change what the value means (issue #12, §2.4:
`oeuf`, egg, is not `bœuf`, beef; `volaille` is not `poulet`). So only these count:

- the same letters up to case, accents, separators (space, `_`, `-`, or none) and a plural `s`:
  `Thai` -> `thaï`, `epice` -> `épicé`, `plat principal` -> `plat-principal`,
  `airfryer` -> `air-fryer`, `desserts` -> `dessert`. The suggestion is safe.
- one typing slip inside one word of five or more letters: two neighbours swapped, a letter
  doubled, missing or extra (`desert` -> `dessert`, `japonais` -> `japonaise`), the word keeping
  its first letter (compared without accent or case). The suggestion is unsafe: a person
  should look.

Anything else, or two candidates, gets no suggestion.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

_SEPARATORS = re.compile(r"[\s_]+")
_MIN_WORD_FOR_SLIP = 5  # shorter words are too easily another word one letter away


@dataclass(frozen=True, slots=True)
class Suggestion:
    value: str
    safe: bool  # True: the same letters as this value; False: one typing slip away from it


def normalise(value: str) -> str:
    """Case, accents, spacing and a plural `s` folded away: `Crèmes Brûlées` -> `creme-brulee`."""
    words = _letters(value).split("-")
    return "-".join(word[:-1] if len(word) > 3 and word.endswith("s") else word for word in words)


def _letters(value: str) -> str:
    """Case, accents and spacing folded away, plurals kept: `Crèmes Brûlées` -> `cremes-brulees`."""
    decomposed = unicodedata.normalize("NFKD", value.strip())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    bare = bare.replace("œ", "oe").replace("æ", "ae").casefold()
    return _SEPARATORS.sub("-", bare)


def suggest(value: str, allowed: Iterable[str]) -> Suggestion | None:
    choices = sorted(set(allowed))
    if value in choices:
        return None
    key = normalise(value)
    exact = _unique([choice for choice in choices if normalise(choice) == key])
    if exact is not None:
        return Suggestion(exact, safe=True) if exact else None
    joined = key.replace("-", "")  # `airfryer` for `air-fryer`: a separator left out
    exact = _unique([c for c in choices if normalise(c).replace("-", "") == joined])
    if exact is not None:
        return Suggestion(exact, safe=True) if exact else None
    # Plural folding would hide a slip at a word's end (`japonais` for `japonaise`).
    typed = _letters(value)
    slipped = _unique([choice for choice in choices if _one_slip(typed, _letters(choice))])
    return Suggestion(slipped, safe=False) if slipped else None


def _unique(found: list[str]) -> str | None:
    """The one value found; "" when several (ambiguous: no suggestion); None when none."""
    if not found:
        return None
    return found[0] if len(found) == 1 else ""


def _one_slip(typed: str, meant: str) -> bool:
    """True when `typed` is `meant` with one typing slip inside one long-enough word."""
    typed_words, meant_words = typed.split("-"), meant.split("-")
    if len(typed_words) != len(meant_words):
        return False
    differing = [(a, b) for a, b in zip(typed_words, meant_words, strict=True) if a != b]
    if len(differing) != 1:
        return False
    a, b = differing[0]
    if max(len(a), len(b)) < _MIN_WORD_FOR_SLIP or not a or not b or a[0] != b[0]:
        return False  # a first letter changed, added or removed makes another word
    return _one_edit(a, b)


def _one_edit(a: str, b: str) -> bool:
    """One letter missing, extra or replaced by its neighbour's double, or two swapped."""
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and (a[diffs[1]] == b[diffs[0]])
        )
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    if len(longer) - len(shorter) != 1:
        return False
    i = next((i for i in range(len(shorter)) if shorter[i] != longer[i]), len(shorter))
    return shorter[i:] == longer[i + 1 :]
