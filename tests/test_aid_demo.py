"""The demo province carries the seed's aid: its 2021 statistics say the seed's sentence."""

from datetime import date

import pytest
from django.core.management import call_command
from django.utils import translation

from apps.accounts.models import Unit, User
from apps.aid import statistics
from apps.aid.models import AidItem


@pytest.mark.django_db
def test_the_demo_statistics_tell_the_seed_sentence_and_loading_twice_adds_nothing(settings):
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    count = AidItem.objects.count()
    call_command("load_demo", verbosity=0)
    assert AidItem.objects.count() == count >= 89
    province = Unit.objects.get(code="DT")
    filters = statistics.Filters(date_from=date(2021, 1, 1), date_to=date(2021, 12, 31), unit=province)
    with translation.override("vi"):
        stats = statistics.compute(User.objects.get(username="lanhdao"), filters)
    assert stats.total.count == 85
    assert stats.rows[0].count == 70 and stats.rows[1].count == 15
    assert "gần 26 triệu USD" in stats.sentence and "594,5 tỷ đồng" in stats.sentence
    assert "gần 12 triệu USD" in stats.sentence and "275,7 tỷ đồng" in stats.sentence
