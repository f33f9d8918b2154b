"""Text a person typed stays text: control characters, bidirectional overrides and other invisible characters go,
newlines stay, lengths are bounded."""
import pytest

from services.intake.domain.plain_text import clean_text


@pytest.mark.parametrize("raw, expected", [
    ("abc\u202edef\u202c", "abcdef"),                        # right-to-left override and pop
    ("\u2066x\u2069\u200e\u200f\u061c", "x"),                 # isolates and marks
    ("a\u0000b\u0007c\u001bd\u007fe\u0085f\u009bg", "abcde\nfg"),   # C0, DEL, C1 (NEL is a line break)
    ("line1\r\nline2\rline3\u2028line4", "line1\nline2\nline3\nline4"),
    ("tab\there", "tab here"),
    ("zero\u200bwidth\ufeff", "zerowidth"),
    ("lone \ud800 surrogate \ufffe", "lone  surrogate"),
    ("a\n\n\n\n\nb", "a\n\nb"),
    ("  <b>markup</b> & co  ", "<b>markup</b> & co"),
    ("Cafe\u0301", "Café"),                                   # NFC
    (None, ""), (42, ""),
])
def test_clean_text(raw, expected):
    assert clean_text(raw, 1000) == expected


def test_single_line_fields_lose_their_newlines_and_everything_is_cut_to_the_limit():
    assert clean_text("Maria\nJansen", 100, multiline=False) == "Maria Jansen"
    assert clean_text("x" * 50, 10) == "x" * 10
