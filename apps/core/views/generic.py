"""Declarative registry views (NetBox-style): a registry is a few attributes, not view code.

Every view reads through ``Model.objects.for_user``: a row the user may not see is a 404, a row
they may see but not change is a 403.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views import View
from django_tables2 import RequestConfig
from django_tables2.paginators import LazyPaginator

from apps.core import exports
from apps.core.querysets import CHANGE, MANAGE, VIEW

PER_PAGE_CHOICES = (25, 50, 100, 250)


def per_page(request, default=50) -> int:
    try:
        value = int(request.GET.get("per_page", default))
    except (TypeError, ValueError):
        return default
    return value if value in PER_PAGE_CHOICES else default


class RegistryMixin(LoginRequiredMixin):
    model = None
    #: extra select_related/prefetch applied to every read
    queryset_hook = None
    edit_action = CHANGE
    raise_exception = False

    def base_queryset(self, action=VIEW):
        qs = self.model.objects.for_user(self.request.user, action)
        if self.queryset_hook:
            qs = self.queryset_hook(qs)
        return qs

    def get_object(self, pk, action=VIEW):
        """The object, or 404 if the user may not see it, or 403 if they may see but not act."""
        visible = self.base_queryset(VIEW).filter(pk=pk).first()
        if visible is None:
            raise Http404(_("No such record, or you may not see it."))
        if action != VIEW and not self.model.objects.for_user(self.request.user, action).filter(pk=pk).exists():
            raise PermissionDenied(_("You may see this record but not change it."))
        return visible

    def can_act(self, obj, action) -> bool:
        return self.model.objects.for_user(self.request.user, action).filter(pk=obj.pk).exists()

    def meta(self):
        return self.model._meta

    def url(self, action, *args):
        return reverse("{}:{}_{}".format(self.meta().app_label, self.meta().model_name, action), args=args)


class ObjectListView(RegistryMixin, View):
    filterset_class = None
    table_class = None
    template_name = "generic/object_list.html"
    export_stem = None
    #: the page's heading; the model's plural name when None
    title = None

    def get(self, request):
        filterset = self.filterset_class(request.GET or None, queryset=self.base_queryset(VIEW), request=request)
        if filterset.is_bound and not filterset.is_valid():
            queryset = self.base_queryset(VIEW).none()
        else:
            queryset = filterset.qs
        export = request.GET.get("export")
        stem = self.export_stem or self.meta().model_name
        if export == "csv":
            return exports.csv_response(self.table_class, queryset, stem, request)
        if export == "xlsx":
            return exports.xlsx_response(self.table_class, queryset, stem, self.meta().verbose_name_plural, request)
        # No request here: django-tables2 would paginate once with a COUNT(*) before RequestConfig.
        table = self.table_class(queryset)
        # LazyPaginator never COUNTs: it fetches one page plus one row to know whether more exist.
        RequestConfig(request, paginate={"paginator_class": LazyPaginator, "per_page": per_page(request)}).configure(
            table
        )
        context = {
            "table": table,
            "filterset": filterset,
            "model_meta": self.meta(),
            "title": capfirst(self.title or self.meta().verbose_name_plural),
            "can_add": self.can_add(),
            "add_url": self.url("add") if self.can_add() else None,
            "export_query": request.GET.urlencode(),
            "per_page_choices": PER_PAGE_CHOICES,
        }
        template = self.template_name
        if request.htmx and not request.htmx.boosted:
            template += "#results"
        return render(request, template, context)

    def can_add(self) -> bool:
        from apps.accounts.scoping import get_scope

        return get_scope(self.request.user).can(self.edit_action)


class ObjectDetailView(RegistryMixin, View):
    template_name = None

    def get_extra_context(self, obj):
        return {}

    def get(self, request, pk):
        obj = self.get_object(pk)
        from django.contrib.contenttypes.models import ContentType

        from apps.core.models import Attachment, JournalEntry, ObjectChange

        ct = ContentType.objects.get_for_model(self.model)
        can_change = self.can_act(obj, self.edit_action)
        context = {
            "object": obj,
            "model_meta": self.meta(),
            "title": str(obj),
            "can_change": can_change,
            "edit_url": self.url("edit", obj.pk) if can_change else None,
            "delete_url": self.url("delete", obj.pk) if can_change and obj != request.user else None,
            "changes": ObjectChange.objects.filter(changed_object_type=ct, changed_object_id=obj.pk).select_related(
                "user", "changed_object_type"
            )[:50],
            "journal": JournalEntry.objects.filter(object_type=ct, object_id=obj.pk).select_related("created_by")[:100],
            "attachments": Attachment.objects.filter(object_type=ct, object_id=obj.pk).select_related("created_by"),
            "content_type": ct,
            "journal_kinds": JournalEntry.Kind.choices,
            "tab": request.GET.get("tab", "overview"),
        }
        context.update(self.get_extra_context(obj))
        return render(
            request,
            self.template_name or "{}/{}_detail.html".format(self.meta().app_label, self.meta().model_name),
            context,
        )


class ObjectEditView(RegistryMixin, View):
    form_class = None
    cancel_url = None
    template_name = "generic/object_edit.html"

    def get_form(self, request, instance):
        return self.form_class(request.POST or None, request.FILES or None, instance=instance, user=request.user)

    def save(self, form, instance):
        """Hook for a service call; the default saves the form."""
        return form.save()

    def _instance(self, pk):
        if pk is None:
            from apps.accounts.scoping import get_scope

            if not get_scope(self.request.user).can(self.edit_action):
                raise PermissionDenied(_("You may not add records here."))
            return None
        return self.get_object(pk, self.edit_action)

    def get(self, request, pk=None):
        instance = self._instance(pk)
        form = self.get_form(request, instance)
        return self.render(request, form, instance)

    def post(self, request, pk=None):
        instance = self._instance(pk)
        form = self.get_form(request, instance)
        if form.is_valid():
            try:
                with transaction.atomic():
                    if instance is not None:
                        # Version check: refuse to overwrite a change made since the form was opened.
                        current = type(instance)._base_manager.select_for_update().get(pk=instance.pk)
                        if str(current.version) != str(form.cleaned_data.get("_version")):
                            raise ValidationError(
                                _(
                                    "Someone else changed this record after you opened the form. "
                                    "Reload the page to see their change, then edit again."
                                )
                            )
                    obj = self.save(form, instance)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Saved “{}”.").format(obj))
                return HttpResponseRedirect(obj.get_absolute_url())
        return self.render(request, form, instance, status=400 if request.method == "POST" else 200)

    def render(self, request, form, instance, status=200):
        context = {
            "form": form,
            "object": instance,
            "model_meta": self.meta(),
            "title": (_("Edit {}").format(instance) if instance else _("Add {}").format(self.meta().verbose_name)),
            "cancel_url": instance.get_absolute_url() if instance else (self.cancel_url or self.url("list")),
        }
        return render(request, self.template_name, context, status=status)


def apply_errors(form, exc: ValidationError, prefix: str = ""):
    """A service's ValidationError shown on the form: each message under its field (``prefix`` +
    the error's key, when the form names its fields so), the rest above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            name = prefix + field
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def rerender(detail_view_class, request, pk, status: int = 400, **attributes):
    """The detail page again, with a form that did not validate (set through ``attributes``)
    and its errors, answered with ``status`` — for the forms that live on a detail page."""
    view = detail_view_class()
    view.setup(request, pk=pk)
    for name, value in attributes.items():
        setattr(view, name, value)
    response = view.get(request, pk)
    response.status_code = status
    return response


class ObjectDeleteView(RegistryMixin, View):
    template_name = "generic/object_delete.html"
    #: what the confirmation page says will happen
    confirm_message = None

    def delete(self, obj):
        """Hook for a service call."""
        obj.delete()

    def get(self, request, pk):
        obj = self.get_object(pk, self.edit_action)
        return render(
            request,
            self.template_name,
            {
                "object": obj,
                "model_meta": self.meta(),
                "title": _("Delete {}").format(obj),
                "confirm_message": self.confirm_message,
            },
        )

    def post(self, request, pk):
        obj = self.get_object(pk, self.edit_action)
        try:
            with transaction.atomic():
                self.delete(obj)
        except (ProtectedError, ValidationError) as exc:
            message = (
                exc.messages[0]
                if isinstance(exc, ValidationError)
                else _("“{}” cannot be deleted: other records still refer to it.").format(obj)
            )
            messages.error(request, message)
            return HttpResponseRedirect(obj.get_absolute_url())
        messages.success(request, _("Deleted “{}”.").format(obj))
        return HttpResponseRedirect(self.url("list"))


__all__ = [
    "apply_errors",
    "rerender",
    "ObjectListView",
    "ObjectDetailView",
    "ObjectEditView",
    "ObjectDeleteView",
    "MANAGE",
    "CHANGE",
    "VIEW",
]
