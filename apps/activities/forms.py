from django import forms
from django.core.validators import MaxValueValidator
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Unit
from apps.activities import places
from apps.activities.apps import commitments_of_visible_agreements
from apps.activities.models import MAX_PARTICIPANTS, Activity, Agreement, DelegationMember
from apps.core.forms import ScopedModelForm
from apps.core.pickers import PickerSelect, PickerSelectMultiple
from apps.core.querysets import CHANGE, VIEW
from apps.partners.forms import UnitCodesField, shareable_units
from apps.partners.models import Country, Partner
from apps.tasks.filtersets import DocumentRefField


class IdListField(forms.CharField):
    """Several records by ID, separated by commas or spaces; only those the user may see."""

    queryset = None

    def to_python(self, value):
        value = super().to_python(value)
        raw = [p for p in (value or "").replace(";", ",").replace(" ", ",").split(",") if p.strip()]
        if not raw:
            return []
        bad = [p for p in raw if not p.strip().isdecimal() or len(p.strip()) > 18]
        if bad:
            raise forms.ValidationError(_("Not an ID: “%(value)s”."), params={"value": bad[0][:30]})
        ids = {int(p) for p in raw}
        if len(ids) > 200:
            raise forms.ValidationError(_("At most 200 links."))
        found = list(self.queryset.filter(pk__in=ids))
        missing = sorted(ids - {row.pk for row in found})
        if missing:
            raise forms.ValidationError(
                _("No record with the ID(s) %(ids)s that you may see."),
                params={"ids": ", ".join(map(str, missing[:10]))},
            )
        return found


def _multi(size=6):
    return forms.SelectMultiple(attrs={"size": size})


def visible_partners(user):
    return Partner.objects.for_user(user, VIEW).select_related("country").order_by("name_key", "id")


class AgreementForm(ScopedModelForm):
    other_unit_codes = UnitCodesField(
        label=_("Other units that are parties (codes)"),
        required=False,
        max_length=2000,
        help_text=_("Codes of our other units that signed it, separated by commas."),
    )
    commitment_lines = forms.CharField(
        label=_("Commitments"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One commitment per line."),
    )

    class Meta:
        model = Agreement
        fields = [
            "kind", "title", "number", "unit", "partners", "signed_on", "signed_place", "valid_from", "valid_to",
            "pillar", "fields_of_cooperation", "summary", "terminated_on", "termination_reason",
        ]  # fmt: skip
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "fields_of_cooperation": forms.Textarea(attrs={"rows": 2}),
            "unit": PickerSelect("accounts.unit:change"),
            "partners": PickerSelectMultiple("partners.partner"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.for_user(self.user, CHANGE).active_on()
        self.fields["partners"].queryset = visible_partners(self.user)
        self.fields["other_unit_codes"].units = shareable_units(self.user)
        if self.instance.pk:
            self.fields["other_unit_codes"].initial = ", ".join(u.code for u in self.instance.other_units.all())
            self.fields["commitment_lines"].initial = "\n".join(c.text for c in self.instance.commitments.all())

    def commitments(self) -> list[str]:
        return [line.strip() for line in (self.cleaned_data.get("commitment_lines") or "").splitlines() if line.strip()]


class ActivityForm(ScopedModelForm):
    vn_province_code = forms.TypedChoiceField(
        label=_("Province (Vietnam)"), required=False, coerce=int, empty_value=None
    )
    vn_ward_code = forms.TypedChoiceField(
        label=_("Commune or ward (Vietnam)"), required=False, coerce=int, empty_value=None
    )
    participating_codes = UnitCodesField(
        label=_("Participating units (codes)"),
        required=False,
        max_length=2000,
        help_text=_("Codes of our other units taking part, separated by commas."),
    )
    task_ids = IdListField(
        label=_("Linked tasks (IDs)"),
        required=False,
        max_length=2000,
        help_text=_("Task numbers, separated by commas."),
    )
    approval_document = DocumentRefField(
        label=_("Approval document"),
        required=False,
        max_length=100,
        help_text=_("Notation or ID of the decision approving the delegation, e.g. 123/QĐ-UBND."),
    )

    class Meta:
        model = Activity
        fields = [
            "kind", "title", "status", "start_date", "end_date", "pillar", "unit",
            "vn_province_code", "vn_ward_code", "foreign_locality", "venue",
            "partners", "countries", "agreements", "commitments",
            "vn_participants", "foreign_participants", "budget", "budget_source",
            "description", "outcome", "purpose", "itinerary",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
            "purpose": forms.Textarea(attrs={"rows": 2}),
            "itinerary": forms.Textarea(attrs={"rows": 3}),
            "unit": PickerSelect("accounts.unit:change"),
            "partners": PickerSelectMultiple("partners.partner"),
            "countries": _multi(),
            "agreements": PickerSelectMultiple("activities.agreement"),
            "commitments": PickerSelectMultiple("activities.commitment"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.user
        self.fields["unit"].queryset = Unit.objects.for_user(user, CHANGE).active_on()
        self.fields["partners"].queryset = visible_partners(user)
        self.fields["countries"].queryset = Country.objects.order_by("name_vi")
        agreements = Agreement.objects.for_user(user, VIEW).order_by("-signed_on", "-id")
        self.fields["agreements"].queryset = agreements
        # the same rows its picker offers (apps.activities.apps.commitments_of_visible_agreements)
        self.fields["commitments"].queryset = commitments_of_visible_agreements(user).select_related("agreement")
        self.fields["participating_codes"].units = shareable_units(user)
        for name in ("vn_participants", "foreign_participants"):
            # the API's cap, said on the field itself (the model's clean says it for imports)
            field = self.fields[name]
            field.max_value = MAX_PARTICIPANTS
            field.widget.attrs["max"] = MAX_PARTICIPANTS
            field.validators.append(
                MaxValueValidator(
                    MAX_PARTICIPANTS,
                    message=_("“%(field)s” must be at most 10.000.000.") % {"field": field.label},
                )
            )
        from apps.tasks.models import Task

        self.fields["task_ids"].queryset = Task.objects.for_user(user, VIEW)
        self.fields["approval_document"].user = user
        province_field = self.fields["vn_province_code"]
        province_field.choices = [("", "—")] + places.provinces()
        province_field.widget.attrs.update(
            {"hx-get": reverse("activities:wards"), "hx-target": "#id_vn_ward_code", "hx-swap": "outerHTML"}
        )
        province = self.data.get("vn_province_code") if self.is_bound else self.instance.vn_province_code
        try:
            province = int(province) if province not in (None, "") else None
        except (TypeError, ValueError):
            province = None
        self.fields["vn_ward_code"].choices = [("", "—")] + (places.wards(province) if province else [])
        if self.instance.pk:
            self.fields["participating_codes"].initial = ", ".join(
                u.code for u in self.instance.participating_units.all()
            )
            # Links to records this user may not see (a coordinator linked them) are neither shown
            # nor sent back: activity_save keeps them as they are.
            for name in ("partners", "agreements", "commitments"):
                linked = [getattr(row, "pk", row) for row in self.initial.get(name) or []]
                if linked:
                    self.initial[name] = list(self.fields[name].queryset.filter(pk__in=linked))
            self.fields["task_ids"].initial = ", ".join(
                str(pk)
                for pk in self.fields["task_ids"]
                .queryset.filter(activities=self.instance)
                .distinct()
                .values_list("pk", flat=True)
            )
            doc = self.instance.approval_document
            self.fields["approval_document"].initial = (doc.notation or doc.pk) if doc else ""


class MemberForm(ScopedModelForm):
    class Meta:
        model = DelegationMember
        fields = ["name", "position", "organisation", "is_head", "order"]
