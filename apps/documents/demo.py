"""The seeds' real cascade, for the demo province (see ../shared/seeds)."""

from datetime import date

from apps.documents import services
from apps.documents.models import Document, DocumentLink

DOCUMENTS = [
    # notation, owning unit code, issued on, issuer, title
    (
        "38-CT/TW",
        "DT",
        date(2019, 9, 19),
        "Ban Bí thư",
        "Về tiếp tục đổi mới, phát huy vai trò và nâng cao chất lượng, hiệu quả hoạt động của Liên hiệp các tổ chức hữu nghị Việt Nam trong tình hình mới",
    ),
    (
        "12-CT/TW",
        "DT",
        date(2022, 1, 5),
        "Ban Bí thư",
        "Về tăng cường sự lãnh đạo của Đảng, nâng cao hiệu quả đối ngoại nhân dân trong tình hình mới",
    ),
    (
        "108-KH/TU",
        "TU-DT",
        date(2022, 5, 20),
        "Ban Thường vụ Tỉnh ủy",
        "Về quán triệt và triển khai thực hiện Chỉ thị số 12-CT/TW ngày 05/01/2022 của Ban Bí thư",
    ),
    (
        "1830/LHHN-VP",
        "LHHN-DT",
        None,
        "Liên hiệp các tổ chức hữu nghị Việt Nam",
        "Chương trình hành động thực hiện Chỉ thị số 12-CT/TW của Ban Bí thư",
    ),
    (
        "2722/KH-UBND",
        "UBND-DT",
        None,
        "Ủy ban nhân dân tỉnh",
        "Triển khai thực hiện Chỉ thị 38-CT/TW của Ban Bí thư về tiếp tục đổi mới, phát huy vai trò và nâng cao chất lượng, hiệu quả hoạt động của Liên hiệp các tổ chức hữu nghị Việt Nam trong tình hình mới",
    ),
]
TYPES = {"1830/LHHN-VP": "Chương trình hành động"}
LINKS = [
    ("108-KH/TU", "12-CT/TW", "implements"),
    ("1830/LHHN-VP", "12-CT/TW", "implements"),
    ("108-KH/TU", "38-CT/TW", "cites"),
    ("2722/KH-UBND", "38-CT/TW", "implements"),
]


def load_demo_documents(units, by=None) -> dict[str, Document]:
    documents = {}
    for notation, unit_code, issued_on, issuer, title in DOCUMENTS:
        existing = Document.objects.filter(notation=notation).first()
        documents[notation] = existing or services.document_create(
            by=by,
            unit=units[unit_code],
            notation=notation,
            issued_on=issued_on,
            issuer=issuer,
            title=title,
            type_name=TYPES.get(notation, ""),
        )
    for source, target, kind in LINKS:
        if not DocumentLink.objects.filter(source=documents[source], target=documents[target], kind=kind).exists():
            services.document_link(source=documents[source], target=documents[target], kind=kind, by=by)
    return documents
