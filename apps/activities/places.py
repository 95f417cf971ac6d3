"""Places of activities: Vietnamese administrative units after the 1 July 2025 reform (34
provinces and their communes and wards, from the ``vietnam-provinces`` library), or a locality
abroad written as text."""

from functools import lru_cache

from django.utils.translation import gettext as _


def _key(name: str) -> str:
    from apps.core.text import fold

    return fold(name.removeprefix("Thành phố ").removeprefix("Tỉnh "))


@lru_cache(maxsize=1)
def provinces() -> list[tuple[int, str]]:
    """(code, name) of the 34 provinces and centrally-run cities, by name."""
    from vietnam_provinces import Province

    def full(p):
        # The library names cities "Thành phố Hà Nội" but provinces only "Đồng Tháp".
        return p.name if p.name.startswith("Thành phố") else "Tỉnh {}".format(p.name)

    return sorted(((int(p.code.value), full(p)) for p in Province.iter_all()), key=lambda row: _key(row[1]))


@lru_cache(maxsize=64)
def wards(province_code: int) -> list[tuple[int, str]]:
    """(code, name) of the communes and wards of one province, by name."""
    from vietnam_provinces import Province, Ward

    try:
        province = Province.from_code(province_code)
    except Exception:
        return []
    return sorted(((int(w.code.value), w.name) for w in Ward.iter_by_province(province.code)), key=lambda r: _key(r[1]))


def province_name(code: int | None) -> str:
    if code is None:
        return ""
    return dict(provinces()).get(int(code), "")


def ward(code: int | None):
    """The library's ward, or None."""
    if code is None:
        return None
    from vietnam_provinces import Ward

    try:
        return Ward.from_code(int(code))
    except Exception:
        return None


def place_label(province_code, ward_code, foreign_locality) -> str:
    """'Phường Cao Lãnh, Tỉnh Đồng Tháp' or the locality abroad."""
    parts = []
    found = ward(ward_code)
    if found is not None:
        parts.append(found.name)
    name = province_name(province_code)
    if name:
        parts.append(name)
    if parts:
        return ", ".join(parts)
    return (foreign_locality or "").strip()


def check_place(province_code, ward_code, foreign_locality) -> dict:
    """Errors by field: an unknown code, a ward outside its province, both a Vietnamese place and
    a locality abroad."""
    errors = {}
    if province_code is not None and not province_name(province_code):
        errors["vn_province_code"] = _("No province of Vietnam (after 1 July 2025) has the code {}.").format(
            province_code
        )
    if ward_code is not None:
        found = ward(ward_code)
        if found is None:
            errors["vn_ward_code"] = _("No commune or ward has the code {}.").format(ward_code)
        elif province_code is None:
            errors["vn_province_code"] = _("Choose the province of the commune or ward.")
        elif int(found.province_code.value) != int(province_code):
            errors["vn_ward_code"] = _("{ward} is not in {province}.").format(
                ward=found.name, province=province_name(province_code) or province_code
            )
    if (province_code is not None or ward_code is not None) and (foreign_locality or "").strip():
        errors["foreign_locality"] = _("Give either a place in Vietnam or a locality abroad, not both.")
    return errors
