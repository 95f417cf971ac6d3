from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Unit
from apps.core.forms import BootstrapMixin, ScopedModelForm
from apps.core.pickers import PickerSelect
from apps.core.querysets import CHANGE
from apps.partners.models import Contact, Country, NgoRegistration, Partner, PartnershipFramework, Relationship, Tag


def shareable_units(user):
    """Units a partner may be shared with: any unit in the provinces where the user holds a role
    (an officer shares with a department they cannot see themselves)."""
    from apps.accounts.scoping import get_scope

    scope = get_scope(user)
    if scope.is_superuser:
        return Unit.objects.all()
    q = Q(pk__in=[])
    for _role, _uid, path in scope.roles:
        q |= Q(path__startswith=path[: Unit.steplen])
    return Unit.objects.filter(q)


class UnitCodesField(forms.CharField):
    """Several units by code, separated by commas or spaces."""

    units = Unit.objects.none()

    def to_python(self, value):
        value = super().to_python(value)
        codes = [c.strip().upper() for c in (value or "").replace(";", ",").replace(" ", ",").split(",") if c.strip()]
        if not codes:
            return []
        found = {u.code: u for u in self.units.filter(code__in=codes)}
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise forms.ValidationError(
                _("No unit has the code(s): %(codes)s."), params={"codes": ", ".join(unknown)[:200]}
            )
        return list(found.values())


class TagsField(forms.CharField):
    """Tags as text separated by commas; new ones are created on save."""

    def to_python(self, value):
        value = super().to_python(value)
        names = [" ".join(t.split()) for t in (value or "").split(",")]
        names = [n for n in names if n]
        too_long = [n for n in names if len(n) > 100]
        if too_long:
            raise forms.ValidationError(
                _("A tag is at most 100 characters: “%(tag)s”."), params={"tag": too_long[0][:40]}
            )
        if len(names) > 20:
            raise forms.ValidationError(_("At most 20 tags."))
        return names


class PartnerForm(ScopedModelForm):
    website = forms.URLField(label=_("Website"), max_length=300, required=False, assume_scheme="https")
    tag_names = TagsField(
        label=_("Tags"), required=False, max_length=2000, help_text=_("Separated by commas, e.g. y tế, giáo dục")
    )
    shared_codes = UnitCodesField(
        label=_("Shared with (unit codes)"),
        required=False,
        max_length=2000,
        help_text=_("Codes of other units that work with this partner, separated by commas."),
    )
    confirm_distinct = forms.BooleanField(
        label=_("I have checked: this is a different partner, save it anyway"),
        required=False,
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Partner
        fields = [
            "kind", "name", "name_vi", "name_en", "abbreviation", "country", "locality", "status", "unit",
            "address", "website", "email", "phone", "iati_ref", "description",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "unit": PickerSelect("accounts.unit:change")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.duplicates = []
        self.fields["unit"].queryset = Unit.objects.for_user(self.user, CHANGE).active_on()
        self.fields["country"].queryset = Country.objects.order_by("name_vi")
        self.fields["shared_codes"].units = shareable_units(self.user)
        if self.instance.pk:
            self.fields["tag_names"].initial = ", ".join(t.name for t in self.instance.tags.all())
            self.fields["shared_codes"].initial = ", ".join(u.code for u in self.instance.shared_units.all())

    def clean(self):
        data = super().clean()
        if self.errors or data.get("confirm_distinct"):
            return data
        changed = not self.instance.pk or {"name", "name_vi", "name_en", "country"} & set(self.changed_data)
        if not changed or not data.get("name"):
            return data
        from apps.partners.services import partner_duplicates

        self.duplicates = partner_duplicates(
            name=data["name"],
            name_vi=data.get("name_vi") or "",
            name_en=data.get("name_en") or "",
            country=data.get("country"),
            user=self.user,
            exclude_pk=self.instance.pk,
        )
        if self.duplicates:
            self.fields["confirm_distinct"].widget = forms.CheckboxInput(attrs={"class": "form-check-input"})
            raise forms.ValidationError(
                _(
                    "This partner may already exist (see the list above). Open it instead, or tick the box to confirm that it is a different partner."
                )
            )
        return data


class ContactForm(ScopedModelForm):
    class Meta:
        model = Contact
        fields = ["name", "role", "phone", "email", "is_primary", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class RelationshipForm(ScopedModelForm):
    class Meta:
        model = Relationship
        fields = ["unit", "kind", "since", "until", "status", "source", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.for_user(self.user, CHANGE).active_on()


class RegistrationForm(ScopedModelForm):
    class Meta:
        model = NgoRegistration
        fields = ["kind", "number", "issued_on", "expires_on", "issuer", "permitted_fields", "permitted_areas", "notes"]
        widgets = {
            "permitted_fields": forms.Textarea(attrs={"rows": 2}),
            "permitted_areas": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }


class FrameworkForm(ScopedModelForm):
    class Meta:
        model = PartnershipFramework
        fields = ["level", "established_on", "precision", "source", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class CountryForm(ScopedModelForm):
    class Meta:
        model = Country
        fields = ["code", "alpha3", "name_vi", "name_en", "official_name", "groups", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3}), "groups": forms.CheckboxSelectMultiple}


class MergeForm(BootstrapMixin, forms.Form):
    other = forms.IntegerField(label=_("ID of the duplicate partner"), min_value=1, max_value=2**62)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.apply_bootstrap()


class ImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))
    unit = forms.ModelChoiceField(label=_("Owning unit of the new partners"), queryset=Unit.objects.none())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.for_user(user, CHANGE).active_on()
        self.apply_bootstrap()


__all__ = ["PartnerForm", "ContactForm", "RelationshipForm", "RegistrationForm", "FrameworkForm", "CountryForm", "Tag"]
