"""Extraction from text, second adversarial review: task items whatever their verb, where a unit's name
ends, decisions' articles, currencies named after countries, money ranges, draft labels and other
numbering (CONTRACTS.md, "Extraction from text"; docs/document-types.md)."""

import pytest

from apps.documents.extraction import extract


def refs(result) -> dict:
    return {r["notation"]: r for r in result["references"]}


def tasks(result) -> dict:
    return {t["text"]: t for t in result["task_candidates"]}


def leads(text: str) -> dict:
    return {t["text"]: t["lead"] for t in extract(text)["task_candidates"]}


# --- 1. An item that opens with a unit's name is a task, whatever the verb ----------------------------


@pytest.mark.parametrize(
    ("line", "lead"),
    [
        ("Sở Ngoại vụ mời đại diện các cơ quan dự họp.", "Sở Ngoại vụ"),
        ("Cục Hải quan tỉnh tạo điều kiện thông quan hàng viện trợ.", "Cục Hải quan tỉnh"),
        ("Sở Ngoại vụ in tài liệu giới thiệu.", "Sở Ngoại vụ"),
        ("Ban Dân tộc tỉnh phát hành tài liệu song ngữ.", "Ban Dân tộc tỉnh"),
        ("Sở Văn hóa, Thể thao và Du lịch in ấn tài liệu quảng bá.", "Sở Văn hóa, Thể thao và Du lịch"),
        ("Sở Tài nguyên và Môi trường cấp giấy phép.", "Sở Tài nguyên và Môi trường"),
        ("Đề nghị Sở Tư pháp xem xét, có ý kiến.", "Sở Tư pháp"),
        ("Hội Cựu chiến binh tỉnh vận động hội viên ủng hộ.", "Hội Cựu chiến binh tỉnh"),
    ],
)
def test_an_item_opening_with_a_unit_is_a_task_whatever_its_verb(line, lead):
    found = leads(f"II. NHIỆM VỤ\n1. {line}\n2. Tổ chức hội nghị sơ kết.\n")
    assert found[line] == [lead]


def test_a_unit_heading_over_its_items_is_still_a_heading():
    text = (
        "III. TỔ CHỨC THỰC HIỆN\n1. Sở Ngoại vụ\n- Chủ trì tổ chức hội nghị sơ kết.\n"
        "2. Liên hiệp các tổ chức hữu nghị tỉnh:\n- Vận động viện trợ phi chính phủ nước ngoài.\n"
    )
    found = leads(text)
    assert found == {
        "Chủ trì tổ chức hội nghị sơ kết.": ["Sở Ngoại vụ"],
        "Vận động viện trợ phi chính phủ nước ngoài.": ["Liên hiệp các tổ chức hữu nghị tỉnh"],
    }


# --- 2. The lead's name ends where the name ends, not at a listed verb ------------------------------


@pytest.mark.parametrize(
    ("line", "lead"),
    [
        ("Đề nghị Sở Tài chính xem xét, tham mưu UBND tỉnh bố trí kinh phí.", "Sở Tài chính"),
        ("Giao Sở Tài chính xem xét, tham mưu.", "Sở Tài chính"),
        ("Sở Ngoại vụ liên hệ với Đại sứ quán Nhật Bản.", "Sở Ngoại vụ"),
        ("Sở Ngoại vụ gửi văn bản đề nghị Tổng Lãnh sự quán Lào tại Đà Nẵng hỗ trợ.", "Sở Ngoại vụ"),
        ("Sở Lao động - Thương binh và Xã hội rà soát đối tượng.", "Sở Lao động - Thương binh và Xã hội"),
        ("Sở Nông nghiệp và Phát triển nông thôn khảo sát vùng dự án.", "Sở Nông nghiệp và Phát triển nông thôn"),
        ("Báo Đồng Tháp đưa tin về đoàn.", "Báo Đồng Tháp"),
    ],
)
def test_the_lead_name_ends_where_the_unit_name_grammar_ends(line, lead):
    assert leads(f"1. {line}\n")[line] == [lead]


# --- 3. Supporting units: "phối hợp" without "với", and units before "phối hợp" ----------------------


def test_supporting_units_after_phoi_hop_without_voi_and_before_it():
    text = (
        "1- Ban Tuyên giáo Tỉnh ủy chủ trì, phối hợp Ban Đối ngoại Tỉnh ủy hướng dẫn quán triệt Chương trình.\n"
        "2- Tăng cường quan hệ với tỉnh Prey Veng (Campuchia): Ban Đối ngoại Tỉnh ủy chủ trì; Sở Ngoại vụ, "
        "Liên hiệp các tổ chức hữu nghị tỉnh phối hợp.\n"
        "3- Sở Ngoại vụ chủ trì, phối hợp thực hiện các nội dung trên.\n"
    )
    found = {t["text"][:20]: (t["lead"], t["supporting"]) for t in extract(text)["task_candidates"]}
    assert found["Ban Tuyên giáo Tỉnh "] == (["Ban Tuyên giáo Tỉnh ủy"], ["Ban Đối ngoại Tỉnh ủy"])
    assert found["Tăng cường quan hệ v"] == (
        ["Ban Đối ngoại Tỉnh ủy"],
        ["Sở Ngoại vụ", "Liên hiệp các tổ chức hữu nghị tỉnh"],
    )
    assert found["Sở Ngoại vụ chủ trì,"] == (["Sở Ngoại vụ"], [])


# --- 4. Unit names of other shapes ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "lead"),
    [
        ("Thường trực HĐND tỉnh giám sát việc thực hiện.", ["Thường trực HĐND tỉnh"]),
        ("Giao Thường trực Tỉnh ủy chỉ đạo thực hiện.", ["Thường trực Tỉnh ủy"]),
        ("Các chi bộ trực thuộc thực hiện nghiêm túc.", ["Các chi bộ trực thuộc"]),
        ("Chi bộ Phòng Lãnh sự chủ trì sinh hoạt chuyên đề.", ["Chi bộ Phòng Lãnh sự"]),
        (
            "Đồn Biên phòng cửa khẩu Quốc tế Tịnh Biên phối hợp với Sở Ngoại vụ đón đoàn.",
            ["Đồn Biên phòng cửa khẩu Quốc tế Tịnh Biên"],
        ),
        ("Bảo hiểm xã hội tỉnh chủ trì rà soát.", ["Bảo hiểm xã hội tỉnh"]),
        ("Văn phòng UBND tỉnh đăng tải thông tin trên Cổng thông tin điện tử.", ["Văn phòng UBND tỉnh"]),
        ("Tuyên truyền: Báo Đồng Tháp thực hiện.", ["Báo Đồng Tháp"]),
        (
            "Bộ Chỉ huy Quân sự tỉnh, Bộ Chỉ huy Bộ đội Biên phòng tỉnh quản lý hoạt động đối ngoại biên phòng.",
            ["Bộ Chỉ huy Quân sự tỉnh", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh"],
        ),
    ],
)
def test_unit_names_of_other_shapes(line, lead):
    assert leads(f"1. {line}\n")[line] == lead


# --- 5. A decision's articles -----------------------------------------------------------------------


def test_decision_articles_give_tasks_and_their_content_is_not_one():
    text = (
        "QUYẾT ĐỊNH:\n"
        "Điều 1. Phê duyệt tiếp nhận khoản viện trợ phi dự án với các nội dung sau:\n"
        "1. Tên khoản viện trợ: Xây dựng 10 căn nhà tình thương cho hộ nghèo huyện Tri Tôn.\n"
        "2. Nhà tài trợ: Tổ chức Good Neighbors International, Hàn Quốc.\n"
        "3. Tổng giá trị viện trợ: 50.000 USD, tương đương 1.250.000.000 đồng.\n"
        "Điều 2. Giao Sở Ngoại vụ chủ trì, phối hợp với Sở Tài chính, Sở Kế hoạch và Đầu tư hướng dẫn chủ "
        "khoản viện trợ thực hiện đúng quy định.\n"
        "Điều 3. Chánh Văn phòng UBND tỉnh, Giám đốc Sở Ngoại vụ và Thủ trưởng các đơn vị có liên quan chịu "
        "trách nhiệm thi hành Quyết định này.\n"
    )
    assert [(t["lead"], t["supporting"]) for t in extract(text)["task_candidates"]] == [
        (["Sở Ngoại vụ"], ["Sở Tài chính", "Sở Kế hoạch và Đầu tư"])
    ]


def test_delegation_members_tariff_lines_and_self_references_are_not_tasks():
    text = (
        "Điều 1. Thành lập Đoàn công tác của tỉnh đi thăm tỉnh Luang Prabang, gồm các đồng chí:\n"
        "1. Đồng chí Nguyễn Thành Công, Phó Chủ tịch UBND tỉnh - Trưởng đoàn;\n"
        "2. Đồng chí Lò Văn Phương, Giám đốc Sở Ngoại vụ - Thành viên.\n"
        "Điều 2. Mức chi\n"
        "1. Chi đón tiếp khách hạng A: mức chi mời cơm tối đa 1.000.000 đồng/suất.\n"
        "2. Chi tặng phẩm: tối đa 500.000 đồng/người.\n"
        "Điều 3. Tổ chức thực hiện\n"
        "1. Giao Ủy ban nhân dân tỉnh tổ chức thực hiện Nghị quyết này.\n"
        "2. Nghị quyết này thay thế Nghị quyết số 05/2019/NQ-HĐND ngày 12/7/2019 của Hội đồng nhân dân tỉnh.\n"
    )
    assert leads(text) == {"Giao Ủy ban nhân dân tỉnh tổ chức thực hiện Nghị quyết này.": ["Ủy ban nhân dân tỉnh"]}


# --- 6. A currency named after a country is not the country -----------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Tổng giá trị 50.000 USD (Năm mươi nghìn đô la Mỹ).",
        "Khoản 1.500 Đô la Mỹ của kiều bào.",
        "Khoản 2.000 đô-la Mỹ.",
        "Quỹ tài trợ 3 triệu yên Nhật và 100 bảng Anh.",
        "Tương đương 20 triệu won Hàn Quốc; 5.000 đô la Úc; 800 đô la Singapore.",
        "Hỗ trợ 10.000 nhân dân tệ.",
    ],
)
def test_a_currency_named_after_a_country_is_not_the_country(text):
    assert extract(text)["countries"] == []


def test_the_country_is_still_found_next_to_a_currency():
    result = extract("Tổ chức của Mỹ tài trợ 1.500 đô la Mỹ; đoàn Nhật Bản tặng 3 triệu yên Nhật.")
    assert {c["code"] for c in result["countries"]} == {"US", "JP"}


# --- 7. A "Căn cứ" block written as bullets -----------------------------------------------------------


def test_grounds_written_as_bullets_are_not_tasks():
    text = (
        "- Căn cứ Điều lệ Đảng;\n"
        "- Căn cứ Quy định số 105-QĐ/TW ngày 19/12/2017 của Bộ Chính trị;\n"
        "- Xét đề nghị của Ban Đối ngoại Tỉnh ủy;\n"
        "- Theo đề nghị của Giám đốc Sở Ngoại vụ;\n"
        "- Thực hiện Kế hoạch số 45/KH-UBND ngày 15/02/2024 của UBND tỉnh,\n"
        "Ban Thường vụ Tỉnh ủy quy định như sau:\n"
        "- Thực hiện tốt công tác thông tin đối ngoại trên địa bàn.\n"
    )
    assert list(tasks(extract(text))) == ["Thực hiện tốt công tác thông tin đối ngoại trên địa bàn."]


# --- 8. Money ranges: both ends ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mức 3-5 triệu đồng/người", [("3 triệu đồng", "3000000", "VND"), ("5 triệu đồng", "5000000", "VND")]),
        ("từ 5 đến 10 triệu đồng", [("5 triệu đồng", "5000000", "VND"), ("10 triệu đồng", "10000000", "VND")]),
        ("3 - 5 triệu đồng", [("3 triệu đồng", "3000000", "VND"), ("5 triệu đồng", "5000000", "VND")]),
        ("10–15 nghìn USD", [("10 nghìn USD", "10000", "USD"), ("15 nghìn USD", "15000", "USD")]),
        ("từ 1 - 2 tỷ đồng", [("1 tỷ đồng", "1000000000", "VND"), ("2 tỷ đồng", "2000000000", "VND")]),
        ("ngày 20/5-10 triệu đồng", []),  # a date, not a range
        ("năm 2023 - 5 triệu đồng", [("5 triệu đồng", "5000000", "VND")]),  # a range goes up
    ],
)
def test_a_money_range_gives_both_ends(text, expected):
    assert [(a["text"], a["value"], a["currency"]) for a in extract(text)["amounts"]] == expected


# --- 9. Draft labels --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "draft"),
    [
        ("DỰ THẢO LẦN 2", True),
        ("Dự thảo ngày 10/4/2024", True),
        ("(Dự thảo lần 3)", True),
        ("Dự thảo 2", True),
        ("Dự thảo Kế hoạch tổ chức hội nghị", False),
    ],
)
def test_draft_labels(label, draft):
    text = f"UBND TỈNH AN GIANG\nSố: 12/KH-UBND\n{label}\nAn Giang, ngày 03 tháng 4 năm 2024\nKẾ HOẠCH\n"
    assert extract(text)["document"]["is_draft"] is draft


# --- 10. "(1)", "a." numbering ----------------------------------------------------------------------


def test_parenthesised_numbers_and_letters_with_a_full_stop_are_items():
    text = (
        "II. NHIỆM VỤ\n"
        "(1) Tổ chức tọa đàm kỷ niệm 60 năm quan hệ ngoại giao.\n"
        "(2) Sở Tư pháp chủ trì rà soát thỏa thuận quốc tế.\n"
        "a. Xây dựng phần mềm quản lý đối tác.\n"
        "b. Sở Tài chính bố trí kinh phí thực hiện.\n"
        "Theo quy định tại điểm a. khoản 2 thì việc này do tỉnh làm.\n"
    )
    assert leads(text) == {
        "Tổ chức tọa đàm kỷ niệm 60 năm quan hệ ngoại giao.": [],
        "Sở Tư pháp chủ trì rà soát thỏa thuận quốc tế.": ["Sở Tư pháp"],
        "Xây dựng phần mềm quản lý đối tác.": [],
        "Sở Tài chính bố trí kinh phí thực hiện.": ["Sở Tài chính"],
    }


# --- 11. Lower priority -----------------------------------------------------------------------------


def test_findings_under_a_results_part_are_not_tasks():
    text = (
        "Phần thứ nhất\nKẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2023\n"
        "I. Công tác chính trị tư tưởng\n"
        "- Với CHDCND Lào: tỉnh Xiêng Khoảng, tỉnh Hủa Phăn.\n"
        "Phần thứ hai\nPHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2024\n"
        "1. Các chi bộ trực thuộc tiếp tục thực hiện Chỉ thị 05-CT/TW.\n"
    )
    assert leads(text) == {"Các chi bộ trực thuộc tiếp tục thực hiện Chỉ thị 05-CT/TW.": ["Các chi bộ trực thuộc"]}


def test_a_tab_separated_task_table_in_a_text_file():
    text = (
        "II. NỘI DUNG NHIỆM VỤ\n"
        "STT\tNội dung\tCơ quan chủ trì\tCơ quan phối hợp\tThời gian\n"
        "1\tRà soát các thỏa thuận quốc tế đã ký\tSở Tư pháp\tSở Ngoại vụ, Công an tỉnh\t6 tháng đầu năm 2024\n"
        "2\tXây dựng phóng sự về hợp tác\tĐài Phát thanh và Truyền hình tỉnh\tSở Ngoại vụ\tTháng 9/2024\n"
        "III. KINH PHÍ\n"
    )
    found = [(t["lead"], t["supporting"]) for t in extract(text)["task_candidates"]]
    assert found == [
        (["Sở Tư pháp"], ["Sở Ngoại vụ", "Công an tỉnh"]),
        (["Đài Phát thanh và Truyền hình tỉnh"], ["Sở Ngoại vụ"]),
    ]


def test_an_agreement_named_thoa_thuan_hop_tac_is_not_a_cong_van():
    result = extract("Thực hiện Thỏa thuận hợp tác số 02/TTHT ngày 20/5/2023; Luật Thỏa thuận quốc tế số 70/2020/QH14.")
    found = refs(result)
    assert found["02/TTHT"]["type"] == "Bản thỏa thuận"
    assert found["70/2020/QH14"]["type"] == "Luật"


def test_a_country_in_brackets_after_an_organisation_and_more_localities():
    result = extract(
        "Tổ chức Plan International (Anh) tài trợ. Quan hệ với tỉnh Bôlykhămxay (Lào), thành phố Gunsan (Hàn Quốc)."
    )
    assert {c["code"] for c in result["countries"]} == {"GB", "LA", "KR"}
    assert {(p["name"], p["country"]) for p in result["localities"]} == {("Bolikhamxay", "LA"), ("Gunsan", "KR")}


def test_a_news_lede_names_the_document_it_is_about():
    text = (
        "Ngày 05/6/2024, Ban Thường vụ Huyện ủy Krông Pắc ban hành Kế hoạch số 215-KH/HU thực hiện Kết luận "
        "số 12-KL/TW.\n"
        "Theo kế hoạch, các chi, đảng bộ cơ sở tổ chức quán triệt đến 100% cán bộ, đảng viên trong tháng 7.\n"
    )
    result = extract(text)
    assert (result["document"]["notation"], result["document"]["issued_on"]) == ("215-KH/HU", "2024-06-05")
    assert list(refs(result)) == ["12-KL/TW"]


def test_a_conclusion_that_records_a_view_is_not_a_task():
    text = (
        "1. Thống nhất đánh giá như báo cáo.\n"
        "2. Ghi nhận kết quả hoạt động của Liên hiệp.\n"
        "3. Giao Ban Đối ngoại Tỉnh ủy theo dõi, đôn đốc, báo cáo Ban Thường vụ Tỉnh ủy.\n"
    )
    assert leads(text) == {
        "Giao Ban Đối ngoại Tỉnh ủy theo dõi, đôn đốc, báo cáo Ban Thường vụ Tỉnh ủy.": ["Ban Đối ngoại Tỉnh ủy"]
    }
