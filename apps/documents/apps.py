from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "apps.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self):
        from apps.core import search
        from apps.documents.filtersets import document_search
        from apps.documents.models import Document

        search.register(
            search.SearchTarget(Document, _("Documents"), "documents:document_list", matcher=document_search)
        )
