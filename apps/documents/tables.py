import django_tables2 as tables
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from apps.documents.models import Document


class DocumentTable(tables.Table):
    notation = tables.Column(verbose_name=_("Notation"), linkify=True)
    type_name = tables.Column(verbose_name=_("Document type"))
    issued_on = tables.Column(verbose_name=_("Issue date"))
    issuer = tables.Column(verbose_name=_("Issuing body"))
    title = tables.Column(verbose_name=_("Subject"))
    unit = tables.Column(verbose_name=_("Owning unit"))

    class Meta:
        model = Document
        fields = ("notation", "type_name", "issued_on", "issuer", "title", "unit")
        order_by = ("-issued_on",)
        attrs = {"class": "table table-sm table-hover align-middle", "id": "document-table"}
        template_name = "documents/document_table.html"

    def render_issued_on(self, value):
        return date_format(value, "SHORT_DATE_FORMAT")
