import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.filtersets import BaseFilterSet, folded_search
from apps.documents.models import Document, notation_token
from apps.documents.notation import parse_field, search_keys


def document_search(queryset, value: str):
    """Forgiving: a query that names a notation in any common spelling ('12/CT-TW', 'CT 12',
    'chi thi 12') finds it by notation key; anything else is a diacritic-free text search."""
    keys = search_keys(value)
    if keys:
        q = Q()
        for key in keys:
            q |= Q(search_text__contains=notation_token(key))
        queryset = queryset.filter(q)
        notation = parse_field(value)
        if notation is not None and notation.year:
            # 12/2022/QĐ-UBND is not 12/2021/QĐ-UBND: a query naming the year keeps to it (a row
            # without a year in its notation may still be the one meant).
            queryset = queryset.filter(Q(year=int(notation.year)) | Q(year__isnull=True))
        return queryset
    return folded_search(queryset, value)


class DocumentFilterSet(BaseFilterSet):
    system = django_filters.ChoiceFilter(choices=Document.System.choices, label=_("System"), empty_label=_("All"))
    type_code = django_filters.CharFilter(label=_("Type code"), lookup_expr="iexact")
    issued_after = django_filters.DateFilter(field_name="issued_on", lookup_expr="gte", label=_("Issued from"))
    issued_before = django_filters.DateFilter(field_name="issued_on", lookup_expr="lte", label=_("Issued to"))
    placeholder = django_filters.ChoiceFilter(
        field_name="is_placeholder",
        label=_("Record"),
        empty_label=_("All"),
        choices=((False, _("Entered in full")), (True, _("Placeholder (cited only)"))),
    )

    class Meta:
        model = Document
        fields = ["q", "system", "type_code", "issued_after", "issued_before", "placeholder"]

    def search(self, queryset, name, value):
        return document_search(queryset, value)
