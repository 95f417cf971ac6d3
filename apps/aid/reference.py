"""Reference lists the aid forms and the IATI mapping read: OECD-DAC purpose codes most used by
foreign NGOs in Vietnam (any valid five-digit code is accepted; these get a name), and the
provinces and wards of Vietnam after the 2025 reform from the ``vietnam-provinces`` library."""

from functools import lru_cache

from apps.core.text import fold

#: OECD-DAC CRS purpose codes (vocabulary 1), Vietnamese names
DAC_SECTORS = {
    "11110": "Chính sách giáo dục và quản lý hành chính",
    "11220": "Giáo dục tiểu học",
    "11320": "Giáo dục trung học cơ sở",
    "11330": "Dạy nghề",
    "12110": "Chính sách y tế và quản lý hành chính",
    "12220": "Chăm sóc sức khỏe cơ bản",
    "12240": "Dinh dưỡng cơ bản",
    "12261": "Giáo dục sức khỏe",
    "13020": "Chăm sóc sức khỏe sinh sản",
    "14030": "Nước sạch và vệ sinh cơ bản",
    "15150": "Tham gia dân chủ và xã hội dân sự",
    "15170": "Tổ chức và phong trào vì quyền bình đẳng của phụ nữ",
    "16010": "Bảo trợ xã hội",
    "16020": "Việc làm",
    "31120": "Phát triển nông nghiệp",
    "31161": "Sản xuất lương thực",
    "41010": "Chính sách môi trường",
    "43040": "Phát triển nông thôn",
    "43060": "Giảm nhẹ rủi ro thiên tai",
    "72010": "Cứu trợ vật chất và dịch vụ khẩn cấp",
    "72040": "Viện trợ lương thực khẩn cấp",
    "73010": "Tái thiết và phục hồi sau thiên tai",
    "74020": "Phòng ngừa và ứng phó thiên tai",
}


def sector_name(vocabulary: str, code: str) -> str:
    return DAC_SECTORS.get(code, "") if vocabulary == "1" else ""


@lru_cache(maxsize=1)
def provinces() -> dict[int, str]:
    from vietnam_provinces import Province

    return {int(p.code.value): p.name for p in Province.iter_all()}


@lru_cache(maxsize=64)
def wards(province_code: int) -> dict[int, str]:
    from vietnam_provinces import Province, Ward

    for p in Province.iter_all():
        if int(p.code.value) == province_code:
            return {int(w.code.value): w.name for w in Ward.iter_by_province(p.code)}
    return {}


_PREFIXES = ("thanh pho ", "tinh ", "tp. ", "tp ")


def _bare(text: str) -> str:
    text = fold(text).replace("-", " ")
    for prefix in _PREFIXES:
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


@lru_cache(maxsize=1)
def _province_keys() -> dict[str, int]:
    keys = {}
    for code, name in provinces().items():
        keys[_bare(name)] = code
        keys[_bare(name).replace(" ", "")] = code
    keys.setdefault("ho chi minh city", keys.get("ho chi minh"))
    keys.setdefault("hcmc", keys.get("ho chi minh"))
    keys.setdefault("hanoi", keys.get("ha noi"))
    return {k: v for k, v in keys.items() if v}


def find_province(text: str | None) -> int | None:
    """The province a place name names ('Tỉnh Đồng Tháp', 'Dong Thap Province', 'Hanoi'), or None."""
    if not text:
        return None
    bare = _bare(text)
    for suffix in (" province", " city"):
        if bare.endswith(suffix):
            bare = bare[: -len(suffix)]
    keys = _province_keys()
    return keys.get(bare) or keys.get(bare.replace(" ", ""))
