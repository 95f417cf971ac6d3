"""From Vietnamese text to proposed records: the document itself, the documents it cites, countries and
foreign localities, money amounts and task candidates (CONTRACTS.md, "Extraction from text").

:func:`extract` returns exactly the contract's JSON object (plus a few extra keys inside items: a
document's ``system`` and ``title``, a task candidate's ``lead`` and ``supporting``). :func:`read_path`
reads a ``.txt``, ``.docx`` or ``.pdf`` (text layer) file into text for it.

The rules generalise from Vietnamese notation practice rather than from examples:

- notations: see :mod:`apps.documents.notation` (stray spaces, any dash, a line break inside, a type
  word glued to the number, ``&``, years); a notation inside a URL (``https://x.vn/12-CT/TW``,
  ``thanhuytphcm.vn/tin-tuc/2722/KH-UBND``) is not one; a bare ``number/ISSUER`` (a công văn) needs
  "số", its type word right before it, or a list it continues ("các Công văn số 123/UBND và
  456/UBND"); one typed in lower case ("chỉ thị số 12-ct/tw") needs a type word and "số"; the type
  word nearest to a notation names it ("Báo cáo tại Công văn số 456/SNgV-VP" is a công văn);
- the text is read with every kind of space as a plain one (no-break, thin …) and without invisible
  characters (zero-width spaces and joiners, BOM);
- the document's own notation comes from its ``Số: …`` header (a blank number — ``Số:    /KH-UBND``
  — is a draft: no notation is invented), or from a source line ("UBND tỉnh đã ban hành Kế hoạch số
  2722/KH-UBND"); its date from the place-and-date line of the header (on the 'Số' line, or above or
  below it down to the type line or the body: a flattened two-column header) or the date given with it;
- a reference's date is one written right after any of its mentions ("… số 12-CT/TW ngày 05/01/2022",
  "… ngày 5 tháng 1 năm 2022", "(19/9/2019)", "… 108-KH/TU của Ban Thường vụ Thành ủy ngày …");
- money needs a currency word; a number of things ("20.000 khẩu trang") is not money;
- task candidates are enumerated items ("Thứ nhất, …", "Một là, …", "Điều 2.", "1.", "1.1.", "(1)",
  "a)", "a.", "-", "+", "•"; a tab-separated task table); the lead unit is the one that "chủ trì" (or
  the subject of the item, or the unit heading the items), the supporting units those after "phối hợp
  (với)" or before a closing "phối hợp"; a unit's name ends where the grammar of unit names ends (head
  word, capitalised parts, levels), not at a listed verb; grounds ("- Căn cứ …"), a decision's content
  and closing article, a delegation's members and a report's findings are not tasks.

Everything is a linear scan with precompiled patterns (≥ 1 MB of text per second; bench/bench_extract.py).
"""

from __future__ import annotations

import datetime
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

from apps.core.text import fold, nfc

from . import doctypes
from .doctypes import PARTY, STATE, DocType
from .notation import LETTERS, LOOSE_NOTATION_RE, LOWER, NOTATION_RE, UPPER, Notation, from_match, plain_spaces

# ---------------------------------------------------------------------------------------------------
# Text

_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")


def normalise_text(text: str) -> str:
    """NFC, Unix line breaks, plain spaces for the other kinds of space, no invisible characters (soft
    hyphen, zero-width spaces and joiners, BOM)."""
    text = plain_spaces(_LINE_BREAKS.sub("\n", text))
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def _squash(text: str) -> str:
    return " ".join(text.split())


def _trie_pattern(words) -> str:
    """One regex alternation for many literals, factored as a trie (fast in Python's engine)."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            return ("(?:" + body + ")?") if len(branches) == 1 and len(body) > 1 else body + "?"
        return body

    return build(trie)


# ---------------------------------------------------------------------------------------------------
# Dates

_SEP = r"[ \t]*\n?[ \t]*"
_DATE_NUM = rf"(?<!\d)(\d{{1,2}}){_SEP}([/.\-–]){_SEP}(\d{{1,2}}){_SEP}\2{_SEP}((?:19|20)\d\d)(?!\d)"
_DATE_WORDS = rf"(\d{{1,2}}){_SEP}tháng{_SEP}(\d{{1,2}}){_SEP},?{_SEP}năm{_SEP}((?:19|20)\d\d)(?!\d)"
_DATE = rf"(?:{_DATE_NUM}|{_DATE_WORDS})"

# What may stand between a notation and the date given with it.
_DATE_AFTER_REF = re.compile(
    rf"""{_SEP}(?:,{_SEP})?(?:\({_SEP})?
    (?:(?:đã{_SEP})?(?:được{_SEP})?(?:ban{_SEP}hành|ký){_SEP})?
    (?:của[ \t]+[^,;.\n()“”"\d]{{1,60}}?{_SEP}(?=ngày))?
    (?:ngày{_SEP})?{_DATE}""",
    re.IGNORECASE | re.VERBOSE,
)
# The place-and-date line of a header: "Hà Nội, ngày 05 tháng 01 năm 2022" (or "…, ngày 05/01/2022"):
# a place name at the start of a line or of a column, a comma, the date. The name has no commas and no
# digits except the number that names an urban district or ward ("Quận 1", "Phường 5") — but not
# "số 12, ngày …".
_PLACE = r"[^\W\d][^\n,;:0-9]{1,40}(?:(?<=[ \t])(?<![Ss]ố[ \t])\d{1,2})?"
_PLACE_DATE = re.compile(rf"(?:^|\t|  |\|)[ \t]*{_PLACE},{_SEP}ngày{_SEP}{_DATE}", re.IGNORECASE | re.MULTILINE)
# A header flattened with single spaces puts the place right after the number on the 'Số' line:
# "Số: 312/SNgV-VP Bến Tre, ngày 09 tháng 10 năm 2023".
_PLACE_DATE_AFTER_NUMBER = re.compile(rf"[ \t]+{_PLACE},{_SEP}ngày{_SEP}{_DATE}", re.IGNORECASE)


def _date_from(match: re.Match, offset: int = 1) -> datetime.date | None:
    """The date of a match of ``_DATE`` whose groups start at ``offset``."""
    g = match.groups()[offset - 1 :]
    if g[0] is not None:
        day, month, year = g[0], g[2], g[3]
    else:
        day, month, year = g[4], g[5], g[6]
    try:
        return datetime.date(int(year), int(month), int(day))
    except (TypeError, ValueError):
        return None


def _date_after(text: str, pos: int) -> datetime.date | None:
    match = _DATE_AFTER_REF.match(text, pos)
    return _date_from(match) if match else None


# The date of an issue told before it, in the same sentence: "Ngày 28/8/2019, Thủ tướng Chính phủ ban
# hành Quyết định số 1109/QĐ-TTg".
_DATE_BEFORE_ISSUE = re.compile(
    rf"(?<![{{letters}}])ngày{_SEP}{_DATE}[ \t]*,?[^.;!?\n\d]{{0,100}}?ban[ \t]+hành[ \t]+[^.;!?\n\d]{{0,50}}$".replace(
        "{letters}", "a-zA-Z\u00c0-\u1ef9"
    ),
    re.IGNORECASE,
)


def _date_before(text: str, pos: int) -> datetime.date | None:
    match = _DATE_BEFORE_ISSUE.search(text, max(0, pos - 200), pos)
    return _date_from(match) if match else None


# ---------------------------------------------------------------------------------------------------
# Type words ("Chỉ thị", "Kế hoạch", "công văn" …) in front of a notation


def _spellings(name: str) -> set[str]:
    """A type name with both tone placements in use ('Bản thỏa thuận' / 'Bản thoả thuận', 'ủy' / 'uỷ')."""
    variants = {name}
    for old, new in (
        ("òa", "oà"),
        ("óa", "oá"),
        ("ỏa", "oả"),
        ("õa", "oã"),
        ("ọa", "oạ"),
        ("ủy", "uỷ"),
        ("úy", "uý"),
        ("ùy", "uỳ"),
    ):
        variants |= {v.replace(old, new) for v in variants}
    return variants


_TYPE_WORDS = sorted({v for n in doctypes.type_names() for v in _spellings(n)}, key=len, reverse=True)
_TYPE_WORDS_PATTERN = _trie_pattern({w.lower() for w in _TYPE_WORDS})  # used case-insensitively
_TYPE_WORD_RE = re.compile(rf"(?<![{LETTERS}])(?:{_TYPE_WORDS_PATTERN})(?![{LETTERS}])", re.IGNORECASE)
# What may stand between a type word and the notation it names: up to three words ("Chương trình hành
# động số", "Quyết định ban hành số"), or a name that starts with a capital — a law's, up to eight words
# ("Luật Điều ước quốc tế số 108/2016/QH13", "Luật Tổ chức chính quyền địa phương số …"); then maybe
# "số". No punctuation: a comma or a full stop ends the phrase the type word belongs to.
_CUE_TAIL = re.compile(
    rf"""(?:(?:[ \t\n]+[{LETTERS}]+){{0,3}}|[ \t\n]+[{UPPER}][{LETTERS}]*(?:[ \t\n]+[{LETTERS}]+){{0,7}})
    [ \t\n]*(?:(?:[Ss]ố|SỐ)[ \t]*:?)?[ \t\n]*""",
    re.VERBOSE,
)
_CUE_WINDOW = 100
_NUMBER_CUE = re.compile(rf"(?<![{LETTERS}])số[ \t]*:?[ \t\n]*$", re.IGNORECASE)


def _cue_before(text: str, start: int) -> tuple[DocType | None, bool]:
    """The type word written just before a notation, and whether 'số' is there.

    The nearest type word wins: in "đã gửi Báo cáo tại Công văn số 456/SNgV-VP" the notation is the
    công văn's; the report is what the letter carried."""
    window_start = max(0, start - _CUE_WINDOW)
    doc_type = None
    words = list(_TYPE_WORD_RE.finditer(text, window_start, start))
    for index in range(len(words) - 1, -1, -1):
        word = words[index]
        if _CUE_TAIL.fullmatch(text, word.end(), start):
            # A type word inside a name is not the cue: "Luật Thỏa thuận quốc tế số 70/2020/QH14" is a law.
            before = words[index - 1] if index else None
            if before is not None and not text[before.end() : word.start()].strip():
                word = before
            doc_type = doctypes.by_name(word.group(0))
            break
    return doc_type, bool(_NUMBER_CUE.search(text, max(0, start - 12), start))


# ---------------------------------------------------------------------------------------------------
# Notations found in the text


@dataclass
class Occurrence:
    start: int
    end: int
    notation: Notation
    cue: DocType | None
    date: datetime.date | None


_URL_IN_TOKEN = re.compile(r"://|www\.|@|[A-Za-z0-9-]\.[A-Za-z]{2,}(?::\d+)?/", re.IGNORECASE)
_FILE_OR_DOMAIN_AFTER = re.compile(r"\.[a-z]{2,5}(?![a-z])|/[^\s]")


def _in_url(text: str, start: int, end: int) -> bool:
    """Whether the notation at start:end is part of a URL, an e-mail address or a file path."""
    lo = max(0, start - 300)
    left = max(text.rfind(" ", lo, start), text.rfind("\n", lo, start), text.rfind("\t", lo, start), lo - 1)
    token = text[left + 1 : start]
    if token and _URL_IN_TOKEN.search(token):
        return True
    return bool(_FILE_OR_DOMAIN_AFTER.match(text, end))


# A type word right before a bare "number/ISSUER" ("Công văn 789/UBND ngày 5/4/2023"): as good as "số".
_ADJACENT_CUE = re.compile(rf"(?<![{LETTERS}])(?:{_TYPE_WORDS_PATTERN})[ \t\n]*$", re.IGNORECASE)
# Between two notations of one list: "các Công văn số 123/UBND và 456/UBND", "… 12/2021/QĐ-UBND ngày
# 3/6/2021, 13/2021/QĐ-UBND"; the later ones share the type word (and need no "số" of their own).
_LIST_GAP = re.compile(
    rf"(?:[ \t\n]*,?[ \t\n]*(?:ngày{_SEP})?{_DATE})?[ \t\n]*(?:,|và|hoặc)[ \t\n]*(?:số[ \t]*:?[ \t]*)?",
    re.IGNORECASE,
)
_LIST_GAP_MAX = 60
# A notation typed in lower case, wholly or in part ("chỉ thị số 12-ct/tw", "quyết định số
# 12/2021/qđ-ubnd", "Kế hoạch số 2722/KH-ubnd") is one only after a type word and "số"; its codes are
# abbreviations — no tone marks, at most ten letters — so "kế hoạch số 5/năm …" is not one.
_NUMBER_THEN_CODE = re.compile(
    rf"(?<![{LETTERS}])(?:số|Số|SỐ)[ \t]*:?[ \t]*(?=\d{{1,6}}[ \t]*[-/–][ \t]*(?:(?:19|20)\d\d[ \t]*/[ \t]*)?[{LETTERS}])"
)
_ABBREVIATION = re.compile(r"[A-Za-zĐđ0-9&]{1,10}")
_LOWER = re.compile("[a-zđ]")


def _lower_case_notations(text: str) -> list[re.Match]:
    found = []
    for number in _NUMBER_THEN_CODE.finditer(text):
        match = LOOSE_NOTATION_RE.match(text, number.end())
        if match is None:
            continue
        codes = [match.group(g) for g in ("ptype", "pissuer", "c1", "c2") if match.group(g) is not None]
        rest = (match.group("prest") or "") + (match.group("rest") or "")
        codes += [c.strip() for c in re.split(r"[-–]", rest) if c.strip()]
        if not all(_ABBREVIATION.fullmatch(c) for c in codes):
            continue
        if not any(_LOWER.match(c) or (c.islower() and c.isalpha()) for c in codes):
            continue  # written in capitals: the strict pattern has it
        if match.group("ptype") is not None:
            if not doctypes.is_type_code(match.group("ptype").upper(), PARTY):
                continue
        elif match.group("c2") is None and match.group("year") is None:
            continue  # "số 3/ha": a ratio, not a công văn's notation
        found.append(match)
    return found


# "số" as a quantity, not a number's label: "Tổng số 30/TW", "một số 20/UBND …".
_QUANTITY_BEFORE = re.compile(
    rf"(?<![{LETTERS}])(?:tổng|một|đa|thiểu|những|phần|con)[ \t]+số[ \t]*:?[ \t]*$", re.IGNORECASE
)


def _candidates(text: str) -> list[re.Match]:
    """Strict matches, and the partly lower-case ones — which replace a strict match cut short at the
    same place ("2722/KH" of "2722/KH-ubnd")."""
    matches = list(NOTATION_RE.finditer(text))
    lower = _lower_case_notations(text)
    if not lower:
        return matches
    by_start = {m.start(): m for m in matches}
    for match in lower:
        strict = by_start.get(match.start())
        if strict is None or match.end() > strict.end():
            by_start[match.start()] = match
    return [by_start[start] for start in sorted(by_start)]


def _occurrences(text: str) -> list[Occurrence]:
    found: list[Occurrence] = []
    for match in _candidates(text):
        start, end = match.span()
        if _in_url(text, start, end):
            continue
        cue, numbered = _cue_before(text, start)
        previous = found[-1] if found else None
        listed = (
            previous is not None
            and 0 <= start - previous.end <= _LIST_GAP_MAX
            and _LIST_GAP.fullmatch(text, previous.end, start) is not None
        )
        notation = from_match(match)
        if cue is None and listed and (previous.notation.type_code is None) == (notation.type_code is None):
            # The list's type word: "các Công văn số 123/UBND và 456/UBND". Not across forms: in "Báo cáo
            # số 45/BC-UBND và 47/UBND-VX" the second is a công văn.
            cue = previous.cue
        if match.re is not NOTATION_RE:
            if cue is None:
                continue  # lower case without a type word: ordinary text
        elif match.group("c1") is not None and match.group("c2") is None and match.group("year") is None:
            # "123/UBND" is a notation only where the text says so: "Công văn số 123/UBND", "Công văn
            # 123/UBND", "văn bản số 123/UBND", or in a list after one — not "Tổng số 30/TW".
            said = (numbered and not _QUANTITY_BEFORE.search(text, max(0, start - 20), start)) or (
                listed or _ADJACENT_CUE.search(text, max(0, start - 30), start)
            )
            if not said:
                continue
        date = _date_after(text, end) or _date_before(text, start)
        found.append(Occurrence(start, end, notation, cue, date))
    return found


def _type_of(notation: Notation | None, cue: DocType | None) -> DocType | None:
    """The type of a document named by ``notation`` and the type word ``cue`` written before it."""
    if notation is None:
        return cue
    own = notation.doc_type
    if cue is not None:
        in_system = doctypes.by_name(cue.name, notation.system) or cue
        if notation.type_code is None:
            return in_system  # "Chương trình hành động số 1830/LHHN-VP": the word says what the code does not
        if own is not None and in_system.system == notation.system and notation.type_code in in_system.codes:
            return in_system  # Party "Quy định số 12-QĐ/TW": QĐ is accepted for Quy định
    return own


# ---------------------------------------------------------------------------------------------------
# The document itself

# "Số:" at the start of a line or of a column (tab, two spaces, "|"); in capitals only with a colon
# (a title in capitals may start "SỐ 164-KH/TU NGÀY …").
_HEADER_NUMBER = re.compile(r"(?:^|(?<=\t)|(?<=  )|(?<=\|))[ \t]*(?:Số|SỐ(?=[ \t]*:))[ \t]*(?::[ \t]*)?", re.MULTILINE)
_CODE = rf"[{UPPER}][{LETTERS}0-9&]*"
_BLANK_NUMBER = re.compile(
    rf"[ \t.…_]*(?P<sep>[/\-–])[ \t]*(?:(?P<year>(?:19|20)\d\d)[ \t]*/[ \t]*)?(?P<first>{_CODE})(?:[ \t]*[/\-–][ \t]*(?P<rest>{_CODE}(?:[\-–]{_CODE})*))?"
)
# A draft's label line: "DỰ THẢO", "(Dự thảo)", "DỰ THẢO LẦN 2", "Dự thảo 3", "Dự thảo ngày 10/4/2024",
# "Dự thảo lần 2 ngày 10/4/2024" — the label alone on its line (a sentence "Dự thảo Kế hoạch …" is not one).
_DRAFT_LABEL = re.compile(
    r"^[ \t(]*(?:DỰ|Dự)[ \t]+(?:THẢO|thảo)[ \t]*[:,–-]?"
    r"(?:[ \t]*(?:(?:lần|LẦN|Lần)[ \t]*(?:thứ[ \t]*)?\d+|\d+|(?:ngày|NGÀY|Ngày)[ \t]*\d{1,2}[ \t]*(?:[/.\-][ \t]*\d{1,2}[ \t]*[/.\-][ \t]*\d{2,4}"
    r"|tháng[ \t]*\d{1,2}[ \t]*(?:,[ \t]*)?năm[ \t]*\d{4}))[ \t]*[,;–-]?)*[ \t)]*$",
    re.MULTILINE,
)
_SOURCE_LINE = re.compile(rf"ban[ \t]+hành[ \t]+((?i:{_TYPE_WORDS_PATTERN}))(?![{LETTERS}])")
_SOURCE_AUX = re.compile(r"(?<![^\W\d_])(?:đã|vừa|mới)[ \t]+(?:chính[ \t]+thức[ \t]+)?(?:ký[ \t]+)?$", re.IGNORECASE)
# A news item's lede — its first paragraph of a sentence's length — that opens with the date: "Ngày
# 05/6/2024, Ban Thường vụ Huyện ủy … ban hành Kế hoạch số 215-KH/HU …" is about that document.
_LEDE = re.compile(r"^[^\n]{60,}$", re.MULTILINE)
_LEDE_DATE = re.compile(rf"[^\n\d]{{0,12}}?(?:Ngày|ngày){_SEP}{_DATE}[ \t]*,")
_TO_NOTATION = re.compile(rf"(?:[ \t]+[{LETTERS}]+){{0,3}}?[ \t]*(?:số[ \t]*:?[ \t]*)?(?=\d)", re.IGNORECASE)
_TITLE_STOP = re.compile(r"^(?:căn cứ|thực hiện|kính gửi|theo|[-_*=.…]{3,}|\*)", re.IGNORECASE)
_FIRST_TITLE_STOP = re.compile(r"^(?:căn cứ|kính gửi|điều|[-_*=.…]{3,}|\*)", re.IGNORECASE)
_SUBJECT_LINE = re.compile(r"^[ \t]*V/[vV][ \t]*[:.]?[ \t]*(.*)$", re.MULTILINE)
_HEADER_SCAN = 5000
_SOURCE_SCAN = 2500


def _empty_document() -> dict:
    return {
        "notation": None,
        "type_code": None,
        "type": None,
        "issuer_code": None,
        "issued_on": None,
        "is_draft": False,
        "system": None,
        "title": None,
    }


def _fill(document: dict, notation: Notation | None, doc_type: DocType | None) -> None:
    if notation is not None:
        document["notation"] = notation.format()
        document["type_code"] = notation.type_code
        document["issuer_code"] = notation.issuer_code
        document["system"] = notation.system
    if doc_type is not None:
        document["type"] = doc_type.name  # a type name alone does not say the system: it stays None


def _lines_after(text: str, pos: int, count: int) -> list[str]:
    end = pos
    lines = []
    for _line in range(count):
        nl = text.find("\n", end)
        if nl < 0:
            lines.append(text[end:])
            break
        lines.append(text[end:nl])
        end = nl + 1
    return lines


def _header_title(text: str, pos: int) -> tuple[DocType | None, str | None]:
    """The type line (KẾ HOẠCH, CHƯƠNG TRÌNH HÀNH ĐỘNG …) after a header and the title under it; or a
    công văn's subject line (V/v …)."""
    window_start = text.rfind("\n", 0, max(0, pos - 400)) + 1
    subject = _SUBJECT_LINE.search(text, window_start, min(len(text), pos + 1200))
    lines = _lines_after(text, text.rfind("\n", 0, pos) + 1, 30)
    for index, line in enumerate(lines):
        doc_type = _type_line(line)
        if doc_type is None:
            continue
        stripped = line.strip()
        folded = fold(stripped)
        rest = stripped[len(doc_type.name) :].strip() if folded != fold(doc_type.name) else ""
        title_lines = [rest] if rest and not rest.isupper() else []
        for follow in lines[index + 1 : index + 5]:
            follow = follow.strip()
            if not follow:
                if title_lines:
                    break
                continue
            if (_TITLE_STOP if title_lines else _FIRST_TITLE_STOP).match(follow):
                break
            title_lines.append(follow)
            if len(title_lines) == 3:
                break
        return doc_type, (_squash(" ".join(title_lines)) or None)
    if subject:
        title = [subject.group(1).strip()]
        for follow in _lines_after(text, subject.end() + 1, 3):
            follow = follow.strip()
            if not follow or _TITLE_STOP.match(follow) or follow.isupper():
                break
            title.append(follow)
        return doctypes.STATE_LETTER, (_squash(" ".join(title)) or None)
    return None, None


# Where the header ends and the body begins: the salutation, the legal grounds, the first article or
# enumerated heading. The place-and-date line is looked for no further (nor past the type line).
_BODY_START = re.compile(
    r"[ \t]*(?:Kính[ \t]+gửi|KÍNH[ \t]+GỬI|Căn[ \t]+cứ|Thực[ \t]+hiện|Điều[ \t]+1\b|[IVX]{1,4}\.[ \t]|\d{1,2}\.[ \t])"
)
_HEADER_LINES = 12


def _type_line(line: str) -> DocType | None:
    """The type a header's type line names ("KẾ HOẠCH", "CHƯƠNG TRÌNH HÀNH ĐỘNG …"), else None."""
    stripped = line.strip()
    if not stripped or not stripped.isupper() or len(stripped) > 60:
        return None
    folded = fold(stripped)
    return next(
        (t for t in doctypes.ALL_TYPES if folded == fold(t.name) or folded.startswith(fold(t.name) + " ")), None
    )


def _header_date(text: str, start: int, end: int) -> datetime.date | None:
    """The date of the place-and-date line of the header the 'Số' line at start:end belongs to.

    It is on the same line (two columns), or — when the two columns were flattened into one — a few
    lines above, or below after the subject lines and the national motto (Nghị định 30/2020: the
    place and date sit under the motto, opposite the number). It is looked for down to the type line
    or the body's first line, at most ``_HEADER_LINES`` lines.
    """
    after = _PLACE_DATE_AFTER_NUMBER.match(text, end)
    if after:
        return _date_from(after)
    lo = text.rfind("\n", 0, max(0, start - 300)) + 1
    hi = text.find("\n", end)
    hi = len(text) if hi < 0 else hi
    for _line in range(_HEADER_LINES):
        if hi >= len(text):
            break
        nl = text.find("\n", hi + 1)
        line_end = len(text) if nl < 0 else nl
        line = text[hi + 1 : line_end]
        if _BODY_START.match(line) or _type_line(line) is not None:
            break
        hi = line_end
    match = _PLACE_DATE.search(text, lo, hi)
    return _date_from(match) if match else None


def _find_document(text: str, occurrences: list[Occurrence]) -> tuple[dict, str | None]:
    """The text's own document and the key of its notation (to exclude it from references)."""
    document = _empty_document()
    by_start = {o.start: o for o in occurrences}
    if _DRAFT_LABEL.search(text, 0, _HEADER_SCAN):
        document["is_draft"] = True

    for header in _HEADER_NUMBER.finditer(text, 0, _HEADER_SCAN):
        pos = header.end()
        match = NOTATION_RE.match(text, pos)
        occurrence = by_start.get(match.start()) if match else None
        if occurrence is not None:
            notation = occurrence.notation
        else:
            blank = _BLANK_NUMBER.match(text, pos)
            if blank is None:
                continue
            notation = None
            document["is_draft"] = True
            _fill_blank(document, blank)
        title_type, title = _header_title(text, header.start())
        doc_type = _type_of(notation, title_type if (notation is None or notation.type_code is None) else None)
        if notation is None and document["type_code"] is not None:
            doc_type = doctypes.resolve(document["type_code"], document["system"])
        _fill(document, notation, doc_type or title_type)
        document["title"] = title
        date = _header_date(text, header.start(), (occurrence.end if occurrence else header.end()))
        if date is None and occurrence is not None:
            date = occurrence.date
        document["issued_on"] = date.isoformat() if date else None
        return document, (notation.key if notation else None)

    # A news item names the document it is about in its first paragraphs.
    sources = _SOURCE_LINE.finditer(text, 0, _SOURCE_SCAN)
    lede = _LEDE.search(text, 0, _SOURCE_SCAN)
    source = next(
        (
            m
            for m in sources
            if _SOURCE_AUX.search(text, max(0, m.start() - 30), m.start())
            or (
                lede is not None
                and lede.start() <= m.start() < lede.end()
                and _LEDE_DATE.match(text, lede.start())
                and _LEDE.search(text, lede.end() + 1)  # a news item: more paragraphs follow its lede
            )
        ),
        None,
    )
    if source is not None:
        cue = doctypes.by_name(source.group(1))
        to_notation = _TO_NOTATION.match(text, source.end())
        occurrence = None
        if to_notation is not None:
            match = NOTATION_RE.match(text, to_notation.end())
            occurrence = by_start.get(match.start()) if match else None
        if occurrence is not None:
            _fill(document, occurrence.notation, _type_of(occurrence.notation, cue))
            document["issued_on"] = occurrence.date.isoformat() if occurrence.date else None
            return document, occurrence.notation.key
        _fill(document, None, cue)
    return document, None


def _fill_blank(document: dict, blank: re.Match) -> None:
    """A draft's header: the number is left blank, the symbol still says the type and the issuer."""
    first, rest = blank.group("first"), blank.group("rest")
    others = re.split(r"[\-–]", rest) if rest else []
    if blank.group("sep") == "/":
        system = STATE
        if doctypes.is_type_code(first, STATE):
            type_code, issuer = first, (others[0] if others else None)
        else:
            type_code, issuer = None, first
    else:
        system, type_code, issuer = PARTY, first, (others[0] if others else None)
    document.update(system=system, type_code=type_code, issuer_code=issuer)
    doc_type = (
        doctypes.resolve(type_code, system)
        if type_code
        else (doctypes.STATE_LETTER if system == STATE and not blank.group("year") else None)
    )
    if doc_type is not None:
        document["type"] = doc_type.name


# ---------------------------------------------------------------------------------------------------
# References


def _references(occurrences: list[Occurrence], own_key: str | None) -> list[dict]:
    grouped: dict[str, dict] = {}
    for occurrence in occurrences:
        notation = occurrence.notation
        key = notation.key
        if key == own_key:
            continue
        entry = grouped.get(key)
        doc_type = _type_of(notation, occurrence.cue)
        if entry is None:
            grouped[key] = {
                "notation": notation.format(),
                "type_code": notation.type_code,
                "type": doc_type.name if doc_type else None,
                "system": notation.system,
                "issued_on": occurrence.date.isoformat() if occurrence.date else None,
                "count": 1,
            }
            continue
        entry["count"] += 1
        if entry["issued_on"] is None and occurrence.date is not None:
            entry["issued_on"] = occurrence.date.isoformat()
        if entry["type"] is None and doc_type is not None:
            entry["type"] = doc_type.name
        elif (
            occurrence.cue is not None
            and notation.type_code is None
            and doc_type is not None
            and entry["type"] == "Công văn"
        ):
            entry["type"] = doc_type.name  # a later mention says what the code does not
    return list(grouped.values())


# ---------------------------------------------------------------------------------------------------
# Countries and foreign localities

# Where the usual Vietnamese name differs from Babel's (CLDR) Vietnamese name, or a text writes the name
# the older transliterated way: the extra names by hand. Babel's name stays the one reported.
COUNTRY_VARIANTS: dict[str, tuple[str, ...]] = {
    "US": ("Mỹ", "Hợp chủng quốc Hoa Kỳ"),  # Babel: Hoa Kỳ; "Mỹ" is the everyday name
    "GB": ("Anh", "Anh Quốc", "Liên hiệp Vương quốc Anh"),  # Babel: Vương quốc Anh
    "AU": ("Úc", "Ô-xtơ-rây-li-a", "Ôxtrâylia", "Ốt-xtrây-li-a"),  # Babel: Australia
    "IT": ("Ý", "Italia", "I-ta-li-a"),  # Babel: Italy
    "CU": ("Cu-ba", "Cu Ba"),
    "CZ": ("Cộng hòa Séc", "Cộng hoà Séc"),
    "KR": ("Đại Hàn Dân Quốc", "Đại Hàn"),
    "KP": ("CHDCND Triều Tiên", "Bắc Triều Tiên"),
    "KH": ("Cam-pu-chia", "Căm-pu-chia", "Cămpuchia", "Khơ-me"),
    "LA": ("Ai Lao",),
    "JP": ("Nhật",),  # "người Nhật", "phía Nhật"
    "CN": ("Trung Hoa",),
    "DE": ("CHLB Đức",),
    "RU": ("Liên bang Nga", "LB Nga"),
    "SG": ("Xin-ga-po", "Xinh-ga-po"),
    "MY": ("Ma-lai-xi-a", "Malaixia"),
    "ID": ("In-đô-nê-xi-a", "Inđônêxia"),
    "PH": ("Phi-líp-pin", "Philíppin", "Philippin"),
    "MM": ("Mi-an-ma", "Miến Điện", "Myanma"),  # Babel: "Myanmar (Miến Điện)"
    "BN": ("Bru-nây", "Brunây", "Brunei Darussalam"),
    "TL": ("Đông Timor", "Đông Ti-mo", "Timor Leste"),
    "TH": ("Thái-lan",),
    "IN": ("Ấn Độ",),
    "CA": ("Ca-na-đa",),
    "MX": ("Mê-hi-cô",),
    "BR": ("Bra-xin",),
    "AR": ("Ác-hen-ti-na",),
    "CL": ("Chi-lê",),
    "VE": ("Vê-nê-xu-ê-la",),
    "NI": ("Ni-ca-ra-goa",),
    "MZ": ("Mô-dăm-bích",),
    "AO": ("Ăng-gô-la",),
    "DZ": ("An-giê-ri",),
    "IL": ("I-xra-en", "Ixraen"),
    "PS": ("Palestine", "Pa-le-xtin", "Palextin"),  # Babel: "Lãnh thổ Palestine"
    "IR": ("I-ran",),
    "IQ": ("I-rắc",),
    "UA": ("U-crai-na", "Ukraine"),
    "BY": ("Bê-la-rút",),
    "KZ": ("Ca-dắc-xtan", "Cadắcxtan"),
    "HU": ("Hung-ga-ri",),
    "BG": ("Bun-ga-ri",),
    "RO": ("Ru-ma-ni", "Rumani"),
    "SK": ("Xlô-va-ki-a",),
    "NZ": ("Niu Di-lân", "Niu Dilân"),
    "IE": ("Ai-len",),
    "CH": ("Thụy Sỹ", "Thuỵ Sĩ", "Thuỵ Sỹ"),
    "SE": ("Thuỵ Điển",),
    "MN": ("Mông Cổ",),
    "BD": ("Băng-la-đét",),
    "LK": ("Xri Lan-ca",),
    "NP": ("Nê-pan",),
    "PK": ("Pa-ki-xtan",),
    "SA": ("Ả-rập Xê-út", "A-rập Xê-út"),
    "AE": ("UAE",),
    # Older transliterations still common in the press.
    "CO": ("Cô-lôm-bi-a", "Cô-lôm-bia"),
    "PE": ("Pê-ru",),
    "BO": ("Bô-li-vi-a",),
    "EC": ("Ê-cu-a-đo",),
    "PA": ("Pa-na-ma",),
    "UY": ("U-ru-goay",),
    "PY": ("Pa-ra-goay",),
    "CM": ("Ca-mơ-run",),
    "NG": ("Ni-giê-ri-a",),
    "KE": ("Kê-ni-a",),
    "TZ": ("Tan-da-ni-a",),
    "ET": ("Ê-ti-ô-pi-a",),
    "SN": ("Xê-nê-gan",),
    "GH": ("Ga-na",),
    "ZW": ("Dim-ba-bu-ê",),
    "NA": ("Na-mi-bi-a",),
    "AF": ("Áp-ga-ni-xtan", "Ap-ga-ni-xtan"),
    "UZ": ("U-dơ-bê-ki-xtan",),
    "AZ": ("A-déc-bai-gian",),
    "AM": ("Ác-mê-ni-a",),
    "GE": ("Gru-di-a",),
    "RS": ("Xéc-bi-a",),
    "HR": ("Crô-a-ti-a",),
    "SI": ("Xlô-ven-ni-a",),
    "LT": ("Lít-va",),
    "LV": ("Lát-vi-a",),
    "EE": ("E-xtô-ni-a",),
    "LU": ("Lúc-xăm-bua",),
    "IS": ("Ai-xơ-len",),
    "SY": ("Xy-ri",),
    "JO": ("Gioóc-đa-ni",),
    "KW": ("Cô-oét",),
    "QA": ("Ca-ta",),
    "BT": ("Bu-tan",),
    "HK": ("Hồng Kông", "Hong Kong"),  # Babel: "Đặc khu Hành chính Hồng Kông, Trung Quốc"
    "MO": ("Ma Cao", "Macao", "Ma-cao"),
}
# Babel names shortened for reporting.
# (Babel's Vietnamese name for Italy is the English "Italy"; Vietnamese texts write Italia or Ý.)
COUNTRY_NAME_OVERRIDES = {"HK": "Hồng Kông", "MO": "Ma Cao", "MM": "Myanmar", "PS": "Palestine", "IT": "Italia"}
HOME_COUNTRY = "VN"

# English names that are ordinary words or common given names: never matched on their own.
_ENGLISH_SKIP = {
    "Jersey",
    "Chad",
    "Georgia",
    "Jordan",
    "Guinea",
    "Turkey",
    "Niger",
    "Dominica",
    "Guernsey",
    "Man",
    "Christmas Island",
    "Mali",
    "Togo",
    "Oman",
}

# Short names that are also words, given names or parts of Vietnamese place names ("Thủ Đức",
# "Lào Cai", "Chủ Nhật", "anh Đức", "Ý kiến"): matched only where the context says a country.
_AMBIGUOUS_EXTRA = {
    "Anh",
    "Ý",
    "Mỹ",
    "Đức",
    "Nga",
    "Pháp",
    "Áo",
    "Bỉ",
    "Séc",
    "Úc",
    "Nhật",
    "Lào",
    "Síp",
    "Ai Lao",
    "Đại Hàn",
    "Hà Lan",  # also a given name (Nguyễn Thị Hà Lan)
}
# Sino-Vietnamese place names that are also common Vietnamese personal names (Nguyễn Hải Nam).
_AMBIGUOUS_LOCALITIES = {
    "Vân Nam",
    "Quảng Tây",
    "Hải Nam",
    "Nam Ninh",
    "Côn Minh",
    "Thiên Tân",
    "Quảng Châu",
    "Trùng Khánh",
}
_UNAMBIGUOUS_SHORT = {"Cuba", "Iran", "Iraq", "Fiji"}
_NOT_AT_SENTENCE_START = {"Anh", "Ý", "Áo"}
_NEXT_WORD_STOP = {
    "Anh": {
        "ấy",
        "em",
        "chị",
        "hùng",
        "dũng",
        "minh",
        "tài",
        "ta",
        "hai",
        "cả",
        "trai",
        "họ",
        "rể",
        "ruột",
        "bạn",
        "và",
    },
    "Ý": {"kiến", "nghĩa", "thức", "chí", "tưởng", "định", "muốn", "niệm", "tứ", "thích"},
    "Mỹ": {"thuật", "phẩm", "học", "quan", "nghệ", "mãn", "miều", "lệ", "vị", "nữ", "tửu", "tục", "cảm", "nhân"},
    "Pháp": {"luật", "lệnh", "lý", "chế", "nhân", "quyền", "điển", "y", "danh", "sư", "môn", "trị", "định", "đình"},
    "Đức": {"tin", "tính", "độ", "hạnh", "dục", "tài", "cha", "mẹ", "vua", "ông", "bà"},
    "Áo": {"dài", "mưa", "khoác", "quần", "len", "phao", "sơ", "ấm", "bà", "ba", "cưới", "gối", "giáp"},
    "Nhật": {"ký", "báo", "trình", "thực", "nguyệt", "lệnh", "dụng", "kỳ", "tụng", "quang", "thường", "chiếu", "tân"},
    "Nga": {"my"},
    "Úc": {"ức"},
}
_HONORIFICS = {
    "ông",
    "bà",
    "anh",
    "chị",
    "em",
    "cô",
    "chú",
    "bác",
    "cháu",
    "thầy",
    "cụ",
    "con",
    "bạn",
    "tên",
    "đ/c",
    "chí",
    "cậu",
    "dì",
    "mợ",
    "thím",
    "tiếng",
}
_CAPITAL_FUNCTION_WORDS = {
    "Tại",
    "Ở",
    "Từ",
    "Sang",
    "Với",
    "Cùng",
    "Và",
    "Của",
    "Như",
    "Cả",
    "Nước",
    "Phía",
    "Người",
    "Bên",
    "Giữa",
    "Đối",
    "Theo",
    "Các",
    "Đến",
    "Thăm",
    "Cho",
    "Hay",
    "Hoặc",
    "Là",
    "Đoàn",
    "Trong",
    "Ngoài",
    "Về",
    "Tới",
}

# Foreign localities: provinces of Cambodia and Laos (partners of Vietnamese provinces, often twinned),
# and cities and prefectures of other partner countries. (canonical name, country, other spellings).
LOCALITIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    # Cambodia: the capital and the 24 provinces.
    ("Phnom Penh", "KH", ("Phnôm Pênh", "Nông Pênh", "Phnompenh")),
    ("Banteay Meanchey", "KH", ("Bantey Meanchey", "Băn-tê-miên-chây", "Bantheay Meanchey")),
    ("Battambang", "KH", ("Bát-tam-bang", "Bát Tam Bang", "Batdambang")),
    ("Kampong Cham", "KH", ("Kông Pông Chàm", "Công-pông Chàm", "Kompong Cham", "Kôngpông Chàm")),
    ("Kampong Chhnang", "KH", ("Kông Pông Chnăng", "Kompong Chhnang", "Kampong Chnang")),
    ("Kampong Speu", "KH", ("Kông Pông Spư", "Kompong Speu")),
    ("Kampong Thom", "KH", ("Kông Pông Thom", "Kompong Thom")),
    ("Kampot", "KH", ("Kăm Pốt", "Cam-pốt", "Kămpốt")),
    ("Kandal", "KH", ("Kan Đan", "Kanđan", "Căn-đan")),
    ("Kep", "KH", ("Kép (Campuchia)",)),
    ("Koh Kong", "KH", ("Kô Kông", "Kaoh Kong")),
    ("Kratie", "KH", ("Kratié", "Kra-chê", "Krâchê")),
    ("Mondulkiri", "KH", ("Mondul Kiri", "Mun-đun-ki-ri", "Mônđônkiri", "Mondolkiri")),
    ("Oddar Meanchey", "KH", ("Otdar Meanchey", "Ô-đô Miên-chây", "Uddor Meanchey")),
    ("Pailin", "KH", ("Pai-lin", "Pailin City")),
    ("Preah Sihanouk", "KH", ("Sihanoukville", "Xi-ha-núc-vin", "Kampong Som", "Kông Pông Xom")),
    ("Preah Vihear", "KH", ("Prê Vi-hia", "Preah Vihia", "Prea Vihear")),
    ("Prey Veng", "KH", ("Pray Veng", "Prây Veng", "Prêy Veng", "Pờ-rây Veng")),
    ("Pursat", "KH", ("Pouthisat", "Pô-sát", "Pu-sát")),
    ("Ratanakiri", "KH", ("Rattanakiri", "Ratanak Kiri", "Rôttanakiri", "Ra-ta-na-ki-ri", "Ratanakkiri")),
    ("Siem Reap", "KH", ("Xiêm Riệp", "Siêm Riệp", "Siem Riep", "Xiêm Riêp")),
    ("Stung Treng", "KH", ("Stoeng Treng", "Xtung Treng", "Stung Trêng", "Stưng Treng")),
    ("Svay Rieng", "KH", ("Svây Riêng", "Xvây Riêng", "Svay Riêng")),
    ("Takeo", "KH", ("Ta Keo", "Takéo", "Ta-kẹo", "Tà Keo")),
    ("Tbong Khmum", "KH", ("Tboung Khmum", "Thboung Khmum", "Tbong Khmom", "Tbuông Khmum")),
    # Laos: the capital and the 17 provinces.
    ("Viêng Chăn", "LA", ("Vientiane", "Viêng-chăn", "Vientiane Capital", "Thủ đô Viêng Chăn")),
    ("Attapeu", "LA", ("Attapư", "At-ta-pư", "Attopeu", "Át-tạ-pư")),
    ("Bokeo", "LA", ("Bò Kẹo", "Bo Keo", "Bò Keo")),
    (
        "Bolikhamxay",
        "LA",
        (
            "Bolikhamsai",
            "Bô-ly-khăm-xay",
            "Bolykhamxay",
            "Bôlykhămxay",
            "Bôlykhămxây",
            "Bô Ly Khăm Xay",
            "Borikhamxay",
            "Bolikhamxai",
        ),
    ),
    ("Champasak", "LA", ("Champasack", "Champassak", "Chăm-pa-xắc", "Chămpaxắc", "Chăm Pa Sắc", "Chămpasắc")),
    ("Houaphanh", "LA", ("Hủa Phăn", "Houaphan", "Hua Phan", "Hủa-phăn")),
    ("Khammouane", "LA", ("Khăm Muồn", "Khăm Muộn", "Khammuane", "Khammouan", "Khăm-muồn")),
    ("Luang Namtha", "LA", ("Luông Nậm Thà", "Luang Nam Tha", "Luổng Nậm Thà", "Luangnamtha")),
    ("Luang Prabang", "LA", ("Luông Pha Băng", "Luang Phabang", "Luông Prabang", "Luổng Pha Bang", "Luông-pha-băng")),
    ("Oudomxay", "LA", ("U Đôm Xay", "Oudomxai", "Udomxay", "U-đôm-xay", "Udomxai")),
    ("Phongsaly", "LA", ("Phông Xa Lỳ", "Phongsali", "Phôngxalỳ", "Phong Sa Lỳ", "Phôngsalỳ")),
    ("Salavan", "LA", ("Saravane", "Saravan", "Salavane", "Sa-la-văn", "Xa La Văn", "Xalavan", "Xaravan", "Salavanh")),
    (
        "Savannakhet",
        "LA",
        (
            "Xavannakhet",
            "Sa-van-na-khệt",
            "Sa-van-na-khet",
            "Xa-van-na-khẹt",
            "Savanakhet",
            "Xavănnakhệt",
            "Savẳnnakhệt",
        ),
    ),
    ("Sekong", "LA", ("Xê Kông", "Sê Kông", "Xekong", "Sê-kông", "Xê-kông")),
    (
        "Xaignabouli",
        "LA",
        (
            "Sayaboury",
            "Xayabouly",
            "Xayaboury",
            "Sainyabuli",
            "Xay-nha-bu-ly",
            "Xaynhabuly",
            "Sayabouly",
            "Xaignabouri",
        ),
    ),
    (
        "Xiêng Khoảng",
        "LA",
        ("Xiangkhouang", "Xieng Khouang", "Xiengkhouang", "Xiêng-khoảng", "Xiêngkhoảng", "Xiêng Khoang"),
    ),
    ("Xaisomboun", "LA", ("Xaysomboun", "Saysomboun", "Xay Sổm Bun", "Xaysômbun", "Xay-sổm-bun")),
    # Japan: prefectures and partner cities.
    ("Nasushiobara", "JP", ()),
    ("Tochigi", "JP", ("Tô-chi-gi",)),
    ("Tokyo", "JP", ("Tô-ky-ô", "Tôkyô", "Tokio")),
    ("Osaka", "JP", ("Ô-xa-ca", "Ôsaka")),
    ("Kyoto", "JP", ("Ky-ô-tô",)),
    ("Yokohama", "JP", ()),
    ("Nagoya", "JP", ()),
    ("Sapporo", "JP", ()),
    ("Fukuoka", "JP", ()),
    ("Kobe", "JP", ()),
    ("Hiroshima", "JP", ()),
    ("Nagasaki", "JP", ()),
    ("Sendai", "JP", ()),
    ("Chiba", "JP", ()),
    ("Saitama", "JP", ()),
    ("Kanagawa", "JP", ()),
    ("Gunma", "JP", ()),
    ("Ibaraki", "JP", ()),
    ("Shizuoka", "JP", ()),
    ("Niigata", "JP", ()),
    ("Okayama", "JP", ()),
    ("Kumamoto", "JP", ()),
    ("Kagoshima", "JP", ()),
    ("Okinawa", "JP", ()),
    ("Hokkaido", "JP", ()),
    ("Aichi", "JP", ()),
    ("Hyogo", "JP", ()),
    ("Fukushima", "JP", ()),
    ("Toyama", "JP", ()),
    ("Ishikawa", "JP", ()),
    ("Nagano", "JP", ()),
    ("Gifu", "JP", ()),
    ("Mie", "JP", ()),
    ("Nara", "JP", ()),
    ("Wakayama", "JP", ()),
    ("Tottori", "JP", ()),
    ("Shimane", "JP", ()),
    ("Yamaguchi", "JP", ()),
    ("Kagawa", "JP", ()),
    ("Ehime", "JP", ()),
    ("Kochi", "JP", ()),
    ("Oita", "JP", ()),
    ("Miyazaki", "JP", ()),
    ("Aomori", "JP", ()),
    ("Iwate", "JP", ()),
    ("Miyagi", "JP", ()),
    ("Akita", "JP", ()),
    ("Yamagata", "JP", ()),
    ("Sakai", "JP", ()),
    ("Kitakyushu", "JP", ()),
    ("Hamamatsu", "JP", ()),
    # Korea.
    ("Seoul", "KR", ("Xơ-un", "Xê-un")),
    ("Busan", "KR", ("Bu-san", "Pusan")),
    ("Incheon", "KR", ("In-chơn",)),
    ("Daegu", "KR", ()),
    ("Gwangju", "KR", ()),
    ("Daejeon", "KR", ()),
    ("Ulsan", "KR", ()),
    ("Gyeonggi", "KR", ("Kyonggi", "Gyeonggi-do")),
    ("Gangwon", "KR", ()),
    ("Gyeongsangbuk-do", "KR", ("Gyeongbuk", "Gyeongsang Bắc")),
    ("Gyeongsangnam-do", "KR", ("Gyeongnam", "Gyeongsang Nam")),
    ("Chungcheongbuk-do", "KR", ("Chungbuk",)),
    ("Chungcheongnam-do", "KR", ("Chungnam",)),
    ("Jeollabuk-do", "KR", ("Jeonbuk",)),
    ("Jeollanam-do", "KR", ("Jeonnam",)),
    ("Jeju", "KR", ("Jeju-do", "Che-ju")),
    ("Gunsan", "KR", ("Kunsan", "Gun-san")),
    ("Changwon", "KR", ()),
    ("Suwon", "KR", ()),
    # China (neighbouring provinces and major cities).
    ("Vân Nam", "CN", ("Yunnan",)),
    ("Quảng Tây", "CN", ("Guangxi",)),
    ("Quảng Đông", "CN", ("Guangdong",)),
    ("Bắc Kinh", "CN", ("Beijing",)),
    ("Thượng Hải", "CN", ("Shanghai",)),
    ("Nam Ninh", "CN", ("Nanning",)),
    ("Côn Minh", "CN", ("Kunming",)),
    ("Quảng Châu", "CN", ("Guangzhou",)),
    ("Thâm Quyến", "CN", ("Shenzhen",)),
    ("Trùng Khánh", "CN", ("Chongqing",)),
    ("Thiên Tân", "CN", ("Tianjin",)),
    ("Hải Nam", "CN", ("Hainan",)),
    # Thailand.
    ("Bangkok", "TH", ("Băng Cốc", "Băng-cốc")),
    ("Chiang Mai", "TH", ("Chiềng Mai",)),
    ("Udon Thani", "TH", ("U-đon Tha-ni", "Udonthani")),
    ("Nakhon Phanom", "TH", ("Nakhonphanom", "Na-khon Pha-nom")),
    ("Sakon Nakhon", "TH", ("Sakonnakhon",)),
    ("Nong Khai", "TH", ("Nongkhai",)),
    ("Khon Kaen", "TH", ("Khonkaen",)),
    ("Ubon Ratchathani", "TH", ()),
    ("Mukdahan", "TH", ()),
    ("Phuket", "TH", ("Phu-kẹt",)),
    # Russia, Cuba, Europe, the Americas.
    ("Moskva", "RU", ("Mát-xcơ-va", "Matxcơva", "Moscow", "Mátxcơva")),
    ("Saint Petersburg", "RU", ("Xanh Pê-téc-bua", "St. Petersburg", "Xanh Pêtécbua", "Sankt-Peterburg")),
    ("Vladivostok", "RU", ("Vla-đi-vô-xtốc", "Vlađivôxtốc")),
    ("Ulyanovsk", "RU", ("U-li-a-nốp-xcơ",)),
    ("La Habana", "CU", ("Havana", "La Ha-ba-na", "Lahabana")),
    ("Santiago de Cuba", "CU", ("Xan-ti-a-gô đê Cu-ba",)),
    ("Paris", "FR", ("Pa-ri", "Pari")),
    ("Lyon", "FR", ()),
    ("Berlin", "DE", ("Béc-lin", "Béclin")),
    ("Leipzig", "DE", ()),
    ("Washington", "US", ("Oa-sinh-tơn",)),
    ("New York", "US", ("Niu Oóc", "Niu-oóc")),
    ("San Francisco", "US", ()),
    ("Los Angeles", "US", ()),
    ("London", "GB", ("Luân Đôn",)),
    ("Yangon", "MM", ("Yan-gun", "Rangoon")),
    ("Kuala Lumpur", "MY", ()),
    ("Jakarta", "ID", ("Gia-các-ta",)),
    ("Manila", "PH", ("Ma-ni-la",)),
    ("Bình Nhưỡng", "KP", ("Pyongyang",)),
)


@dataclass(frozen=True)
class _Place:
    kind: str  # "country" | "locality"
    code: str  # country code
    name: str  # the name to report
    ambiguous: bool


def _clean_babel_name(name: str) -> list[str]:
    names = [name]
    paren = re.match(r"^(.*?)\s*\((.*)\)$", name)
    if paren:
        names = [paren.group(1), paren.group(2)]
    return [n for n in names if n]


@cache
def _gazetteer() -> tuple[re.Pattern, dict[str, _Place]]:
    import babel
    import pycountry

    territories = babel.Locale("vi").territories
    places: dict[str, _Place] = {}

    def add(surface: str, place: _Place) -> None:
        surface = nfc(surface).strip()
        if surface and surface not in places:
            places[surface] = place

    countries = {c.alpha_2: c for c in pycountry.countries}
    for code, country in countries.items():
        if code == HOME_COUNTRY:
            continue
        babel_name = territories.get(code)
        report = COUNTRY_NAME_OVERRIDES.get(code) or (_clean_babel_name(babel_name)[0] if babel_name else country.name)
        surfaces = [report]
        if babel_name:
            surfaces += _clean_babel_name(babel_name)
        surfaces += list(COUNTRY_VARIANTS.get(code, ()))
        for surface in surfaces:
            ambiguous = surface in _AMBIGUOUS_EXTRA or (
                surface.isascii() and " " not in surface and len(surface) <= 4 and surface not in _UNAMBIGUOUS_SHORT
            )
            add(surface, _Place("country", code, report, ambiguous))
        for english in {getattr(country, "common_name", None), country.name}:
            if english and english not in _ENGLISH_SKIP and "," not in english:
                add(english, _Place("country", code, report, " " not in english and len(english) <= 5))
    for name, code, variants in LOCALITIES:
        for surface in (name, *variants):
            ambiguous = surface in _AMBIGUOUS_LOCALITIES or (" " not in surface and len(surface) <= 4)
            add(surface, _Place("locality", code, name, ambiguous))
    pattern = re.compile("(?:" + _trie_pattern(sorted(places, key=len, reverse=True)) + rf")(?![{LETTERS}0-9])")
    return pattern, places


# The currency word of a currency named after its country ("đô la Mỹ", "đô-la Úc", "bảng Anh", "yên Nhật",
# "won Hàn Quốc", "franc Thụy Sĩ", "rupee Ấn Độ").
_CURRENCY_BEFORE = re.compile(
    rf"(?<![{LETTERS}])(?:[đĐ]ô[ \t-]?la|[yY]ên|[bB]ảng|[wW]on|[fF]ranc|[rR]upee|[rR]upi|[pP]eso|[rR]inggit|[rR]úp|[bB]ạt|[kK]rone|[đĐ]ồng)[ \t]+$"
)
_WORD_BEFORE = re.compile(rf"([{LETTERS}/]+)[ \t]+$")
_WORD_AFTER = re.compile(rf"[ \t]+([{LETTERS}]+)")


def _place_fits(text: str, start: int, end: int, surface: str) -> bool:
    """Whether an ambiguous short name at start:end names the country (or place) in this context."""
    if text[start - 1 : start] == "(" and text[end : end + 1] == ")":
        return True  # "Tổ chức Plan International (Anh)": the country an organisation is from
    before = _WORD_BEFORE.search(text, max(0, start - 30), start)
    after = _WORD_AFTER.match(text, end)
    prev_word = before.group(1) if before else None
    next_word = after.group(1) if after else None
    if prev_word is not None:
        if prev_word.lower() in _HONORIFICS:
            return False
        if prev_word[0].isupper() and not prev_word.isupper() and prev_word not in _CAPITAL_FUNCTION_WORDS:
            return False  # part of a longer name: Thủ Đức, Chủ Nhật, Tuấn Anh
    elif surface in _NOT_AT_SENTENCE_START:
        stripped = text[max(0, start - 5) : start].rstrip(" \t")
        if not stripped or stripped[-1] in '.!?:;\n"“(':
            return False
    if next_word is not None:
        if next_word[0].isupper() and not next_word.isupper():
            return False  # Lào Cai, Mỹ Tho, Nga Sơn, Đức Hòa
        if next_word.lower() in _NEXT_WORD_STOP.get(surface, ()):
            return False
    return True


def _places(text: str) -> tuple[list[dict], list[dict]]:
    pattern, places = _gazetteer()
    countries: dict[str, dict] = {}
    localities: dict[tuple[str, str], dict] = {}
    for match in pattern.finditer(text):
        start, end = match.span()
        if start and (text[start - 1].isalnum()):
            continue
        surface = match.group(0)
        place = places[surface]
        if place.kind == "country" and _CURRENCY_BEFORE.search(text, max(0, start - 12), start):
            continue  # "đô la Mỹ", "yên Nhật", "won Hàn Quốc": a currency, not the country
        if place.ambiguous and not _place_fits(text, start, end, surface):
            continue
        if place.kind == "country":
            countries.setdefault(place.code, {"code": place.code, "name": place.name})
        else:
            localities.setdefault((place.name, place.code), {"name": place.name, "country": place.code})
    return list(countries.values()), list(localities.values())


# ---------------------------------------------------------------------------------------------------
# Money

# A number as written: 1.234.567,89 — 594,5 — 5,000 — 12 (starts with a plain digit so that the
# regex engine can skip quickly to the digits of a text).
_NUM = r"\d(?:\d{0,2}(?:[.,]\d{3})+(?:[.,]\d+)?|\d*(?:[.,]\d+)?)"
_MULTIPLIERS = {
    "nghìn tỷ": Decimal(10) ** 12,
    "ngàn tỷ": Decimal(10) ** 12,
    "nghìn tỉ": Decimal(10) ** 12,
    "ngàn tỉ": Decimal(10) ** 12,
    "nghìn": Decimal(10) ** 3,
    "ngàn": Decimal(10) ** 3,
    "trăm": Decimal(100),
    "triệu": Decimal(10) ** 6,
    "tỷ": Decimal(10) ** 9,
    "tỉ": Decimal(10) ** 9,
    "thousand": Decimal(10) ** 3,
    "million": Decimal(10) ** 6,
    "billion": Decimal(10) ** 9,
}
_MULT = _trie_pattern(_MULTIPLIERS)
# Currency words → ISO 4217. Case matters for the words (a capital "Đồng" is a place name).
_CURRENCIES = {
    "đô la Mỹ": "USD",
    "đô-la Mỹ": "USD",
    "đôla Mỹ": "USD",
    "Đô la Mỹ": "USD",
    "USD": "USD",
    "US$": "USD",
    "đô la Úc": "AUD",
    "đô-la Úc": "AUD",
    "won Hàn Quốc": "KRW",
    "bảng Anh Quốc": "GBP",
    "đô la Singapore": "SGD",
    "đô la Hồng Kông": "HKD",
    "đô la Canada": "CAD",
    "đô la": "USD",
    "đô-la": "USD",
    "đôla": "USD",
    "Đô la": "USD",
    "$": "USD",
    "VNĐ": "VND",
    "VND": "VND",
    "vnđ": "VND",
    "vnd": "VND",
    "đồng": "VND",
    "đ": "VND",
    "EUR": "EUR",
    "euro": "EUR",
    "Euro": "EUR",
    "€": "EUR",
    "yên Nhật": "JPY",
    "Yên Nhật": "JPY",
    "JPY": "JPY",
    "yên": "JPY",
    "¥": "JPY",
    "nhân dân tệ": "CNY",
    "Nhân dân tệ": "CNY",
    "NDT": "CNY",
    "CNY": "CNY",
    "RMB": "CNY",
    "won": "KRW",
    "Won": "KRW",
    "KRW": "KRW",
    "kíp": "LAK",
    "Kíp": "LAK",
    "LAK": "LAK",
    "riel": "KHR",
    "Riel": "KHR",
    "riên": "KHR",
    "KHR": "KHR",
    "bạt": "THB",
    "Bạt": "THB",
    "baht": "THB",
    "Baht": "THB",
    "THB": "THB",
    "rúp": "RUB",
    "Rúp": "RUB",
    "RUB": "RUB",
    "bảng Anh": "GBP",
    "GBP": "GBP",
    "£": "GBP",
    "AUD": "AUD",
    "SGD": "SGD",
    "CAD": "CAD",
    "CHF": "CHF",
    "HKD": "HKD",
    "TWD": "TWD",
}
_CUR = _trie_pattern(_CURRENCIES)
_AMOUNT = re.compile(
    rf"(?P<body>(?:{_NUM})(?:{_SEP}(?:{_MULT}))*(?:[ \t]+(?:{_NUM}){_SEP}(?:{_MULT})+)*)"
    rf"{_SEP}(?P<cur>{_CUR})(?![{LETTERS}0-9])"
)
_AMOUNT_PREFIX = re.compile(
    rf"(?P<cur>[$€]|US\$|USD|EUR|VNĐ|VND)[ \t]?(?P<body>(?:{_NUM})(?:{_SEP}(?:{_MULT}))*)(?![{LETTERS}0-9])"
)
_GLUED_BEFORE_NUMBER = frozenset(".,/-_" + "".join(chr(c) for c in range(0x30, 0x3A))) | frozenset(
    ch for ch in LETTERS.replace("A-Z", "ABCDEFGHIJKLMNOPQRSTUVWXYZ").replace("a-z", "abcdefghijklmnopqrstuvwxyz")
)
# The low end of a range written before an amount: "3-5", "3 - 5", "10–15", "từ 5 đến 10", "1 tới 2".
_RANGE_LOW = re.compile(rf"(?<![\d.,/{LETTERS}])({_NUM})[ \t]*(?:[-–—]|đến|tới)[ \t]*$")
_RANGE_GAP_END = frozenset(" \t-–—")
_BODY_PARTS = re.compile(rf"({_NUM})((?:{_SEP}(?:{_MULT}))*)")
_MULT_WORDS = re.compile(_MULT)
# "đồng" starts many words that are not money: đồng chí, đồng bào, đồng thời, đồng ý …
_DONG_NOT_MONEY = {
    "chí",
    "bào",
    "nghiệp",
    "hương",
    "ruộng",
    "thời",
    "ý",
    "tâm",
    "đội",
    "hành",
    "môn",
    "minh",
    "cảm",
    "loạt",
    "lòng",
    "bằng",
    "tình",
    "hồ",
    "phục",
    "nai",
    "đều",
    "dạng",
    "nhất",
    "bộ",
    "thuận",
    "tộc",
    "hạng",
    "ca",
    "quê",
    "điệu",
    "thanh",
    "diễn",
    "niên",
    "hóa",
    "hoá",
    "khởi",
    "đẳng",
    "lúa",
    "cỏ",
    "xu",
    "bạc",
    "vàng",
    "trinh",
    "dao",
    "nghĩa",
    "âm",
    "phạm",
    "sở",
    "tử",
    "thau",
    "thiếc",
    "phân",
    "chủ",
    "tổ",
    "ký",
    "tác",
    "cấu",
    "quy",
    "bóng",
    "lầy",
    "sáng",
    "lõa",
    "cốt",
    "đen",
    "đỏ",
    "thoại",
    "vọng",
    "hao",
    "kiểm",
}


def _decimal(number: str, has_multiplier: bool) -> Decimal:
    """A Vietnamese-written number: '.' groups thousands and ',' marks decimals (1.234.567,89); a lone
    ',' or '.' followed by exactly three digits groups thousands unless a multiplier follows (5,000 USD
    = 5000; 1,5 triệu = 1.5 million; 1.500 triệu = 1500 million)."""
    dots, commas = number.count("."), number.count(",")
    if dots and commas:
        decimal_sep = "," if number.rfind(",") > number.rfind(".") else "."
        thousands = "." if decimal_sep == "," else ","
        number = number.replace(thousands, "").replace(decimal_sep, ".")
    elif dots or commas:
        sep = "." if dots else ","
        groups = number.split(sep)
        grouping = len(groups) > 2 or (len(groups[-1]) == 3 and (sep == "." or not has_multiplier))
        number = number.replace(sep, "") if grouping else number.replace(sep, ".")
    return Decimal(number)


def _value(body: str) -> Decimal | None:
    total = Decimal(0)
    try:
        for part in _BODY_PARTS.finditer(body):
            multipliers = _MULT_WORDS.findall(part.group(2))
            value = _decimal(part.group(1), bool(multipliers))
            for word in multipliers:
                value *= _MULTIPLIERS[word]
            total += value
    except InvalidOperation:
        return None
    return total


def _decimal_text(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def _amounts(text: str) -> list[dict]:
    found: list[tuple[int, dict]] = []
    taken: list[tuple[int, int]] = []
    for match in _AMOUNT.finditer(text):
        start = match.start()
        low = (
            _RANGE_LOW.search(text, max(0, start - 40), start) if start and text[start - 1] in _RANGE_GAP_END else None
        )
        if low is None and match.start() and text[match.start() - 1] in _GLUED_BEFORE_NUMBER:
            continue  # part of something else: a date (20/5), a code (A12), a decimal
        currency_word = match.group("cur")
        if currency_word in ("đồng", "đ", "won", "yên", "bạt", "riel", "riên", "kíp", "rúp"):
            after = _WORD_AFTER.match(text, match.end())
            if currency_word == "đồng" and after and after.group(1).lower() in _DONG_NOT_MONEY:
                continue
            if currency_word in ("won", "yên", "bạt", "riel", "riên", "kíp", "rúp") and not _MULT_WORDS.search(
                match.group("body")
            ):
                continue  # without "triệu"/"tỷ" these words are too often something else
        value = _value(match.group("body"))
        if value is None:
            continue
        if low is not None:
            # A range ("3-5 triệu đồng", "từ 5 đến 10 triệu đồng"): its low end shares the multiplier and
            # the currency written after the high one, and is reported as an amount of its own.
            first = _BODY_PARTS.match(match.group("body"))
            multipliers = _squash(first.group(2)) if first else ""
            low_body = low.group(1) + (" " + multipliers if multipliers else "")
            low_value = _value(low_body)
            if low_value is not None and low_value < value:  # a range goes up; "2023 - 5 triệu" is not one
                low_text = low_body + " " + currency_word if currency_word[0].isalpha() else low_body + currency_word
                found.append(
                    (
                        low.start(1),
                        {"text": low_text, "value": _decimal_text(low_value), "currency": _CURRENCIES[currency_word]},
                    )
                )
        found.append(
            (
                match.start(),
                {
                    "text": _squash(match.group(0)),
                    "value": _decimal_text(value),
                    "currency": _CURRENCIES[currency_word],
                },
            )
        )
        taken.append(match.span())
    for match in _AMOUNT_PREFIX.finditer(text):
        if match.start() and (text[match.start() - 1].isalnum() or text[match.start() - 1] == "$"):
            continue
        if any(s <= match.start() < e or s < match.end() <= e for s, e in taken):
            continue
        value = _value(match.group("body"))
        if value is None:
            continue
        found.append(
            (
                match.start(),
                {
                    "text": _squash(match.group(0)),
                    "value": _decimal_text(value),
                    "currency": _CURRENCIES[match.group("cur")],
                },
            )
        )
    found.sort(key=lambda item: item[0])
    return [amount for _, amount in found]


# ---------------------------------------------------------------------------------------------------
# Task candidates

_ORDINALS = "nhất|hai|ba|tư|bốn|năm|sáu|bảy|tám|chín|mười"
_MARKER = re.compile(
    rf"""^[ \t]*(?:
        (?P<ord>Thứ[ \t]+(?P<ordword>{_ORDINALS})(?:[ \t]+là)?|(?P<lawo>Một|Hai|Ba|Bốn|Năm|Sáu|Bảy|Tám|Chín|Mười)[ \t]+là)[ \t]*[,:.]?[ \t]*
      | (?P<article>Điều[ \t]+\d{{1,3}})[ \t]*[.:][ \t]*(?=\S)
      | (?P<roman>[IVX]{{1,5}})(?:[.)]|[-–][ \t])[ \t]*(?=\S)
      | (?P<upper>[A-Z])(?:[.)]|[-–])[ \t]+
      | (?P<num>\d{{1,2}}(?:\.\d{{1,2}}){{0,3}})(?:[.)/]|[-–](?=[ \t]))[ \t]*(?=[^\d\s])
      | (?P<num2>\d{{1,2}}(?:\.\d{{1,2}}){{1,3}})[ \t]+(?=[^\d\s])
      | \((?P<paren>\d{{1,2}})\)[ \t]*(?=[^\d\s])
      | (?P<letter>[a-zđ])(?:\)|[-–](?=[ \t])|\.(?=[ \t]+[{UPPER}]))[ \t]*
      | (?P<bullet>[-–—‐+•●◦▪▫■□‣⁃∙·*➢➤►✓✔❖◆◇○]|)[ \t]*
    )""",
    re.VERBOSE,
)
_WEEKDAY_AFTER = re.compile(r"^[ \t,\-–]*(?:ngày|\d{1,2}[/.\-])", re.IGNORECASE)
_END_OF_BODY = re.compile(r"^[ \t]*(?:Nơi nhận|NƠI NHẬN)\b")
_NOT_TASK_SECTION = (
    "muc dich",
    "yeu cau",
    "muc tieu",
    "quan diem",
    "can cu",
    "ket qua",
    "tinh hinh",
    "danh gia",
    "han che",
    "nguyen nhan",
    "bai hoc",
    "ton tai",
    # The titles of a normative document's articles that set rules rather than give work.
    "pham vi",
    "doi tuong",
    "giai thich",
    "hieu luc",
    "muc chi",
    "dinh muc",
    "nguyen tac",
)
# A section on the budget ("KINH PHÍ", "KINH PHÍ THỰC HIỆN") lists its sources, not tasks; one that also
# organises the work ("KINH PHÍ VÀ TỔ CHỨC THỰC HIỆN") still has tasks.
_BUDGET_SECTION = re.compile(r"^(?:[ivx]+\.?[ \t]*)?kinh phi(?![^\n]*(?:to chuc|nhiem vu|thuc hien))")
# An item that only points to where something can be read: a short label and a link.
_LINK_ITEM = re.compile(r"^[^\n:]{0,40}:?[ \t]*(?:https?://|www\.)\S+[ \t.]*$", re.IGNORECASE)
_ATTRIBUTE = re.compile(
    r"^(?:Thời[ \t]+(?:gian|hạn)|Kinh[ \t]+phí|Nguồn[ \t]+kinh[ \t]+phí|Địa[ \t]+điểm|Thành[ \t]+phần|Sản[ \t]+phẩm|"
    r"Cơ[ \t]+quan[ \t]+(?:chủ[ \t]+trì|phối[ \t]+hợp)|Đơn[ \t]+vị[ \t]+(?:chủ[ \t]+trì|phối[ \t]+hợp)|Số[ \t]+lượng)[^:]{0,20}:"
)
_WRAPPED_LINE = 40  # characters: a shorter line was not wrapped
_SENTENCE_END = (".", ";", ":", "!", "?", "…", "”", '"', ")")

# Words that start the name of a unit (in an item, after "giao", in a list after "phối hợp với").
_UNIT_NOUNS = (
    "cơ quan|đơn vị|sở|ban|ngành|địa phương|cấp ủy|cấp uỷ|cấp|tổ chức|hội|huyện|quận|thị xã|xã|phường|thành viên|đoàn thể|"
    "doanh nghiệp|Sở|Ban|Hội|Liên hiệp|Ủy ban|Uỷ ban|UBND|bộ|Bộ|trường|đồng chí|tỉnh|thành phố|tập thể|chi bộ|"
    "Chi bộ|đảng bộ|Đảng bộ|chi hội|tổ chức đảng|Tổ|tổ"
).replace(" ", r"[ \t]+")
_UNIT_HEAD_PATTERN = rf"""(?:
        Thường[ \t]+trực|Chi[ \t]+bộ|Đảng[ \t]+bộ|Đồn(?=[ \t]+[{UPPER}])|Bảo[ \t]+hiểm[ \t]+xã[ \t]+hội|Chánh[ \t]+Văn[ \t]+phòng|
        Sở|Ban(?![ \t]+hành)|Ủy[ \t]+ban|Uỷ[ \t]+ban|Mặt[ \t]+trận|Hội[ \t]+đồng|Hội(?![ \t]+(?:nghị|thảo|chợ|diễn|thi|báo|ý|nhập|tụ|đàm))|
        Liên[ \t]+hiệp|Liên[ \t]+đoàn|Liên[ \t]+minh|Công[ \t]+an|Báo(?![ \t]+(?:cáo|chí|động|hiệu|giá|tin|đáp|danh|ân))|Tạp[ \t]+chí|
        Thông[ \t]+tấn[ \t]+xã|Bộ(?![ \t]+(?:tiêu|tài|phận[ \t]+(?:hóa|hoá)))|Văn[ \t]+phòng|Đài|
        Trường|Học[ \t]+viện|Đại[ \t]+học|Viện|Bệnh[ \t]+viện|Trung[ \t]+tâm|Tỉnh[ \t]+đoàn|Thành[ \t]+đoàn|Đoàn(?![ \t]+kết)|
        Cục|Chi[ \t]+cục|Tổng[ \t]+cục|Phòng(?![ \t,]+(?:chống|ngừa|,))|Kho[ \t]+bạc|Ngân[ \t]+hàng|Tòa[ \t]+án|Toà[ \t]+án|Thanh[ \t]+tra|
        Đảng[ \t]+ủy|Đảng[ \t]+uỷ|Đảng[ \t]+đoàn|Huyện[ \t]+ủy|Quận[ \t]+ủy|Thị[ \t]+ủy|Tỉnh[ \t]+ủy|Thành[ \t]+ủy|Cơ[ \t]+quan|
        Đơn[ \t]+vị|Câu[ \t]+lạc[ \t]+bộ|Hiệp[ \t]+hội|Tổng[ \t]+công[ \t]+ty|Công[ \t]+ty|Quỹ|Chi[ \t]+nhánh|Bộ[ \t]+phận|
        Thủ[ \t]+trưởng|Giám[ \t]+đốc|Chủ[ \t]+tịch|Người[ \t]+đứng[ \t]+đầu|Lãnh[ \t]+đạo|Cấp[ \t]+ủy|cấp[ \t]+ủy|
        Chính[ \t]+quyền|[Cc]ác[ \t]+(?:{_UNIT_NOUNS})|[Nn]hững[ \t]+(?:{_UNIT_NOUNS})|
        [{UPPER}]{{2,8}}(?![{LETTERS}])
    )"""
_UNIT_HEAD = re.compile(_UNIT_HEAD_PATTERN, re.VERBOSE)

# The grammar of a unit's name after its head word (Nghị định 30/2020 and usage): proper-name parts, each
# a capitalised word of usually two syllables ("Sở Ngoại vụ", "Ban Tuyên giáo Tỉnh ủy"), a place name
# ("Báo Đồng Tháp"), an abbreviation ("Văn phòng UBND"), joined by "và", "," or "-" ("Sở Văn hóa, Thể
# thao và Du lịch", "Hội Hữu nghị Việt Nam - Lào"), and the lower-case words names are made of (levels:
# "tỉnh", "huyện", "trực thuộc", "nhân dân" …). The first other lower-case word is the action the unit
# is given — whatever the verb ("Sở Ngoại vụ mời …", "Cục Hải quan tỉnh tạo điều kiện …") — so the name
# ends there.
#
# Lower-case parts of more than one syllable after a capitalised one ("Hội Cựu chiến binh", "Sở Nông
# nghiệp và Phát triển nông thôn", "Ban Quản lý Khu kinh tế"); one lower-case syllable is always taken.
_NAME_LOWER_TAILS = (
    "chiến binh",
    "triển nông thôn",
    "thông vận tải",
    "thập đỏ",
    "cao tuổi",
    "kinh tế",
    "công nghiệp",
    "khu công nghiệp",
    "khu kinh tế",
    "dự án",
    "đầu tư xây dựng",
    "chất độc da cam",
    "nhân dân",
    "xuất nhập cảnh",
    "chính trị",
    "khuyết tật",
    "trẻ mồ côi",
)
_NAME_LEVELS = (
    "tỉnh",
    "huyện",
    "thành phố",
    "thị xã",
    "quận",
    "xã",
    "phường",
    "thị trấn",
    "trực thuộc",
    "cấp tỉnh",
    "cấp huyện",
    "cấp xã",
    "các cấp",
    "nhân dân",
    "xã hội",
    "cửa khẩu",
    "quốc tế",
    "trung ương",
    "khu vực",
    "biên giới",
    "các tổ chức hữu nghị",
    "hữu nghị",
    "cán sự đảng",
    "chuyên môn",
    "có liên quan",
    "liên quan",
    "thành viên",
    "đoàn thể",
    "chính trị - xã hội",
    "đại biểu",
    "Trung ương",
)
_NAME_FUNCTION = "các|của|và|với|tại|cho|để|trong|những|theo|về|đã|đang|sẽ|cần|phải|có|là|được|không|này|đó|thì|mà|nhằm|từ|đến|trên|dưới|ở|khi"
_W = r"[ \t]+"
_CAPSYL = rf"[{UPPER}][{LOWER}]*(?![{LETTERS}0-9])"
_ABBR = rf"[{UPPER}]{{2,}}[{UPPER}0-9&]*(?:[-–.][{UPPER}]+)*(?![{LETTERS}0-9])"


def _phrases(words) -> str:
    """A trie alternation of phrases whose spaces match any run of spaces or tabs."""
    return _trie_pattern(words).replace("\\ ", _W)


_LOWTAIL = (
    rf"(?:(?:{_phrases({t for t in _NAME_LOWER_TAILS if ' ' in t})})"
    rf"|(?!(?:{_NAME_FUNCTION}|{_phrases(_NAME_LEVELS)})(?![{LETTERS}]))[{LOWER}]+)(?![{LETTERS}0-9])"
)
# A head word inside a name ("Giám đốc Sở Ngoại vụ", "Bộ Chỉ huy Bộ đội Biên phòng") is one when a
# proper name follows it; "Bộ đội" is an ordinary two-syllable part.
_NAME_COMPONENT = (
    rf"(?:{_UNIT_HEAD_PATTERN}(?={_W}[{UPPER}])|{_ABBR}|{_CAPSYL}(?:{_W}{_CAPSYL})+|{_CAPSYL}(?:{_W}{_LOWTAIL})?)"
)
_NAME_LEVEL = rf"(?:{_phrases(_NAME_LEVELS)})(?![{LETTERS}0-9])"
_LOWER_UNIT_NOUN = rf"(?:{_UNIT_NOUNS})(?![{LETTERS}])"
_UNIT_NAME = re.compile(
    rf"""{_UNIT_HEAD_PATTERN}(?:
        {_W}{_NAME_COMPONENT}
      | {_W}{_NAME_LEVEL}
      | {_W}(?:các|những){_W}{_LOWER_UNIT_NOUN}
      | {_W}các{_W}{_NAME_COMPONENT}
      | {_W}của{_W}{_UNIT_HEAD_PATTERN}
      | [ \t]*,[ \t]*(?:{_NAME_COMPONENT}|{_NAME_LEVEL}|{_LOWER_UNIT_NOUN}|(?:các|những){_W}{_LOWER_UNIT_NOUN})
      | {_W}và{_W}(?:{_NAME_COMPONENT}|{_NAME_LEVEL}|(?:các|những){_W}{_LOWER_UNIT_NOUN})
      | [ \t]*[-–][ \t]*{_NAME_COMPONENT}
    )*""",
    re.VERBOSE,
)


def _unit_name_end(text: str, start: int) -> int | None:
    """Where the unit name that starts at ``start`` ends by its grammar (None: no unit head there)."""
    match = _UNIT_NAME.match(text, start)
    return match.end() if match else None


# Lower-case words that end a unit's name: the action it is given.
_UNIT_END = re.compile(
    r"""[ \t]+(?:chủ[ \t]+trì|phối[ \t]+hợp|phối[ \t]+kết[ \t]+hợp|tham[ \t]+mưu|thực[ \t]+hiện|triển[ \t]+khai|(?<!các[ \t])tổ[ \t]+chức|
    xây[ \t]+dựng|theo[ \t]+dõi|hướng[ \t]+dẫn|kiểm[ \t]+tra|rà[ \t]+soát|tuyên[ \t]+truyền|đẩy[ \t]+mạnh|nghiên[ \t]+cứu|
    đề[ \t]+xuất|tăng[ \t]+cường|chuẩn[ \t]+bị|bố[ \t]+trí|quán[ \t]+triệt|phổ[ \t]+biến|đôn[ \t]+đốc|tiếp[ \t]+tục|báo[ \t]+cáo|
    cung[ \t]+cấp|quản[ \t]+lý|vận[ \t]+động|thẩm[ \t]+định|trên[ \t]+cơ[ \t]+sở|đảm[ \t]+bảo|bảo[ \t]+đảm|phát[ \t]+huy|chỉ[ \t]+đạo|
    có[ \t]+trách[ \t]+nhiệm|chịu[ \t]+trách[ \t]+nhiệm|là[ \t]+cơ[ \t]+quan|là[ \t]+đơn[ \t]+vị|làm[ \t]+đầu[ \t]+mối|là[ \t]+đầu[ \t]+mối|
    căn[ \t]+cứ|cân[ \t]+đối|phân[ \t]+bổ|hỗ[ \t]+trợ|xúc[ \t]+tiến|cập[ \t]+nhật|tổng[ \t]+hợp|trình|giúp|để|nhằm|theo|trong|khi|tại|
    được|chủ[ \t]+động|định[ \t]+kỳ|hằng[ \t]+năm|hàng[ \t]+năm|lập|làm|đón|tiếp[ \t]+nhận|giới[ \t]+thiệu|duy[ \t]+trì|củng[ \t]+cố|
    mở[ \t]+rộng|thường[ \t]+xuyên|kịp[ \t]+thời|nâng[ \t]+cao|hoàn[ \t]+thiện|ban[ \t]+hành|sơ[ \t]+kết|tổng[ \t]+kết|đánh[ \t]+giá|
    quan[ \t]+tâm|tích[ \t]+cực|lãnh[ \t]+đạo|cụ[ \t]+thể[ \t]+hóa|dự[ \t]+trù|dự[ \t]+toán|xác[ \t]+định|đề[ \t]+ra|thống[ \t]+kê|giải[ \t]+quyết|
    xử[ \t]+lý|tiếp[ \t]+đón|đón[ \t]+tiếp|thông[ \t]+báo|góp[ \t]+ý|tham[ \t]+gia|tham[ \t]+dự|cử|trao|tặng|phục[ \t]+vụ|
    khảo[ \t]+sát|nắm|đăng[ \t]+ký|thẩm[ \t]+tra|ký[ \t]+kết|triệu[ \t]+tập|hoàn[ \t]+thành|kiến[ \t]+nghị|vận[ \t]+dụng|
    phân[ \t]+công|theo[ \t]+chức[ \t]+năng|cụ[ \t]+thể[ \t]+hoá|phụ[ \t]+trách|giám[ \t]+sát|bổ[ \t]+sung|biên[ \t]+soạn|khẩn[ \t]+trương|nghiêm[ \t]+túc|thống[ \t]+nhất|sớm|phải|cần|sẽ|đã|đang|với|cùng)(?![{LETTERS}])
    """.replace("{LETTERS}", LETTERS),
    re.VERBOSE,
)
_LEAD_LABEL = re.compile(r"(?:[Cc]ơ[ \t]+quan|[Đđ]ơn[ \t]+vị)[ \t]+chủ[ \t]+trì[ \t]*:[ \t]*([^;.\n]+)")
_SUPPORT_LABEL = re.compile(r"(?:[Cc]ơ[ \t]+quan|[Đđ]ơn[ \t]+vị)[ \t]+phối[ \t]+hợp[ \t]*:[ \t]*([^;.\n]+)")
_GIVEN_TO = re.compile(
    r"(?:^|[ \t,;(])(?:[Gg]iao|[Đđ]ề[ \t]+nghị|[Yy]êu[ \t]+cầu|[Uu]ỷ[ \t]+quyền|[Ủủ]y[ \t]+quyền)(?:[ \t]+cho)?[ \t]+"
)
_CHAIRS = re.compile(
    r"(?:[ \t]+(?:là[ \t]+cơ[ \t]+quan|là[ \t]+đơn[ \t]+vị|làm[ \t]+cơ[ \t]+quan))?[ \t]*(?:chủ[ \t]+trì|làm[ \t]+đầu[ \t]+mối|là[ \t]+đầu[ \t]+mối|là[ \t]+cơ[ \t]+quan[ \t]+đầu[ \t]+mối)"
)
_CHAIR_WORDS = re.compile(r"chủ[ \t]+trì|đầu[ \t]+mối")
_CHAIR_LEAD_IN = re.compile(r"(?:[ \t]+(?:là|làm)(?:[ \t]+(?:cơ[ \t]+quan|đơn[ \t]+vị))?)+$")
# "phối hợp với Sở Tài chính", and without "với" when a unit's name follows ("chủ trì, phối hợp Ban Đối
# ngoại Tỉnh ủy hướng dẫn …"; a unit head is checked where this is used).
_COORDINATES = re.compile(
    r"(?:[Pp]hối[ \t]+hợp|[Pp]hối[ \t]+kết[ \t]+hợp)(?:[ \t]+chặt[ \t]+chẽ)?[ \t]+(?:(?:với|cùng)[ \t]+)?|với[ \t]+sự[ \t]+phối[ \t]+hợp[ \t]+của[ \t]+"
)
# The units named before "phối hợp" at the end of a clause: "Ban Đối ngoại Tỉnh ủy chủ trì; Sở Ngoại vụ,
# Liên hiệp các tổ chức hữu nghị tỉnh phối hợp."
_COORDINATE_AFTER = re.compile(
    r"(?:^|(?<=[;:.]))[ \t]*([^;:.()]+?)[ \t]+(?:cùng[ \t]+)?phối[ \t]+(?:kết[ \t]+)?hợp(?:[ \t]+thực[ \t]+hiện)?[ \t]*(?=[;.]|$)"
)
# "Văn phòng HĐND và UBND huyện", "Văn phòng Đoàn ĐBQH, HĐND và UBND tỉnh": one office serving several
# bodies — the names after the first belong to it until the level (tỉnh, huyện) closes the name.
_SHARED_OFFICE = re.compile(rf"^Văn[ \t]+phòng(?:[ \t]+(?:Đoàn|[{UPPER}]{{2,8}}))+$")
_ABBREVIATED_BODY = re.compile(rf"[{UPPER}]{{2,8}}(?![{LETTERS}])")
_LIST_SPLIT = re.compile(r"[ \t]*[,;][ \t]*|[ \t]+và[ \t]+")
_CLAUSE_END = re.compile(r"[;:.()\n“”\"]")
_RELATED_END = re.compile(r"(?:có[ \t]+)?liên[ \t]+quan(?=[ \t]+\S)")
_UNIT_PREFIX = re.compile(
    r"^(?:[Đđ]ối[ \t]+với|[Tt]rách[ \t]+nhiệm[ \t]+của|[Gg]iao|[Đđ]ề[ \t]+nghị|[Yy]êu[ \t]+cầu)[ \t]+"
)
_ACTION_AFTER_NAME = re.compile(rf"[ \t]*,?[ \t]*[{LOWER}]")
_UNIT_COLON = re.compile(r"^([^:;.]{2,120}?)[ \t]*:[ \t]*(.*)$", re.DOTALL)


# Items that are never tasks: the grounds of a document written as a list ("- Căn cứ Luật …;", "- Xét
# đề nghị của …", "- Thực hiện Kế hoạch số … ,"), and what a document says about itself ("Nghị quyết này
# thay thế …", "Quyết định này có hiệu lực …").
_NOT_TASK_ITEM = re.compile(
    rf"(?:Căn[ \t]+cứ|Xét[ \t]+(?:đề[ \t]+nghị|Tờ[ \t]+trình|tờ[ \t]+trình)|Theo[ \t]+đề[ \t]+nghị)(?![{LETTERS}])"
    rf"|Thực[ \t]+hiện[ \t]+(?i:{_TYPE_WORDS_PATTERN})(?![{LETTERS}])[^\n]*(?:[,;]|như[ \t]+sau[ \t]*:?)$"
    rf"|(?i:{_TYPE_WORDS_PATTERN})[ \t]+này(?![{LETTERS}])"
    # A meeting's conclusions that record a view, not work: "Thống nhất đánh giá như báo cáo.", "Ghi nhận …"
    rf"|(?:Thống[ \t]+nhất|Nhất[ \t]+trí)[ \t]+(?:đánh[ \t]+giá|với[ \t]+(?:báo[ \t]+cáo|đánh[ \t]+giá))"
    rf"|(?:Ghi[ \t]+nhận|Biểu[ \t]+dương)(?![{LETTERS}])"
)
# "Điều 3. Chánh Văn phòng …, Giám đốc Sở … chịu trách nhiệm thi hành Quyết định này": every decision ends
# so; its executors are named for the record, not given a task (left out on purpose).
_EXECUTION_CLAUSE = re.compile(
    r"chịu[ \t]+trách[ \t]+nhiệm[ \t]+thi[ \t]+hành|có[ \t]+hiệu[ \t]+lực[ \t]+(?:thi[ \t]+hành|kể|từ)"
)
_MEMBER_ITEM = re.compile(
    rf"(?:[Đđ]ồng[ \t]+chí|Đ/c|đ/c|Ông|Bà)[ \t]+[{UPPER}][{LOWER}]*(?:[ \t]+[{UPPER}][{LOWER}]*)+[ \t]*[,(–-]"
)
# A field of a decision's content or a tariff line: "Tên khoản viện trợ: …", "Tổng giá trị viện trợ: …",
# "Chi đón tiếp khách hạng A: mức chi …" (a task of that form names a unit, which is checked first).
_DATA_FIELD = re.compile(
    r"(?:Tên|Nhà[ \t]+tài[ \t]+trợ|Bên[ \t]+tài[ \t]+trợ|Tổng|Giá[ \t]+trị|Mức|Định[ \t]+mức|Chi|Số[ \t]+tiền|Đơn[ \t]+giá|"
    r"Nguồn|Vốn|Địa[ \t]+điểm|Đối[ \t]+tượng|Phạm[ \t]+vi|Hình[ \t]+thức|Chủ[ \t]+khoản|Cơ[ \t]+quan[ \t]+chủ[ \t]+quản|"
    r"Quy[ \t]+mô|Mục[ \t]+tiêu|Thời[ \t]+gian|Trưởng[ \t]+đoàn|Thành[ \t]+viên|Phó[ \t]+đoàn|"
    r"Với[ \t]+(?=[A-ZĐ]))[^:\n]{0,60}:"  # "- Với CHDCND Lào: tỉnh Xiêng Khoảng, …": a report's listing
)
# An article that states what is decided (approved, issued, established …) rather than who does what.
_DECISION_ARTICLE = re.compile(
    r"(?:Phê[ \t]+duyệt|Ban[ \t]+hành|Thành[ \t]+lập|Công[ \t]+nhận|Chấp[ \t]+thuận|Cho[ \t]+phép|Bổ[ \t]+nhiệm|"
    r"Kiện[ \t]+toàn|Sửa[ \t]+đổi|Bãi[ \t]+bỏ|Quy[ \t]+định|Điều[ \t]+chỉnh|Khen[ \t]+thưởng|Tặng)(?![^\W\d_])"
)
# An article that gives work ("Điều 3. Tổ chức thực hiện", "Điều 2. Giao …"); the clauses under any other
# ("Điều 1. Phê duyệt … với các nội dung sau:") are the decision's content.
_WORK_ARTICLE = re.compile(r"thuc hien|trach nhiem|nhiem vu|giai phap|phan cong|giao|to chuc")


def _is_title(body: str) -> bool:
    """A heading's words rather than a sentence: short, no closing full stop."""
    return len(body.split()) <= 10 and not body.rstrip().endswith((".", ";", ":"))


def _under_content_article(items: list, item) -> bool:
    parent = item.parent
    while parent is not None:
        if items[parent].kind == "article":
            return not _WORK_ARTICLE.search(fold(items[parent].text))
        parent = items[parent].parent
    return False


@dataclass
class _Item:
    kind: str
    depth: int
    text: str
    section: str | None
    parent: int | None = None
    part: str | None = None  # the unnumbered heading above ("KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2023")
    unit: str | None = None  # the unit this item is a heading for
    # Lines under the item that give its attributes ("Đơn vị chủ trì: …; đơn vị phối hợp: …",
    # "- Cơ quan chủ trì: …", "Thời gian: …"): they say who does the item, they are not tasks.
    details: list[str] = field(default_factory=list)


def _unit_span(text: str, start: int = 0, max_words: int = 24) -> str | None:
    """The unit name that begins at ``start`` (already known to start with a unit word), up to the
    action it is given or the end of the clause."""
    end = len(text)
    clause = _CLAUSE_END.search(text, start)
    if clause:
        end = clause.start()
    action = _UNIT_END.search(text, start, end)
    if action:
        end = action.start()
    grammar_end = _unit_name_end(text, start)
    if grammar_end is not None and grammar_end < end:
        end = grammar_end
    name = text[start:end].strip(" \t,-–")
    if not name or len(name.split()) > max_words:
        return None
    return name


def _split_units(span: str) -> list[str]:
    """'Sở Văn hóa, Thể thao và Du lịch, Công an tỉnh và các sở, ngành liên quan' → three units: a piece
    that does not start with a unit word belongs to the previous one."""
    units: list[str] = []
    pos = 0
    previous_sep = ""
    for sep in [*_LIST_SPLIT.finditer(span), None]:
        piece = span[pos : sep.start() if sep else len(span)].strip()
        if piece:
            if units and (
                not _UNIT_HEAD.match(piece) or (_SHARED_OFFICE.match(units[-1]) and _ABBREVIATED_BODY.match(piece))
            ):
                mark = previous_sep.strip()
                units[-1] += (mark + " " if mark in (",", ";") else " và ") + piece
            else:
                units.append(piece)
        if sep is not None:
            previous_sep = sep.group(0)
            pos = sep.end()
    cleaned = []
    for unit in units:
        related = _RELATED_END.search(unit)
        if related:
            unit = unit[: related.end()]  # "các đơn vị liên quan dự trù kinh phí" → "các đơn vị liên quan"
        unit = unit.strip(" ,;")
        if unit:
            cleaned.append(unit)
    return cleaned


def _supporting(text: str) -> list[str]:
    found: list[str] = []
    for label in _SUPPORT_LABEL.finditer(text):
        found += _split_units(label.group(1).strip())
    for match in _COORDINATES.finditer(text):
        start = match.end()
        if not _UNIT_HEAD.match(text, start):
            continue
        end = len(text)
        clause = _CLAUSE_END.search(text, start)
        if clause:
            end = clause.start()
        action = _UNIT_END.search(text, start, end)
        while action and action.group(0).strip() in ("với", "cùng"):
            action = _UNIT_END.search(text, action.end(), end)
        if action:
            end = action.start()
        grammar_end = _unit_name_end(text, start)
        if grammar_end is not None and grammar_end < end:
            end = grammar_end
        found += _split_units(text[start:end])
    for clause in _COORDINATE_AFTER.finditer(text):
        units = clause.group(1).strip()
        if _UNIT_HEAD.match(units) and _unit_name_end(units, 0) == len(units):
            found += _split_units(units)
    unique: list[str] = []
    for unit in found:
        if unit not in unique:
            unique.append(unit)
    return unique


def _lead(text: str, context_unit: str | None) -> list[str]:
    label = _LEAD_LABEL.search(text)
    if label:
        return _split_units(label.group(1).strip())
    # "Sở Ngoại vụ: chủ trì …"
    colon = _UNIT_COLON.match(text)
    if colon:
        named = colon.group(1).strip()
        prefix = _UNIT_PREFIX.match(named)
        if prefix:
            named = named[prefix.end() :]
        if _UNIT_HEAD.match(named) and _UNIT_END.search(" " + named) is None:
            return [named]
    # "… giao Sở Ngoại vụ chủ trì …", "Đề nghị Liên hiệp các tổ chức hữu nghị tỉnh …"
    for given in _GIVEN_TO.finditer(text):
        if _UNIT_HEAD.match(text, given.end()):
            name = _unit_span(text, given.end())
            if name:
                return _split_units(name)
    # "Sở Ngoại vụ chủ trì, phối hợp với …", "… Liên hiệp hữu nghị TPHCM xây dựng …" (the subject)
    subject_start = 0
    prefix = _UNIT_PREFIX.match(text)
    if prefix:
        subject_start = prefix.end()
    # The subject may also open the clause after a label: "Tuyên truyền: Báo Đồng Tháp thực hiện."
    starts = [subject_start]
    colon = text.find(":")
    if 0 < colon < 80:
        starts.append(colon + 1 + len(text[colon + 1 :]) - len(text[colon + 1 :].lstrip(" \t")))
    for start in starts:
        if not _UNIT_HEAD.match(text, start):
            continue
        name = _unit_span(text, start)
        # A unit name followed by a lower-case word: the unit and the action it is given, whatever the verb.
        if name and (_ACTION_AFTER_NAME.match(text, start + len(name)) or _CHAIRS.match(text, start + len(name))):
            return _split_units(name)
    chair = _CHAIR_WORDS.search(text)
    if chair is not None:
        before = text[: chair.start()]
        cut = max(before.rfind(","), before.rfind(";"), before.rfind(":"), before.rfind("("))
        candidate = before[cut + 1 :].strip()
        prefix = _UNIT_PREFIX.match(candidate)
        if prefix:
            candidate = candidate[prefix.end() :]
        candidate = _CHAIR_LEAD_IN.sub("", candidate).strip()
        if candidate and _UNIT_HEAD.match(candidate):
            return [candidate]
    return [context_unit] if context_unit else []


def _unit_heading(text: str, has_children: bool = False) -> str | None:
    """An item that only names a unit ("1. Sở Ngoại vụ", "b) Đối với Liên hiệp các tổ chức hữu nghị tỉnh:").

    "1. Sở Ngoại vụ mời đại diện các cơ quan dự họp." is not one: the name ends where its grammar ends
    and words follow it — a task, whatever its verb. A heading is the name alone, a short unit line ending
    with ":", or a short line over sub-items with no action word after the name."""
    body = text.strip()
    stripped = body.rstrip(":.").strip()
    prefix = _UNIT_PREFIX.match(stripped)
    if prefix:
        stripped = stripped[prefix.end() :]
    if not stripped or len(stripped.split()) > 14 or not _UNIT_HEAD.match(stripped):
        return None
    if stripped.isupper() and len(stripped.split()) > 1:
        return None  # a section heading (NHIỆM VỤ, GIẢI PHÁP), not a unit
    if _UNIT_END.search(stripped) or _CHAIRS.search(stripped):
        return None
    name_end = _unit_name_end(stripped, 0) or 0
    if name_end >= len(stripped) or body.endswith(":"):
        return stripped
    rest = stripped[name_end:]
    if has_children and len(rest.split()) <= 3 and not _ACTION_AFTER_NAME.match(rest):
        return stripped
    return None


def _marker_kind(match: re.Match) -> str | None:
    if match.group("ord") is not None:
        return "ord"
    if match.group("article") is not None:
        return "article"
    if match.group("roman") is not None:
        return "roman"
    if match.group("upper") is not None:
        return "upper"
    number = match.group("num") or match.group("num2")
    if number is not None:
        return "num" + str(number.count("."))
    if match.group("paren") is not None:
        return "paren"
    if match.group("letter") is not None:
        return "letter"
    bullet = match.group("bullet")
    if bullet:
        return "bullet" + ("-" if bullet in "-–—‐" else bullet)
    return None


# The levels of a Vietnamese document's enumeration (Phần/Mục I., A., 1., 1.1., a), -, +); "Thứ nhất"
# and "Một là" count as 1.
_RANKS = {
    "roman": 0,
    "upper": 1,
    "article": 1.5,  # "Điều 2." of a quyết định or nghị quyết: its clauses are "1.", "a)"
    "ord": 2,
    "num0": 2,
    "num1": 3,
    "num2": 4,
    "num3": 5,
    "paren": 5.5,  # "(1)", "(2)": below "1.1.1.", above "a)"
    "letter": 6,
    "bullet-": 7,
    "bullet": 8,
    "bullet+": 9,
}


def _items(text: str) -> list[_Item]:
    items: list[_Item] = []
    stack: list[tuple[int, int]] = []  # (rank, index of the item) from the outermost
    ordinal_sequence = False
    section: str | None = None
    part: str | None = None
    last_open = False  # the last item's text may continue on the next line
    for raw in text.split("\n"):
        if _END_OF_BODY.match(raw):
            break
        line = raw.strip()
        if not line:
            last_open = False
            continue
        match = _MARKER.match(raw)
        kind = _marker_kind(match) if match else None
        if kind == "ord":
            word = match.group("ordword")
            if word is not None:
                if word == "nhất":
                    ordinal_sequence = True
                elif not ordinal_sequence or _WEEKDAY_AFTER.match(raw, match.end()):
                    kind = None  # "Thứ năm - 12/01/2023", "Thứ Bảy, ngày …": weekdays
            elif match.group("lawo") == "Một":
                ordinal_sequence = True
            elif not ordinal_sequence:
                kind = None
        if kind is None or match.end() >= len(raw.rstrip()):
            if items and _ATTRIBUTE.match(line):
                items[-1].details.append(line)
                last_open = False
            elif last_open and items:
                items[-1].text += " " + line
                last_open = len(line) >= _WRAPPED_LINE and not line.endswith(_SENTENCE_END)
            elif line.isupper() and len(line.split()) <= 12:
                section = part = fold(line)  # an unnumbered heading
                stack.clear()
                last_open = False
            else:
                last_open = False
            continue
        body = raw[match.end() :].strip()
        rank = _RANKS.get(kind, _RANKS["bullet"])
        while stack and stack[-1][0] >= rank:
            stack.pop()
        parent = stack[-1][1] if stack else None
        if kind in ("roman", "upper") or (kind == "num0" and body.isupper()):
            section = fold(body)
            if body.isupper():
                part = None  # "II. PHƯƠNG HƯỚNG, NHIỆM VỤ" closes the part above; "I. Công tác …" is in it
        elif kind == "article":
            # "Điều 1. Phạm vi điều chỉnh" is a title; "Điều 2. Giao Sở Ngoại vụ chủ trì …" is a clause.
            section = fold(body) if _is_title(body) else None
        items.append(_Item(kind, len(stack), body, section, parent, part))
        stack.append((rank, len(items) - 1))
        # A long line without a full stop goes on on the next line (text from a PDF, a hard-wrapped .txt).
        last_open = len(raw.strip()) >= _WRAPPED_LINE and not body.endswith(_SENTENCE_END)
    return items


def _tab_tables(text: str) -> str:
    """A task table typed with tabs in a .txt (STT, Nội dung, Cơ quan chủ trì, Cơ quan phối hợp, Thời
    gian) rewritten as the enumerated lines a .docx table gives (:func:`_task_table_lines`)."""
    if "\t" not in text:
        return text
    lines = text.split("\n")
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        header = [fold(cell.strip()) for cell in line.split("\t")] if line.count("\t") >= 2 else []
        if header and any("chu tri" in h for h in header) and any(h.startswith(_TASK_COLUMNS) for h in header):
            rows = []
            index += 1
            while index < len(lines) and lines[index].count("\t") >= 2:
                rows.append(lines[index].split("\t"))
                index += 1
            out.extend(_task_table_lines([line.split("\t"), *rows], header))
            continue
        out.append(line)
        index += 1
    return "\n".join(out)


def _task_candidates(text: str) -> list[dict]:
    items = _items(_tab_tables(text))
    attributes = set()
    for index, item in enumerate(items):
        if item.parent is not None and _ATTRIBUTE.match(item.text.strip()):
            items[item.parent].details.append(item.text.strip())  # "- Cơ quan chủ trì: …" under an item
            attributes.add(index)
    has_children = {
        item.parent for index, item in enumerate(items) if item.parent is not None and index not in attributes
    }
    for index, item in enumerate(items):
        item.unit = _unit_heading(item.text, index in has_children)
    candidates = []
    for index, item in enumerate(items):
        body = item.text.strip()
        words = body.split()
        if item.unit is not None or len(words) < 4:
            continue
        if body.isupper():
            continue  # a heading
        if index in has_children and (body.endswith(":") or len(words) <= 8):
            continue  # a heading for the items under it
        if item.section and (item.section.startswith(_NOT_TASK_SECTION) or _BUDGET_SECTION.match(item.section)):
            continue
        if item.part and item.part.startswith(_NOT_TASK_SECTION):
            continue  # "KẾT QUẢ THỰC HIỆN" → "I. Công tác chính trị tư tưởng": findings, not tasks
        if _NOT_TASK_ITEM.match(body) or _EXECUTION_CLAUSE.search(body):
            continue
        if item.kind == "article" and _DECISION_ARTICLE.match(body):
            continue  # "Điều 1. Phê duyệt Kế hoạch …": what is decided, not a task
        if _MEMBER_ITEM.match(body):
            continue  # a delegation's member: "Đồng chí Nguyễn Văn A, Phó Chủ tịch UBND tỉnh - Trưởng đoàn;"
        if body.startswith(("Lưu", "Như trên", "Nơi nhận")) or _ATTRIBUTE.match(body):
            continue  # a detail of the task above (time, budget, place), not a task
        if _LINK_ITEM.match(body):
            continue  # "Xem toàn văn tại: https://…": where to read the document, not a task
        context_unit = None
        parent = item.parent
        while parent is not None:
            if items[parent].unit:
                context_unit = items[parent].unit
                break
            parent = items[parent].parent
        text_out = body[0].upper() + body[1:]
        details = "\n".join(item.details)
        label = _LEAD_LABEL.search(details) if details else None
        lead = _split_units(label.group(1).strip()) if label else _lead(body, context_unit)
        supporting = _supporting(body)
        if details:
            supporting += [u for u in _supporting(details) if u not in supporting]
        supporting = [u for u in supporting if u not in lead]
        if not lead and (_DATA_FIELD.match(body) or _under_content_article(items, item)):
            continue  # the content of a decision ("Tên khoản viện trợ: …", "Chi đón tiếp khách hạng A: …")
        # a table row's text carries its other columns for the reading above; the task is its content,
        # and its "thời gian" column (or "trước ngày …" in the text) a deadline
        when = _TABLE_DEADLINE.search(text_out)
        text_out = _TABLE_COLUMNS.split(text_out, maxsplit=1)[0].rstrip(" ;,") or text_out
        due = _deadline(when.group(1)) if when else None
        if due is None:
            before = _BEFORE_DAY.search(text_out)
            due = _deadline(before.group(1)) if before else None
        candidate = {"text": _squash(text_out), "lead": lead, "supporting": supporting}
        if due is not None:
            candidate["due"] = due.isoformat()
        candidates.append(candidate)
    return candidates


_TABLE_COLUMNS = re.compile(r";\s*(?:đơn vị chủ trì|đơn vị phối hợp|thời gian):", re.IGNORECASE)
_TABLE_DEADLINE = re.compile(r";\s*thời gian:\s*([^;]+?)\.?$", re.IGNORECASE)
_BEFORE_DAY = re.compile(
    r"(?:trước|chậm nhất|hạn chót|hoàn thành trong)\s+(?:ngày\s+)?(\d{1,2}/\d{1,2}/\d{4})", re.IGNORECASE
)
_QUARTERS = {"i": 3, "ii": 6, "iii": 9, "iv": 12, "1": 3, "2": 6, "3": 9, "4": 12}


def _deadline(text: str):
    """The last day a plan's "thời gian" allows: ``30/6/2024``, ``tháng 6/2024`` or ``tháng 6 năm
    2024`` (its last day), ``quý II/2024`` (the quarter's last day), ``6 tháng đầu năm 2024``
    (30 June), ``năm 2024`` or ``2024`` (31 December); None for "thường xuyên", "hằng năm" …"""
    import calendar

    folded = fold(text).strip().rstrip(".")
    try:
        match = re.fullmatch(r"(?:truoc |den |trong )?(?:ngay )?(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", folded)
        if match:
            return datetime.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        match = re.fullmatch(r"(?:truoc |den |trong )?thang (\d{1,2})(?:/| nam )(\d{4})", folded)
        if match:
            year, month = int(match.group(2)), int(match.group(1))
            return datetime.date(year, month, calendar.monthrange(year, month)[1])
        match = re.fullmatch(r"(?:truoc |den |trong )?quy (iv|iii|ii|i|[1-4])(?:/| nam )(\d{4})", folded)
        if match:
            year, month = int(match.group(2)), _QUARTERS[match.group(1)]
            return datetime.date(year, month, calendar.monthrange(year, month)[1])
        match = re.fullmatch(r"6 thang dau nam (\d{4})", folded)
        if match:
            return datetime.date(int(match.group(1)), 6, 30)
        match = re.fullmatch(r"(?:trong |truoc |den )?(?:nam )?(\d{4})", folded)
        if match and 1990 <= int(match.group(1)) <= 2100:
            return datetime.date(int(match.group(1)), 12, 31)
    except ValueError:  # 31/02: no such day, no deadline guessed
        return None
    return None


# ---------------------------------------------------------------------------------------------------
# The whole extraction


def extract(text: str) -> dict:
    """The proposals for ``text`` as the CONTRACTS JSON object (without ``path``)."""
    text = normalise_text(text or "")
    occurrences = _occurrences(text)
    document, own_key = _find_document(text, occurrences)
    countries, localities = _places(text)
    return {
        "document": document,
        "references": _references(occurrences, own_key),
        "countries": countries,
        "localities": localities,
        "amounts": _amounts(text),
        "task_candidates": _task_candidates(text),
    }


# ---------------------------------------------------------------------------------------------------
# Reading files


class ReadError(Exception):
    """A file that cannot be read as text; the message is one line for the user."""


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return data.decode("utf-32")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        raise ReadError(_("not a text file (binary content)"))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ReadError(_("not UTF-8 text (byte {})").format(error.start)) from None


def _docx_text(path: Path) -> str:
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
        from docx.table import Table
    except ImportError:  # pragma: no cover - python-docx is a locked dependency
        raise ReadError(_("cannot read .docx: python-docx is not installed")) from None
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ReadError(_("not a valid .docx file ({})").format(error.__class__.__name__)) from None

    lines: list[str] = []

    def table_lines(table: Table) -> None:
        rows = table.rows
        header = [fold(cell.text) for cell in rows[0].cells] if rows else []
        task_table = any("chu tri" in h for h in header) and any(h.startswith(_TASK_COLUMNS) for h in header)
        if task_table:
            lines.extend(_task_table_lines([[cell.text for cell in row.cells] for row in rows], header))
            return
        seen: list = []  # the cell elements themselves (ids of lxml proxies may be reused)
        for row in rows:
            for cell in row.cells:
                if any(cell._tc is done for done in seen):
                    continue  # a merged cell appears once per grid column it spans
                seen.append(cell._tc)
                block_lines(cell._tc, cell)

    def block_lines(element, parent) -> None:
        # Paragraphs and tables in document order (python-docx lists them separately).
        for child in element.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                lines.extend(_paragraph_lines(child))
            elif tag == "tbl":
                table_lines(Table(child, parent))
            elif tag == "sdt":  # content controls wrap paragraphs and tables
                content = next((c for c in child.iterchildren() if c.tag.endswith("}sdtContent")), None)
                if content is not None:
                    block_lines(content, parent)

    block_lines(document.element.body, document)
    # Footnotes cite documents too ("¹ Nghị quyết số 22-NQ/TW ngày 10/4/2018 …"): read after the body.
    for part in document.part.package.iter_parts():
        if str(part.partname) == "/word/footnotes.xml":
            from lxml import etree

            notes = etree.fromstring(part.blob)
            for note in notes.iterchildren(_W + "footnote"):
                if note.get(_W + "type") in ("separator", "continuationSeparator", "continuationNotice"):
                    continue
                for paragraph in note.iter(_W + "p"):
                    lines.extend(_paragraph_lines(paragraph))
    return "\n".join(lines)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _paragraph_lines(paragraph) -> list[str]:
    """A Word paragraph's text as the reader sees the document now: tracked insertions included
    (python-docx's ``Paragraph.text`` skips runs inside ``w:ins``), deletions left out (their text is
    ``w:delText``), tabs and breaks kept, and the paragraphs of a text box on lines of their own
    (once: Word writes a box twice, as a drawing and as a VML fallback)."""
    own: list[str] = []
    boxes: list[str] = []

    def walk(element) -> None:
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or tag == _MC_FALLBACK:
                continue
            if tag == _W + "t":
                own.append(child.text or "")
            elif tag in (_W + "tab", _W + "ptab"):
                own.append("\t")
            elif tag in (_W + "br", _W + "cr"):
                own.append("\n")
            elif tag == _W + "txbxContent":
                for inner in child.iter(_W + "p"):
                    boxes.extend(_paragraph_lines(inner) if inner.getparent() is child else [])
            elif tag != _W + "del":
                walk(child)

    walk(paragraph)
    return ["".join(own), *boxes] if boxes else ["".join(own)]


_TASK_COLUMNS = ("noi dung", "nhiem vu", "ten nhiem vu", "cong viec")


def _task_table_lines(rows: list[list[str]], header: list[str]) -> list[str]:
    """A plan's task table (STT | Nội dung | Chủ trì | Phối hợp | Thời gian), rows of cell texts, as
    enumerated lines."""

    def column(*prefixes):
        return next((i for i, h in enumerate(header) if h.startswith(prefixes) or any(p in h for p in prefixes)), None)

    content = column("noi dung", "nhiem vu", "ten nhiem vu", "cong viec")
    lead = column("chu tri")
    support = column("phoi hop")
    due = column("thoi gian", "thoi han")
    lines = [""]
    for row in rows[1:]:
        cells = [" ".join(cell.replace(";", ",").split()) for cell in row]
        if content is None or content >= len(cells) or not cells[content]:
            continue
        line = "- " + cells[content].rstrip(".;")
        if lead is not None and lead < len(cells) and cells[lead]:
            line += f"; đơn vị chủ trì: {cells[lead]}"
        if support is not None and support < len(cells) and cells[support]:
            line += f"; đơn vị phối hợp: {cells[support]}"
        if due is not None and due < len(cells) and cells[due]:
            line += f"; thời gian: {cells[due]}"
        lines.append(line + ".")
    lines.append("")
    return lines


def _pdf_text(path: Path) -> str:
    try:
        import pypdf
    except ImportError:
        raise ReadError(_("cannot read .pdf: the pypdf package is not installed")) from None
    try:
        reader = pypdf.PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
        text = "\n".join(pages)
    except Exception as error:  # pypdf raises many kinds of errors on broken files
        raise ReadError(_("not a readable .pdf file ({})").format(error.__class__.__name__)) from None
    if not text.strip():
        raise ReadError(
            _("the .pdf has no text layer (a scan?): run text recognition (OCR) on it first, or paste its text")
        )
    tables = _pdf_task_tables(path, pages)
    if not tables:
        return text
    for index, lines in tables.items():
        # the table's rows go where the table begins (before its header line), so that they are
        # read in the section they belong to, not after "Nơi nhận"
        page_lines = pages[index].split("\n")
        at = next(
            (i for i, line in enumerate(page_lines) if "chu tri" in fold(line) or "noi dung" in fold(line)),
            len(page_lines),
        )
        pages[index] = "\n".join(page_lines[:at] + lines + page_lines[at:])
    return "\n".join(pages)


def _pdf_task_tables(path: Path, pages: list[str]) -> dict[int, list[str]]:
    """A plan's task table, read as a table (pdfplumber): a PDF's text layer gives its cells line by
    line, each cut at the column's width, so no row reads as a task. Only the pages whose text names
    a lead unit ("chủ trì") are looked at — finding tables costs a fraction of a second a page."""
    wanted = [index for index, page in enumerate(pages) if "chu tri" in fold(page)]
    if not wanted:
        return {}
    try:
        import pdfplumber
    except ImportError:  # pragma: no cover - pdfplumber is a locked dependency
        return {}
    found: dict[int, list[str]] = {}
    try:
        with pdfplumber.open(str(path)) as pdf:
            for index in wanted:
                for table in pdf.pages[index].extract_tables():
                    rows = [[" ".join((cell or "").split()) for cell in row] for row in table if row]
                    if not rows:
                        continue
                    header = [fold(cell) for cell in rows[0]]
                    if any("chu tri" in h for h in header) and any(h.startswith(_TASK_COLUMNS) for h in header):
                        found.setdefault(index, []).extend(_task_table_lines(rows, header))
    except Exception:  # noqa: BLE001 — the text layer was read; a table it cannot read adds nothing
        return {}
    return found


def read_path(path: str | Path) -> str:
    """The text of a .txt (UTF-8, or UTF-16/UTF-8 with a BOM), .docx or .pdf file; ReadError if it
    cannot be read."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if not path.is_file():
            raise ReadError(_("no such file") if not path.exists() else _("not a file"))
        if suffix == ".docx":
            return _docx_text(path)
        if suffix == ".pdf":
            return _pdf_text(path)
        if suffix in (".doc", ".odt", ".rtf", ".xls", ".xlsx"):
            raise ReadError(_("unsupported format {} (use .txt, .docx or .pdf)").format(suffix))
        return _decode(path.read_bytes())
    except OSError as error:
        raise ReadError(error.strerror or str(error)) from None
