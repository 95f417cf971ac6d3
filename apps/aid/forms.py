from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Unit
from apps.aid import reference
from apps.aid.models import AidItem, ApprovalEvent, ExchangeRate, Transaction
from apps.core.forms import BootstrapMixin, ScopedModelForm
from apps.core.pickers import PickerSelect, PickerSelectMultiple
from apps.core.querysets import CHANGE

DATE_INPUTS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]


def _date_field(label, required=False, **kwargs):
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUTS,
        widget=forms.DateInput(
            format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
        ),
        **kwargs,
    )


def parse_share_lines(text: str, what: str) -> list[tuple[str, str]]:
    """'11220 60' per line → [('11220', '60')]; the last word of a line is its percentage."""
    rows = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip().rstrip("%").strip()
        if not line:
            continue
        head, _sep, tail = line.rpartition(" ")
        if not head:
            head, tail = line, ("100" if number == 1 and len([x for x in text.splitlines() if x.strip()]) == 1 else "")
        if not tail:
            raise ValidationError(
                _("Line {} of the {}: write the code, a space, then the percentage.").format(number, what)
            )
        rows.append((head.strip(), tail.strip()))
    return rows


class AidItemForm(ScopedModelForm):
    sectors_text = forms.CharField(
        label=_("Sectors"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "12220 60\n11220 40"}),
        help_text=_("One per line: OECD-DAC code (five digits) and percentage; the percentages add up to 100."),
    )
    locations_text = forms.CharField(
        label=_("Locations"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "Đồng Tháp 100"}),
        help_text=_("One per line: province (name or code, after 1 July 2025), optionally /ward code, and percentage."),
    )

    class Meta:
        model = AidItem
        fields = [
            "code",
            "kind",
            "form",
            "title_vi",
            "title_en",
            "description",
            "donor",
            "unit",
            "managing_agency",
            "implementing_partners",
            "committed_amount",
            "currency",
            "rate_date",
            "counterpart_amount",
            "counterpart_currency",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "iati_identifier",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "unit": PickerSelect("accounts.unit:change"),
            "donor": PickerSelect("partners.partner"),
            "implementing_partners": PickerSelectMultiple("partners.partner"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from apps.partners.models import Partner

        self.fields["unit"].queryset = Unit.objects.for_user(self.user, CHANGE).active_on()
        partners = Partner.objects.for_user(self.user).only("pk", "name", "name_vi", "name_en")
        self.fields["donor"].queryset = partners
        self.fields["implementing_partners"].queryset = partners
        if self.instance and self.instance.pk:
            self.fields["sectors_text"].initial = "\n".join(
                "{} {}".format(s.code, s.percentage.normalize()) for s in self.instance.sectors.all()
            )
            self.fields["locations_text"].initial = "\n".join(
                "{}{} {}".format(
                    loc.province_code, "/{}".format(loc.ward_code) if loc.ward_code else "", loc.percentage.normalize()
                )
                for loc in self.instance.locations.all()
            )

    def clean_currency(self):
        return (self.cleaned_data.get("currency") or "").upper()

    def clean_counterpart_currency(self):
        return (self.cleaned_data.get("counterpart_currency") or "").upper()

    def clean_sectors_text(self):
        rows = parse_share_lines(self.cleaned_data.get("sectors_text"), _("sectors"))
        return [
            {"vocabulary": "1" if code.isdecimal() and len(code) == 5 else "99", "code": code, "percentage": pct}
            for code, pct in rows
        ]

    def clean_locations_text(self):
        out = []
        for place, pct in parse_share_lines(self.cleaned_data.get("locations_text"), _("locations")):
            province, _sep, ward = place.partition("/")
            code = province.strip() if province.strip().isdecimal() else reference.find_province(province)
            if code is None:
                raise ValidationError(_("“{}” is not a province of Vietnam after 1 July 2025.").format(province))
            out.append({"province_code": code, "ward_code": ward.strip() or None, "percentage": pct})
        return out


class TransactionForm(ScopedModelForm):
    class Meta:
        model = Transaction
        fields = ["kind", "date", "amount", "currency", "value_date", "description"]

    def clean_currency(self):
        return (self.cleaned_data.get("currency") or "").upper()


class ExchangeRateForm(ScopedModelForm):
    class Meta:
        model = ExchangeRate
        fields = ["currency", "date", "rate_vnd", "source"]

    def clean_currency(self):
        return (self.cleaned_data.get("currency") or "").upper()


class StepForm(BootstrapMixin, forms.Form):
    action = forms.SlugField(widget=forms.HiddenInput)
    on = _date_field(_("Date"), required=False)
    document = forms.CharField(
        label=_("Decision (notation)"),
        required=False,
        max_length=100,
        help_text=_("e.g. 1520/QĐ-UBND; entered as a document if it is not there yet."),
    )
    approving_authority = forms.CharField(label=_("Approving authority"), required=False, max_length=300)
    agency = forms.ChoiceField(
        label=_("Agency"), required=False, choices=[("", "—")] + list(ApprovalEvent.Agency.choices)
    )
    favourable = forms.NullBooleanField(label=_("Favourable"), required=False)
    opinion = forms.CharField(
        label=_("Opinion"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.apply_bootstrap()


class UploadForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.apply_bootstrap()


class IatiImportForm(UploadForm):
    unit = forms.ModelChoiceField(label=_("Recipient unit of the imported items"), queryset=Unit.objects.none())
    only_vietnam = forms.BooleanField(
        label=_("Only activities in Vietnam (recipient country VN)"), required=False, initial=True
    )
    strict = forms.BooleanField(
        label=_("Strict: refuse a file that is not valid against the IATI 2.03 schema"), required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.for_user(user, CHANGE).active_on()


class StatisticsForm(forms.Form):
    date_from = _date_field(_("From"))
    date_to = _date_field(_("To"))
    unit = forms.ModelChoiceField(label=_("Unit"), required=False, queryset=Unit.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All"))] + list(AidItem.Kind.choices))
    country = forms.ModelChoiceField(label=_("Donor country"), required=False, queryset=None)
    donor = forms.IntegerField(label=_("Donor (ID)"), required=False, min_value=1)
    sector = forms.CharField(label=_("Sector code"), required=False, max_length=20)
    province = forms.TypedChoiceField(label=_("Province"), required=False, coerce=int, empty_value=None, choices=())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from apps.partners.models import Country

        self.fields["unit"].queryset = Unit.objects.for_user(user).filter(depth__lte=3)
        self.fields["country"].queryset = Country.objects.all()
        self.fields["province"].choices = [("", _("All"))] + list(reference.provinces().items())
        # The template writes the filter bar by hand (views._statistics_choices); this form validates.
