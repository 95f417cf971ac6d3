"""Notations: parsing, the canonical form, the type-code tables and forgiving search keys."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.core.text import fold
from apps.documents import doctypes
from apps.documents.doctypes import PARTY, STATE
from apps.documents.extraction import extract
from apps.documents.notation import Notation, canonical, parse, search_keys

# --- the type-code tables -----------------------------------------------------------------------


def test_the_state_table_has_every_type_of_decree_30_with_its_code():
    expected = {
        "NQ": "Nghị quyết",
        "QĐ": "Quyết định",
        "CT": "Chỉ thị",
        "QC": "Quy chế",
        "QyĐ": "Quy định",
        "TC": "Thông cáo",
        "TB": "Thông báo",
        "HD": "Hướng dẫn",
        "CTr": "Chương trình",
        "KH": "Kế hoạch",
        "PA": "Phương án",
        "ĐA": "Đề án",
        "DA": "Dự án",
        "BC": "Báo cáo",
        "BB": "Biên bản",
        "TTr": "Tờ trình",
        "HĐ": "Hợp đồng",
        "CĐ": "Công điện",
        "BGN": "Bản ghi nhớ",
        "BTT": "Bản thỏa thuận",
        "GUQ": "Giấy ủy quyền",
        "GM": "Giấy mời",
        "GGT": "Giấy giới thiệu",
        "GNP": "Giấy nghỉ phép",
        "PG": "Phiếu gửi",
        "PC": "Phiếu chuyển",
        "PB": "Phiếu báo",
    }
    for code, name in expected.items():
        found = doctypes.resolve(code, STATE)
        assert found is not None and found.name == name and found.system == STATE, code
        assert found.name_en
    letter = doctypes.by_name("Công văn", STATE)
    assert letter.code is None and doctypes.STATE_LETTER is letter


def test_the_party_table_follows_guidance_36():
    expected = {
        "NQ": "Nghị quyết",
        "QĐ": "Quyết định",
        "CT": "Chỉ thị",
        "KL": "Kết luận",
        "QC": "Quy chế",
        "QĐi": "Quy định",
        "TT": "Thông tri",
        "HD": "Hướng dẫn",
        "BC": "Báo cáo",
        "KH": "Kế hoạch",
        "CTr": "Chương trình",
        "TB": "Thông báo",
        "TTr": "Tờ trình",
        "CV": "Công văn",
        "BB": "Biên bản",
    }
    for code, name in expected.items():
        assert doctypes.resolve(code, PARTY).name == name, code
    # QĐ is also accepted for Quy định, but a bare QĐ is a Quyết định.
    assert "QĐ" in doctypes.by_name("Quy định", PARTY).codes
    assert doctypes.resolve("QĐ", PARTY).name == "Quyết định"


def test_a_code_means_what_its_system_says():
    assert doctypes.resolve("TT", PARTY).name == "Thông tri"
    assert doctypes.resolve("TT", STATE).name == "Thông tư"
    assert doctypes.resolve("CV", PARTY).name == "Công văn"
    assert doctypes.resolve("CV", STATE) is None  # a state công văn has no code
    assert doctypes.resolve("LHHN", STATE) is None
    assert doctypes.resolve("QD", STATE).code == "QĐ"  # typed without the stroke
    assert doctypes.resolve("ctr", STATE).code == "CTr"
    with pytest.raises(ValueError):
        doctypes.types("mass")


def test_every_entry_is_complete():
    for doc_type in doctypes.ALL_TYPES:
        assert doc_type.name and doc_type.name_en and doc_type.system in (PARTY, STATE)


# --- parsing and the canonical form -------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("12-CT/TW", Notation("12", PARTY, "CT", "TW")),
        ("108-KH/TU", Notation("108", PARTY, "KH", "TU")),
        ("36-HD/VPTW", Notation("36", PARTY, "HD", "VPTW")),
        ("2722/KH-UBND", Notation("2722", STATE, "KH", "UBND")),
        ("1830/LHHN-VP", Notation("1830", STATE, None, "LHHN", ("VP",))),
        ("12/2021/QĐ-UBND", Notation("12", STATE, "QĐ", "UBND", (), "2021")),
        ("1520/VP-TH", Notation("1520", STATE, None, "VP", ("TH",))),
        ("215/SNgV-LS&HTQT", Notation("215", STATE, None, "SNgV", ("LS&HTQT",))),
        ("08-QĐ/BĐNTW", Notation("08", PARTY, "QĐ", "BĐNTW")),
        ("80/2015/QH13", Notation("80", STATE, None, "QH13", (), "2015")),
        ("1234/QĐ-TTg", Notation("1234", STATE, "QĐ", "TTg")),
        ("01/2011/TTLT-BNG-BNV", Notation("01", STATE, "TTLT", "BNG", ("BNV",), "2011")),
    ],
)
def test_it_parses_the_forms_of_notation(text, expected):
    assert parse(text) == expected
    assert expected.format() == text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("12- CT/TW", "12-CT/TW"),
        ("12 - CT / TW", "12-CT/TW"),
        ("2722 / KH-UBND", "2722/KH-UBND"),
        ("2722/KH – UBND", "2722/KH-UBND"),
        ("12–CT/TW", "12-CT/TW"),
        ("12\u2212CT\u2215TW", "12-CT/TW"),
        ("2722/KH-\nUBND", "2722/KH-UBND"),
        ("12-ct/tw", "12-CT/TW"),
        ("12-ctr/tu", "12-CTr/TU"),
        ("Số: 2722/KH-UBND", "2722/KH-UBND"),
        ("Chỉ thị số 12-CT/TW của Ban Bí thư", "12-CT/TW"),
        ("12/QyĐ-UBND", "12/QyĐ-UBND"),
        ("5 - QĐi / TW", "05-QĐi/TW"),
        ("", None),
        (None, None),
        ("ngày 05/01/2022", None),
    ],
)
def test_canonical_form_fixes_only_spaces_dashes_and_all_lower_case(text, expected):
    assert canonical(text) == expected


def test_it_keeps_vietnamese_letters_in_nfc():
    assert canonical("08-QĐ/BĐNTW") == "08-QĐ/BĐNTW"
    decomposed = "12/KH-HO\u0302I"  # Ô written as O + combining circumflex
    assert canonical(decomposed) == "12/KH-H\u00d4I"


def test_a_notation_knows_its_type():
    assert parse("12-CT/TW").doc_type.name == "Chỉ thị"
    assert parse("05-TT/TU").doc_type.name == "Thông tri"
    assert parse("05/2020/TT-BNG").doc_type.name == "Thông tư"
    assert parse("1520/VP-TH").doc_type.name == "Công văn"
    assert parse("80/2015/QH13").doc_type is None
    assert parse("12-CT/TW").symbol == "CT/TW"
    assert parse("12/2021/QĐ-UBND").symbol == "QĐ-UBND"


# --- property-based: parse → format → parse ------------------------------------------------------

_ISSUERS = st.sampled_from(
    [
        "TW",
        "TU",
        "HU",
        "ĐU",
        "VPTW",
        "BĐNTW",
        "BTGTU",
        "UBND",
        "CP",
        "TTg",
        "BNG",
        "HĐND",
        "LHHN",
        "SNgV",
        "LS&HTQT",
        "VP",
        "TH",
        "MTTQ",
        "QH13",
    ]
) | st.from_regex(r"[A-ZĐ][A-ZĐ0-9&]{0,6}", fullmatch=True)
_NUMBERS = st.from_regex(r"0?[1-9][0-9]{0,4}", fullmatch=True)
_YEARS = st.integers(1990, 2035).map(str)
_PARTY_CODES = sorted({c for t in doctypes.PARTY_TYPES for c in t.codes})
_STATE_CODES = sorted({c for t in doctypes.STATE_TYPES for c in t.codes})


def _not_a_state_type(code):
    return not doctypes.is_type_code(code, STATE)


party_notations = st.builds(
    Notation,
    number=_NUMBERS,
    system=st.just(PARTY),
    type_code=st.sampled_from(_PARTY_CODES),
    issuer_code=_ISSUERS,
    unit_codes=st.lists(_ISSUERS, max_size=1).map(tuple),
)
state_notations = st.builds(
    Notation,
    number=_NUMBERS,
    system=st.just(STATE),
    type_code=st.sampled_from(_STATE_CODES),
    issuer_code=_ISSUERS,
    unit_codes=st.lists(_ISSUERS, max_size=2).map(tuple),
    year=st.none() | _YEARS,
)
letter_notations = st.builds(
    Notation,
    number=_NUMBERS,
    system=st.just(STATE),
    type_code=st.none(),
    issuer_code=_ISSUERS.filter(_not_a_state_type),
    unit_codes=st.lists(_ISSUERS, max_size=2).map(tuple),
    year=st.none() | _YEARS,
)
notations = party_notations | state_notations | letter_notations


@settings(deadline=None)
@given(notations)
def test_round_trip_parse_format_parse(notation):
    text = notation.format()
    assert parse(text) == notation
    assert parse(parse(text).format()) == parse(text)
    assert canonical(text) == text


def _messy(notation: Notation, draw) -> str:
    """The canonical text with stray spaces, a line break and other dashes where writers put them."""
    text = notation.format()
    pieces = re.split(r"([-/])", text)
    # Spaces may precede only the separators of the number, year, type and issuer; further parts of a
    # symbol are attached with a dash ("KH-UBND-VX").
    loose_before = 2 + (1 if notation.year else 0)
    out = [pieces[0]]
    for index in range(1, len(pieces), 2):
        sep, code = pieces[index], pieces[index + 1]
        if sep == "-":
            sep = draw(st.sampled_from(["-", "–", "‑", "−", "—"]))
        else:
            sep = draw(st.sampled_from(["/", "／"]))
        before = draw(st.sampled_from(["", " ", "  "])) if index // 2 < loose_before else ""
        after = draw(st.sampled_from(["", " ", "\n", " \n "]))
        out.append(before + sep + after + code)
    return "".join(out)


@settings(max_examples=150, deadline=None)
@given(notations, st.data())
def test_stray_spaces_and_dashes_canonicalise_to_the_same_notation(notation, data):
    messy = _messy(notation, data.draw)
    assert canonical(messy) == notation.format(), messy


@settings(max_examples=100, deadline=None)
@given(notations)
def test_the_extractor_finds_any_valid_notation_in_a_sentence(notation):
    text = notation.format()
    sentence = f"Căn cứ văn bản số {text} ngày 05/01/2022 của Ủy ban nhân dân tỉnh về công tác đối ngoại."
    result = extract(sentence)
    assert [r["notation"] for r in result["references"]] == [text]
    reference = result["references"][0]
    assert reference["issued_on"] == "2022-01-05"
    assert reference["system"] == notation.system
    assert reference["type_code"] == notation.type_code


# --- forgiving search -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["12/CT-TW", "12-ct/tw", "CT 12", "chi thi 12", "Chỉ thị số 12-CT/TW", "12 CT", "Chỉ thị 012", "ct số 12"]
)
def test_forgiving_queries_share_a_key_with_the_notation(query):
    assert ("12", "CT") in search_keys("12-CT/TW")
    assert search_keys(query) & search_keys("12-CT/TW"), query


def test_search_keys_are_diacritic_free_and_specific():
    assert search_keys("12-CT/TW") == {("12", "CT"), ("12", "CT", "TW")}
    assert ("12", "QD", "UBND") in search_keys("12/2021/QĐ-UBND")
    assert ("1520", "VP", "TH") in search_keys("1520/VP-TH")
    assert search_keys("quyet dinh 12") & search_keys("12/2021/QĐ-UBND")
    assert search_keys("quy dinh 5") & search_keys("5-QĐi/TU")
    assert search_keys("quy dinh 5") & search_keys("5/QyĐ-UBND")
    assert not (search_keys("CT 13") & search_keys("12-CT/TW"))
    assert not (search_keys("KH 12") & search_keys("12-CT/TW"))
    assert search_keys("") == set() and search_keys(None) == set()
    assert search_keys("ngày 05/01/2022") == set()


@settings(deadline=None)
@given(notations)
def test_every_notation_is_found_by_its_number_and_first_code(notation):
    first = notation.type_code or notation.issuer_code
    key = (notation.number.lstrip("0") or "0", fold(first).upper())
    assert key in search_keys(notation.format())
    assert key in search_keys(notation.format().lower())
