"""Tests for vaultlint.mojibake: whole-note re-decode and the broken-line finder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vaultlint.mojibake import MAC_ROMAN, Repair, first_broken_line, repair_whole

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "seeds" / "Pork Belly Burnt Ends - Miso Butterscotch Glaze.md"

# A proper note: accents, curly quotes, guillemets with NBSP, dashes, fractions, emoji with
# variation selector, ZWJ and keycap, and Á (C3 81) and Ý (C3 9D), whose second bytes are two
# of the five bytes Windows-1252 leaves undefined.
PROPER = (
    "---\n"
    "cuisine: française\n"
    "difficulté: intermédiaire\n"
    "tags:\n"
    '  - "#saveur/sucré-salé"\n'
    "---\n"
    "\n"
    "# Crème brûlée à l’ancienne\n"
    "\n"
    "⏱️ Préparation : 20 min | 🔥 Cuisson : 45 min | 👩‍🍳 Chef : Ýves | 1️⃣ étape\n"
    "\n"
    "  * ½ gousse de vanille, 6 jaunes d’œufs, 100\u00a0g de sucre\n"
    "  * « Ça doit être mousseux\u00a0» — dit Ágata… Noël oblige.\n"
)

LATIN_1 = "latin-1"
SLOPPY_1252 = "sloppy-windows-1252"


def misread(text: str, codec: str) -> str:
    """The accident itself: UTF-8 bytes decoded with a single-byte code page."""
    import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252)

    return text.encode("utf-8").decode(codec)


def sample_text() -> str:
    return SAMPLE.read_bytes().decode("utf-8")


# --- the real sample note -------------------------------------------------------------------


def test_sample_note_is_restored_exactly_through_mac_roman() -> None:
    text = sample_text()
    repair = repair_whole(text)
    assert repair is not None
    assert repair.text == text.encode("mac_roman").decode("utf-8")
    assert repair.codecs == ("mac_roman",)
    assert repair.sequences == 25
    assert repair.example == ("am√©ricaine", "américaine")
    assert "cuisine: américaine\n" in repair.text
    assert "110g (½ cup) brown sugar" in repair.text  # the ¬Ω line ftfy.fix_text misses
    assert "⏱️ Préparation" in repair.text


def test_sample_note_first_broken_line_is_the_cuisine_field() -> None:
    assert first_broken_line(sample_text()) == 1


# --- generated mojibake ---------------------------------------------------------------------


@pytest.mark.parametrize("codec", [MAC_ROMAN, SLOPPY_1252, LATIN_1])
def test_misread_note_is_restored_exactly(codec: str) -> None:
    broken = misread(PROPER, codec)
    repair = repair_whole(broken)
    assert repair is not None
    assert repair.text == PROPER
    assert repair.codecs == (codec,)
    assert first_broken_line(broken) == 1  # "cuisine: française"


def test_windows_1252_misread_needs_the_five_undefined_bytes() -> None:
    broken = misread(PROPER, SLOPPY_1252)
    assert "\x81" in broken  # Á
    assert "\x9d" in broken  # Ý
    with pytest.raises(UnicodeEncodeError):
        broken.encode("cp1252")  # why the strict codec cannot undo it
    repair = repair_whole(broken)
    assert repair is not None
    assert "Ágata" in repair.text
    assert "Ýves" in repair.text


def test_double_mojibake_is_undone_and_named_in_the_order_of_the_accident() -> None:
    broken = misread(misread(PROPER, SLOPPY_1252), MAC_ROMAN)
    repair = repair_whole(broken)
    assert repair is not None
    assert repair.text == PROPER
    assert repair.codecs == (SLOPPY_1252, MAC_ROMAN)  # misread as Windows-1252, then Mac Roman
    assert repair.example == ("fran√É¬ßaise", "française")


def test_double_mojibake_of_the_sample_is_undone() -> None:
    proper = sample_text().encode("mac_roman").decode("utf-8")
    repair = repair_whole(misread(misread(proper, MAC_ROMAN), LATIN_1))
    assert repair is not None
    assert repair.text == proper
    assert repair.codecs == (MAC_ROMAN, LATIN_1)


def test_crlf_stays_crlf() -> None:
    proper = PROPER.replace("\n", "\r\n")
    repair = repair_whole(misread(proper, MAC_ROMAN))
    assert repair is not None
    assert repair.text == proper
    assert repair.text.count("\r\n") == repair.text.count("\n") == PROPER.count("\n")


@pytest.mark.parametrize(
    ("proper", "codec"),
    [
        ("Cre\u0300me bru\u0302le\u0301e a\u0300 la vanille", SLOPPY_1252),
        ("Cre\u0300me bru\u0302le\u0301e a\u0300 la vanille", LATIN_1),
        ("Crème bru\u0302le\u0301e à la vanille", MAC_ROMAN),
    ],
)
def test_decomposed_accents_are_not_normalised(proper: str, codec: str) -> None:
    # NFD, as macOS writes file names and some pasted text. (A Mac Roman misread of text with
    # only NFD accents, `CreÃÄme`, has no badness: it is left alone.)
    repair = repair_whole(misread(proper, codec))
    assert repair is not None
    assert repair.text == proper


def test_sequences_count_runs_of_broken_characters() -> None:
    broken = misread("Crème brûlée à l’ancienne 😀 – été", MAC_ROMAN)
    repair = repair_whole(broken)
    assert repair is not None
    # è, û, é, à, ’, 😀, –, é, é: "été" holds two runs, split by "t"
    assert repair.sequences == 9
    assert repair.example == ("Cr√®me", "Crème")


def test_example_word_keeps_a_broken_non_breaking_space() -> None:
    # à is C3 A0: through Windows-1252 its second byte shows as a non-breaking space, which is
    # part of the broken word, not a word break.
    broken = misread("Voilà la crème", SLOPPY_1252)
    assert broken == "VoilÃ\u00a0 la crÃ¨me"
    repair = repair_whole(broken)
    assert repair is not None
    assert repair.example == ("VoilÃ\u00a0", "Voilà")


def test_windows_1252_reading_wins_over_a_mac_roman_reading_of_combining_marks() -> None:
    broken = "cafÃ© crÃ¨me"
    # Mac Roman also re-decodes it strictly, to stray combining marks: the readings disagree,
    # and only the Windows-1252 one is better than the text.
    assert broken.encode("mac_roman").decode("utf-8") == "caf\u0329 cr\u032cme"
    repair = repair_whole(broken)
    assert repair == Repair("café crème", (SLOPPY_1252,), 2, ("cafÃ©", "café"))


def test_a_lone_broken_emoji_is_repaired() -> None:
    # The Mac Roman reading of 😀 starts with U+F8FF and has a badness of 0 for ftfy.
    broken = misread("Miam 😀", MAC_ROMAN)
    assert broken == "Miam \uf8ffüòÄ"
    repair = repair_whole(broken)
    assert repair is not None
    assert repair.text == "Miam 😀"


def test_sloppy_windows_1252_matches_ftfy_except_byte_1a() -> None:
    import ftfy.bad_codecs  # noqa: F401

    from vaultlint.mojibake import _SLOPPY_1252_TABLE

    ftfy_table = bytes(range(256)).decode(SLOPPY_1252)
    differences = [b for b in range(256) if ftfy_table[b] != _SLOPPY_1252_TABLE[b]]
    assert differences == [0x1A]
    assert _SLOPPY_1252_TABLE[0x1A] == "\x1a"


def test_replacement_character_is_never_turned_into_a_control() -> None:
    # Through ftfy's codec U+FFFD encodes to 1A, so a re-decode would write U+001A.
    broken = misread("Crème brûlée", SLOPPY_1252) + " \ufffd"
    assert repair_whole(broken) is None


# --- text that is already right ---------------------------------------------------------------

PROPER_LINES = [
    "plain ASCII note\r\nwith CRLF",
    "l’été à la crème",
    "√2 ≈ 1.414 and π r²",
    "SÃO PAULO",
    "« guillemets\u00a0» and “curly” quotes — dashes – and…",
    "1\u00a0000\u202f€ à payer\u00a0: 150\u00a0°C",
    "emoji ⏱️ 🔥 👩‍🍳 1️⃣ 🇫🇷 👍🏽",
    "Noël, maïs, cœur, Œuvre, naïveté, Ýves, Ágata",
    PROPER,
]


@pytest.mark.parametrize("text", PROPER_LINES)
def test_proper_text_is_left_alone(text: str) -> None:
    assert repair_whole(text) is None
    assert first_broken_line(text) is None


def test_a_lone_ambiguous_sequence_is_left_alone() -> None:
    # The Mac Roman reading of "gâteau" is "g√¢teau", which ftfy does not find bad, and "¬Ω"
    # is both a broken ½ and "not Omega": without more evidence nothing is changed.
    assert repair_whole(misread("un gâteau", MAC_ROMAN)) is None
    assert repair_whole("¬Ω") is None


def test_a_re_decode_that_breaks_a_word_into_another_script_is_not_better() -> None:
    # A missing space after a closing quote: `”é` is a valid UTF-8 pair under Mac Roman, and
    # ftfy finds `”é` odd, but `ditӎcrit` (Cyrillic inside a Latin word) is no improvement.
    assert "dit”écrit".encode("mac_roman").decode("utf-8") == "ditӎcrit"
    assert repair_whole("dit”écrit") is None


def test_mixed_note_gets_no_repair_and_its_broken_line_is_found() -> None:
    broken_line = misread("Ångström, Noël, crème brûlée", LATIN_1)
    assert "\x85" in broken_line  # Å: a C1 NEL, which str.splitlines would take for a newline
    # U+2028 (pasted from the web) is no line break either, for positions.py and Obsidian.
    note = "# Été\nl’été à la crème\u2028collée\n" + broken_line + "\nfin\n"
    assert repair_whole(note) is None  # the proper lines cannot be re-decoded
    assert first_broken_line(note) == 2


def test_first_broken_line_skips_proper_candidates() -> None:
    # "’à" and "\u00a0°" look like UTF-8 sequences under Mac Roman, but is_bad clears them.
    note = "jusqu’à 150\u00a0°C\nok\n" + misread("crème", MAC_ROMAN) + "\n"
    assert first_broken_line(note) == 2


def test_ftfy_is_not_imported_for_proper_notes() -> None:
    # repair_whole never needs it for a proper note; first_broken_line needs it only for lines
    # that hold a lead-then-continuation pair ("jusqu’à" does, under Mac Roman).
    code = (
        "import sys\n"
        "from vaultlint.mojibake import first_broken_line, repair_whole\n"
        "for text in ('ascii only', 'l’été à la crème 🔥', 'SÃO PAULO √2', 'jusqu’à l’été'):\n"
        "    assert repair_whole(text) is None\n"
        "for text in ('ascii only', 'une crème 🔥', 'SÃO PAULO √2'):\n"
        "    assert first_broken_line(text) is None\n"
        "assert 'ftfy' not in sys.modules, 'ftfy imported'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


# --- property: any French text survives its misreading ------------------------------------

EVIDENT_WORDS = ["américaine", "crème", "fenêtre", "à", "façon", "côte", "île", "goût", "Noël"]
EVIDENT_WORDS += ["maïs", "difficulté", "été", "Ça", "À", "État", "déjà"]
WORDS = ["pâte", "gâteau", "où", "bœuf", "œuf", "cœur", "Œuvre", "l’été", "d’être", "qu’à"]
WORDS += ["aujourd’hui", "naïveté", "Île", "Ève", "sûr", "Ýves", "Ágata", "SÃO", "√2", "π", "µg"]
PUNCTUATION = ["«\u00a0", "\u00a0»", "“", "”", "‘", "’", " — ", " – ", "…", "\u00a0:", "½"]
PUNCTUATION += ["°C", "5\u00a0€", "\u202f;", "!", "?", ".", ",", "(", ")", "#tag", "- [ ]"]
EMOJI = ["😀", "🔥", "⏱️", "🍽️", "👩‍🍳", "1️⃣", "📊", "❤️", "🇫🇷", "👍🏽"]
ASCII_WORDS = ["the", "pork", "2kg", "tsp", "salt", "a", "123", "https://x.y/z?q=1&r=2"]
SEPARATORS = [" ", " ", " ", "\n", "\r\n", "\t", "\n\n"]

tokens = st.lists(
    st.tuples(
        st.sampled_from(EVIDENT_WORDS + WORDS + PUNCTUATION + EMOJI + ASCII_WORDS),
        st.sampled_from(SEPARATORS),
    ),
    max_size=25,
)


@st.composite
def french_text(draw: st.DrawFn) -> str:
    """French-looking text with at least one letter whose misreading ftfy finds bad.

    ("où" or "gâteau" alone are ambiguous: see test_a_lone_ambiguous_sequence_is_left_alone.)
    """
    pairs = draw(tokens)
    evident = draw(st.sampled_from(EVIDENT_WORDS))
    pairs.insert(draw(st.integers(0, len(pairs))), (evident, " "))
    return "".join(word + separator for word, separator in pairs)


@settings(max_examples=120, deadline=None)
@given(french_text(), st.sampled_from([MAC_ROMAN, SLOPPY_1252, LATIN_1]))
def test_misread_french_text_is_restored_exactly(proper: str, codec: str) -> None:
    broken = misread(proper, codec)
    repair = repair_whole(broken)
    assert repair is not None
    assert repair.text == proper
    assert first_broken_line(broken) is not None


@settings(max_examples=120, deadline=None)
@given(french_text())
def test_french_text_is_never_changed(proper: str) -> None:
    assert repair_whole(proper) is None
    assert first_broken_line(proper) is None
