"""Text folding for search that ignores case and Vietnamese diacritics.

Unicode decomposition strips tone and vowel marks but does not decompose đ/Đ, so it is mapped by
hand (GLOSSARY: "fold đ/Đ to d").
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_D_MAP = str.maketrans({"đ": "d", "Đ": "d"})


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def fold(text: str | None) -> str:
    """Lower-case, diacritic-free, single-spaced form of ``text``: 'Hà Nội' → 'ha noi'."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", str(text).translate(_D_MAP))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold()).strip()


def fold_join(*parts) -> str:
    """The folded search text of several fields, joined so a query can match any of them."""
    return " | ".join(fold(p) for p in parts if p)
