from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Unit
from apps.core.forms import BootstrapMixin, ScopedModelForm
from apps.core.pickers import PickerSelect
from apps.core.querysets import CHANGE
from apps.documents.models import Document, DocumentLink


class DocumentForm(ScopedModelForm):
    class Meta:
        model = Document
        fields = [
            "notation",
            "system",
            "type_name",
            "issued_on",
            "issuer",
            "signer",
            "title",
            "is_draft",
            "unit",
            "body",
        ]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 8}),
            "unit": PickerSelect("accounts.unit:change"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.for_user(self.user, CHANGE).active_on()
        self.fields["notation"].help_text = _(
            "As written in the document, e.g. 12-CT/TW or 2722/KH-UBND; type, number and issuer code are read from it."
        )
        self.fields["type_name"].help_text = _("Filled from the notation when empty.")


class DocumentLinkForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Relation"), choices=DocumentLink.Kind.choices)
    target = forms.CharField(label=_("Linked document (notation)"), max_length=100)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.apply_bootstrap()


class ExtractForm(BootstrapMixin, forms.Form):
    text = forms.CharField(
        label=_("Text of the document"), widget=forms.Textarea(attrs={"rows": 12}), required=False, max_length=2_000_000
    )
    file = forms.FileField(label=_("…or a file (.docx, .txt, .pdf)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.apply_bootstrap()

    def clean(self):
        data = super().clean()
        if not data.get("text") and not data.get("file"):
            raise forms.ValidationError(_("Paste the text or choose a file."))
        return data
