"""Pages of the partners registry: partners (with their contacts, relationships and NGO
registrations), duplicates and merging, dormant partners, expiring registrations, the Excel
import, and countries with their partnership frameworks. Services do the work."""

import uuid
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from apps.accounts.scoping import get_scope
from apps.core.querysets import CHANGE, MANAGE, VIEW
from apps.core.views.generic import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    RegistryMixin,
)
from apps.partners import services, timeline
from apps.partners.filtersets import (
    CountryFilterSet,
    DormantFilterSet,
    PartnerFilterSet,
    RegistrationFilterSet,
    RelationshipFilterSet,
)
from apps.partners.forms import (
    ContactForm,
    CountryForm,
    FrameworkForm,
    ImportForm,
    MergeForm,
    PartnerForm,
    RegistrationForm,
    RelationshipForm,
)
from apps.partners.models import Contact, Country, NgoRegistration, Partner, PartnershipFramework, Relationship
from apps.partners.tables import CountryTable, DormantTable, PartnerTable, RegistrationTable, RelationshipTable

DEFAULT_DORMANT_MONTHS = 12
DEFAULT_EXPIRY_DAYS = 90


def _partner_reads(qs):
    return qs.select_related("country", "unit").prefetch_related("tags")


# -- partners ----------------------------------------------------------------------------------


class PartnerListView(ObjectListView):
    model = Partner
    filterset_class = PartnerFilterSet
    table_class = PartnerTable
    queryset_hook = staticmethod(_partner_reads)
    export_stem = "doi-tac"
    template_name = "partners/partner_list.html"


class PartnerDetailView(ObjectDetailView):
    model = Partner
    queryset_hook = staticmethod(_partner_reads)

    def get_extra_context(self, partner):
        user = self.request.user
        today = timezone.localdate()
        registrations = list(partner.registrations.order_by("-expires_on"))
        for registration in registrations:
            registration.left = registration.days_left(today)
        relationships = Relationship.objects.for_user(user, VIEW).filter(partner=partner).select_related("unit")
        context = {
            "contacts": partner.contacts.all(),
            "relationships": relationships,
            "changeable_relationships": set(
                Relationship.objects.for_user(user, CHANGE).filter(partner=partner).values_list("pk", flat=True)
            ),
            "can_add_relationship": get_scope(user).can(CHANGE),
            "registrations": registrations,
            "shared_units": partner.shared_units.all(),
            "expiry_warning_days": DEFAULT_EXPIRY_DAYS,
        }
        if self.request.GET.get("tab", "overview") in ("overview", "timeline"):
            # Without JavaScript "older entries" reloads the page with the longer timeline.
            shown = _timeline_offset(self.request) + timeline.PAGE
            context["timeline"], more = timeline.timeline_page(partner, user, count=shown)
            context["timeline_more"] = shown if more else None
        return context

    def get(self, request, pk):
        if request.htmx and "timeline_offset" in request.GET:
            # "Older entries": only the next entries, appended in place by htmx.
            partner = self.get_object(pk)
            offset = _timeline_offset(request)
            entries, more = timeline.timeline_page(partner, request.user, offset=offset, count=timeline.PAGE)
            return render(
                request,
                "partners/_timeline_page.html",
                {"timeline": entries, "timeline_more": offset + timeline.PAGE if more else None},
            )
        return super().get(request, pk)


#: the deepest "older entries" offset asked for (a partner with 100,000 entries is beyond any real one)
TIMELINE_MAX_OFFSET = 100_000


def _timeline_offset(request) -> int:
    try:
        value = int(request.GET.get("timeline_offset", 0))
    except (TypeError, ValueError):
        return 0
    return min(max(value, 0), TIMELINE_MAX_OFFSET)


class PartnerEditView(ObjectEditView):
    model = Partner
    form_class = PartnerForm
    template_name = "partners/partner_form.html"

    def get_form(self, request, instance):
        form = super().get_form(request, instance)
        if instance is None and request.method == "GET":
            own = get_scope(request.user).own_unit_ids(CHANGE) or list(
                form.fields["unit"].queryset.values_list("pk", flat=True)[:1]
            )
            if own:
                form.fields["unit"].initial = own[0]
            if request.GET.get("kind") in Partner.Kind.values:
                form.fields["kind"].initial = request.GET["kind"]
        return form

    def save(self, form, instance):
        data = {name: form.cleaned_data[name] for name in form.Meta.fields if name != "unit"}
        unit = form.cleaned_data["unit"]
        tags = services.tags_from_names(form.cleaned_data.get("tag_names"))
        shared = form.cleaned_data.get("shared_codes") or []
        if instance is None:
            return services.partner_create(by=self.request.user, unit=unit, tags=tags, shared_units=shared, **data)
        for name, value in data.items():
            setattr(instance, name, value)
        instance.unit = unit
        return services.partner_update(partner=instance, by=self.request.user, tags=tags, shared_units=shared)


class PartnerDeleteView(ObjectDeleteView):
    model = Partner

    def delete(self, obj):
        services.partner_delete(partner=obj, by=self.request.user)


class PartnerMergeView(RegistryMixin, View):
    """Merge a duplicate into this partner: choose the duplicate (suggestions from duplicate
    detection), see what will move, confirm."""

    model = Partner
    template_name = "partners/partner_merge.html"

    def _other(self, request, partner, raw):
        form = MergeForm({"other": raw}) if raw not in (None, "") else MergeForm()
        other = None
        if form.is_bound and form.is_valid():
            other = Partner.objects.for_user(request.user, CHANGE).filter(pk=form.cleaned_data["other"]).first()
            if other is None:
                form.add_error("other", _("No partner with this ID that you may change."))
            elif other.pk == partner.pk:
                form.add_error("other", _("Choose two different partners to merge."))
                other = None
        return form, other

    def get(self, request, pk):
        partner = self.get_object(pk, CHANGE)
        form, other = self._other(request, partner, request.GET.get("other"))
        context = {"object": partner, "form": form, "other": other, "title": _("Merge into {}").format(partner)}
        if other is not None:
            context["preview"] = services.partner_merge_preview(survivor=partner, duplicate=other)
        context["suggestions"] = suggestions = [
            d
            for d in services.partner_duplicates(
                name=partner.name,
                name_vi=partner.name_vi,
                name_en=partner.name_en,
                country=partner.country_id,
                user=request.user,
                exclude_pk=partner.pk,
            )
            if Partner.objects.for_user(request.user, CHANGE).filter(pk=d.partner.pk).exists()
        ]
        context["unlike"] = other is not None and all(d.partner.pk != other.pk for d in suggestions)
        return render(request, self.template_name, context, status=200 if not form.errors else 400)

    def post(self, request, pk):
        partner = self.get_object(pk, CHANGE)
        form, other = self._other(request, partner, request.POST.get("other"))
        if other is None:
            messages.error(
                request,
                "; ".join(e for errs in form.errors.values() for e in errs) or _("Choose the duplicate partner."),
            )
            return HttpResponseRedirect(reverse("partners:partner_merge", args=[partner.pk]))
        try:
            result = services.partner_merge(survivor=partner, duplicate=other, by=request.user)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))
            return HttpResponseRedirect(reverse("partners:partner_merge", args=[partner.pk]))
        moved = sum(link.moved for link in result["links"])
        messages.success(request, _("Merged into “{}”: {} link(s) moved.").format(result["survivor"], moved))
        return HttpResponseRedirect(result["survivor"].get_absolute_url())


class DormantListView(ObjectListView):
    """Partners with no activity on their timeline for N months (12 by default)."""

    model = Partner
    filterset_class = DormantFilterSet
    table_class = DormantTable
    queryset_hook = staticmethod(_partner_reads)
    export_stem = "doi-tac-khong-hoat-dong"
    template_name = "partners/dormant_list.html"
    title = gettext_lazy("Dormant partners")

    def months(self) -> int:
        try:
            value = int(self.request.GET.get("months") or DEFAULT_DORMANT_MONTHS)
        except ValueError:
            return DEFAULT_DORMANT_MONTHS
        return value if 1 <= value <= 240 else DEFAULT_DORMANT_MONTHS

    def base_queryset(self, action=VIEW):
        qs = super().base_queryset(action)
        since = timezone.localdate() - timedelta(days=round(self.months() * 30.44))
        return timeline.with_last_activity(timeline.dormant(qs, since))

    def can_add(self) -> bool:
        return False


# -- the partner's contacts, relationships and registrations ---------------------------------


class ChildEditView(ObjectEditView):
    """Add (under ``/partners/<partner>/…/add/``) or edit a row that belongs to a partner."""

    partner = None

    def _instance(self, pk):
        if pk is None:
            partner = Partner.objects.for_user(self.request.user, VIEW).filter(pk=self.kwargs.get("partner")).first()
            if partner is None:
                raise Http404(_("No such record, or you may not see it."))
            if not self.may_add(partner):
                raise PermissionDenied(_("You may see this record but not change it."))
            self.partner = partner
            self.cancel_url = partner.get_absolute_url()
            return None
        return self.get_object(pk, self.edit_action)

    def may_add(self, partner) -> bool:
        return Partner.objects.for_user(self.request.user, CHANGE).filter(pk=partner.pk).exists()

    def get(self, request, pk=None, partner=None):
        return super().get(request, pk)

    def post(self, request, pk=None, partner=None):
        return super().post(request, pk)

    def get_form(self, request, instance):
        return self.form_class(
            request.POST or None, instance=instance or self.model(partner=self.partner), user=request.user
        )


class ChildDeleteView(ObjectDeleteView):
    def post(self, request, pk):
        obj = self.get_object(pk, self.edit_action)
        partner_url = obj.partner.get_absolute_url()
        try:
            self.delete(obj)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))
            return HttpResponseRedirect(partner_url)
        messages.success(request, _("Deleted “{}”.").format(obj))
        return HttpResponseRedirect(partner_url)


def _contact_reads(qs):
    return qs.select_related("partner", "partner__country")


class ContactListView(ObjectListView):
    model = Contact
    filterset_class = None
    table_class = None
    queryset_hook = staticmethod(_contact_reads)
    export_stem = "lien-he"

    def get(self, request):
        from apps.partners.filtersets import BaseFilterSet
        from apps.partners.tables import tables

        class ContactFilterSet(BaseFilterSet):
            class Meta:
                model = Contact
                fields = ["q"]

        class ContactTable(tables.Table):
            name = tables.Column(linkify=True, verbose_name=capfirst(Contact._meta.get_field("name").verbose_name))
            role = tables.Column(verbose_name=capfirst(Contact._meta.get_field("role").verbose_name))
            partner = tables.Column(verbose_name=_("Partner"), order_by=("partner__name_key",))
            phone = tables.Column(verbose_name=capfirst(Contact._meta.get_field("phone").verbose_name))
            email = tables.Column(verbose_name=capfirst(Contact._meta.get_field("email").verbose_name))

            class Meta:
                model = Contact
                fields = ("name", "role", "partner", "phone", "email")
                order_by = ("name",)
                attrs = {"class": "table table-sm table-hover align-middle", "id": "contact-table"}

            def value_partner(self, value, record):
                return record.partner.display_name

        self.filterset_class, self.table_class = ContactFilterSet, ContactTable
        return super().get(request)

    def can_add(self) -> bool:
        return False


class ContactEditView(ChildEditView):
    model = Contact
    form_class = ContactForm

    def save(self, form, instance):
        return services.contact_save(contact=form.instance, by=self.request.user)


class ContactDeleteView(ChildDeleteView):
    model = Contact

    def delete(self, obj):
        services.contact_delete(contact=obj, by=self.request.user)


def _relationship_reads(qs):
    return qs.select_related("partner", "partner__country", "unit")


class RelationshipListView(ObjectListView):
    model = Relationship
    filterset_class = RelationshipFilterSet
    table_class = RelationshipTable
    queryset_hook = staticmethod(_relationship_reads)
    export_stem = "quan-he"

    def can_add(self) -> bool:
        return False


class RelationshipEditView(ChildEditView):
    model = Relationship
    form_class = RelationshipForm

    def may_add(self, partner) -> bool:
        # A relationship belongs to our unit: whoever keeps a unit may relate it to any partner they see.
        return get_scope(self.request.user).can(CHANGE)

    def save(self, form, instance):
        return services.relationship_save(relationship=form.instance, by=self.request.user)


class RelationshipDeleteView(ChildDeleteView):
    model = Relationship

    def delete(self, obj):
        services.relationship_delete(relationship=obj, by=self.request.user)


def _registration_reads(qs):
    return qs.select_related("partner", "partner__country", "partner__unit")


class RegistrationListView(ObjectListView):
    """NGO registrations; ``?within=N`` lists those expiring within N days (and lapsed in the
    last 30)."""

    model = NgoRegistration
    filterset_class = RegistrationFilterSet
    table_class = RegistrationTable
    queryset_hook = staticmethod(_registration_reads)
    export_stem = "dang-ky-pcpnn"
    template_name = "partners/registration_list.html"
    title = gettext_lazy("NGO registrations (Nghị định 58/2022/NĐ-CP)")

    def can_add(self) -> bool:
        return False


class RegistrationEditView(ChildEditView):
    model = NgoRegistration
    form_class = RegistrationForm

    def save(self, form, instance):
        return services.registration_save(registration=form.instance, by=self.request.user)


class RegistrationDeleteView(ChildDeleteView):
    model = NgoRegistration

    def delete(self, obj):
        services.registration_delete(registration=obj, by=self.request.user)


# -- import ------------------------------------------------------------------------------------


class PartnerImportView(LoginRequiredMixin, View):
    """Upload an Excel sheet of partners; a background job checks every row (duplicates included)
    and writes only a clean file, in one transaction."""

    template_name = "partners/partner_import.html"

    def _check(self, request):
        if not get_scope(request.user).can(CHANGE):
            raise PermissionDenied(_("Your role does not allow entering partners."))

    def get(self, request):
        self._check(request)
        if request.GET.get("template"):
            import tempfile

            from apps.partners.imports import template_workbook

            handle = tempfile.TemporaryFile()
            template_workbook().save(handle)
            handle.seek(0)
            return FileResponse(handle, as_attachment=True, filename="mau-nhap-doi-tac.xlsx")
        form = ImportForm(user=request.user)
        return render(request, self.template_name, {"title": _("Import partners from Excel"), "form": form})

    def post(self, request):
        from apps.accounts.imports import upload_dir
        from apps.core.jobs import job_enqueue
        from apps.core.uploads import UploadRejected, check_attachment

        self._check(request)
        form = ImportForm(request.POST, request.FILES, user=request.user)
        name = ""
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                name, _mime = check_attachment(upload, max_bytes=20 * 1024 * 1024)
                if not name.lower().endswith(".xlsx"):
                    form.add_error("file", _("“{}” is not an .xlsx file.").format(name))
            except UploadRejected as exc:
                form.add_error("file", str(exc))
        if not form.is_valid():
            return render(
                request, self.template_name, {"title": _("Import partners from Excel"), "form": form}, status=400
            )
        target = upload_dir() / "{}.xlsx".format(uuid.uuid4().hex)
        with target.open("wb") as out:
            for chunk in form.cleaned_data["file"].chunks():
                out.write(chunk)
        job = job_enqueue(
            kind="partners.import_partners",
            name=_("Import partners from {}").format(name),
            user=request.user,
            params={
                "path": str(target),
                "user_id": request.user.pk,
                "unit_id": form.cleaned_data["unit"].pk,
                "valid_only": bool(request.POST.get("valid_only")),
            },
        )
        return HttpResponseRedirect(job.get_absolute_url())


# -- countries ---------------------------------------------------------------------------------


class CountryListView(ObjectListView):
    model = Country
    filterset_class = CountryFilterSet
    table_class = CountryTable
    export_stem = "quoc-gia"
    edit_action = MANAGE  # only for the Add button: countries are the administrators' (Country.scope_queryset)


class CountryDetailView(ObjectDetailView):
    model = Country

    def get_extra_context(self, country):
        partners = Partner.objects.for_user(self.request.user, VIEW).filter(country=country)
        return {
            "frameworks": country.frameworks.order_by("-established_on", "-id"),
            "groups": country.groups.all(),
            "partners": partners.select_related("unit")[:20],
            "partners_more": partners[20:21].exists(),
            "partners_url": "{}?country={}".format(reverse("partners:partner_list"), country.pk),
        }


class CountryEditView(ObjectEditView):
    model = Country
    form_class = CountryForm
    edit_action = CHANGE

    def _instance(self, pk):
        if not Country.objects.for_user(self.request.user, CHANGE).exists():
            if pk is not None:
                self.get_object(pk, VIEW)  # 404 before 403 for what one may not see
            raise PermissionDenied(_("Only an administrator may change countries and partnership frameworks."))
        return super()._instance(pk)

    def save(self, form, instance):
        groups = form.cleaned_data.get("groups")
        country = form.save(commit=False)
        return services.country_update(country=country, by=self.request.user, groups=groups)


class CountryDeleteView(ObjectDeleteView):
    model = Country


class FrameworkEditView(ObjectEditView):
    model = PartnershipFramework
    form_class = FrameworkForm
    country = None

    def _instance(self, pk):
        if pk is None:
            country = Country.objects.filter(pk=self.kwargs.get("country")).first()
            if country is None:
                raise Http404(_("No such record, or you may not see it."))
            if not Country.objects.for_user(self.request.user, CHANGE).exists():
                raise PermissionDenied(_("Only an administrator may change countries and partnership frameworks."))
            self.country = country
            self.cancel_url = country.get_absolute_url()
            return None
        return self.get_object(pk, CHANGE)

    def get_form(self, request, instance):
        return self.form_class(
            request.POST or None, instance=instance or PartnershipFramework(country=self.country), user=request.user
        )

    def get(self, request, pk=None, country=None):
        return super().get(request, pk)

    def post(self, request, pk=None, country=None):
        return super().post(request, pk)

    def save(self, form, instance):
        return services.framework_save(framework=form.instance, by=self.request.user)


class FrameworkDeleteView(ObjectDeleteView):
    model = PartnershipFramework

    def post(self, request, pk):
        obj = self.get_object(pk, CHANGE)
        url = obj.country.get_absolute_url()
        services.framework_delete(framework=obj, by=request.user)
        messages.success(request, _("Deleted “{}”.").format(obj))
        return HttpResponseRedirect(url)


class RegistrationAlertsReadView(LoginRequiredMixin, View):
    """Mark the person's alerts about expiring NGO registrations as read."""

    def post(self, request):
        from apps.partners.models import RegistrationAlert

        RegistrationAlert.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
        return HttpResponseRedirect(reverse("partners:partner_list"))
