"""Reading Word and PDF files as an officer's office writes them: tracked changes, text boxes,
footnotes, the eth that old encodings left for Đ, and a task table's deadlines."""

from datetime import date
from pathlib import Path

import docx
import pytest
from lxml import etree

from apps.documents import extraction
from apps.documents.extraction import ReadError, _deadline, extract, read_path

FIXTURES = Path(__file__).parent / "fixtures"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def word_file(path, *paragraphs, inject=()):
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    for index, xml in inject:
        document.paragraphs[index]._p.append(etree.fromstring(xml))
    document.save(str(path))
    return path


def test_a_tracked_insertion_is_read_and_a_tracked_deletion_is_not(tmp_path):
    inserted = (
        '<w:ins xmlns:w="{}" w:id="1" w:author="VT" w:date="2024-05-01T00:00:00Z"><w:r><w:t>1234/QĐ-UBND</w:t></w:r>'
        "</w:ins>".format(W)
    )
    deleted = (
        '<w:del xmlns:w="{}" w:id="2" w:author="VT" w:date="2024-05-01T00:00:00Z"><w:r><w:delText> 999/QĐ-UBND'
        "</w:delText></w:r></w:del>".format(W)
    )
    path = word_file(tmp_path / "tracked.docx", "Căn cứ Quyết định số ", inject=[(0, inserted), (0, deleted)])
    text = read_path(path)
    assert "Quyết định số 1234/QĐ-UBND" in text and "999" not in text


def test_the_text_of_a_text_box_is_read_once_on_a_line_of_its_own(tmp_path):
    box = (
        '<w:r xmlns:w="{}" xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textbox><w:txbxContent>'
        "<w:p><w:r><w:t>Số: 45/KH-UBND</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
    ).format(W)
    path = word_file(tmp_path / "box.docx", "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP", inject=[(0, box)])
    assert read_path(path).splitlines()[:2] == ["ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP", "Số: 45/KH-UBND"]


def test_a_document_cited_only_in_a_footnote_is_found():
    text = read_path(FIXTURES / "plan_with_footnote.docx")
    assert "22-NQ/TW" in text
    assert "22-NQ/TW" in [r["notation"] for r in extract(text)["references"]]


def test_an_eth_standing_in_for_d_with_stroke_is_read_as_it(tmp_path):
    path = word_file(
        tmp_path / "eth.docx", "Số: 77/Q\u00d0-UBND", "Căn cứ Quyết định số 1234/Q\u00d0-UBND ngày 3/6/2024."
    )
    found = extract(read_path(path))
    assert found["document"]["notation"] == "77/QĐ-UBND"
    assert [r["notation"] for r in found["references"]] == ["1234/QĐ-UBND"]


@pytest.mark.parametrize(
    "written, deadline",
    [
        ("30/6/2024", date(2024, 6, 30)),
        ("Tháng 6/2024", date(2024, 6, 30)),
        ("tháng 2 năm 2024", date(2024, 2, 29)),
        ("Quý III/2024", date(2024, 9, 30)),
        ("6 tháng đầu năm 2025", date(2025, 6, 30)),
        ("Năm 2024", date(2024, 12, 31)),
        ("Trước 31/02/2024", None),
        ("Thường xuyên", None),
        ("Hằng năm", None),
    ],
)
def test_a_plan_s_time_column_gives_the_last_day_it_allows(written, deadline):
    assert _deadline(written) == deadline


def test_a_task_table_row_gives_its_content_units_and_deadline():
    text = "\n".join(
        [
            "Số: 123/KH-UBND",
            "STT\tNội dung\tĐơn vị chủ trì\tĐơn vị phối hợp\tThời gian hoàn thành",
            "1\tTổ chức đoàn giao lưu hữu nghị với tỉnh Prey Veng\tLiên hiệp các tổ chức hữu nghị tỉnh\t"
            "Sở Ngoại vụ\tQuý III/2024",
        ]
    )
    task = extract(text)["task_candidates"][0]
    assert task["text"] == "Tổ chức đoàn giao lưu hữu nghị với tỉnh Prey Veng"
    assert task["due"] == "2024-09-30" and task["supporting"] == ["Sở Ngoại vụ"]


def test_a_scanned_pdf_is_refused_in_vietnamese(tmp_path, monkeypatch):
    class Page:
        def extract_text(self):
            return ""

    class Reader:
        pages = [Page()]

        def __init__(self, path):
            pass

    import pypdf

    monkeypatch.setattr(pypdf, "PdfReader", Reader)
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"%PDF-1.4")
    from django.utils import translation

    with translation.override("vi"), pytest.raises(ReadError, match="không có lớp chữ"):
        extraction.read_path(path)


def test_a_task_table_in_a_pdf_gives_the_same_tasks_as_the_word_file():
    """The PDF's text layer gives a table's cells line by line, cut at the column widths; the table
    itself is read (pdfplumber) and its rows placed where it begins."""
    from_pdf = extract(read_path(FIXTURES / "plan_with_task_table.pdf"))["task_candidates"]
    from_word = extract(read_path(FIXTURES / "plan_with_footnote.docx"))["task_candidates"]
    assert len(from_pdf) == 3
    assert [(t["text"], t["lead"], t.get("due")) for t in from_pdf] == [
        (t["text"], t["lead"], t.get("due")) for t in from_word
    ]
    assert from_pdf[0]["due"] == "2024-09-30" and from_pdf[2]["supporting"][-1] == "Ủy ban nhân dân huyện Tân Hồng"
