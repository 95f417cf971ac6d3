import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Unit
from apps.aid import reference
from apps.aid.filtersets import bounded_id
from apps.aid.models import AidItem, ApprovalEvent, ExchangeRate, Transaction
from apps.aid.money import _words, decimal_shape, format_share
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


_NUMBER_CHARACTERS = re.compile(r"[+-]?[\d.,]+")
_ZERO_POINT = re.compile(r"[+-]?0[.,]\d+")  # 0,125 / 0.125: never a thousands group
_COMMA_THREE = re.compile(r"[+-]?[1-9]\d{0,2},\d{3}")  # 25,400: 25.4 here, 25400 in English
_GROUPED = {
    ",": re.compile(r"[+-]?\d{1,3}(?:\.\d{3})*,\d+"),  # 1.234.567,5
    ".": re.compile(r"[+-]?\d{1,3}(?:,\d{3})*\.\d+"),  # 1,234,567.5
}


def number_for_input(value: Decimal | None, language: str | None = None) -> str:
    """A stored number written back into a text box so that ``LocalDecimalField`` reads the same
    number: 25400 → "25.400", 25400.5 → "25.400,5" in Vietnamese; "25400", "25400.5" in English
    (no grouping: "25,400" is ambiguous). A fraction of exactly three digits gets a fourth zero,
    else "12,345" would read as twelve thousand."""
    if value is None:
        return ""
    words = _words(language)
    whole, _dot, fraction = "{:f}".format(Decimal(value)).partition(".")
    fraction = fraction.rstrip("0")
    if len(fraction) == 3:
        fraction += "0"
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    if words["thousands"] == ".":
        whole = "{:,}".format(int(whole)).replace(",", ".")
    return sign + whole + (words["decimal"] + fraction if fraction else "")


class LocalDecimalField(forms.DecimalField):
    """A number typed as offices type it, read like the imports read it
    (``apps.core.sheets.parse_number``): "25.400" and "25400" are 25400, "25.400,5" and "25,400.5"
    are 25400.5, "1,5" and "1.5" are 1.5. A browser's number box would take "25.400" for 25.4 —
    a rate a thousand times off — so this is a text box with a decimal keypad. "25,400" is refused
    (25.4 in Vietnamese, 25400 in English), as is anything not a number, naming the field."""

    widget = forms.TextInput

    def __init__(self, *args, **kwargs):
        kwargs.pop("localize", None)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def _name(self) -> str:
        return capfirst(str(self.label or ""))

    def prepare_value(self, value):
        return number_for_input(value) if isinstance(value, (Decimal, int)) and not isinstance(value, bool) else value

    def to_python(self, value):
        from apps.core.sheets import parse_number

        if value in self.empty_values:
            return None
        if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
            number = Decimal(value)
        else:
            text = str(value).strip().replace(" ", "").replace("\u00a0", "")
            if len(text) > 60 or not _NUMBER_CHARACTERS.fullmatch(text):
                number = None
            elif _ZERO_POINT.fullmatch(text):
                number = Decimal(text.replace(",", "."))
            elif _COMMA_THREE.fullmatch(text):
                raise ValidationError(
                    _("{field}: “{value}” can be read as {thousands} or as {decimal}; write one of these.").format(
                        field=self._name(),
                        value=text,
                        thousands=number_for_input(Decimal(text.replace(",", "")), "vi"),
                        decimal=number_for_input(Decimal(text.replace(",", ".")), "vi"),
                    ),
                    code="ambiguous",
                )
            elif "," in text and "." in text and not any(g.fullmatch(text) for g in _GROUPED.values()):
                number = None  # 2.54,5: the groups of thousands are not groups of three
            else:
                number = parse_number(text)
            if number is None:
                raise ValidationError(
                    _("{field}: “{value}” is not a number; write it as 25.400 or 25.400,5.").format(
                        field=self._name(), value=str(value)[:60]
                    ),
                    code="invalid",
                )
        whole, places = decimal_shape(number)
        if self.decimal_places is not None and places > self.decimal_places:
            raise ValidationError(
                _("{field}: “{value}” has {places} decimal places; at most {limit}.").format(
                    field=self._name(), value=value, places=places, limit=self.decimal_places
                ),
                code="max_decimal_places",
            )
        if self.max_digits is not None and whole > self.max_digits - (self.decimal_places or 0):
            raise ValidationError(
                _("{field}: “{value}” is too large (at most {limit} digits before the decimal point).").format(
                    field=self._name(), value=value, limit=self.max_digits - (self.decimal_places or 0)
                ),
                code="max_whole_digits",
            )
        if self.decimal_places is not None:
            # 33.330 is 33.33: the column's places, so Django's digit count does not trip on zeros
            number = number.quantize(Decimal(1).scaleb(-self.decimal_places))
        return number


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
        field_classes = {"committed_amount": LocalDecimalField, "counterpart_amount": LocalDecimalField}
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
        self.stored_sectors = list(self.instance.sectors.all()) if self.instance and self.instance.pk else []
        if self.instance and self.instance.pk:
            self.fields["sectors_text"].initial = "\n".join(
                "{} {}".format(s.code, format_share(s.percentage)) for s in self.stored_sectors
            )
            self.fields["locations_text"].initial = "\n".join(
                "{}{} {}".format(
                    loc.province_code,
                    "/{}".format(loc.ward_code) if loc.ward_code else "",
                    format_share(loc.percentage),
                )
                for loc in self.instance.locations.all()
            )

    def clean_currency(self):
        return (self.cleaned_data.get("currency") or "").upper()

    def clean_counterpart_currency(self):
        return (self.cleaned_data.get("counterpart_currency") or "").upper()

    def clean_sectors_text(self):
        rows = parse_share_lines(self.cleaned_data.get("sectors_text"), _("sectors"))
        # The text shows codes only: a code the item already has keeps its vocabulary (a DAC
        # 3-digit category, a publisher's list) and its name; only a new code's vocabulary is
        # guessed from its shape.
        stored: dict[str, list] = {}
        for sector in self.stored_sectors:
            stored.setdefault(sector.code, []).append(sector)
        out = []
        for code, pct in rows:
            same = stored.get(code)
            if same:
                sector = same.pop(0)
                out.append({"vocabulary": sector.vocabulary, "code": code, "percentage": pct, "name": sector.name})
            else:
                out.append(
                    {
                        "vocabulary": "1" if code.isdecimal() and len(code) == 5 else "99",
                        "code": code,
                        "percentage": pct,
                    }
                )
        return out

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
        field_classes = {"amount": LocalDecimalField}

    def clean_currency(self):
        return (self.cleaned_data.get("currency") or "").upper()


class ExchangeRateForm(ScopedModelForm):
    class Meta:
        model = ExchangeRate
        fields = ["currency", "date", "rate_vnd", "source"]
        field_classes = {"rate_vnd": LocalDecimalField}

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
    donor = forms.IntegerField(label=_("Donor (ID)"), required=False, **bounded_id(_("Donor (ID)")))
    sector = forms.CharField(label=_("Sector code"), required=False, max_length=20)
    province = forms.TypedChoiceField(label=_("Province"), required=False, coerce=int, empty_value=None, choices=())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from apps.partners.models import Country

        self.fields["unit"].queryset = Unit.objects.for_user(user).filter(depth__lte=3)
        self.fields["country"].queryset = Country.objects.all()
        self.fields["province"].choices = [("", _("All"))] + list(reference.provinces().items())
        # The template writes the filter bar by hand (views._statistics_choices); this form validates.
