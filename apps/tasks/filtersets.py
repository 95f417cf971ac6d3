import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.accounts.filtersets import UnitCodeFilter
from apps.core.filtersets import BaseFilterSet
from apps.tasks.models import ProgressReport, ReportingPeriod, Task, TaskStatus, status_q

#: how many documents an ambiguous spelling names at most (in the message that lists them)
AMBIGUOUS_SHOWN = 5


def documents_by_id_or_notation(value: str, user=None) -> list:
    """The documents the user may see that ``value`` names: one when it is clear, several when
    the spelling fits more than one (at most AMBIGUOUS_SHOWN + 1), none when nothing fits.

    ``value`` is an ID, a notation as stored, or any spelling the document list's search accepts
    ("12/CT-TW", "CT 12", "chi thi 12", "2722-KH/UBND", "KH 2722"): the same notation keys and
    tokens (apps.documents: search_keys, notation_token), or words of its text when it holds no
    notation at all (document_search). Among the documents found, those
    sharing the most specific key win ("12/CT-TW" names 12-CT/TW, not 12-CT/TU), then the one
    whose notation is the query's canonical notation ("12/2021/QD-UBND" is 12/2021/QĐ-UBND, not
    12/QĐ-UBND), then a document entered in full over a placeholder."""
    from apps.documents.models import Document, notation_token
    from apps.documents.notation import parse, search_keys

    value = (value or "").strip()
    if not value or user is None:
        return []
    documents = Document.objects.for_user(user).only("pk", "notation", "type_name", "is_placeholder")
    if value.isdecimal():
        return list(documents.filter(pk=int(value))) if len(value) < 19 else []
    limit = AMBIGUOUS_SHOWN + 1
    found = list(documents.filter(notation__iexact=value)[:limit])
    if not found:
        keys = search_keys(value)
        # Longest keys first: (number, type, issuer) before (number, type).
        for length in sorted({len(k) for k in keys}, reverse=True):
            q = Q(pk__in=[])
            for key in keys:
                if len(key) == length:
                    q |= Q(search_text__contains=notation_token(key))
            found = list(documents.filter(q)[:limit])
            if found:
                break
        if not keys:
            # No notation in it ("Chương trình hành động 1830"): the list's text search, kept only
            # when it names one document (several are listed back to the user, below).
            from apps.documents.filtersets import document_search

            found = list(document_search(documents, value)[:limit])
    wanted = parse(value) if len(found) > 1 else None
    if wanted is not None:
        same = [d for d in found if (parsed := parse(d.notation)) is not None and parsed.key == wanted.key]
        if same:
            found = same
    if len(found) > 1:
        entered = [d for d in found if not d.is_placeholder]
        if len(entered) == 1:
            found = entered
    return found


def document_by_id_or_notation(value: str, user=None):
    """The one document the user may see that ``value`` names (see documents_by_id_or_notation),
    or None when none does or the spelling fits several."""
    found = documents_by_id_or_notation(value, user)
    return found[0] if len(found) == 1 else None


class DocumentRefField(forms.CharField):
    """A document given by ID or notation; an unknown one is a form error, not an empty list."""

    user = None

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        found = documents_by_id_or_notation(value[:100], self.user)
        if not found:
            raise forms.ValidationError(_("No document “%(ref)s” that you may see."), params={"ref": value[:60]})
        if len(found) > 1:
            names = "; ".join(
                "{} (ID {})".format(d.notation or d.type_name or "?", d.pk) for d in found[:AMBIGUOUS_SHOWN]
            )
            if len(found) > AMBIGUOUS_SHOWN:
                names += "; …"
            raise forms.ValidationError(
                _("“%(ref)s” fits several documents: %(candidates)s. Write the full notation or the ID."),
                params={"ref": value[:60], "candidates": names},
            )
        return found[0]


class DocumentRefFilter(django_filters.Filter):
    field_class = DocumentRefField

    @property
    def field(self):
        field = super().field
        request = getattr(self.parent, "request", None)
        field.user = getattr(request, "user", None)
        return field


class TaskFilterSet(BaseFilterSet):
    status = django_filters.ChoiceFilter(
        choices=TaskStatus.choices, method="filter_status", label=_("Status"), empty_label=_("All")
    )
    lead_unit = UnitCodeFilter(method="filter_lead_unit", label=_("Lead unit (code)"))
    document = DocumentRefFilter(method="filter_document", label=_("Document (notation)"))
    priority = django_filters.ChoiceFilter(choices=Task.Priority.choices, label=_("Priority"), empty_label=_("All"))
    recurrence = django_filters.ChoiceFilter(
        choices=Task.Recurrence.choices, label=_("Recurrence"), empty_label=_("All")
    )
    due_after = django_filters.DateFilter(field_name="due_date", lookup_expr="gte", label=_("Due from"))
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte", label=_("Due until"))

    class Meta:
        model = Task
        fields = ["q", "status", "lead_unit", "document", "priority", "recurrence", "due_after", "due_before"]

    def filter_status(self, queryset, name, value):
        return queryset.filter(status_q(value))

    def filter_lead_unit(self, queryset, name, value):
        return queryset.filter(lead_unit=value)

    def filter_document(self, queryset, name, value):
        return queryset.filter(document=value)


class TaskAPIFilterSet(TaskFilterSet):
    """The page's filters plus the subtasks of one task (a filter the page reaches from the task)."""

    parent = django_filters.NumberFilter(field_name="parent_id", label=_("Parent task (ID)"), min_value=1)

    class Meta(TaskFilterSet.Meta):
        fields = [*TaskFilterSet.Meta.fields, "parent"]


class ProgressReportFilterSet(BaseFilterSet):
    review_status = django_filters.ChoiceFilter(
        choices=ProgressReport.Review.choices, label=_("Review"), empty_label=_("All")
    )
    unit = UnitCodeFilter(method="filter_unit", label=_("Reporting unit (code)"))

    class Meta:
        model = ProgressReport
        fields = ["review_status", "unit"]

    def search(self, queryset, name, value):
        return queryset.filter(text__icontains=value)

    def filter_unit(self, queryset, name, value):
        return queryset.filter(unit=value)


class ReportingPeriodFilterSet(BaseFilterSet):
    state = django_filters.ChoiceFilter(choices=ReportingPeriod.State.choices, label=_("State"), empty_label=_("All"))
    kind = django_filters.ChoiceFilter(choices=ReportingPeriod.Kind.choices, label=_("Kind"), empty_label=_("All"))
    year = django_filters.NumberFilter(field_name="end__year", label=_("Year"), min_value=1990, max_value=2100)

    class Meta:
        model = ReportingPeriod
        fields = ["q", "state", "kind", "year"]
