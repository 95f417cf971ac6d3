from hypothesis import given
from hypothesis import strategies as st

from apps.core.text import fold, fold_join


def test_it_folds_vietnamese_case_and_diacritics_the_same_way():
    assert fold("Hà Nội") == fold("ha noi") == fold("HÀ NỘI") == fold("Ha Noi") == "ha noi"


def test_it_folds_d_with_stroke_which_unicode_does_not_decompose():
    assert fold("Đồng Tháp") == "dong thap"
    assert fold("đoàn ra") == "doan ra"


def test_it_treats_composed_and_decomposed_input_alike():
    composed = "Liên hiệp hữu nghị"
    decomposed = "Lie\u0302n hie\u0323\u0302p hu\u031b\u0303u nghi\u0323"
    assert fold(composed) == fold(decomposed) == "lien hiep huu nghi"


def test_it_collapses_whitespace_and_joins_fields():
    assert fold("  Sở   Ngoại\tvụ ") == "so ngoai vu"
    assert fold_join("Sở Ngoại vụ", "", None, "SNGV") == "so ngoai vu | sngv"


@given(st.text())
def test_folding_is_idempotent_and_has_no_combining_marks(text):
    import unicodedata

    once = fold(text)
    assert fold(once) == once
    assert not any(unicodedata.combining(ch) for ch in unicodedata.normalize("NFD", once))
    assert "đ" not in once
