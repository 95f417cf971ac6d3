"""Text folding for search that ignores case and Vietnamese diacritics.

Unicode decomposition strips tone and vowel marks but does not decompose đ/Đ, so it is mapped by
hand (GLOSSARY: "fold đ/Đ to d").
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s]|_")
_D_MAP = str.maketrans({"đ": "d", "Đ": "d"})
#: the combining marks of the Latin scripts (Vietnamese tones and vowel marks among them), every one
#: with a non-zero combining class (U+034F, the grapheme joiner, has none and stays)
_LATIN_MARKS = re.compile("[\u0300-\u034e\u0350-\u036f]+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def fold(text: str | None) -> str:
    """Lower-case, diacritic-free, single-spaced form of ``text``: 'Hà Nội' → 'ha noi'."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", str(text).translate(_D_MAP))
    # one regex pass in C strips what Vietnamese carries; only text still not ASCII (other
    # scripts, other marks) is looked at character by character
    stripped = _LATIN_MARKS.sub("", decomposed)
    if not stripped.isascii():
        stripped = "".join(ch for ch in stripped if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold()).strip()


def name_key(text: str | None) -> str:
    """The name as duplicate detection compares it: folded (case, diacritics, đ) and without
    punctuation, so 'Tỉnh Prey Veng', 'tinh prey-veng' and 'TỈNH PREY VENG.' are the same key."""
    return _SPACES.sub(" ", _PUNCT.sub(" ", fold(text))).strip()


def iati_org_ref(text: str | None) -> str:
    """An IATI organisation identifier in one form: publishers write ``xm-dac-41114`` and
    ``XM-DAC-41114`` for one organisation, and IATI 1.x files the bare DAC code ``41114`` (now
    ``XM-DAC-41114``); partners entered by hand keep the same form, so the import matches them."""
    ref = " ".join((text or "").split()).upper()
    if ref.isdecimal():
        ref = "XM-DAC-" + ref
    return ref


def fold_join(*parts) -> str:
    """The folded search text of several fields, joined so a query can match any of them."""
    return " | ".join(fold(p) for p in parts if p)
