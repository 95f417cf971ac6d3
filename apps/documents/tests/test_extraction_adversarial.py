"""Extraction from text as an adversarial review fed it: the layouts, spellings and characters of real
documents that the seed texts do not show (Nghị định 30/2020/NĐ-CP, Hướng dẫn 36-HD/VPTW)."""

import pytest

from apps.documents.extraction import extract, normalise_text
from apps.documents.notation import Notation, canonical, parse, search_keys


def refs(result) -> dict:
    return {r["notation"]: r for r in result["references"]}


def tasks(result) -> dict:
    return {t["text"]: t for t in result["task_candidates"]}


# --- 1. Unicode spaces and invisible characters ---------------------------------------------------


def test_no_break_thin_and_zero_width_spaces_read_as_plain_spaces():
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH HÀ GIANG\n"
        "Số:\u00a056/KH-UBND\n"
        "Hà Giang, ngày\u00a010 tháng\u00a03 năm\u00a02023\n\n"
        "Căn cứ Chỉ thị số\u00a012-CT/TW ngày\u202f05\u2009tháng\u200701 năm\u00a02022 của Ban Bí thư; "
        "Công văn số\u00a0123/UBND ngày 02/3/2023; Kế\u200b hoạch số 108-\u200dKH/TU\ufeff ngày\u00a020/5/2022. "
        "Tổng kinh phí 594,5\u00a0tỷ\u00a0đồng, tương đương 26\u202ftriệu USD."
    )
    result = extract(text)
    document = result["document"]
    assert (document["notation"], document["issued_on"]) == ("56/KH-UBND", "2023-03-10")
    found = refs(result)
    assert found["12-CT/TW"]["issued_on"] == "2022-01-05"
    assert found["123/UBND"]["type"] == "Công văn" and found["123/UBND"]["issued_on"] == "2023-03-02"
    assert found["108-KH/TU"]["issued_on"] == "2022-05-20"
    assert [(a["value"], a["currency"]) for a in result["amounts"]] == [("594500000000", "VND"), ("26000000", "USD")]


def test_normalising_spaces_keeps_the_length_of_the_text():
    text = "Số:\u00a056/KH-UBND,\u202f\u2007\u2009ngày"
    assert normalise_text(text) == "Số: 56/KH-UBND,   ngày"
    assert len(normalise_text(text)) == len(text)


def test_a_notation_typed_with_a_no_break_space_parses():
    assert canonical("12-\u00a0CT/TW") == "12-CT/TW"
    assert canonical("Số:\u00a02722/\u200bKH-UBND") == "2722/KH-UBND"


# --- 2-4. The document's own date in flattened headers ---------------------------------------------


def test_a_flattened_cong_van_header_gives_the_date_under_the_national_motto():
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG TRỊ\n-------\nSố: 1520/UBND-NC\n"
        "V/v triển khai thực hiện Kết luận số 12-KL/TW\n"
        "của Bộ Chính trị về công tác người Việt Nam ở nước ngoài\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n---------------\n"
        "Quảng Trị, ngày 14 tháng 4 năm 2023\n\nKính gửi: Sở Ngoại vụ\n\n"
        "Thực hiện Kết luận số 12-KL/TW ngày 12/8/2021 của Bộ Chính trị, UBND tỉnh giao Sở Ngoại vụ chủ trì."
    )
    document = extract(text)["document"]
    assert (document["notation"], document["type"], document["issued_on"]) == ("1520/UBND-NC", "Công văn", "2023-04-14")


def test_the_header_date_is_not_taken_from_the_body():
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG TRỊ\nSố: 1520/UBND-NC\nV/v đón đoàn\n\nKính gửi: Sở Ngoại vụ\n\n"
        "Đoàn sẽ đến vào thời gian sau.\nQuảng Trị, ngày 14 tháng 4 năm 2023\n"
    )
    assert extract(text)["document"]["issued_on"] is None


@pytest.mark.parametrize("place", ["Quận 1", "Phường 5", "Quận 3", "Thành phố Hồ Chí Minh"])
def test_a_place_named_with_a_number_dates_the_header(place):
    text = f"QUẬN ỦY QUẬN 1\n*\nSố 45-KH/QU\n{place}, ngày 12 tháng 5 năm 2023\n\nKẾ HOẠCH\nthực hiện Chỉ thị số 12-CT/TW\n"
    document = extract(text)["document"]
    assert (document["notation"], document["issued_on"]) == ("45-KH/QU", "2023-05-12")


def test_a_header_flattened_with_single_spaces_keeps_the_notation_and_gives_the_date():
    text = (
        "ỦY BAN NHÂN DÂN TỈNH BẾN TRE CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "SỞ NGOẠI VỤ Độc lập - Tự do - Hạnh phúc\n"
        "Số: 312/SNgV-VP Bến Tre, ngày 09 tháng 10 năm 2023\n"
        "V/v góp ý dự thảo Kế hoạch\n\nThực hiện Công văn số 4567/UBND-TH ngày 02/10/2023 của UBND tỉnh.\n"
    )
    document = extract(text)["document"]
    assert (document["notation"], document["issued_on"]) == ("312/SNgV-VP", "2023-10-09")


# --- 5. Numbers below 10 -----------------------------------------------------------------------------


def test_a_number_below_ten_is_written_with_a_leading_zero():
    assert canonical("5-CT/TW") == "05-CT/TW"
    assert canonical("005-CT/TW") == "05-CT/TW"
    assert canonical("5/2023/QĐ-UBND") == "05/2023/QĐ-UBND"
    assert canonical("12-CT/TW") == "12-CT/TW" and canonical("108-KH/TU") == "108-KH/TU"
    assert parse("5-CT/TW") == parse("05-CT/TW") == Notation("5", "party", "CT", "TW")
    assert Notation("5", "party", "CT", "TW").format() == "05-CT/TW"


def test_the_body_naming_the_document_without_the_zero_is_the_document_itself():
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH SƠN LA\nSố: 05/2023/QĐ-UBND\nSơn La, ngày 20 tháng 02 năm 2023\n\n"
        "Điều 1. Quyết định số 5/2023/QĐ-UBND có hiệu lực từ ngày ký. Quyết định này thay thế "
        "Quyết định số 07/2019/QĐ-UBND ngày 10/4/2019."
    )
    result = extract(text)
    assert result["document"]["notation"] == "05/2023/QĐ-UBND"
    assert list(refs(result)) == ["07/2019/QĐ-UBND"]


def test_one_directive_cited_with_and_without_the_zero_is_one_reference():
    result = extract(
        "Thực hiện Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị; tiếp tục quán triệt Chỉ thị 5-CT/TW."
    )
    assert result["references"] == [
        {
            "notation": "05-CT/TW",
            "type_code": "CT",
            "type": "Chỉ thị",
            "system": "party",
            "issued_on": "2016-05-15",
            "count": 2,
        }
    ]


@pytest.mark.parametrize("query", ["CT 5", "chi thi 5", "5-CT/TW", "05-ct/tw", "Chỉ thị số 05"])
def test_a_search_without_the_zero_finds_the_padded_notation(query):
    assert search_keys(query) & search_keys("05-CT/TW"), query


# --- 6, 9. Which type word names the notation ------------------------------------------------------


def test_the_nearest_type_word_names_the_notation():
    result = extract(
        "Sở Ngoại vụ đã gửi Báo cáo tại Công văn số 456/SNgV-VP ngày 12/3/2023. Kế hoạch thay thế "
        "Công văn số 1520/VP-TH ngày 02/02/2023 của Văn phòng UBND tỉnh."
    )
    found = refs(result)
    assert found["456/SNgV-VP"]["type"] == "Công văn"
    assert found["1520/VP-TH"]["type"] == "Công văn"


def test_a_law_is_named_by_its_type_word_before_its_title():
    result = extract(
        "Căn cứ Luật Điều ước quốc tế số 108/2016/QH13 ngày 09 tháng 4 năm 2016;\n"
        "Căn cứ Luật Thỏa thuận quốc tế số 70/2020/QH14 ngày 13 tháng 11 năm 2020;\n"
        "Căn cứ Luật Tổ chức chính quyền địa phương số 77/2015/QH13;\n"
        "Căn cứ Pháp lệnh số 01/2022/UBTVQH15;"
    )
    found = refs(result)
    assert found["108/2016/QH13"]["type"] == "Luật" and found["108/2016/QH13"]["issued_on"] == "2016-04-09"
    assert found["70/2020/QH14"]["type"] == "Luật"
    assert found["77/2015/QH13"]["type"] == "Luật"
    assert found["01/2022/UBTVQH15"]["type"] == "Pháp lệnh"


def test_a_type_word_in_an_earlier_clause_does_not_name_a_law():
    result = extract("Theo Kế hoạch, năm nay thực hiện tốt. Căn cứ văn bản 80/2015/QH13.")
    assert refs(result)["80/2015/QH13"]["type"] is None


# --- 7. Lower-case notations -------------------------------------------------------------------------


def test_a_lower_case_notation_after_a_type_word_and_so_is_a_reference():
    result = extract(
        "Căn cứ chỉ thị số 12-ct/tw ngày 05/01/2022 của Ban Bí thư và kế hoạch số 2722/kh-ubnd ngày "
        "20/11/2021 của UBND tỉnh; quyết định số 12/2021/qđ-ubnd ngày 3/6/2021."
    )
    found = refs(result)
    assert list(found) == ["12-CT/TW", "2722/KH-UBND", "12/2021/QĐ-UBND"]
    assert found["12-CT/TW"]["type"] == "Chỉ thị" and found["12-CT/TW"]["issued_on"] == "2022-01-05"
    assert found["2722/KH-UBND"]["type"] == "Kế hoạch"
    assert found["12/2021/QĐ-UBND"]["type"] == "Quyết định"


def test_a_notation_partly_in_lower_case_is_read_whole():
    found = refs(extract("Thực hiện Kế hoạch số 2722/KH-ubnd ngày 20/11/2021 của UBND tỉnh."))
    assert list(found) == ["2722/KH-UBND"] and found["2722/KH-UBND"]["issued_on"] == "2021-11-20"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Tỷ lệ đạt 12-ct/tw trong năm.", []),  # no type word
        ("Số 12-ct/tw là mã nội bộ.", []),
        ("Kế hoạch số 5/năm 2023 được điều chỉnh.", []),  # a word, not a code
        ("Kế hoạch số 3/ha được giao.", []),  # a ratio, not a công văn
        ("Xem tại https://ubnd.vn/van-ban/chi-thi-so-12-ct/tw.html và kế hoạch số 7/kh-ubnd.", ["07/KH-UBND"]),
    ],
)
def test_ordinary_lower_case_text_and_urls_give_no_notation(text, expected):
    assert list(refs(extract(text))) == expected


# --- 8. Công văn without "số", and lists -----------------------------------------------------------


def test_a_cong_van_named_without_so_is_a_reference():
    result = extract("Đề nghị thực hiện Công văn 789/UBND ngày 5/4/2023 của UBND huyện.")
    assert refs(result)["789/UBND"] == {
        "notation": "789/UBND",
        "type_code": None,
        "type": "Công văn",
        "system": "state",
        "issued_on": "2023-04-05",
        "count": 1,
    }


def test_every_cong_van_of_a_list_is_a_reference():
    result = extract(
        "Thực hiện các Công văn số 123/UBND và 456/UBND của UBND tỉnh; Công văn số 789/SNgV ngày 01/02/2024, "
        "1011/SNgV ngày 03/02/2024 của Sở Ngoại vụ."
    )
    found = refs(result)
    assert list(found) == ["123/UBND", "456/UBND", "789/SNgV", "1011/SNgV"]
    assert all(r["type"] == "Công văn" for r in found.values())
    assert found["1011/SNgV"]["issued_on"] == "2024-02-03"


def test_a_bare_number_and_code_without_a_cue_is_still_not_a_notation():
    assert extract("Tỷ lệ 50/UBND xã đạt chuẩn, năm 2023/TW.")["references"] == []
    assert extract("Tổng số 30/TW, 20/UBND xã đã đăng ký.")["references"] == []


def test_a_list_shares_its_type_word_only_with_notations_of_the_same_form():
    found = refs(extract("Căn cứ các Báo cáo số 45/BC-UBND và 46/BC-UBND, 47/UBND-VX ngày 3/3/2023."))
    assert [(n, r["type"]) for n, r in found.items()] == [
        ("45/BC-UBND", "Báo cáo"),
        ("46/BC-UBND", "Báo cáo"),
        ("47/UBND-VX", "Công văn"),
    ]
    assert found["47/UBND-VX"]["issued_on"] == "2023-03-03"


# --- 10-11. Task candidates --------------------------------------------------------------------------

PLAN = """ỦY BAN NHÂN DÂN
TỈNH ĐIỆN BIÊN
Số: 99/KH-UBND
Điện Biên, ngày 02 tháng 6 năm 2023

KẾ HOẠCH
Đối ngoại nhân dân năm 2023

II. NHIỆM VỤ TRỌNG TÂM
1. Tổ chức các hoạt động giao lưu hữu nghị với nhân dân các tỉnh Bắc Lào.
Đơn vị chủ trì: Liên hiệp các tổ chức hữu nghị tỉnh; đơn vị phối hợp: Sở Ngoại vụ, Sở Văn hóa, Thể thao và Du lịch.
2. Vận động viện trợ phi chính phủ nước ngoài.
- Cơ quan chủ trì: Sở Kế hoạch và Đầu tư.
- Cơ quan phối hợp: UBND các huyện, thị xã, thành phố.
3. Phòng Nội vụ chủ trì tham mưu tổ chức hội nghị; Văn phòng HĐND và UBND huyện chuẩn bị hội trường.
4. Giao Sở Thông tin và Truyền thông chủ trì, phối hợp với Báo Điện Biên Phủ, Đài Phát thanh và Truyền hình tỉnh tuyên truyền về hoạt động đối ngoại nhân dân.
- Xem toàn văn tại: https://dienbien.gov.vn/van-ban/99-KH-UBND.pdf
III. KINH PHÍ
1. Kinh phí thực hiện từ nguồn ngân sách tỉnh năm 2023.
2. Các sở, ngành bố trí kinh phí trong dự toán được giao.
IV. KINH PHÍ VÀ TỔ CHỨC THỰC HIỆN
1. Sở Ngoại vụ theo dõi, đôn đốc việc thực hiện Kế hoạch này.
"""


def test_lead_and_supporting_units_on_the_line_under_an_item():
    task = tasks(extract(PLAN))["Tổ chức các hoạt động giao lưu hữu nghị với nhân dân các tỉnh Bắc Lào."]
    assert task["lead"] == ["Liên hiệp các tổ chức hữu nghị tỉnh"]
    assert task["supporting"] == ["Sở Ngoại vụ", "Sở Văn hóa, Thể thao và Du lịch"]


def test_lead_and_supporting_units_in_bullets_under_an_item():
    found = tasks(extract(PLAN))
    task = found["Vận động viện trợ phi chính phủ nước ngoài."]
    assert task["lead"] == ["Sở Kế hoạch và Đầu tư"]
    assert task["supporting"] == ["UBND các huyện, thị xã, thành phố"]
    assert not any(text.startswith(("Cơ quan chủ trì", "Cơ quan phối hợp", "Đơn vị chủ trì")) for text in found)


def test_an_office_serving_two_bodies_is_one_unit():
    text = "II. NHIỆM VỤ\n1. Văn phòng HĐND và UBND huyện chuẩn bị hội trường, tài liệu cho hội nghị.\n"
    assert extract(text)["task_candidates"][0]["lead"] == ["Văn phòng HĐND và UBND huyện"]


def test_a_newspaper_and_a_broadcaster_support_an_item():
    task = next(t for t in extract(PLAN)["task_candidates"] if t["text"].startswith("Giao Sở Thông tin"))
    assert task["lead"] == ["Sở Thông tin và Truyền thông"]
    assert task["supporting"] == ["Báo Điện Biên Phủ", "Đài Phát thanh và Truyền hình tỉnh"]


def test_a_link_and_the_budget_section_are_not_tasks():
    found = tasks(extract(PLAN))
    assert not any("toàn văn" in text or "https://" in text for text in found)
    assert not any(text.startswith(("Kinh phí thực hiện", "Các sở, ngành bố trí kinh phí")) for text in found)
    # a section that also organises the work still has tasks
    assert found["Sở Ngoại vụ theo dõi, đôn đốc việc thực hiện Kế hoạch này."]["lead"] == ["Sở Ngoại vụ"]


# --- 5, stored data: documents saved before numbers were padded ------------------------------------


@pytest.mark.django_db
def test_a_document_stored_without_the_zero_is_found_by_the_padded_notation(province):
    from apps.documents import services
    from apps.documents.models import Document

    # A row written before the canonical form padded numbers (not through the services).
    legacy = Document(unit=province.province, notation="5-CT/TW", title="Chỉ thị cũ")
    legacy.save()
    assert services.find_existing("05-CT/TW") == legacy
    placeholder = services.document_placeholder(notation="05-CT/TW", unit=province.union, by=None)
    assert placeholder == legacy
    entered = services.document_create(by=None, unit=province.province, notation="7/KH-UBND")
    assert (entered.notation, entered.number) == ("07/KH-UBND", "07")


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["CT 5", "chi thi 5", "5-CT/TW", "05-ct/tw"])
def test_searching_finds_a_padded_notation_by_the_number_without_the_zero(client, province, query):
    from apps.documents import services

    directive = services.document_create(by=None, unit=province.province, notation="5-CT/TW", title="Chỉ thị")
    assert directive.notation == "05-CT/TW"
    services.document_create(by=None, unit=province.province, notation="15-CT/TW", title="Khác")
    client.force_login(province.coordinator)
    rows = client.get("/documents/", {"q": query}).content.decode()
    assert "/documents/{}/".format(directive.pk) in rows
    assert "15-CT/TW" not in rows


def test_an_office_is_not_glued_to_the_department_after_it():
    text = "II. NHIỆM VỤ\n1. Giao Sở Ngoại vụ chủ trì, phối hợp với Văn phòng UBND, Sở Tài chính tổ chức đón đoàn.\n"
    assert extract(text)["task_candidates"][0]["supporting"] == ["Văn phòng UBND", "Sở Tài chính"]
