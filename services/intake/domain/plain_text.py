"""Text a person typed, made safe to put in a letter, a page and a PDF: it stays text, whatever it contains.

Kept: letters, digits, punctuation, spaces and newlines. Dropped: C0 and C1 control characters (except the
newline; a tab becomes a space), DEL, lone surrogates, noncharacters, and the invisible formatting characters that
can reorder or hide text (bidirectional embeddings, overrides and isolates such as U+202E, the directional marks,
zero-width characters and the byte-order mark). Line and paragraph separators become newlines; \\r\\n and \\r
become \\n; more than two blank lines in a row become two; the result is NFC-normalised and cut to `max_length`.
Markup is not removed: it is escaped where it is shown (HTML) and is plain characters elsewhere (PDF, text).
"""
import re
import unicodedata

BIDI_AND_INVISIBLE = frozenset(
    [0x061C, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xFEFF]
    + list(range(0x202A, 0x202F))    # LRE, RLE, PDF, LRO, RLO
    + list(range(0x2066, 0x206A))    # LRI, RLI, FSI, PDI
    + list(range(0x206A, 0x2070))    # deprecated format characters
)
_LINE_SEPARATORS = {"\u2028": "\n", "\u2029": "\n", "\u0085": "\n", "\r\n": "\n", "\r": "\n", "\t": " ",
                    "\u000b": "\n", "\u000c": "\n"}
_SEPARATOR = re.compile("\r\n|[\r\u2028\u2029\u0085\t\u000b\u000c]")
_BLANK_LINES = re.compile(r"\n[ \u00a0]*(?:\n[ \u00a0]*){2,}")


def _kept(char: str) -> bool:
    code = ord(char)
    if char == "\n":
        return True
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return False
    if code in BIDI_AND_INVISIBLE:
        return False
    if 0xD800 <= code <= 0xDFFF:  # a lone surrogate (JSON "\ud800") cannot be encoded at all
        return False
    if 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE:  # noncharacters
        return False
    return unicodedata.category(char) != "Cf"  # any other invisible format character


def clean_text(value, max_length: int, multiline: bool = True) -> str:
    """`value` as safe plain text (see the module's docstring); None and non-strings become ""."""
    if not isinstance(value, str):
        return ""
    text = _SEPARATOR.sub(lambda found: _LINE_SEPARATORS[found.group(0)], value)
    text = "".join(char for char in text if _kept(char))
    text = unicodedata.normalize("NFC", text)
    if not multiline:
        text = " ".join(text.split())
    else:
        text = "\n".join(line.rstrip() for line in text.split("\n"))
        text = _BLANK_LINES.sub("\n\n", text).strip("\n ")
    return text[:max_length].rstrip()
