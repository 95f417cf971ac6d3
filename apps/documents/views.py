import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views import View

from apps.accounts.models import Unit
from apps.accounts.scoping import get_scope
from apps.core.querysets import CHANGE
from apps.core.uploads import UploadRejected, check_attachment
from apps.core.views.generic import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView, RegistryMixin
from apps.documents import services
from apps.documents.extraction import ReadError, extract, read_path
from apps.documents.filtersets import DocumentFilterSet
from apps.documents.forms import DocumentForm, DocumentLinkForm, ExtractForm
from apps.documents.models import Document, DocumentLink
from apps.documents.selectors import document_cascade, flatten
from apps.documents.tables import DocumentTable


def _reads(qs):
    return qs.select_related("unit")


class DocumentListView(ObjectListView):
    model = Document
    filterset_class = DocumentFilterSet
    table_class = DocumentTable
    queryset_hook = staticmethod(_reads)
    export_stem = "van-ban"
    template_name = "documents/document_list.html"


class DocumentDetailView(ObjectDetailView):
    model = Document
    queryset_hook = staticmethod(_reads)

    def get_extra_context(self, document):
        visible = Document.objects.for_user(self.request.user)
        links_out = document.links_out.filter(target__in=visible).select_related("target")
        links_in = document.links_in.filter(source__in=visible).select_related("source")
        context = {"links_out": links_out, "links_in": links_in, "link_form": DocumentLinkForm()}
        if self.request.GET.get("tab", "overview") == "overview":
            context["ancestors"], context["cascade"] = document_cascade(document=document, user=self.request.user)
            context["cascade_rows"] = flatten(context["cascade"])
            # A national directive lists hundreds of tasks: one reverse() for all of their links.
            context["task_url_base"] = reverse("tasks:task_list")
        return context


class DocumentEditView(ObjectEditView):
    model = Document
    form_class = DocumentForm

    def get_form(self, request, instance):
        form = super().get_form(request, instance)
        if instance is None and request.method == "GET":
            own = get_scope(request.user).own_unit_ids(CHANGE) or list(
                form.fields["unit"].queryset.values_list("pk", flat=True)[:1]
            )
            if own:
                form.fields["unit"].initial = own[0]
        return form

    def save(self, form, instance):
        data = {name: form.cleaned_data[name] for name in form.Meta.fields if name != "unit"}
        unit = form.cleaned_data["unit"]
        if instance is None:
            return services.document_create(by=self.request.user, unit=unit, **data)
        for name, value in data.items():
            setattr(instance, name, value)
        instance.unit = unit
        return services.document_update(document=instance, by=self.request.user)


class DocumentDeleteView(ObjectDeleteView):
    model = Document

    def delete(self, obj):
        services.document_delete(document=obj, by=self.request.user)


class DocumentLinkAddView(RegistryMixin, View):
    model = Document

    def post(self, request, pk):
        document = self.get_object(pk, CHANGE)
        form = DocumentLinkForm(request.POST)
        target_url = document.get_absolute_url() + "?tab=links"
        if not form.is_valid():
            messages.error(
                request,
                _("The link was not added: {}").format("; ".join(e for errs in form.errors.values() for e in errs)),
            )
            return HttpResponseRedirect(target_url)
        try:
            with transaction.atomic():
                target = services.document_placeholder(
                    notation=form.cleaned_data["target"], unit=document.unit, by=request.user
                )
                if not Document.objects.for_user(request.user).filter(pk=target.pk).exists():
                    raise ValidationError(_("No document {} that you may see.").format(form.cleaned_data["target"]))
                services.document_link(
                    source=document,
                    target=target,
                    kind=form.cleaned_data["kind"],
                    by=request.user,
                    note=form.cleaned_data["note"],
                )
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        else:
            messages.success(request, _("Linked to {}.").format(target))
        return HttpResponseRedirect(target_url)


class DocumentLinkDeleteView(LoginRequiredMixin, View):
    def post(self, request, pk):
        link = get_object_or_404(DocumentLink.objects.for_user(request.user).select_related("source"), pk=pk)
        services.document_unlink(link=link, by=request.user)
        messages.success(request, _("Link removed."))
        return HttpResponseRedirect(link.source.get_absolute_url() + "?tab=links")


class ExtractView(LoginRequiredMixin, View):
    """Paste text or upload a file; the system proposes the document, what it cites and the tasks;
    the officer reviews, edits and confirms."""

    template_name = "documents/extract.html"

    def _units(self, request):
        return Unit.objects.for_user(request.user, CHANGE).active_on()

    def get(self, request):
        if not get_scope(request.user).can(CHANGE):
            raise PermissionDenied(_("Your role does not allow entering documents."))
        return render(
            request, self.template_name, {"form": ExtractForm(), "title": _("Enter a document from its text")}
        )

    def post(self, request):
        if not get_scope(request.user).can(CHANGE):
            raise PermissionDenied(_("Your role does not allow entering documents."))
        if request.POST.get("step") == "confirm":
            return self.confirm(request)
        form = ExtractForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(
                request, self.template_name, {"form": form, "title": _("Enter a document from its text")}, status=400
            )
        text = form.cleaned_data.get("text") or ""
        upload = form.cleaned_data.get("file")
        if upload is not None:
            try:
                name, _mime = check_attachment(upload, max_bytes=20 * 1024 * 1024)
                suffix = Path(name).suffix.lower()
                if suffix not in (".docx", ".txt", ".pdf"):
                    raise UploadRejected(
                        _("“{}”: only .docx, .pdf (with a text layer) and .txt can be read.").format(name)
                    )
                with tempfile.TemporaryDirectory() as folder:
                    path = Path(folder) / ("upload" + suffix)
                    with path.open("wb") as out:
                        for chunk in upload.chunks():
                            out.write(chunk)
                    text = read_path(path)
            except (UploadRejected, ReadError) as exc:
                form.add_error("file", str(exc))
                return render(
                    request,
                    self.template_name,
                    {"form": form, "title": _("Enter a document from its text")},
                    status=400,
                )
        proposal = extract(text)
        units = self._units(request)
        own = get_scope(request.user).own_unit_ids(CHANGE)
        unit_list = list(units.only("pk", "name", "short_name"))
        for candidate in proposal["task_candidates"]:
            guessed = services.guess_unit(candidate.get("lead") or [], unit_list)
            candidate["lead_unit_id"] = guessed.pk if guessed else None
        return render(
            request,
            self.template_name,
            {
                "title": _("Check what was found"),
                "proposal": proposal,
                "text": text,
                "units": unit_list,  # one query, however many task candidates list them
                "default_unit": own[0] if own else (unit_list[0].pk if unit_list else None),
                "link_kinds": DocumentLink.Kind.choices,
            },
        )

    def confirm(self, request):
        post = request.POST
        unit = self._units(request).filter(pk=post.get("unit") or 0).first()
        errors = []
        if unit is None:
            errors.append(_("Choose the unit that keeps this document."))
        issued_on = None
        if post.get("doc_issued_on"):
            issued_on = parse_date(post["doc_issued_on"])
            if issued_on is None:
                errors.append(_("The issue date “{}” is not a date (yyyy-mm-dd).").format(post["doc_issued_on"]))
        document = {
            "notation": (post.get("doc_notation") or "").strip() or None,
            "type": (post.get("doc_type") or "").strip(),
            "issued_on": issued_on,
            "title": (post.get("doc_title") or "").strip(),
            "issuer": (post.get("doc_issuer") or "").strip(),
            "is_draft": bool(post.get("doc_is_draft")),
        }
        references = []
        for index in range(int(post.get("ref_count") or 0)):
            prefix = "ref-{}-".format(index)
            if not post.get(prefix + "include"):
                continue
            references.append(
                {
                    "notation": (post.get(prefix + "notation") or "").strip(),
                    "type": post.get(prefix + "type") or "",
                    "issued_on": parse_date(post.get(prefix + "issued_on") or "")
                    if post.get(prefix + "issued_on")
                    else None,
                    "kind": post.get(prefix + "kind")
                    if post.get(prefix + "kind") in DocumentLink.Kind.values
                    else "cites",
                }
            )
        units = self._units(request)
        tasks = []
        for index in range(int(post.get("task_count") or 0)):
            prefix = "task-{}-".format(index)
            if not post.get(prefix + "include"):
                continue
            title = (post.get(prefix + "title") or "").strip()
            lead = units.filter(pk=post.get(prefix + "lead") or 0).first()
            if not title or lead is None:
                errors.append(_("Task {}: give its text and the lead unit, or untick it.").format(index + 1))
                continue
            due = parse_date(post.get(prefix + "due") or "") if post.get(prefix + "due") else None
            tasks.append({"title": title[:500], "lead_unit": lead, "due_date": due})
        if errors:
            for error in errors:
                messages.error(request, error)
            return HttpResponseRedirect(reverse("documents:document_extract"))
        try:
            created = services.document_from_extraction(
                by=request.user,
                unit=unit,
                document=document,
                references=references,
                text=post.get("text") or "",
                tasks=tasks,
            )
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(request, error)
            return HttpResponseRedirect(reverse("documents:document_extract"))
        messages.success(
            request,
            _("Saved {} with {} linked document(s) and {} task(s).").format(created, len(references), len(tasks)),
        )
        return HttpResponseRedirect(created.get_absolute_url())
