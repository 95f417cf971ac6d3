"""Form bases: Bootstrap classes, the edit version for conflict detection, the requesting user."""

from django import forms
from django.utils.translation import gettext_lazy as _


class BootstrapMixin:
    def apply_bootstrap(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class ScopedModelForm(BootstrapMixin, forms.ModelForm):
    _version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        if self.instance and self.instance.pk:
            self.fields["_version"].initial = self.instance.version
        for field in self.fields.values():
            if isinstance(field.widget, forms.DateInput):
                # dd/mm/yyyy text, as Vietnamese offices write dates; a native date picker would
                # follow the browser's locale and show mm/dd/yyyy on English-language machines.
                field.widget = forms.DateInput(
                    format="%d/%m/%Y",
                    attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"},
                )
                field.input_formats = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
        self.apply_bootstrap()

    def _update_errors(self, errors):
        # The model's clean() may name a field the form does not show (a registration's partner,
        # fixed by the page it is added from): Django raises ValueError for it, a 500. Say it above
        # the form instead.
        if hasattr(errors, "error_dict"):
            from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

            moved = {}
            for field, messages in errors.error_dict.items():
                key = field if field == NON_FIELD_ERRORS or field in self.fields else NON_FIELD_ERRORS
                moved.setdefault(key, []).extend(messages)
            errors = ValidationError(moved)
        super()._update_errors(errors)


class JournalEntryForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=())
    comments = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from apps.core.models import JournalEntry

        self.fields["kind"].choices = JournalEntry.Kind.choices
        self.apply_bootstrap()


class AttachmentForm(BootstrapMixin, forms.Form):
    # Empty files reach check_attachment, which names the file in its message.
    file = forms.FileField(label=_("File"), allow_empty_file=True)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.apply_bootstrap()
