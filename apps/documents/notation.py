"""Notations (số, ký hiệu) of Vietnamese documents: parse, format, canonicalise, search keys.

The forms (GLOSSARY, docs/document-types.md):

- Party: ``number-TYPE/ISSUER`` — ``12-CT/TW``, ``108-KH/TU``, ``36-HD/VPTW``.
- State: ``number/TYPE-ISSUER`` — ``2722/KH-UBND``; normative with the year
  ``number/year/TYPE-ISSUER`` — ``12/2021/QĐ-UBND``; a công văn has no type code:
  ``number/ISSUER-UNIT`` — ``1520/VP-TH``, ``1830/LHHN-VP``, ``215/SNgV-LS&HTQT``.

Which state form a notation has is read from its first code: a known type code (of the state table)
makes it typed; anything else is the issuer of a công văn (or, with a year, of a normative document
without a type code, e.g. a law ``80/2015/QH13``).

The canonical form keeps the codes exactly as written (NFC; Vietnamese letters, ``&`` and the
conventional mixed case such as ``CTr``, ``QĐi``, ``SNgV`` are kept) and only fixes the separators:
no spaces, ``-`` for any dash (en dash, minus …), ``/`` for any slash. Codes typed entirely in lower
case (``12-ct/tw`` in a search box) get the conventional case of the known code, else upper case.
The number has two digits at least, as Nghị định 30/2020 writes numbers below 10 (``5-CT/TW`` →
``05-CT/TW``), so that every spelling of one document compares equal.

Search is forgiving: :func:`search_keys` reduces ``12-CT/TW``, ``12/CT-TW``, ``12-ct/tw``, ``CT 12``,
``chi thi 12`` and ``Chỉ thị số 12-CT/TW`` to keys that share ``("12", "CT")``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from apps.core.text import fold, nfc

from . import doctypes
from .doctypes import PARTY, STATE, DocType

# Vietnamese upper- and lower-case letters beyond ASCII.
VI_UPPER = "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
VI_LOWER = VI_UPPER.lower()
UPPER = "A-Z" + VI_UPPER
LOWER = "a-z" + VI_LOWER
LETTERS = UPPER + LOWER

# Everything that is written as a dash or a slash inside a notation.
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"
SLASHES = "/\u2044\u2215\uff0f"
_DASH_CLASS = "[" + re.escape(DASHES) + "]"
_SLASH_CLASS = "[" + re.escape(SLASHES) + "]"
_TO_ASCII = str.maketrans({**{d: "-" for d in DASHES}, **{s: "/" for s in SLASHES}})

# Invisible characters (soft hyphen, zero-width spaces and joiners, BOM) are dropped; no-break, figure,
# narrow and thin spaces — pasted from word processors and web pages — become a plain space one for one,
# so the text keeps its length and offsets into it stay meaningful. Every pattern below is written
# with " " and "\t" only.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b\u200c\u200d\u2060\ufeff]+")
_ODD_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")


# Text converted from the old Vietnamese encodings (TCVN3, VNI) writes Đ/đ as the Icelandic eth
# Ð/ð (U+00D0/U+00F0), which looks the same: "1234/QÐ-UBND" must read as "1234/QĐ-UBND".
_LOOKALIKES = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111"})


def plain_spaces(text: str) -> str:
    """``text`` without invisible characters, with every kind of space written as a plain one, and
    with the eth that stands in for Đ/đ written as Đ/đ."""
    return _ODD_SPACES.sub(" ", _INVISIBLE.sub("", text)).translate(_LOOKALIKES)


# Spaces (and at most one line break) that may stray into a notation: "12- CT/TW", "2722/KH-\nUBND".
_WS = r"[ \t\u00a0]*(?:\n[ \t\u00a0]*)?"

# A code as written in a document: starts with a capital; either no lower-case letters at all or at
# least two capitals (CTr, QyĐ, QĐi, TTr, SNgV, TTg) — so an ordinary word (Sở, Thành) is never a code.
_CODE_STRICT = (
    rf"[{UPPER}](?:[{LETTERS}0-9&]{{0,18}}[{UPPER}0-9&][{LETTERS}0-9&]{{0,18}}|[0-9&]{{0,18}})(?![{LETTERS}0-9&])"
)
# In a search box anything goes: "12-ct/tw".
_CODE_LOOSE = rf"[{LETTERS}][{LETTERS}0-9&]{{0,24}}"

# Not glued to a number, a path, a URL query, a decimal or a hyphenated slug on the left. A letter is
# allowed: the type word is often glued to the number ("Chỉ thị12-CT/TW", "số2722/KH-UBND").
_LEFT = r"(?<![0-9/\\.=?&#%~@_" + re.escape(DASHES + SLASHES) + r"])"


def _pattern(code: str) -> str:
    return rf"""
    {_LEFT}
    (?P<num>\d{{1,6}})
    (?:
        # Party: number-TYPE/ISSUER, spaces allowed around the separators.
        {_WS}{_DASH_CLASS}{_WS}(?P<ptype>{code}){_WS}{_SLASH_CLASS}{_WS}(?P<pissuer>{code})
        (?P<prest>(?:{_DASH_CLASS}{_WS}{code})*)
      |
        # State: number[/year]/CODE[-CODE[-CODE…]]; further parts only when the dash is attached.
        {_WS}{_SLASH_CLASS}{_WS}(?:(?P<year>(?:19|20)\d\d){_WS}{_SLASH_CLASS}{_WS})?
        (?P<c1>{code})
        (?:{_WS}{_DASH_CLASS}{_WS}(?P<c2>{code})(?P<rest>(?:{_DASH_CLASS}{_WS}{code})*))?
    )
    """


NOTATION_RE = re.compile(_pattern(_CODE_STRICT), re.VERBOSE)
LOOSE_NOTATION_RE = re.compile(_pattern(_CODE_LOOSE), re.VERBOSE)
_SPLIT_PARTS = re.compile(_DASH_CLASS)
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Notation:
    """A parsed notation. ``format()`` gives the canonical text; ``parse(format(n)) == n``."""

    number: str
    system: str  # "party" | "state"
    type_code: str | None = None
    issuer_code: str | None = None
    unit_codes: tuple[str, ...] = field(default=())
    year: str | None = None

    def __post_init__(self):
        # Nghị định 30/2020 (Phụ lục I) writes a number below 10 with a leading zero ("05/2023/QĐ-UBND",
        # "05-CT/TW"), yet texts cite the same document as "5/2023/QĐ-UBND" or "005-CT/TW": the number
        # is kept in that one form so that every spelling formats, compares and de-duplicates alike.
        object.__setattr__(self, "number", canonical_number(self.number))

    def format(self) -> str:
        if self.system == PARTY:
            text = f"{self.number}-{self.type_code}/{self.issuer_code}"
            return text + "".join(f"-{u}" for u in self.unit_codes)
        head = f"{self.number}/{self.year}/" if self.year else f"{self.number}/"
        return head + "-".join([c for c in (self.type_code, self.issuer_code) if c] + list(self.unit_codes))

    __str__ = format

    @property
    def doc_type(self) -> DocType | None:
        """The type the notation itself states; a state notation without a type code and without a
        year is a công văn. None when the notation does not tell (a law ``80/2015/QH13``, unknown code)."""
        if self.type_code:
            return doctypes.resolve(self.type_code, self.system)
        if self.system == STATE and not self.year:
            return doctypes.STATE_LETTER
        return None

    @property
    def symbol(self) -> str:
        """The part after the number (and year): ``CT/TW``, ``KH-UBND``."""
        if self.system == PARTY:
            return f"{self.type_code}/{self.issuer_code}" + "".join(f"-{u}" for u in self.unit_codes)
        return "-".join([c for c in (self.type_code, self.issuer_code) if c] + list(self.unit_codes))

    @property
    def identity(self) -> tuple[str, ...]:
        """What makes two notations name one document: the number (without leading zeros), the year
        and every code, folded — whatever the separators ('12/CT-TW' is '12-CT/TW'). A Party Quy định
        is written QĐi or QĐ (both accepted), so QĐi counts as QĐ."""
        codes = [c for c in (self.type_code, self.issuer_code) if c] + list(self.unit_codes)
        folded = [_folded_upper(c) for c in codes]
        if folded and folded[0] == "QDI":
            folded[0] = "QD"
        return (_num_key(self.number), self.year or "", *folded)

    @property
    def key(self) -> str:
        """Identity for de-duplication: case- and diacritic-free canonical text."""
        return _folded_upper(self.format())


def canonical_number(number: str) -> str:
    """The number of a notation as Nghị định 30/2020 writes it: no extra leading zeros, two digits
    at least ('5' → '05', '005' → '05', '12' → '12')."""
    return (number.lstrip("0") or "0").zfill(2)


@lru_cache(maxsize=4096)
def _folded_upper(text: str) -> str:
    return fold(text).upper()


@lru_cache(maxsize=4096)
def _clean_code(code: str) -> str:
    code = _SPACES.sub("", code)
    if any(ch.isupper() for ch in code):
        return code  # as written: Vietnamese letters and conventional mixed case are kept
    for system in (STATE, PARTY):
        doc_type = doctypes.resolve(code, system)
        if doc_type is not None:
            for known in doc_type.codes:
                if doctypes.code_key(known) == doctypes.code_key(code):
                    return known
    return code.upper()


def _parts(rest: str | None) -> tuple[str, ...]:
    if not rest:
        return ()
    return tuple(_clean_code(p) for p in _SPLIT_PARTS.split(_SPACES.sub("", rest)) if p)


def from_match(match: re.Match) -> Notation:
    """Build a :class:`Notation` from a match of :data:`NOTATION_RE` or :data:`LOOSE_NOTATION_RE`."""
    number = match.group("num")
    if match.group("ptype") is not None:
        return Notation(
            number=number,
            system=PARTY,
            type_code=_clean_code(match.group("ptype")),
            issuer_code=_clean_code(match.group("pissuer")),
            unit_codes=_parts(match.group("prest")),
        )
    others = []
    if match.group("c2") is not None:
        others = [_clean_code(match.group("c2")), *_parts(match.group("rest"))]
    return build_state(number, match.group("year"), _clean_code(match.group("c1")), others)


def build_state(number: str, year: str | None, first: str, others: list[str]) -> Notation:
    """A state notation from its codes: typed when ``first`` is a state type code, else công văn."""
    if doctypes.is_type_code(first, STATE):
        issuer = others[0] if others else None
        return Notation(number, STATE, first, issuer, tuple(others[1:]), year)
    return Notation(number, STATE, None, first, tuple(others), year)


_LABEL = re.compile(r"^\s*(?:s[ốo]\s*:?\s*)", re.IGNORECASE)


def parse(text: str | None) -> Notation | None:
    """The first notation in ``text``, forgivingly (spaces, dashes, lower case, a 'Số:' label or a type
    word around it); None when there is none."""
    if not text:
        return None
    text = plain_spaces(nfc(str(text)))
    match = LOOSE_NOTATION_RE.search(_LABEL.sub("", text, count=1))
    if match is None:
        return None
    return from_match(match)


# What may stand before a notation typed into a field: "Số:", or the type's name and a few words of it
# ("Chỉ thị số 12-CT/TW", "Chương trình hành động số 1830/LHHN-VP"), on folded, upper-cased text.
_FIELD_BEFORE = re.compile(
    r"(?:(?:"
    + "|".join(re.escape(fold(n).upper()) for n in doctypes.type_names())
    + r")(?:\s+[A-Z]+){0,3}\s*)?(?:SO\s*:?\s*)?"
)


def parse_field(text: str | None) -> Notation | None:
    """The notation typed into a notation field, or None when the text is not one notation.

    Stricter than :func:`parse`, which finds a notation anywhere in running text: here only a "Số:"
    label or the type's name may stand before it and only a full stop after it, so "hello 12-CT/TW
    world" or "12-CT/TW và 13-CT/TW" are not silently read as 12-CT/TW, and "12-CT" or "CT/TW" are
    not notations at all."""
    if not text:
        return None
    text = plain_spaces(nfc(str(text))).strip()
    match = LOOSE_NOTATION_RE.search(text)
    if match is None:
        return None
    before = fold(text[: match.start()]).upper().strip()
    if text[match.end() :].strip().strip(".,;") or not _FIELD_BEFORE.fullmatch(before):
        return None
    return from_match(match)


# A draft's number left blank: "/KH-UBND", "Số:    /KH-UBND", "…/2024/QĐ-UBND", "    -KH/TU".
_BLANK_START = re.compile(r"[ .…_]*(?=[-/])")


def parse_blank(text: str | None) -> Notation | None:
    """The codes of a draft's notation whose number is left blank ("Số:    /KH-UBND"), as a
    :class:`Notation` numbered 00 (only its system, codes and year mean anything); None when the text
    is not such a notation."""
    if not text:
        return None
    text = _LABEL.sub("", plain_spaces(nfc(str(text))).translate(_TO_ASCII).strip(), count=1)
    start = _BLANK_START.match(text)
    if start is None:
        return None
    return parse_field("0" + text[start.end() :])


def canonical(text: str | None) -> str | None:
    """The canonical notation in ``text`` ('12- CT/TW' → '12-CT/TW'), or None."""
    found = parse(text)
    return found.format() if found else None


def format_notation(notation: Notation) -> str:
    return notation.format()


# ---------------------------------------------------------------------------------------------------
# Forgiving search keys


def _num_key(number: str) -> str:
    return number.lstrip("0") or "0"


_K = "A-Z0-9&"
# On folded, upper-cased text: "12-CT/TW", "12/CT-TW", "12/2021/QD-UBND" (any separators).
_KEY_FULL = re.compile(
    rf"(?<![0-9])(\d{{1,6}})\s*([-/])\s*(?:(?:19|20)\d\d\s*/\s*)?([A-Z][{_K}]*)(?:\s*[-/]\s*([A-Z][{_K}]*))?"
)
# "CT 12", "CT so 12", "12 CT".
_KEY_CODE_NUM = re.compile(rf"(?<![{_K}])([A-Z][{_K}]*)\s+(?:SO\s*:?\s*)?(\d{{1,6}})(?![0-9])")
_KEY_NUM_CODE = re.compile(rf"(?<![0-9/-])(\d{{1,6}})\s+([A-Z][{_K}]*)(?![{_K}])")


def _type_word_keys():
    """Folded type names → the code keys they may be written with, e.g. 'QUY DINH' → {QYD, QDI, QD}."""
    names: dict[str, set[str]] = {}
    for doc_type in doctypes.ALL_TYPES:
        if doc_type.codes:
            names.setdefault(fold(doc_type.name).upper(), set()).update(doctypes.code_key(c) for c in doc_type.codes)
    return names


_TYPE_WORD_CODES = _type_word_keys()
_TYPE_WORD_RE = re.compile(
    r"(?<![A-Z])("
    + "|".join(re.escape(n) for n in sorted(_TYPE_WORD_CODES, key=len, reverse=True))
    + r")\s+(?:SO\s*:?\s*)?(\d{1,6})(?![0-9])"
)
_ALL_CODE_KEYS = doctypes.all_code_keys()


def search_keys(text: str | None) -> set[tuple[str, ...]]:
    """Normalised keys of the notation(s) in ``text`` for forgiving search.

    A full notation gives ``(number, first code)`` and ``(number, first code, second code)``; a type
    written as a code or a word next to a number gives ``(number, code)``. Numbers lose leading zeros;
    codes are folded (no diacritics) and upper-cased. A document matches a query when their keys meet.

    >>> sorted(search_keys("Chỉ thị số 12-CT/TW"))
    [('12', 'CT'), ('12', 'CT', 'TW')]
    """
    if not text:
        return set()
    folded = fold(plain_spaces(nfc(str(text))).translate(_TO_ASCII)).upper()
    keys: set[tuple[str, ...]] = set()
    for match in _KEY_FULL.finditer(folded):
        number, sep, first, second = _num_key(match.group(1)), match.group(2), match.group(3), match.group(4)
        if second is None and sep != "/" and first not in _ALL_CODE_KEYS:
            continue  # "12-XY" alone is not a notation; "123/UBND" (a công văn) is
        # A Party Quy định is written QĐi or QĐ (docs/document-types.md): a full notation gives the
        # keys of both spellings, so "05-QĐ/TW" finds "05-QĐi/TW" and the other way round.
        firsts = {"QD", "QDI"} if first == "QDI" or (first == "QD" and sep == "-") else {first}
        for code in firsts:
            keys.add((number, code))
            if second:
                keys.add((number, code, second))
    for match in _KEY_CODE_NUM.finditer(folded):
        if match.group(1) in _ALL_CODE_KEYS:
            keys.add((_num_key(match.group(2)), match.group(1)))
    for match in _KEY_NUM_CODE.finditer(folded):
        if match.group(2) in _ALL_CODE_KEYS:
            keys.add((_num_key(match.group(1)), match.group(2)))
    for match in _TYPE_WORD_RE.finditer(folded):
        number = _num_key(match.group(2))
        for code in _TYPE_WORD_CODES[match.group(1)]:
            keys.add((number, code))
    return keys
