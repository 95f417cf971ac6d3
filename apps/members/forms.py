from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Unit
from apps.core.forms import BootstrapMixin, ScopedModelForm
from apps.core.pickers import PickerSelect
from apps.core.querysets import CHANGE
from apps.members.models import Award, Congress, Leader, MemberOrganisation, MembershipCount
from apps.tasks.filtersets import DocumentRefField


class MemberOrganisationForm(ScopedModelForm):
    class Meta:
        model = MemberOrganisation
        fields = ["unit", "kind", "countries", "founded_on", "description"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "countries": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.for_user(self.user, CHANGE).filter(kind=Unit.Kind.ASSOCIATION)
        if self.instance.pk:
            units = Unit.objects.filter(pk=self.instance.unit_id)
            self.fields["unit"].disabled = True
        else:
            units = units.filter(member_organisation__isnull=True)
        self.fields["unit"].queryset = units.order_by("path")
        self.fields["unit"].help_text = _("A friendship association of the unit tree not yet recorded here.")


class AwardForm(ScopedModelForm):
    decision = DocumentRefField(
        label=_("Decision"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 100}),
        help_text=_("Notation (e.g. 1234/QĐ-UBND) or ID of the award decision."),
    )

    class Meta:
        model = Award
        fields = ["name", "kind", "level", "issuer", "year", "decision", "unit", "person", "person_position", "reason"]
        widgets = {
            "reason": forms.Textarea(attrs={"rows": 3}),
            "name": forms.TextInput(),
            "unit": PickerSelect("accounts.unit:change"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].user = self.user
        units = Unit.objects.for_user(self.user, CHANGE)
        if self.instance.pk:
            units = units | Unit.objects.filter(pk=self.instance.unit_id)
            if self.instance.decision_id:
                self.initial["decision"] = self.instance.decision.notation or str(self.instance.decision_id)
        self.fields["unit"].queryset = units.order_by("path")


class MembershipCountForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = MembershipCount
        fields = ["year", "members", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.apply_bootstrap()


class CongressForm(ScopedModelForm):
    class Meta:
        model = Congress
        fields = ["number", "held_on", "term_start", "term_end", "delegates", "outcome"]
        widgets = {"outcome": forms.Textarea(attrs={"rows": 2})}


class LeaderForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Leader
        fields = ["name", "position", "workplace", "term_start", "term_end"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.apply_bootstrap()
