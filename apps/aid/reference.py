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


#: The provinces merged or renamed by the 2025 reform (Nghị quyết 202/2025/QH15, in force from
#: 1 July 2025; Huế a centrally-run city since January 2025) → the province they are part of now.
#: Donors' data, old plans and IATI files name the former provinces for years to come.
FORMER_PROVINCES = {
    "Hà Giang": "Tuyên Quang",
    "Bắc Kạn": "Thái Nguyên",
    "Yên Bái": "Lào Cai",
    "Hòa Bình": "Phú Thọ",
    "Vĩnh Phúc": "Phú Thọ",
    "Bắc Giang": "Bắc Ninh",
    "Hải Dương": "Thành phố Hải Phòng",
    "Thái Bình": "Hưng Yên",
    "Hà Nam": "Ninh Bình",
    "Nam Định": "Ninh Bình",
    "Quảng Bình": "Quảng Trị",
    "Thừa Thiên Huế": "Thành phố Huế",
    "Quảng Nam": "Thành phố Đà Nẵng",
    "Kon Tum": "Quảng Ngãi",
    "Bình Định": "Gia Lai",
    "Ninh Thuận": "Khánh Hòa",
    "Phú Yên": "Đắk Lắk",
    "Đắk Nông": "Lâm Đồng",
    "Bình Thuận": "Lâm Đồng",
    "Bình Phước": "Đồng Nai",
    "Bình Dương": "Thành phố Hồ Chí Minh",
    "Bà Rịa - Vũng Tàu": "Thành phố Hồ Chí Minh",
    "Long An": "Tây Ninh",
    "Tiền Giang": "Đồng Tháp",
    "Bến Tre": "Vĩnh Long",
    "Trà Vinh": "Vĩnh Long",
    "Kiên Giang": "An Giang",
    "Sóc Trăng": "Thành phố Cần Thơ",
    "Hậu Giang": "Thành phố Cần Thơ",
    "Bạc Liêu": "Cà Mau",
}
#: other ways the names are written (folded)
OTHER_NAMES = {
    "ho chi minh city": "Thành phố Hồ Chí Minh",
    "hcmc": "Thành phố Hồ Chí Minh",
    "hcm": "Thành phố Hồ Chí Minh",
    "sai gon": "Thành phố Hồ Chí Minh",
    "hanoi": "Thành phố Hà Nội",
    "dac lac": "Đắk Lắk",
    "ba ria vung tau": "Thành phố Hồ Chí Minh",
}

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
    by_name = {}
    for code, name in provinces().items():
        by_name[name] = code
        keys[_bare(name)] = code
        keys[_bare(name).replace(" ", "")] = code
    for names in (FORMER_PROVINCES, OTHER_NAMES):
        for name, now in names.items():
            bare = " ".join(_bare(name).split())
            keys.setdefault(bare, by_name[now])
            keys.setdefault(bare.replace(" ", ""), by_name[now])
    return keys


def find_province(text: str | None) -> int | None:
    """The province a place name names ('Tỉnh Đồng Tháp', 'Dong Thap Province', 'Hanoi'), or None."""
    if not text:
        return None
    bare = " ".join(_bare(text).replace(",", " ").split())
    # "Ha Giang province, Vietnam", "Tỉnh Đồng Tháp, Việt Nam": the country says nothing more
    for suffix in (" viet nam", " vietnam", " vn"):
        if bare.endswith(suffix):
            bare = bare[: -len(suffix)].rstrip()
    for suffix in (" province", " city"):
        if bare.endswith(suffix):
            bare = bare[: -len(suffix)]
    keys = _province_keys()
    return keys.get(bare) or keys.get(bare.replace(" ", ""))
