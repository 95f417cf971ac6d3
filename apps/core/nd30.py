"""Word documents in the layout of Nghị định 30/2020/NĐ-CP (Phụ lục I: thể thức, kỹ thuật trình bày
văn bản hành chính), built with python-docx.

What the decree fixes and this module follows: A4 paper; margins top and bottom 20 mm, left 30 mm,
right 15 mm; Times New Roman; the issuer block on the left (the managing body in capitals, the
issuing body in bold capitals with a short rule under it, then "Số: …/BC-…") and the national
motto on the right ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" bold capitals 12-13 pt, "Độc lập - Tự do -
Hạnh phúc" bold 13-14 pt with a rule under it), the place-and-date line in italics, the document
type in bold capitals, its subject (trích yếu) in bold under it, the body justified with a first
line indent, "Nơi nhận:" bold italic 12 pt with its list in 11 pt, the signature block on the right.

Reports (periodic, annual) build on ``Nd30Document``; they only add headings, paragraphs and tables.
"""

import io
from dataclasses import dataclass, field
from datetime import date

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

FONT = "Times New Roman"
BODY_PT = 14


def vietnamese_date_line(place: str, day: date) -> str:
    """ "Đồng Tháp, ngày 05 tháng 01 năm 2022": days below 10 and the months 1 and 2 take a
    leading zero (Nghị định 30, Phụ lục I), other months do not ("ngày 20 tháng 5 năm 2022")."""
    month = "{:02d}".format(day.month) if day.month < 3 else str(day.month)
    return "{}, ngày {:02d} tháng {} năm {}".format(place, day.day, month, day.year)


def _set_font(run, size=BODY_PT, bold=None, italic=None):
    run.font.name = FONT
    run.font.size = Pt(size)
    # East Asian fallback would otherwise pick another face for Vietnamese letters in some viewers.
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic


def _bottom_rule(paragraph):
    """A thin rule under the paragraph (the short lines under the issuer and the motto)."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "6")
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    ppr.append(borders)


def _no_borders(table):
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement("w:" + edge)
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def _fix_widths(table, widths_cm):
    """Column widths that Word and LibreOffice both honour: a fixed layout, the grid columns and
    every cell carry the width (python-docx's cell.width alone is ignored by LibreOffice)."""
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    width = tbl_pr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tbl_pr.append(width)
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(int(sum(widths_cm) * 567)))
    for grid_col, cm in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_cm, strict=True):
        grid_col.set(qn("w:w"), str(int(cm * 567)))
    for row in table.rows:
        for cell, cm in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(cm)


def _spacing(paragraph, before=0, after=0, line=1.0):
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing = line


@dataclass
class Signature:
    authority: str = ""  # "TM. BAN THƯỜNG VỤ", "KT. CHỦ TỊCH" …
    title: str = ""  # "CHỦ TỊCH"
    name: str = ""


@dataclass
class Nd30Document:
    managing_body: str  # "UBND TỈNH ĐỒNG THÁP" (may be empty)
    issuer: str  # "LIÊN HIỆP CÁC TỔ CHỨC HỮU NGHỊ TỈNH ĐỒNG THÁP"
    number: str  # "Số:      /BC-LHHN" — a draft leaves the number blank
    place: str  # "Đồng Tháp"
    day: date
    type_name: str  # "BÁO CÁO"
    subject: str  # trích yếu
    recipients: list[str] = field(default_factory=list)
    signature: Signature = field(default_factory=Signature)

    def __post_init__(self):
        self.doc = new_docx()
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
        style = self.doc.styles["Normal"]
        style.font.name = FONT
        style.font.size = Pt(BODY_PT)
        style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
        self._page_numbers(section)
        self._header_block()

    # -- fixed parts -------------------------------------------------------------------------

    def _page_numbers(self, section):
        """Page numbers centred in the top margin, from page 2 on (the decree's rule)."""
        section.different_first_page_header_footer = True
        paragraph = section.header.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run()
        _set_font(run, 13)
        for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
            if kind:
                element = OxmlElement("w:fldChar")
                element.set(qn("w:fldCharType"), kind)
            else:
                element = OxmlElement("w:instrText")
                element.set(qn("xml:space"), "preserve")
                element.text = text
            run._r.append(element)

    def _cell_line(self, cell, text, size, bold=False, italic=False, first=False):
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _spacing(paragraph)
        _set_font(paragraph.add_run(text), size, bold=bold, italic=italic)
        return paragraph

    def _header_block(self):
        table = self.doc.add_table(rows=1, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        _no_borders(table)
        _fix_widths(table, [6.3, 10.2])
        left, right = table.rows[0].cells
        first = True
        if self.managing_body:
            self._cell_line(left, self.managing_body.upper(), 13, first=True)
            first = False
        issuer = self._cell_line(left, self.issuer.upper(), 13, bold=True, first=first)
        _bottom_rule(issuer)
        issuer.paragraph_format.left_indent = issuer.paragraph_format.right_indent = Cm(0.3)
        number = self._cell_line(left, self.number, 13)
        number.paragraph_format.space_before = Pt(6)
        self._cell_line(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, bold=True, first=True)
        motto = self._cell_line(right, "Độc lập - Tự do - Hạnh phúc", 14, bold=True)
        _bottom_rule(motto)
        motto.paragraph_format.left_indent = motto.paragraph_format.right_indent = Cm(1.5)
        dated = self._cell_line(right, vietnamese_date_line(self.place, self.day), 14, italic=True)
        dated.paragraph_format.space_before = Pt(6)

        kind = self.doc.add_paragraph()
        kind.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _spacing(kind, before=18)
        _set_font(kind.add_run(self.type_name.upper()), BODY_PT, bold=True)
        subject = self.doc.add_paragraph()
        subject.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _spacing(subject)
        _set_font(subject.add_run(self.subject), BODY_PT, bold=True)
        rule = self.doc.add_paragraph()
        rule.paragraph_format.left_indent = rule.paragraph_format.right_indent = Cm(6.5)
        _spacing(rule, after=12)
        _bottom_rule(rule)

    # -- content -----------------------------------------------------------------------------

    def heading(self, text: str, level: int = 1):
        """Section headings: "I. …" bold capitals, "1. …" bold, "a) …" bold italic."""
        paragraph = self.doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.first_line_indent = Cm(1)
        paragraph.paragraph_format.keep_with_next = True
        _spacing(paragraph, before=6, after=6, line=1.15)
        run = paragraph.add_run(text.upper() if level == 1 else text)
        _set_font(run, BODY_PT, bold=True, italic=level >= 3)
        return paragraph

    def paragraph(self, text: str, *, italic: bool = False, bold_prefix: str = ""):
        """Body text: justified, first line indented 1 cm, 6 pt between paragraphs. Line breaks in
        ``text`` start new paragraphs, as an officer's typed text expects."""
        last = None
        for line in (text or "").splitlines() or [""]:
            if not line.strip() and last is not None:
                continue
            paragraph = self.doc.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            paragraph.paragraph_format.first_line_indent = Cm(1)
            _spacing(paragraph, before=0, after=6, line=1.15)
            if bold_prefix and last is None:
                _set_font(paragraph.add_run(bold_prefix), BODY_PT, bold=True)
            _set_font(paragraph.add_run(line.strip()), BODY_PT, italic=italic)
            last = paragraph
        return last

    def caption(self, text: str):
        """The title above a table or figure: bold italic, centred."""
        paragraph = self.doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_with_next = True
        _spacing(paragraph, before=6, after=3)
        _set_font(paragraph.add_run(text), 13, bold=True, italic=True)
        return paragraph

    def image(self, png: bytes, *, width_cm: float = 15, caption: str = ""):
        """A picture (a chart) centred on its own line, with its caption under it."""
        paragraph = self.doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_with_next = bool(caption)
        _spacing(paragraph, before=6)
        paragraph.add_run().add_picture(io.BytesIO(png), width=Cm(width_cm))
        if caption:
            below = self.doc.add_paragraph()
            below.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _spacing(below, after=6)
            _set_font(below.add_run(caption), 12, italic=True)
        return paragraph

    def table(self, headers: list[str], rows: list[list], widths_cm: list[float] | None = None, size: int = 12):
        """A bordered table with a bold, repeated header row; numbers right-aligned."""
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _set_font(paragraph.add_run(str(text)), size, bold=True)
        header_pr = table.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        header_pr.append(repeat)
        for row in rows:
            cells = table.add_row().cells
            for column, (cell, value) in enumerate(zip(cells, row, strict=True)):
                paragraph = cell.paragraphs[0]
                text = value if isinstance(value, str) else ""
                numeric = (
                    isinstance(value, int | float) or text.rstrip("%").replace(".", "").replace(",", "").isdecimal()
                )
                if column == 0:  # the running number (TT)
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                else:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if numeric else WD_ALIGN_PARAGRAPH.LEFT
                _set_font(paragraph.add_run("" if value is None else str(value)), size)
        if widths_cm:
            _fix_widths(table, widths_cm)
        spacer = self.doc.add_paragraph()
        _spacing(spacer, after=6)
        return table

    def _closing(self):
        table = self.doc.add_table(rows=1, cols=2)
        _no_borders(table)
        _fix_widths(table, [8, 8.5])
        left, right = table.rows[0].cells
        label = left.paragraphs[0]
        _spacing(label)
        _set_font(label.add_run("Nơi nhận:"), 12, bold=True, italic=True)
        for recipient in self.recipients or ["- Lưu: VT."]:
            paragraph = left.add_paragraph()
            _spacing(paragraph)
            _set_font(paragraph.add_run(recipient if recipient.startswith("-") else "- " + recipient), 11)
        first = True
        for text in (self.signature.authority, self.signature.title):
            if text:
                self._cell_line(right, text.upper(), 14, bold=True, first=first)
                first = False
        for _blank in range(4):
            self._cell_line(right, "", 14, first=first)
            first = False
        if self.signature.name:
            self._cell_line(right, self.signature.name, 14, bold=True)

    def to_bytes(self) -> bytes:
        self._closing()
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()
