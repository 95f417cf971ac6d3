import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.filtersets import UnitCodeFilter
from apps.core.filtersets import BaseFilterSet
from apps.tasks.models import ProgressReport, ReportingPeriod, Task, TaskStatus, status_q


def document_by_id_or_notation(value: str, user=None):
    """A document the user may see, given by its ID or its notation ("12-CT/TW")."""
    from apps.documents.models import Document

    value = (value or "").strip()
    documents = Document.objects.for_user(user) if user is not None else Document.objects.none()
    if value.isdecimal() and len(value) < 19:
        return documents.filter(pk=int(value)).only("pk").first()
    from apps.documents.notation import search_keys

    found = documents.filter(notation__iexact=value).only("pk").first()
    if found is None:
        # Forgiving like the document search: "12/CT-TW", "12-ct/tw" find 12-CT/TW.
        from django.db.models import Q

        # Longest keys first: (number, type, issuer) before (number, type).
        for key in sorted((" ".join(k).lower() for k in search_keys(value)), key=len, reverse=True):
            whole_word = Q(search_text__contains=" {} ".format(key)) | Q(search_text__endswith=" " + key)
            found = documents.filter(whole_word).only("pk").first()
            if found is not None:
                break
    return found


class DocumentRefField(forms.CharField):
    """A document given by ID or notation; an unknown one is a form error, not an empty list."""

    user = None

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        document = document_by_id_or_notation(value[:100], self.user)
        if document is None:
            raise forms.ValidationError(_("No document “%(ref)s” that you may see."), params={"ref": value[:60]})
        return document


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
