from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from apps.accounts import services
from apps.accounts.filtersets import UnitFilterSet, UserFilterSet
from apps.accounts.forms import RoleAssignmentForm, UnitForm, UserForm
from apps.accounts.models import APIToken, RoleAssignment, Unit, User
from apps.accounts.tables import UnitTable, UserTable
from apps.core.forms import BootstrapMixin
from apps.core.querysets import MANAGE, VIEW
from apps.core.views.generic import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView


def _unit_reads(qs):
    return qs.select_related("successor")


class UnitListView(ObjectListView):
    model = Unit
    filterset_class = UnitFilterSet
    table_class = UnitTable
    edit_action = MANAGE
    queryset_hook = staticmethod(_unit_reads)
    export_stem = "don-vi"


class UnitDetailView(ObjectDetailView):
    model = Unit
    edit_action = MANAGE
    queryset_hook = staticmethod(_unit_reads)

    def get_extra_context(self, unit):
        visible = Unit.objects.for_user(self.request.user, VIEW)
        children = visible.filter(path__startswith=unit.path, depth=unit.depth + 1).select_related("successor")
        ancestors = list(Unit.objects.get_ancestors(unit)) if unit.depth > 1 else []
        roles = RoleAssignment.objects.filter(unit=unit).select_related("user").order_by("role", "user__username")
        return {
            "children": children,
            "ancestors": ancestors,
            "unit_roles": roles,
            "predecessors": unit.predecessors.all(),
            "add_child_url": reverse("accounts:unit_add") + "?parent={}".format(unit.pk),
        }


class UnitEditView(ObjectEditView):
    model = Unit
    form_class = UnitForm
    edit_action = MANAGE

    def get_form(self, request, instance):
        form = super().get_form(request, instance)
        if instance is None and request.method == "GET" and request.GET.get("parent"):
            form.fields["parent"].initial = request.GET["parent"]
        return form

    def save(self, form, instance):
        data = {name: form.cleaned_data[name] for name in form.Meta.fields if name != "parent"}
        parent = form.cleaned_data.get("parent")
        if instance is None:
            return services.unit_create(parent=parent, by=self.request.user, **data)
        for name, value in data.items():
            setattr(instance, name, value)
        return services.unit_update(unit=instance, by=self.request.user, parent=parent, move=True)


class UnitDeleteView(ObjectDeleteView):
    model = Unit
    edit_action = MANAGE

    def delete(self, obj):
        services.unit_delete(unit=obj, by=self.request.user)


def _user_reads(qs):
    return qs.prefetch_related("roles__unit")


class UserListView(ObjectListView):
    model = User
    filterset_class = UserFilterSet
    table_class = UserTable
    edit_action = MANAGE
    queryset_hook = staticmethod(_user_reads)
    export_stem = "nguoi-dung"


class UserDetailView(ObjectDetailView):
    model = User
    edit_action = MANAGE
    queryset_hook = staticmethod(_user_reads)

    def get_extra_context(self, user):
        manageable = set(
            Unit.objects.for_user(self.request.user, MANAGE).filter(roles__user=user).values_list("pk", flat=True)
        )
        return {
            "user_roles": user.roles.select_related("unit").all(),
            "manageable_units": manageable,
            "add_role_url": reverse("accounts:roleassignment_add") + "?user={}".format(user.pk),
        }


class UserEditView(ObjectEditView):
    model = User
    form_class = UserForm
    edit_action = MANAGE

    def save(self, form, instance):
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        password = form.cleaned_data.get("password1") or None
        if instance is None:
            user = services.user_create(by=self.request.user, password=password, **data)
            services.role_assign(
                user=user, unit=form.cleaned_data["unit"], role=form.cleaned_data["role"], by=self.request.user
            )
            return user
        user = form.save(commit=False)
        if password:
            user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save()
        return user


class UserDeleteView(ObjectDeleteView):
    model = User
    edit_action = MANAGE
    confirm_message = gettext_lazy(
        "The account will be deactivated, not erased: the change log and the records this person made keep their name."
    )

    def delete(self, obj):
        services.user_deactivate(user=obj, by=self.request.user)


class RoleAssignmentAddView(ObjectEditView):
    model = RoleAssignment
    form_class = RoleAssignmentForm
    edit_action = MANAGE
    cancel_url = "/users/"

    def get_form(self, request, instance):
        form = super().get_form(request, instance)
        if request.method == "GET" and request.GET.get("user"):
            form.fields["user"].initial = request.GET["user"]
        return form

    def save(self, form, instance):
        return services.role_assign(by=self.request.user, **{k: form.cleaned_data[k] for k in ("user", "unit", "role")})


class RoleAssignmentDeleteView(ObjectDeleteView):
    model = RoleAssignment
    edit_action = MANAGE

    def delete(self, obj):
        services.role_remove(assignment=obj, by=self.request.user)

    def post(self, request, pk):
        obj = self.get_object(pk, self.edit_action)
        user = obj.user
        try:
            self.delete(obj)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Removed the role “{}”.").format(obj))
        return HttpResponseRedirect(user.get_absolute_url())


class StyledPasswordChangeForm(BootstrapMixin, PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.apply_bootstrap()


class PasswordChangeView(LoginRequiredMixin, View):
    def get(self, request):
        return render(
            request,
            "accounts/password_change.html",
            {"form": StyledPasswordChangeForm(request.user), "title": _("Change password")},
        )

    def post(self, request):
        form = StyledPasswordChangeForm(request.user, request.POST)
        if form.is_valid():
            form.save()
            update_session_auth_hash(request, form.user)
            messages.success(request, _("Your password has been changed."))
            return HttpResponseRedirect(reverse("home"))
        return render(
            request, "accounts/password_change.html", {"form": form, "title": _("Change password")}, status=400
        )


class APITokenView(LoginRequiredMixin, View):
    """A user's own API tokens: list, create (shown once), revoke."""

    def get(self, request):
        tokens = APIToken.objects.for_user(request.user)
        # Shown once: the raw token waits in the session only until this page is displayed.
        new_token = request.session.pop("new_api_token", None)
        return render(
            request, "accounts/api_tokens.html", {"tokens": tokens, "new_token": new_token, "title": _("API tokens")}
        )

    def post(self, request):
        if "revoke" in request.POST:
            APIToken.objects.for_user(request.user).filter(pk=request.POST.get("revoke")).delete()
            messages.success(request, _("The token has been revoked."))
            return HttpResponseRedirect(reverse("accounts:api_tokens"))
        description = (request.POST.get("description") or "").strip()[:200]
        _token, raw = APIToken.generate(user=request.user, description=description)
        request.session["new_api_token"] = raw
        return HttpResponseRedirect(reverse("accounts:api_tokens"))


class UnitImportView(LoginRequiredMixin, View):
    """Upload an Excel sheet of units; the import runs as a background job with a progress bar."""

    def _check(self, request):
        from django.core.exceptions import PermissionDenied

        from apps.accounts.scoping import get_scope

        if not get_scope(request.user).can(MANAGE):
            raise PermissionDenied(_("Only an administrator may import units."))

    def get(self, request):
        self._check(request)
        if request.GET.get("template"):
            import tempfile

            from django.http import FileResponse

            from apps.accounts.imports import template_workbook

            handle = tempfile.TemporaryFile()
            template_workbook().save(handle)
            handle.seek(0)
            return FileResponse(handle, as_attachment=True, filename="mau-nhap-don-vi.xlsx")
        return render(request, "accounts/unit_import.html", {"title": _("Import units from Excel")})

    def post(self, request):
        import uuid

        from apps.accounts.imports import upload_dir
        from apps.core.jobs import job_enqueue
        from apps.core.uploads import UploadRejected, check_attachment

        self._check(request)
        upload = request.FILES.get("file")
        error = None
        if upload is None:
            error = _("Choose an Excel file (.xlsx) to import.")
        else:
            try:
                name, _mime = check_attachment(upload, max_bytes=20 * 1024 * 1024)
                if not name.lower().endswith(".xlsx"):
                    error = _("“{}” is not an .xlsx file.").format(name)
            except UploadRejected as exc:
                error = str(exc)
        if error:
            return render(
                request,
                "accounts/unit_import.html",
                {"title": _("Import units from Excel"), "error": error},
                status=400,
            )
        target = upload_dir() / "{}.xlsx".format(uuid.uuid4().hex)
        with target.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        job = job_enqueue(
            kind="accounts.import_units",
            name=_("Import units from {}").format(name),
            user=request.user,
            params={"path": str(target), "user_id": request.user.pk},
        )
        return HttpResponseRedirect(job.get_absolute_url())
