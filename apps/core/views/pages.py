"""Pages that are not a registry: home, the global change log, search, notes, files, jobs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_tables2 import RequestConfig
from django_tables2.paginators import LazyPaginator

from apps.core import search as global_search_registry
from apps.core.filtersets import ObjectChangeFilterSet
from apps.core.forms import AttachmentForm, JournalEntryForm
from apps.core.models import Attachment, Job, JournalEntry, ObjectChange
from apps.core.querysets import CHANGE, VIEW
from apps.core.services import attachment_create
from apps.core.tables import JobTable, ObjectChangeTable
from apps.core.uploads import UploadRejected
from apps.core.views.generic import per_page


@login_required
def home(request):
    from apps.accounts.models import Unit, User
    from apps.accounts.scoping import get_scope

    scope = get_scope(request.user)
    units = Unit.objects.for_user(request.user)
    context = {
        "title": _("Overview"),
        "my_roles": request.user.roles.select_related("unit"),
        "unit_count": units.active_on().count(),
        "user_count": User.objects.for_user(request.user).filter(is_active=True).count(),
        "recent_changes": ObjectChange.objects.for_user(request.user).select_related("changed_object_type", "user")[
            :10
        ],
        "recent_jobs": Job.objects.for_user(request.user)[:5],
        "is_superuser": scope.is_superuser,
    }
    # The dashboard of each of the person's roles (apps/reports/dashboards.py).
    from apps.reports.dashboard_views import dashboard_context

    context.update(dashboard_context(request))
    return render(request, "reports/dashboard_home.html", context)


@login_required
def changelog_list(request):
    queryset = ObjectChange.objects.for_user(request.user).select_related("changed_object_type", "user")
    filterset = ObjectChangeFilterSet(request.GET or None, queryset=queryset)
    qs = filterset.qs if (not filterset.is_bound or filterset.is_valid()) else queryset.none()
    table = ObjectChangeTable(qs)
    RequestConfig(request, paginate={"paginator_class": LazyPaginator, "per_page": per_page(request)}).configure(table)
    template = "core/changelog_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, {"table": table, "filterset": filterset, "title": _("Change log")})


@login_required
def changelog_detail(request, pk):
    change = (
        ObjectChange.objects.for_user(request.user).select_related("changed_object_type", "user").filter(pk=pk).first()
    )
    if change is None:
        raise Http404(_("No such change, or you may not see it."))
    related = (
        ObjectChange.objects.for_user(request.user).filter(request_id=change.request_id).exclude(pk=change.pk)[:20]
        if change.request_id
        else []
    )
    return render(request, "core/changelog_detail.html", {"change": change, "related": related, "title": str(change)})


@login_required
@require_GET
def search(request):
    # No stored text holds a NUL, and PostgreSQL refuses one in a parameter: it is dropped.
    query = (request.GET.get("q") or "").replace("\x00", "").strip()[:200]
    results = global_search_registry.global_search(request.user, query)
    return render(request, "core/search.html", {"query": query, "results": results, "title": _("Search")})


def _parent(request, type_id, object_id, action):
    ct = get_object_or_404(ContentType, pk=type_id)
    model = ct.model_class()
    if model is None or not hasattr(model.objects, "for_user"):
        raise Http404
    parent = model.objects.for_user(request.user, VIEW).filter(pk=object_id).first()
    if parent is None:
        raise Http404(_("No such record, or you may not see it."))
    if action != VIEW and not model.objects.for_user(request.user, action).filter(pk=object_id).exists():
        raise PermissionDenied(_("You may see this record but not change it."))
    return ct, parent


def _refuse_if_files_fixed(parent):
    """Records whose files are part of what was submitted (``files_fixed`` on the model, e.g. a
    progress report: append-only, its evidence comes with it) take no file afterwards and lose
    none, whoever asks: a reviewer could otherwise change the evidence of a report they judge."""
    message = getattr(type(parent), "files_fixed", None)
    if message:
        raise PermissionDenied(message)


def _owner_unit(parent):
    return parent.owner_unit_id() if hasattr(parent, "owner_unit_id") else None


@login_required
@require_POST
def journal_add(request, type_id, object_id):
    ct, parent = _parent(request, type_id, object_id, CHANGE)
    form = JournalEntryForm(request.POST)
    if form.is_valid():
        JournalEntry.objects.create(
            object_type=ct,
            object_id=parent.pk,
            created_by=request.user,
            unit_id=_owner_unit(parent),
            kind=form.cleaned_data["kind"],
            comments=form.cleaned_data["comments"],
        )
        messages.success(request, _("Note added."))
    else:
        messages.error(
            request, _("The note was not saved: {}").format("; ".join(e for errs in form.errors.values() for e in errs))
        )
    return HttpResponseRedirect(parent.get_absolute_url() + "?tab=journal")


@login_required
@require_POST
def journal_delete(request, pk):
    entry = get_object_or_404(JournalEntry, pk=pk)
    _ct, parent = _parent(request, entry.object_type_id, entry.object_id, CHANGE)
    if entry.created_by_id != request.user.pk and not request.user.is_superuser:
        raise PermissionDenied(_("Only the author may delete a note."))
    entry.delete()
    messages.success(request, _("Note deleted."))
    return HttpResponseRedirect(parent.get_absolute_url() + "?tab=journal")


@login_required
@require_POST
def attachment_add(request, type_id, object_id):
    # Seen first, then the files rule, then the right to change: whoever may see a progress report
    # learns why its files are fixed rather than a bare "may not change".
    ct, parent = _parent(request, type_id, object_id, VIEW)
    _refuse_if_files_fixed(parent)
    _parent(request, type_id, object_id, CHANGE)
    form = AttachmentForm(request.POST, request.FILES)
    target = parent.get_absolute_url() + "?tab=attachments"
    if not form.is_valid():
        messages.error(request, _("No file was attached: choose a file first."))
        return HttpResponseRedirect(target)
    upload = form.cleaned_data["file"]
    try:
        attachment = attachment_create(
            parent=parent, upload=upload, by=request.user, description=form.cleaned_data.get("description") or ""
        )
    except UploadRejected as exc:
        messages.error(request, str(exc))
        return HttpResponseRedirect(target)
    name = attachment.name
    messages.success(request, _("Attached “{}”.").format(name))
    return HttpResponseRedirect(target)


@login_required
def attachment_download(request, pk):
    attachment = get_object_or_404(Attachment, pk=pk)
    _parent(request, attachment.object_type_id, attachment.object_id, VIEW)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The file is missing from storage; ask an administrator.")) from exc
    response = FileResponse(handle, as_attachment=True, filename=attachment.name, content_type=attachment.mime_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def attachment_delete(request, pk):
    attachment = get_object_or_404(Attachment, pk=pk)
    _ct, parent = _parent(request, attachment.object_type_id, attachment.object_id, VIEW)
    _refuse_if_files_fixed(parent)
    _parent(request, attachment.object_type_id, attachment.object_id, CHANGE)
    stored = attachment.file.name
    attachment.delete()
    # The file goes only after the row is gone for good.
    transaction.on_commit(lambda: attachment.file.storage.delete(stored))
    messages.success(request, _("File deleted."))
    return HttpResponseRedirect(parent.get_absolute_url() + "?tab=attachments")


@login_required
def job_list(request):
    table = JobTable(Job.objects.for_user(request.user).select_related("user"))
    RequestConfig(request, paginate={"paginator_class": LazyPaginator, "per_page": per_page(request)}).configure(table)
    from apps.accounts.scoping import get_scope

    can_import = get_scope(request.user).can("manage")
    return render(
        request, "core/job_list.html", {"table": table, "title": _("Background jobs"), "can_import": can_import}
    )


@login_required
def job_detail(request, pk):
    job = Job.objects.for_user(request.user).filter(pk=pk).first()
    if job is None:
        raise Http404(_("No such job, or it is not yours."))
    template = "core/job_detail.html"
    if request.htmx:
        template += "#progress"
    return render(request, template, {"job": job, "title": job.name})


def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy", never a 500
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required  # as every page: an anonymous visitor is sent to sign in
@require_GET
def picker(request, key):
    """Matches for a picker field (apps/core/pickers.py) as JSON: ``{"results": [{"value", "text"}],
    "more": bool}`` — only what the signed-in person may see, diacritics optional."""
    from apps.core import pickers

    chosen = pickers.get(key)
    if chosen is None:
        return JsonResponse({"detail": _("There is no list “{}” to pick from.").format(key[:100])}, status=404)
    query = (request.GET.get("q") or "").replace("\x00", "")  # as the search box: PostgreSQL refuses NUL
    if len(query) > 200:
        return JsonResponse({"detail": _("The search text is too long (at most 200 characters).")}, status=400)
    results, more = chosen.search(request.user, query)
    return JsonResponse({"results": results, "more": more})
