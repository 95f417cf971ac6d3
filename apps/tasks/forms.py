from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Unit
from apps.core.forms import BootstrapMixin, ScopedModelForm
from apps.core.pickers import PickerSelect, PickerSelectMultiple
from apps.core.querysets import CHANGE, VIEW
from apps.tasks.filtersets import DocumentRefField
from apps.tasks.models import ProgressReport, ReportingPeriod, Task
from apps.tasks.services import SCHEDULE_FIELDS, may_reschedule


class TaskRefField(forms.IntegerField):
    """A task given by its ID, among those the user may see."""

    user = None

    def clean(self, value):
        # The number is checked as a number first (min_value and the like compare with integers);
        # only then is it looked up, so the validators never see a Task.
        value = super().clean(value)
        if value is None:
            return None
        task = Task.objects.for_user(self.user, VIEW).filter(pk=value).first() if value < 2**62 else None
        if task is None:
            raise forms.ValidationError(_("No task with ID %(id)s that you may see."), params={"id": value})
        return task


class TaskForm(ScopedModelForm):
    # A notation or ID rather than a drop-down: a national list would put 100,000 options on the page.
    document = DocumentRefField(
        label=_("Document"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 100}),
        help_text=_("Notation (e.g. 2722/KH-UBND) or ID of the document that assigns the task."),
    )
    parent = TaskRefField(label=_("Parent task (ID)"), required=False, min_value=1, help_text=_("Only for a subtask."))

    class Meta:
        model = Task
        fields = [
            "title",
            "document",
            "parent",
            "lead_unit",
            "supporting_units",
            "due_date",
            "recurrence",
            "priority",
            "description",
        ]
        widgets = {
            "title": forms.TextInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "lead_unit": PickerSelect("accounts.unit:change"),
            "supporting_units": PickerSelectMultiple("accounts.unit"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].user = self.user
        self.fields["parent"].user = self.user
        units = Unit.objects.active_on()
        lead = Unit.objects.for_user(self.user, CHANGE) & units
        if self.instance.pk and self.instance.lead_unit_id:
            lead = lead | Unit.objects.filter(pk=self.instance.lead_unit_id)
        self.fields["lead_unit"].queryset = lead.order_by("path")
        self.fields["lead_unit"].empty_label = _("— choose the lead unit —")
        if not self.instance.pk and not self.is_bound:
            choices = list(self.fields["lead_unit"].queryset.values_list("pk", flat=True)[:2])
            if len(choices) == 1:  # an officer of one unit: that unit leads
                self.fields["lead_unit"].initial = choices[0]
        self.fields["supporting_units"].queryset = (Unit.objects.for_user(self.user, VIEW) & units).order_by("path")
        self.fields["supporting_units"].required = False
        if self.instance.pk:
            if self.instance.document_id:
                self.initial["document"] = self.instance.document.notation or str(self.instance.document_id)
            self.initial["parent"] = self.instance.parent_id
            if not may_reschedule(self.user, self.instance):
                # Shown, not offered: the service would refuse the change (task_update); a disabled
                # field also keeps its stored value whatever is posted.
                for name in SCHEDULE_FIELDS:
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _(
                        "Set by whoever assigned the task; only a coordinator over the lead unit or the person "
                        "who created the task may change it."
                    )

    def clean(self):
        data = super().clean()
        lead, supporting = data.get("lead_unit"), data.get("supporting_units")
        if lead is not None and supporting is not None:
            data["supporting_units"] = [u for u in supporting if u.pk != lead.pk]
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe); each is checked by the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


MAX_REPORT_FILES = 10


class ProgressReportForm(BootstrapMixin, forms.Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("Reporting unit"))
    period = forms.CharField(
        label=_("Reporting period"),
        max_length=100,
        required=False,
        help_text=_("e.g. 6 tháng đầu năm 2026"),
    )
    percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    text = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20000)
    files = MultipleFileField(
        label=_("Files (evidence)"),
        required=False,
        help_text=_("Minutes, photos, signed reports… up to 10 files."),
    )

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if len(files) > MAX_REPORT_FILES:
            raise forms.ValidationError(_("Attach at most {} files to one report.").format(MAX_REPORT_FILES))
        return files

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        units = list(units)
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units]).order_by("path")
        if units:
            self.fields["unit"].initial = units[0].pk
        if len(units) == 1:
            self.fields["unit"].widget = forms.HiddenInput()
        self.apply_bootstrap()


class ReviewForm(BootstrapMixin, forms.Form):
    decision = forms.ChoiceField(choices=(("accept", _("Accept")), ("return", _("Return"))))
    reason = forms.CharField(label=_("Reason"), required=False, max_length=5000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.apply_bootstrap()


__all__ = ["TaskForm", "ProgressReportForm", "ReviewForm", "ProgressReport"]


class ReportingPeriodForm(ScopedModelForm):
    """Open or change a reporting round. The coordinating unit is one the user coordinates; the
    reporting units are chosen under it (pre-selected: the units that lead or support tasks)."""

    class Meta:
        model = ReportingPeriod
        fields = ["unit", "name", "kind", "start", "end", "due_date", "units", "instructions"]
        widgets = {
            "name": forms.TextInput(attrs={"placeholder": "6 tháng đầu năm 2026"}),
            "instructions": forms.Textarea(attrs={"rows": 3}),
            "unit": PickerSelect("accounts.unit:change"),
            "units": PickerSelectMultiple("accounts.unit"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from apps.accounts.scoping import get_scope

        scope = get_scope(self.user)
        active = Unit.objects.active_on()
        if scope.is_superuser:
            coordinated = active
        else:
            from django.db.models import Q

            q = Q(pk__in=[])
            for path in scope.subtree_paths(CHANGE):
                q |= Q(path__startswith=path)
            coordinated = active.filter(q)
        if self.instance.pk:
            # The coordinating unit of an open period stays; its reports are filed under it.
            coordinated = Unit.objects.filter(pk=self.instance.unit_id)
            self.fields["unit"].disabled = True
        self.fields["unit"].queryset = coordinated.order_by("path")
        self.fields["units"].queryset = (Unit.objects.for_user(self.user, VIEW) & active).order_by("path")
        self.fields["units"].help_text = _(
            "The units leading or supporting tasks are chosen already; type a name to add another."
        )
        if not self.instance.pk and not self.is_bound:
            first = self.fields["unit"].queryset.first()
            if first is not None:
                self.fields["unit"].initial = first.pk
                self.fields["units"].initial = list(
                    Unit.objects.filter(path__startswith=first.path, led_tasks__isnull=False)
                    .values_list("pk", flat=True)
                    .distinct()
                )


class UnitReportForm(BootstrapMixin, forms.Form):
    """The unit's own text; the task lines are posted as line-<id>-percent / line-<id>-text."""

    _version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    summary = forms.CharField(
        label=_("Main results"), widget=forms.Textarea(attrs={"rows": 6}), max_length=50000, required=False
    )
    difficulties = forms.CharField(
        label=_("Difficulties and obstacles"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20000,
        required=False,
    )
    proposals = forms.CharField(
        label=_("Proposals and recommendations"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20000,
        required=False,
    )
    next_steps = forms.CharField(
        label=_("Tasks for the next period"), widget=forms.Textarea(attrs={"rows": 3}), max_length=20000, required=False
    )

    def __init__(self, *args, report=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        self.lines = list(report.items.select_related("task")) if report is not None else []
        if report is not None and not self.is_bound:
            self.initial.update(
                _version=report.version,
                summary=report.summary,
                difficulties=report.difficulties,
                proposals=report.proposals,
                next_steps=report.next_steps,
            )
        for line in self.lines:
            self.fields["line-{}-percent".format(line.pk)] = forms.IntegerField(
                label=_("Progress (%)"), min_value=0, max_value=100, initial=line.percent
            )
            self.fields["line-{}-text".format(line.pk)] = forms.CharField(
                label=_("What was done"),
                required=False,
                max_length=20000,
                initial=line.text,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.apply_bootstrap()

    def line_rows(self):
        """(line, percent field, text field) for the template."""
        return [
            (line, self["line-{}-percent".format(line.pk)], self["line-{}-text".format(line.pk)]) for line in self.lines
        ]

    def items(self) -> dict[int, tuple[int, str]]:
        data = self.cleaned_data
        return {
            line.pk: (data["line-{}-percent".format(line.pk)], data.get("line-{}-text".format(line.pk), ""))
            for line in self.lines
        }
