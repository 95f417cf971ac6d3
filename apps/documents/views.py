import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from apps.accounts.models import Unit
from apps.accounts.scoping import get_scope
from apps.core.querysets import CHANGE, VIEW
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
                # Only a document the user may see; an unknown and a hidden one get the same message.
                target = services.link_target(notation=form.cleaned_data["target"], user=request.user)
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


def _shown_day(iso) -> str:
    """``2022-01-05`` → ``05/01/2022`` (the review form's fields take what officers type)."""
    if not iso:
        return ""
    year, month, day = str(iso).split("-")
    return "{}/{}/{}".format(day, month, year)


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
        # supporting units may be any unit the officer can see (the lead, one they may change)
        visible = list(Unit.objects.for_user(request.user, VIEW).active_on().only("pk", "name", "short_name"))
        for candidate in proposal["task_candidates"]:
            guessed = services.guess_unit(candidate.get("lead") or [], unit_list)
            candidate["lead_unit_id"] = guessed.pk if guessed else None
            candidate["included"] = guessed is not None  # ticked when its lead unit is known
            helping = (services.guess_unit([name], visible) for name in candidate.get("supporting") or [])
            candidate["supporting_units"] = list({u.pk: u for u in helping if u and u != guessed}.values())
            candidate["due"] = _shown_day(candidate.get("due"))
        # dates shown as officers write them; the first cited document is usually the one implemented
        document = proposal["document"]
        document["issued_on"] = _shown_day(document.get("issued_on"))
        for index, reference in enumerate(proposal["references"]):
            reference["issued_on"] = _shown_day(reference.get("issued_on"))
            reference["kind"] = DocumentLink.Kind.IMPLEMENTS if index == 0 else DocumentLink.Kind.CITES
        default = own[0] if own else (unit_list[0].pk if unit_list else None)
        return self._review(request, proposal, text, unit_list, default)

    def _review(self, request, proposal, text, unit_list, default_unit, errors=(), status=200):
        """The review page: what was found, every field editable; ``errors`` above it."""
        return render(
            request,
            self.template_name,
            {
                "title": _("Check what was found"),
                "proposal": proposal,
                "text": text,
                "units": unit_list,  # one query, however many task candidates list them
                "default_unit": default_unit,
                "link_kinds": DocumentLink.Kind.choices,
                "errors": list(errors),
            },
            status=status,
        )

    def _review_again(self, request, post, references, tasks, errors):
        """The review page once more, as the officer left it, with what is wrong said at the top:
        going back to an empty form would lose every correction they made."""
        text = post.get("text") or ""
        proposal = extract(text)  # what is only shown (countries, localities, amounts)
        proposal["document"] = {
            "notation": post.get("doc_notation") or "",
            "type": post.get("doc_type") or "",
            "issued_on": post.get("doc_issued_on") or "",
            "issuer_code": post.get("doc_issuer") or "",
            "title": post.get("doc_title") or "",
            "is_draft": bool(post.get("doc_is_draft")),
        }
        proposal["references"], proposal["task_candidates"] = references, tasks
        unit_id = post.get("unit")
        default = int(unit_id) if str(unit_id or "").isdecimal() else None
        unit_list = list(self._units(request).only("pk", "name", "short_name"))
        return self._review(request, proposal, text, unit_list, default, errors=errors, status=400)

    def _count(self, post, name) -> int:
        try:
            return max(0, min(int(post.get(name) or 0), 2000))
        except ValueError:
            return 0

    def _day(self, text: str, errors: list, message: str):
        """A date as officers write it (dd/mm/yyyy; yyyy-mm-dd too), or None with ``message`` in
        ``errors`` — never a date silently dropped (a task would lose its deadline)."""
        from django import forms

        text = (text or "").strip()
        if not text:
            return None
        try:
            return forms.DateField().clean(text)
        except ValidationError:
            errors.append(message.format(text))
            return None

    def confirm(self, request):
        post = request.POST
        unit = (
            self._units(request).filter(pk=post.get("unit") if str(post.get("unit") or "").isdecimal() else 0).first()
        )
        errors = []
        if unit is None:
            errors.append(_("Choose the unit that keeps this document."))
        issued_on = self._day(post.get("doc_issued_on"), errors, _("The issue date “{}” is not a date (dd/mm/yyyy)."))
        document = {
            "notation": (post.get("doc_notation") or "").strip() or None,
            "type": (post.get("doc_type") or "").strip(),
            "issued_on": issued_on,
            "title": (post.get("doc_title") or "").strip(),
            "issuer": (post.get("doc_issuer") or "").strip(),
            "is_draft": bool(post.get("doc_is_draft")),
        }
        references, shown_refs = [], []
        for index in range(self._count(post, "ref_count")):
            prefix = "ref-{}-".format(index)
            kind = post.get(prefix + "kind") if post.get(prefix + "kind") in DocumentLink.Kind.values else "cites"
            typed = (post.get(prefix + "issued_on") or "").strip()
            shown_refs.append(
                {
                    "notation": (post.get(prefix + "notation") or "").strip(),
                    "type": post.get(prefix + "type") or "",
                    "issued_on": typed,
                    "kind": kind,
                    "excluded": not post.get(prefix + "include"),
                }
            )
            if not post.get(prefix + "include"):
                continue
            day = self._day(
                typed,
                errors,
                _("Cited document {} ({}): the date “{{}}” is not a date (dd/mm/yyyy).").format(
                    index + 1, shown_refs[-1]["notation"] or "—"
                ),
            )
            references.append({**shown_refs[-1], "issued_on": day})
        units = self._units(request)
        tasks, shown_tasks = [], []
        count = self._count(post, "task_count")
        # every task's supporting units in one query: any unit the officer may see
        wanted = {
            index: [i for i in post.getlist("task-{}-supporting".format(index)) if i.isdecimal()][:50]
            for index in range(count)
        }
        seen_units = Unit.objects.for_user(request.user, VIEW).in_bulk({int(i) for ids in wanted.values() for i in ids})
        for index in range(count):
            prefix = "task-{}-".format(index)
            title = (post.get(prefix + "title") or "").strip()
            lead_id = post.get(prefix + "lead") or ""
            lead = units.filter(pk=lead_id).first() if lead_id.isdecimal() else None
            supporting = [seen_units[int(i)] for i in wanted[index] if int(i) in seen_units]
            shown_tasks.append(
                {
                    "text": title,
                    "lead_unit_id": lead.pk if lead else None,
                    "supporting_units": supporting,
                    "due": (post.get(prefix + "due") or "").strip(),
                    "included": bool(post.get(prefix + "include")),
                }
            )
            if not post.get(prefix + "include"):
                continue
            if not title or lead is None:
                errors.append(_("Task {}: give its text and the lead unit, or untick it.").format(index + 1))
                continue
            due = self._day(
                shown_tasks[-1]["due"],
                errors,
                _("Task {}: the due date “{{}}” is not a date (dd/mm/yyyy).").format(index + 1),
            )
            tasks.append(
                {
                    "title": title[:500],
                    "lead_unit": lead,
                    "supporting_units": [u for u in supporting if u != lead],
                    "due_date": due,
                }
            )
        if errors:
            return self._review_again(request, post, shown_refs, shown_tasks, errors)
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
            return self._review_again(request, post, shown_refs, shown_tasks, exc.messages)
        messages.success(
            request,
            _("Saved {} with {} linked document(s) and {} task(s).").format(created, len(references), len(tasks)),
        )
        return HttpResponseRedirect(created.get_absolute_url())
