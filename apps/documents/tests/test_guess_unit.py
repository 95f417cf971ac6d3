"""Which unit a plan's text names as lead: exact names, short names, and names cut before the province."""

from types import SimpleNamespace

from apps.documents.services import guess_unit


def unit(name, short=""):
    return SimpleNamespace(name=name, short_name=short)


UNITS = [
    unit("Sở Ngoại vụ tỉnh Đồng Tháp", "Sở Ngoại vụ"),
    unit("Liên hiệp các tổ chức hữu nghị tỉnh Đồng Tháp", "LHHN-DT"),
    unit("Hội hữu nghị Việt Nam – Lào tỉnh Đồng Tháp"),
    unit("Hội hữu nghị Việt Nam – Campuchia tỉnh Đồng Tháp"),
]


def test_a_short_name_within_the_text_is_that_unit():
    assert guess_unit(["Sở Ngoại vụ"], UNITS) is UNITS[0]
    assert guess_unit(["so ngoai vu tinh dong thap"], UNITS) is UNITS[0]


def test_a_name_cut_before_the_province_is_the_one_unit_it_begins():
    assert guess_unit(["Liên hiệp các tổ chức hữu nghị tỉnh"], UNITS) is UNITS[1]


def test_a_beginning_two_units_share_guesses_nothing():
    assert guess_unit(["Hội hữu nghị Việt Nam"], UNITS) is None
    assert guess_unit(["Hội hữu"], UNITS) is None  # too short to mean one unit
    assert guess_unit([], UNITS) is None
