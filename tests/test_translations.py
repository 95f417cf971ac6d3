import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _checker():
    spec = importlib.util.spec_from_file_location("check_translations", ROOT / "scripts" / "check_translations.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_string_a_user_reads_has_a_vietnamese_translation():
    problems = _checker().problems(ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po")
    untranslated, fuzzy = problems
    assert untranslated == []
    assert fuzzy == []
