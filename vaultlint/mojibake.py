"""Detect and undo mojibake: UTF-8 text that was decoded with a single-byte code page.

A note opened once as Mac Roman (or Windows-1252, or Latin-1) and saved again as UTF-8 holds, for
every UTF-8 multi-byte sequence, one character per byte: `é` (C3 A9) becomes `√©` through Mac
Roman, `Ã©` through Windows-1252. Undoing it is a re-decode: encode the text with the wrong code
page, decode the bytes as strict UTF-8.

`repair_whole` re-decodes the *whole* note, or nothing:

- Each code page is tried; one applies when its encode and the strict UTF-8 decode both succeed
  and give a different text. A proper note fails almost at once (`é` is a lone UTF-8
  continuation byte under every one of them), which is also what makes the test cheap.
- A step is taken only when the best result is clearly better than the text (a lower score: see
  `_score`) and every code page that reaches that best score gives the same text. Requiring all
  applicable code pages to agree would be too strict: `cafÃ© crÃ¨me` (Windows-1252 mojibake)
  also re-decodes through Mac Roman, to `caf̩ cr̬me`, which no reader would call better.
- Steps repeat, a few rounds at most, for double mojibake (Mac Roman over Windows-1252).

Fragments are never repaired, and a note that mixes broken and proper text gets no repair:
under Mac Roman, `’`, `«`, `—` and the non-breaking space are UTF-8 lead bytes, so a fragment
`l’été` re-decodes "successfully" to `lՎté`. Only a strict re-decode of every byte of the note
proves that the note was wholly mojibake. For such notes `first_broken_line` points at the first
line that looks broken, so that the user can repair it by hand.

`ftfy.fix_text` output is never used: it also uncurls quotes, converts CRLF, drops the BOM,
unescapes HTML entities and NFC-normalises. Only ftfy's badness heuristic is used, and imported
lazily (the import costs 40-70 ms; most notes are ASCII or fail the strict re-decode first).

Limits, by design: a note whose only broken sequences are ones ftfy finds plausible is left alone
(`g√¢teau` for `gâteau`; `¬Ω` is a broken `½` but also "not Omega"), and so is a double misread
of a very short note when its first undo is not itself clearly better. Proper text that happens
to re-decode wholly and whose reading scores lower would be changed: it takes a note whose every
non-ASCII character pairs up, e.g. only `”é` glued together (`ditӎcrit` is refused, being
Cyrillic in a Latin word, but a lone `”é` becomes `ӎ`); real notes have unpaired accents.

Measured (Python 3.11, timeit, median per call, 2 KB notes): ASCII note 0.05 µs for either
function. Proper French note (curly quotes, NBSP, emoji): `repair_whole` 3-5 µs;
`first_broken_line` 6 µs for the restored sample note, 100 µs for a prose note with six lines
holding `’à`, `’œ` or `NBSP°` (pairs that look like UTF-8 under Mac Roman, so is_bad runs on
those lines). Mojibake note (the sample; a misread French note): `repair_whole` 0.9-1.0 ms (two
badness scores of the whole note dominate), `first_broken_line` 3 µs.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

# At most this many re-decodes are chained: double mojibake is seen in the wild, triple is rare.
_MAX_ROUNDS = 3

MAC_ROMAN = "mac_roman"
SLOPPY_WINDOWS_1252 = "sloppy-windows-1252"
LATIN_1 = "latin-1"

# Windows-1252 as Windows and browsers decode it: the five bytes the standard leaves undefined map
# to the C1 controls with the same number. This is ftfy's `sloppy-windows-1252` codec (a test
# compares all 256 bytes), built here to spare the ftfy import on the fast path, with one
# deliberate difference: ftfy maps byte 1A to U+FFFD "for its own purposes", so through its codec
# a U+FFFD in a note would come back as the SUB control U+001A. Here 1A stays U+001A, and a note
# holding U+FFFD is not re-decoded at all.
_WINDOWS_1252_HOLES = (0x81, 0x8D, 0x8F, 0x90, 0x9D)
_SLOPPY_1252_TABLE = "".join(
    chr(byte) if byte in _WINDOWS_1252_HOLES else bytes([byte]).decode("cp1252")
    for byte in range(256)
)
_SLOPPY_1252_MAP = codecs.charmap_build(_SLOPPY_1252_TABLE)


def _encode_mac_roman(text: str) -> bytes:
    return text.encode(MAC_ROMAN)


def _encode_sloppy_1252(text: str) -> bytes:
    return codecs.charmap_encode(text, "strict", _SLOPPY_1252_MAP)[0]


def _encode_latin_1(text: str) -> bytes:
    return text.encode(LATIN_1)


# Order of preference for the name reported when several code pages give the same text
# (Windows-1252 and Latin-1 agree on everything but 0x80-0x9F).
_ENCODERS: dict[str, Callable[[str], bytes]] = {
    MAC_ROMAN: _encode_mac_roman,
    SLOPPY_WINDOWS_1252: _encode_sloppy_1252,
    LATIN_1: _encode_latin_1,
}

_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
_ASCII_SPACE = frozenset(" \t\n\r\x0b\x0c")


@dataclass(frozen=True, slots=True)
class Repair:
    """A whole-note re-decode.

    `codecs` names the wrong code pages in the order the accident applied them, the first misread
    first: `("sloppy-windows-1252", "mac_roman")` for Windows-1252 mojibake later misread as Mac
    Roman (the repair undoes them in reverse).

    `sequences` counts the maximal runs of non-ASCII characters in the broken text: ASCII bytes
    are the same in these code pages and in UTF-8, so a whole-note re-decode changes every such
    run and nothing else (`‚è±Ô∏è` for `⏱️` is one sequence, `√©` for `é` another).

    `example` is the first broken word (delimited by ASCII whitespace, since a non-breaking space
    can be part of a broken sequence) and its repair.
    """

    text: str
    codecs: tuple[str, ...]
    sequences: int
    example: tuple[str, str]


def repair_whole(text: str) -> Repair | None:
    """Whole-note re-decode. None when the text is not (exactly, wholly) mojibake."""
    if text.isascii():
        return None
    current = text
    undone: list[str] = []  # in the order undone: the last misread first
    for _ in range(_MAX_ROUNDS):
        step = _best_step(current)
        if step is None:
            break
        codec, current = step
        undone.append(codec)
    if not undone:
        return None
    return Repair(
        text=current,
        codecs=tuple(reversed(undone)),
        sequences=len(_NON_ASCII_RUN.findall(text)),
        example=_example(text, undone),
    )


def _best_step(text: str) -> tuple[str, str] | None:
    """The code page and re-decoded text of one clearly better step, or None."""
    candidates = _redecodings(text)
    if not candidates:
        return None
    # ftfy is needed only from here on: a proper note almost never re-decodes.
    scored = [(_score(result), codec, result) for codec, result in candidates]
    best_score = min(score for score, _, _ in scored)
    if best_score >= _score(text):
        return None
    best = [(codec, result) for score, codec, result in scored if score == best_score]
    if len({result for _, result in best}) != 1:
        return None  # equally plausible readings disagree: ambiguous, leave the note alone
    return best[0]


def _redecodings(text: str) -> list[tuple[str, str]]:
    """(code page, text) for every code page whose strict re-decode applies and changes text."""
    results: list[tuple[str, str]] = []
    for codec, encode in _ENCODERS.items():
        redecoded = _redecode(text, encode)
        if redecoded is not None and redecoded != text:
            results.append((codec, redecoded))
    return results


def _redecode(text: str, encode: Callable[[str], bytes]) -> str | None:
    try:
        return encode(text).decode("utf-8")
    except UnicodeError:
        return None


def _score(text: str) -> int:
    """How wrong the text looks: ftfy's badness plus the traces a wrong re-decode leaves.

    badness counts unlikely juxtapositions (`√©`, `Ã©`); it misses what a re-decode through the
    wrong code page makes of Latin text, which `_traces` counts.
    """
    from ftfy.badness import badness

    return int(badness(text)) + _traces(text)


_LATIN_LETTER = re.compile(r"[A-Za-z\u00aa-\u024f\u1e00-\u1eff\ufb00-\ufb06]")
_WORD = re.compile(r"[^\W\d_]+")


def _traces(text: str) -> int:
    """Characters no writer of Latin text typed, each counted once.

    - Combining marks U+0300-U+036F left over after NFC: Mac Roman `Ã` is byte CC, a lead byte of
      that block, so the Mac Roman reading of `cafÃ©` is `caf̩` (badness 0). Marks that compose
      are how macOS writes accents (NFD): not counted.
    - Private-use and unassigned code points: Mac Roman byte F0, the lead byte of every 4-byte
      emoji, is U+F8FF, so 😀 shows as `\uf8ffüòÄ` (badness 0).
    - Letters of another script inside a Latin word: re-decoding proper French makes `l’été`
      `lՎté` and `dit”écrit` `ditӎcrit`; a real repair gives whole words in one script.
    """
    composed = unicodedata.normalize("NFC", text)
    count = 0
    for run in _NON_ASCII_RUN.findall(composed):
        for char in run:
            if "\u0300" <= char <= "\u036f" or unicodedata.category(char) in ("Co", "Cn"):
                count += 1
    for word in _WORD.findall(composed):
        if not word.isascii() and _LATIN_LETTER.search(word):
            count += len(word) - len(_LATIN_LETTER.findall(word))
    return count


def _example(text: str, undone: list[str]) -> tuple[str, str]:
    """The broken word holding the first changed character, and its repair."""
    match = _NON_ASCII_RUN.search(text)
    assert match is not None  # a repair changed something, and only non-ASCII runs change
    start = end = match.start()
    while start > 0 and text[start - 1] not in _ASCII_SPACE:
        start -= 1
    while end < len(text) and text[end] not in _ASCII_SPACE:
        end += 1
    broken = text[start:end]
    # The word ends at ASCII characters, which are never inside a UTF-8 sequence, so it
    # re-decodes on its own exactly as it did inside the note.
    repaired = broken
    for codec in undone:
        repaired = _ENCODERS[codec](repaired).decode("utf-8")
    return broken, repaired


def _mac_roman_chars(data: bytes) -> str:
    return data.decode(MAC_ROMAN)


def _windows_chars(data: bytes) -> str:
    # Windows-1252 and Latin-1 share A0-FF; a byte 80-9F shows as either.
    return "".join(_SLOPPY_1252_TABLE[byte] for byte in data) + data.decode(LATIN_1)


def _char_class(show: Callable[[bytes], str], first: int, last: int) -> str:
    return "[" + re.escape(show(bytes(range(first, last + 1)))) + "]"


def _sequence_pattern() -> re.Pattern[str]:
    """A UTF-8 multi-byte sequence as one of the code pages shows it: lead, continuation(s).

    Every broken sequence matches, so a line without a match cannot be this kind of mojibake:
    the pattern is a superset filter in front of ftfy's slower `is_bad`. It ignores the finer
    UTF-8 limits (E0 A0, F4 8F...), which only makes it a little wider.
    """
    alternatives = []
    for show in (_mac_roman_chars, _windows_chars):
        continuation = _char_class(show, 0x80, 0xBF)
        alternatives += [
            _char_class(show, 0xC2, 0xDF) + continuation,
            _char_class(show, 0xE0, 0xEF) + continuation + "{2}",
            _char_class(show, 0xF0, 0xF4) + continuation + "{3}",
        ]
    return re.compile("|".join(alternatives))


def _lead_pair_pattern() -> re.Pattern[str]:
    """Any lead byte then any continuation byte, in any of the code pages.

    Wider than `_SEQUENCE` and ten times faster to scan for (one character class to skip by
    instead of six alternatives tried at every position), so it finds where to try `_SEQUENCE`.
    """
    leads = continuations = ""
    for show in (_mac_roman_chars, _windows_chars):
        leads += show(bytes(range(0xC2, 0xF5)))
        continuations += show(bytes(range(0x80, 0xC0)))
    return re.compile("[" + re.escape(leads) + "][" + re.escape(continuations) + "]")


_SEQUENCE = _sequence_pattern()
_LEAD_PAIR = _lead_pair_pattern()


def first_broken_line(text: str) -> int | None:
    """0-based index of the first line that looks like mojibake; None when no line does.

    For notes that mix broken and proper text, where a whole-note repair is impossible. A
    candidate line holds a lead-then-continuation sequence (`_SEQUENCE`), which every broken
    sequence is; ftfy's `is_bad` then judges the line. Lines are split at `\\n` only, as
    `positions.py` counts them: a C1 control (NEL, U+0085) inside a broken sequence, or a
    U+2028 pasted from the web, is not a line break.
    """
    if text.isascii():
        return None
    position = 0
    while (pair := _LEAD_PAIR.search(text, position)) is not None:
        if _SEQUENCE.match(text, pair.start()) is None:
            position = pair.start() + 1
            continue
        line_start = text.rfind("\n", 0, pair.start()) + 1
        line_end = text.find("\n", pair.start())
        if line_end == -1:
            line_end = len(text)
        # Only candidate lines pay for ftfy's regex: is_bad over every line of a 2 KB note costs
        # 0.35 ms, seconds over a vault.
        from ftfy.badness import is_bad

        if is_bad(text[line_start:line_end]):
            return text.count("\n", 0, line_start)
        position = line_end + 1
    return None
