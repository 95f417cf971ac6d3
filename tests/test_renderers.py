"""The form renderer writes <select> lists itself: the same markup as Django's templates."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from apps.core.renderers import FormRenderer
from apps.partners.models import Country


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=[("", "---------"), ("a&b", 'A & "B" <i>'), ("2", "Hai")], required=False)
    grouped = forms.ChoiceField(
        choices=[("Đông Nam Á", [("VN", "Việt Nam"), ("LA", "Lào")]), ("Khác", [("FR", "Pháp")]), ("x", "Không nhóm")]
    )
    many = forms.MultipleChoiceField(choices=[(1, "Một"), (2, "Hai"), (3, "Ba")], required=False)
    maybe = forms.NullBooleanField(required=False)
    country = forms.ModelChoiceField(queryset=Country.objects.filter(code__in=["VN", "LA", "KH"]).order_by("code"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plain"].widget.attrs.update({"class": "form-select", "data-x": "<q>", "disabled": True})
        self.fields["many"].widget.attrs["hidden"] = False


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [None, {"plain": "a&b", "grouped": "LA", "many": ["1", "3"], "maybe": "true", "country": "VN"}],
)
def test_select_lists_are_written_as_django_writes_them(data):
    vn = Country.objects.get(code="VN")
    if data:
        data = {**data, "country": str(vn.pk)}
    ours, django = Everything(data, renderer=FormRenderer()), Everything(data, renderer=DjangoTemplates())
    for name in ours.fields:
        assert str(ours[name]).strip() == str(django[name]).strip(), name
    html = str(ours["plain"])
    assert 'value="a&amp;b"' in html and "A &amp; &quot;B&quot; &lt;i&gt;" in html and 'data-x="&lt;q&gt;"' in html
    if data:
        assert '<option value="a&amp;b" selected>' in html
        assert str(ours["many"]).count(" selected>") == 2


def test_the_project_uses_it(settings):
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), FormRenderer)


def test_the_options_tag_escapes_and_marks_the_chosen_one():
    from django.template import Context, Template

    class Unit:
        def __init__(self, pk, name):
            self.pk, self.name = pk, name

        def __str__(self):
            return self.name

    html = Template("{% load html_options %}{% options rows chosen blank='— tất cả —' %}").render(
        Context({"rows": [("1", "Sở Ngoại vụ"), (2, 'Hội <b>"A&B"</b>')], "chosen": 2})
    )
    assert html == (
        '<option value="">— tất cả —</option><option value="1">Sở Ngoại vụ</option>'
        '<option value="2" selected>Hội &lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;</option>'
    )
    html = Template("{% load html_options %}{% options rows 7 %}").render(Context({"rows": [Unit(7, "Tỉnh")]}))
    assert html == '<option value="7" selected>Tỉnh</option>'
