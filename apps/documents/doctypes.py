"""Document types and the codes that stand for them in a notation (số, ký hiệu), as data.

Two systems write notations differently and use partly different codes (docs/document-types.md):

- **state** — Nghị định 30/2020/NĐ-CP on clerical work, Phụ lục III ("Bảng chữ viết tắt tên loại văn
  bản"): ``2722/KH-UBND`` = number / TYPE-ISSUER; a công văn has no type code (``1520/VP-TH`` =
  number / ISSUER-UNIT). Normative (legal) documents follow the Law on the Promulgation of Legal
  Documents and carry the year: ``12/2021/QĐ-UBND``, ``30/2020/NĐ-CP``.
- **party** — Hướng dẫn 36-HD/VPTW (2018) of the Party Central Office: ``12-CT/TW`` = number-TYPE /
  ISSUER. ``TT`` is Thông tri here (Thông tư in the state system); Quy định is ``QĐi`` (``QĐ`` is also
  accepted, but a bare ``QĐ`` resolves to Quyết định); công văn is ``CV``.

Codes keep their conventional case (``CTr``, ``QyĐ``, ``QĐi``, ``TTr``): resolution is exact first,
then ignores case and diacritics (``QD`` typed without the stroke still finds ``QĐ``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from apps.core.text import fold

PARTY = "party"
STATE = "state"
SYSTEMS = (PARTY, STATE)

# Kinds of state documents: administrative (Nghị định 30/2020 Phụ lục III), normative (legal
# documents, whose notation carries the year), copy (bản sao, same Phụ lục).
ADMINISTRATIVE = "administrative"
NORMATIVE = "normative"
COPY = "copy"


@dataclass(frozen=True)
class DocType:
    code: str | None  # the code written in the notation; None where the type has none (state công văn)
    name: str  # Vietnamese name, as written in a document's title line
    name_en: str
    system: str  # "party" | "state"
    aliases: tuple[str, ...] = ()  # further codes accepted for this type (Party Quy định: QĐ)
    kind: str = ADMINISTRATIVE

    @property
    def codes(self) -> tuple[str, ...]:
        return ((self.code,) if self.code else ()) + self.aliases


def _t(code, name, name_en, system, aliases=(), kind=ADMINISTRATIVE):
    return DocType(code, name, name_en, system, tuple(aliases), kind)


# Nghị định 30/2020/NĐ-CP, Điều 7 (29 types) and Phụ lục III (their abbreviations), in its order.
STATE_TYPES: tuple[DocType, ...] = (
    _t("NQ", "Nghị quyết", "Resolution", STATE),
    _t("QĐ", "Quyết định", "Decision", STATE),
    _t("CT", "Chỉ thị", "Directive", STATE),
    _t("QC", "Quy chế", "Rules (statute)", STATE),
    _t("QyĐ", "Quy định", "Regulation", STATE),
    _t("TC", "Thông cáo", "Communiqué", STATE),
    _t("TB", "Thông báo", "Notice", STATE),
    _t("HD", "Hướng dẫn", "Guidance", STATE),
    _t("CTr", "Chương trình", "Programme", STATE),
    _t("KH", "Kế hoạch", "Plan", STATE),
    _t("PA", "Phương án", "Scheme (option plan)", STATE),
    _t("ĐA", "Đề án", "Proposal (project scheme)", STATE),
    _t("DA", "Dự án", "Project", STATE),
    _t("BC", "Báo cáo", "Report", STATE),
    _t("BB", "Biên bản", "Minutes", STATE),
    _t("TTr", "Tờ trình", "Submission", STATE),
    _t("HĐ", "Hợp đồng", "Contract", STATE),
    _t(None, "Công văn", "Official letter", STATE),
    _t("CĐ", "Công điện", "Official telegram", STATE),
    _t("BGN", "Bản ghi nhớ", "Memorandum of understanding", STATE),
    _t("BTT", "Bản thỏa thuận", "Agreement", STATE),
    _t("GUQ", "Giấy ủy quyền", "Letter of authorisation", STATE),
    _t("GM", "Giấy mời", "Invitation", STATE),
    _t("GGT", "Giấy giới thiệu", "Letter of introduction", STATE),
    _t("GNP", "Giấy nghỉ phép", "Leave permit", STATE),
    _t("PG", "Phiếu gửi", "Dispatch slip", STATE),
    _t("PC", "Phiếu chuyển", "Transfer slip", STATE),
    _t("PB", "Phiếu báo", "Notification slip", STATE),
    _t(None, "Thư công", "Official correspondence letter", STATE),
    # Copies (Phụ lục III, "bản sao"): their notation carries the copy type instead of a document type.
    _t("SY", "Bản sao y", "True copy", STATE, kind=COPY),
    _t("TS", "Bản trích sao", "Extract copy", STATE, kind=COPY),
    _t("SL", "Bản sao lục", "Transcribed copy", STATE, kind=COPY),
    # Normative documents (Luật Ban hành văn bản quy phạm pháp luật 2015; notation with the year:
    # 30/2020/NĐ-CP, 12/2021/QĐ-UBND, 01/2011/TT-BNV). Nghị quyết and Quyết định share NQ and QĐ
    # with the administrative ones above; a Luật or Pháp lệnh has no type code (80/2015/QH13).
    _t("NĐ", "Nghị định", "Decree", STATE, kind=NORMATIVE),
    _t("TT", "Thông tư", "Circular", STATE, kind=NORMATIVE),
    _t("TTLT", "Thông tư liên tịch", "Joint circular", STATE, kind=NORMATIVE),
    _t("NQLT", "Nghị quyết liên tịch", "Joint resolution", STATE, kind=NORMATIVE),
    _t("L", "Lệnh", "Order (of the President)", STATE, kind=NORMATIVE),
    _t(None, "Luật", "Law", STATE, kind=NORMATIVE),
    _t(None, "Pháp lệnh", "Ordinance", STATE, kind=NORMATIVE),
)

# Hướng dẫn 36-HD/VPTW (03/4/2018), abbreviations of the types of Party documents (types as in
# Quy định 66-QĐ/TW 2017). Types without a code are not numbered with one (Cương lĩnh, Điều lệ …).
PARTY_TYPES: tuple[DocType, ...] = (
    _t(None, "Cương lĩnh chính trị", "Political platform", PARTY),
    _t(None, "Điều lệ Đảng", "Party statute", PARTY),
    _t(None, "Chiến lược", "Strategy", PARTY),
    _t("NQ", "Nghị quyết", "Resolution", PARTY),
    _t("QĐ", "Quyết định", "Decision", PARTY),
    _t("CT", "Chỉ thị", "Directive", PARTY),
    _t("KL", "Kết luận", "Conclusion", PARTY),
    _t("QC", "Quy chế", "Rules (statute)", PARTY),
    _t("QĐi", "Quy định", "Regulation", PARTY, aliases=("QĐ",)),
    _t("TT", "Thông tri", "Circular (Party)", PARTY),
    _t("HD", "Hướng dẫn", "Guidance", PARTY),
    _t("TB", "Thông báo", "Notice", PARTY),
    _t("TC", "Thông cáo", "Communiqué", PARTY),
    _t(None, "Tuyên bố", "Declaration", PARTY),
    _t(None, "Lời kêu gọi", "Appeal", PARTY),
    _t("BC", "Báo cáo", "Report", PARTY),
    _t("KH", "Kế hoạch", "Plan", PARTY),
    _t("QH", "Quy hoạch", "Master plan", PARTY),
    _t("CTr", "Chương trình", "Programme", PARTY),
    _t("ĐA", "Đề án", "Proposal (project scheme)", PARTY),
    _t("TTr", "Tờ trình", "Submission", PARTY),
    _t("CV", "Công văn", "Official letter", PARTY),
    _t("BB", "Biên bản", "Minutes", PARTY),
    _t("GGT", "Giấy giới thiệu", "Letter of introduction", PARTY),
    _t("GCN", "Giấy chứng nhận", "Certificate", PARTY),
    _t("GĐĐ", "Giấy đi đường", "Travel permit", PARTY),
    _t("GNP", "Giấy nghỉ phép", "Leave permit", PARTY),
    _t("PG", "Phiếu gửi", "Dispatch slip", PARTY),
)

ALL_TYPES: tuple[DocType, ...] = STATE_TYPES + PARTY_TYPES

# The type a state notation without a type code stands for (1520/VP-TH, 1830/LHHN-VP).
STATE_LETTER = next(t for t in STATE_TYPES if t.name == "Công văn")


def types(system: str | None = None) -> tuple[DocType, ...]:
    if system is None:
        return ALL_TYPES
    if system not in SYSTEMS:
        raise ValueError(f"unknown system {system!r}; expected one of {SYSTEMS}")
    return PARTY_TYPES if system == PARTY else STATE_TYPES


def code_key(code: str) -> str:
    """The comparison form of a code: no case, no diacritics ('QĐi' → 'QDI', 'CTr' → 'CTR')."""
    return fold(code).upper().replace(" ", "")


@cache
def _exact_index(system: str) -> dict[str, DocType]:
    index: dict[str, DocType] = {}
    for doc_type in types(system):
        for code in doc_type.codes:
            index.setdefault(code, doc_type)  # the first type listed wins (party QĐ = Quyết định)
    return index


@cache
def _folded_index(system: str) -> dict[str, DocType]:
    index: dict[str, DocType] = {}
    for doc_type in types(system):
        for code in doc_type.codes:
            index.setdefault(code_key(code), doc_type)
    return index


def resolve(code: str | None, system: str) -> DocType | None:
    """The type a code stands for in ``system`` ('party' | 'state'); None when it is not a type code.

    >>> resolve("TT", "party").name, resolve("TT", "state").name
    ('Thông tri', 'Thông tư')
    """
    if not code:
        return None
    found = _exact_index(system).get(code)
    if found is None:
        found = _folded_index(system).get(code_key(code))
    return found


def is_type_code(code: str | None, system: str) -> bool:
    return resolve(code, system) is not None


# Other names texts give a type ("Thỏa thuận hợp tác số 02/TTHT" is a Bản thỏa thuận, "Biên bản ghi nhớ"
# a Bản ghi nhớ): found by :func:`by_name`, never reported (the type's own name is).
NAME_ALIASES = {
    "Thỏa thuận": "Bản thỏa thuận",
    "Thỏa thuận hợp tác": "Bản thỏa thuận",
    "Biên bản ghi nhớ": "Bản ghi nhớ",
    "Bản ghi nhớ hợp tác": "Bản ghi nhớ",
}


@cache
def _name_index() -> dict[str, tuple[DocType, ...]]:
    index: dict[str, list[DocType]] = {}
    for doc_type in ALL_TYPES:
        index.setdefault(fold(doc_type.name), []).append(doc_type)
    for alias, name in NAME_ALIASES.items():
        index.setdefault(fold(alias), []).extend(index.get(fold(name), []))
    return {name: tuple(found) for name, found in index.items()}


@cache
def by_name(name: str, system: str | None = None) -> DocType | None:
    """The type called ``name`` (any case or diacritics: 'chi thi' finds Chỉ thị), in ``system`` if given.

    Without a system, the state type is preferred (it is the same name in both tables).
    """
    found = _name_index().get(fold(name), ())
    for doc_type in found:
        if system is None or doc_type.system == system:
            return doc_type
    return None


def type_names() -> tuple[str, ...]:
    """Every distinct Vietnamese type name, longest first (for building patterns)."""
    names = {t.name for t in ALL_TYPES} | set(NAME_ALIASES)
    return tuple(sorted(names, key=lambda n: (-len(n), n)))


def all_code_keys() -> frozenset[str]:
    """The folded form of every known code in either system."""
    return frozenset(code_key(c) for t in ALL_TYPES for c in t.codes)
