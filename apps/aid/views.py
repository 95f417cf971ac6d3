import tempfile
from datetime import date

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from apps.accounts.scoping import get_scope
from apps.aid import services, statistics
from apps.aid.filtersets import AidItemFilterSet, ExchangeRateFilterSet, TransactionFilterSet
from apps.aid.forms import (
    AidItemForm,
    ExchangeRateForm,
    IatiImportForm,
    StatisticsForm,
    StepForm,
    TransactionForm,
    UploadForm,
)
from apps.aid.models import AidItem, ExchangeRate, Transaction
from apps.aid.tables import AidItemTable, ExchangeRateTable, TransactionTable
from apps.core.querysets import CHANGE
from apps.core.views.generic import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView, RegistryMixin


def _items(qs):
    return qs.select_related("unit", "donor")


class AidItemListView(ObjectListView):
    model = AidItem
    filterset_class = AidItemFilterSet
    table_class = AidItemTable
    queryset_hook = staticmethod(_items)
    export_stem = "vien-tro"
    template_name = "aid/aiditem_list.html"


class AidItemDetailView(ObjectDetailView):
    model = AidItem
    queryset_hook = staticmethod(lambda qs: qs.select_related("unit", "donor", "donor__country", "approval_document"))

    def get_extra_context(self, item):
        steps = services.available_steps(item, self.request.user)
        stalled = services.stalled_items(AidItem.objects.filter(pk=item.pk)).exists()
        return {
            "sectors": item.sectors.all(),
            "locations": item.locations.all(),
            "budgets": item.budgets.all(),
            "transactions": item.transactions.all().order_by("date", "id"),
            "events": item.events.select_related("by", "step", "document"),
            "implementing": item.implementing_partners.all(),
            "steps": steps,
            "step_form": StepForm(),
            "transaction_form": TransactionForm(user=self.request.user, initial={"currency": item.currency}),
            "stalled": stalled,
        }


class AidItemEditView(ObjectEditView):
    model = AidItem
    form_class = AidItemForm

    def save(self, form, instance):
        data = {k: form.cleaned_data[k] for k in form.Meta.fields if k not in ("unit", "implementing_partners")}
        sectors, locations = form.cleaned_data["sectors_text"], form.cleaned_data["locations_text"]
        partners = list(form.cleaned_data["implementing_partners"])
        if instance is None:
            return services.aiditem_create(
                by=self.request.user,
                unit=form.cleaned_data["unit"],
                sectors=sectors,
                locations=locations,
                implementing_partners=partners,
                **data,
            )
        for name, value in data.items():
            setattr(instance, name, value)
        instance.unit = form.cleaned_data["unit"]
        return services.aiditem_update(
            item=instance, by=self.request.user, sectors=sectors, locations=locations, implementing_partners=partners
        )


class AidItemDeleteView(ObjectDeleteView):
    model = AidItem

    def delete(self, obj):
        services.aiditem_delete(item=obj, by=self.request.user)


class AidStepView(RegistryMixin, View):
    """Take one workflow step on an item (submit, appraise, approve …)."""

    model = AidItem

    def post(self, request, pk):
        item = self.get_object(pk, CHANGE)
        form = StepForm(request.POST)
        url = item.get_absolute_url() + "?tab=workflow"
        if not form.is_valid():
            messages.error(
                request,
                _("The step was not taken: {}").format("; ".join(e for errs in form.errors.values() for e in errs)),
            )
            return HttpResponseRedirect(url)
        data = form.cleaned_data
        try:
            # One transaction: the decision entered as a placeholder document exists only if the
            # step is taken — a refused step (ValidationError, or PermissionDenied on its way to
            # the 403) leaves no document behind.
            with transaction.atomic():
                document = None
                if data.get("document"):
                    from apps.documents import services as documents

                    document = documents.document_placeholder(
                        notation=data["document"], unit=item.unit, by=request.user, issued_on=data.get("on")
                    )
                services.aid_step(
                    item=item,
                    action=data["action"],
                    by=request.user,
                    on=data.get("on"),
                    document=document,
                    reason=data.get("reason") or "",
                    agency=data.get("agency") or "",
                    opinion=data.get("opinion") or "",
                    favourable=data.get("favourable"),
                    approving_authority=data.get("approving_authority") or "",
                )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Done."))
        return HttpResponseRedirect(url)


class TransactionAddView(RegistryMixin, View):
    model = AidItem

    def post(self, request, pk):
        item = self.get_object(pk, CHANGE)
        form = TransactionForm(request.POST, user=request.user)
        url = item.get_absolute_url() + "?tab=money"
        if not form.is_valid():
            messages.error(
                request,
                _("The transaction was not saved: {}").format(
                    "; ".join(e for errs in form.errors.values() for e in errs)
                ),
            )
            return HttpResponseRedirect(url)
        try:
            data = {k: v for k, v in form.cleaned_data.items() if k in TransactionForm.Meta.fields}
            services.transaction_add(item=item, by=request.user, **data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Transaction saved."))
        return HttpResponseRedirect(url)


class TransactionListView(ObjectListView):
    model = Transaction
    filterset_class = TransactionFilterSet
    table_class = TransactionTable
    queryset_hook = staticmethod(lambda qs: qs.select_related("aid_item"))
    export_stem = "giao-dich-vien-tro"

    def can_add(self):
        return False


class TransactionDetailView(ObjectDetailView):
    model = Transaction
    template_name = "aid/transaction_detail.html"
    queryset_hook = staticmethod(lambda qs: qs.select_related("aid_item"))


class TransactionEditView(ObjectEditView):
    model = Transaction
    form_class = TransactionForm

    def _instance(self, pk):
        if pk is None:
            raise PermissionDenied(_("Add a transaction from its aid item's page."))
        return super()._instance(pk)

    def save(self, form, instance):
        return services.transaction_save(tx=form.save(commit=False), by=self.request.user)


class TransactionDeleteView(ObjectDeleteView):
    model = Transaction

    def delete(self, obj):
        services.transaction_delete(tx=obj, by=self.request.user)

    def post(self, request, pk):
        obj = self.get_object(pk, self.edit_action)
        back = obj.aid_item.get_absolute_url() + "?tab=money"
        try:
            self.delete(obj)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Deleted “{}”.").format(obj))
        return HttpResponseRedirect(back)


class ExchangeRateListView(ObjectListView):
    model = ExchangeRate
    filterset_class = ExchangeRateFilterSet
    table_class = ExchangeRateTable
    export_stem = "ty-gia"
    template_name = "aid/exchangerate_list.html"

    def can_add(self):
        return _may_keep_rates(self.request.user)


def _may_keep_rates(user) -> bool:
    scope = get_scope(user)
    return scope.is_superuser or bool(scope.subtree_paths(CHANGE))


class ExchangeRateDetailView(ObjectDetailView):
    model = ExchangeRate
    template_name = "aid/exchangerate_detail.html"


class ExchangeRateEditView(ObjectEditView):
    model = ExchangeRate
    form_class = ExchangeRateForm

    def _instance(self, pk):
        if pk is None and not _may_keep_rates(self.request.user):
            raise PermissionDenied(_("Only a coordinator or an administrator may change exchange rates."))
        return super()._instance(pk)

    def save(self, form, instance):
        return services.rate_save(rate=form.save(commit=False), by=self.request.user)


class ExchangeRateDeleteView(ObjectDeleteView):
    model = ExchangeRate

    def delete(self, obj):
        services.rate_delete(rate=obj, by=self.request.user)


class ExchangeRateImportView(LoginRequiredMixin, View):
    template = "aid/upload.html"

    def _check(self, request):
        if not _may_keep_rates(request.user):
            raise PermissionDenied(_("Only a coordinator or an administrator may change exchange rates."))

    def get(self, request):
        self._check(request)
        return render(
            request,
            self.template,
            {
                "form": UploadForm(),
                "title": _("Import exchange rates"),
                "help": _("CSV (UTF-8) or Excel: columns currency, date (dd/mm/yyyy), VND per unit, source."),
            },
        )

    def post(self, request):
        self._check(request)
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > 5 * 1024 * 1024:
                form.add_error("file", _("The file is larger than 5 MB."))
            else:
                try:
                    rows = services.read_rate_rows(upload.name, upload.read())
                    result = services.rates_import(rows=rows, by=request.user)
                except ValidationError as exc:
                    for message in exc.messages[:50]:
                        form.add_error("file", message)
                else:
                    messages.success(
                        request, _("{} rate(s) added, {} updated.").format(result["created"], result["updated"])
                    )
                    return HttpResponseRedirect(reverse("aid:exchangerate_list"))
        return render(request, self.template, {"form": form, "title": _("Import exchange rates")}, status=400)


def _statistics_filters(form) -> statistics.Filters:
    data = form.cleaned_data
    return statistics.Filters(
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        unit=data.get("unit"),
        donor_id=data.get("donor"),
        country_id=data["country"].pk if data.get("country") else None,
        sector=(data.get("sector") or "").strip(),
        province_code=data.get("province"),
        kind=data.get("kind") or "",
    )


class StatisticsView(LoginRequiredMixin, View):
    template_name = "aid/statistics.html"

    def get(self, request):
        today = timezone.localdate()
        params = request.GET.copy()
        if not params:
            params["date_from"] = date(today.year, 1, 1).strftime("%d/%m/%Y")
            params["date_to"] = date(today.year, 12, 31).strftime("%d/%m/%Y")
        form = StatisticsForm(params, user=request.user)
        choices = _statistics_choices(request.user, form)
        if not form.is_valid():
            return render(
                request, self.template_name, {"form": form, "title": _("Aid statistics"), **choices}, status=400
            )
        stats = statistics.compute(request.user, _statistics_filters(form))
        if request.GET.get("export") == "xlsx":
            return _statistics_xlsx(stats)
        context = {
            "form": form,
            "title": _("Aid statistics"),
            "stats": stats,
            "chart": statistics.chart_data(stats),
            "stats_query": params.urlencode(),
            **choices,
        }
        return render(request, self.template_name, context)


class StalledView(LoginRequiredMixin, View):
    """The alert of approved items with no implementation for 6 months: a fragment the statistics
    page loads after itself (it scans every approved item the user sees)."""

    def get(self, request):
        stalled = services.stalled_items(AidItem.objects.for_user(request.user)).order_by("approved_on")
        rows = list(stalled.values_list("pk", "code")[:11])
        return render(request, "aid/statistics.html#stalled", {"stalled": rows[:10], "more": len(rows) > 10})


def _statistics_choices(user, form) -> dict:
    """Plain (value, label) lists for the hand-written filter bar, and what is selected."""
    from apps.accounts.models import Unit
    from apps.aid import reference
    from apps.partners.models import Country

    # Values as strings: an int in a template goes through number formatting, thousands of times.
    def as_text(rows):
        return [(str(value), label) for value, label in rows]

    return {
        "unit_choices": as_text(
            Unit.objects.for_user(user).filter(depth__lte=3).order_by("path").values_list("pk", "name")[:500]
        ),
        "country_choices": as_text(Country.objects.order_by("name_vi").values_list("pk", "name_vi")),
        "province_choices": as_text(sorted(reference.provinces().items(), key=lambda kv: kv[1])),
        "kind_choices": [(value, str(label)) for value, label in AidItem.Kind.choices],
        "selected": {name: str(form.data.get(name) or "") for name in ("unit", "country", "province")},
    }


def _statistics_xlsx(stats) -> HttpResponse:
    import io

    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Aid statistics")[:31])
    sheet.append([stats.sentence])
    sheet.append([])
    sheet.append(
        [_("Kind"), _("Items"), _("Committed (USD)"), _("Committed (VND)"), _("Disbursed (USD)"), _("Disbursed (VND)")]
    )
    for row in stats.rows + [stats.total]:
        sheet.append([row.label, row.count, row.committed_usd, row.committed_vnd, row.disbursed_usd, row.disbursed_vnd])
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="thong-ke-vien-tro.xlsx"'
    return response


class IatiImportView(LoginRequiredMixin, View):
    template = "aid/upload.html"

    def _check(self, request):
        if not get_scope(request.user).can(CHANGE):
            raise PermissionDenied(_("Your role does not allow importing aid."))

    def get(self, request):
        self._check(request)
        return render(
            request,
            self.template,
            {
                "form": IatiImportForm(user=request.user),
                "title": _("Import an IATI file"),
                "help": _(
                    "IATI 2.03 activity file (XML). It is read in the background; the job page shows the progress."
                ),
            },
        )

    def post(self, request):
        from apps.core.jobs import job_enqueue

        self._check(request)
        form = IatiImportForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            head = upload.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
            upload.seek(0)
            if not head.startswith(b"<"):
                form.add_error("file", _("“{}” is not an XML file.").format(upload.name))
            else:
                from django.conf import settings

                folder = settings.BASE_DIR / "var" / "uploads"
                folder.mkdir(parents=True, exist_ok=True)
                with tempfile.NamedTemporaryFile(dir=folder, suffix=".xml", delete=False) as out:
                    for chunk in upload.chunks():
                        out.write(chunk)
                job = job_enqueue(
                    kind="aid.import_iati",
                    name=_("IATI import: {}").format(upload.name[:150]),
                    user=request.user,
                    params={
                        "path": out.name,
                        "unit_id": form.cleaned_data["unit"].pk,
                        "user_id": request.user.pk,
                        "country": "VN" if form.cleaned_data["only_vietnam"] else "",
                        "strict": form.cleaned_data["strict"],
                        "name": upload.name[:200],
                    },
                )
                return HttpResponseRedirect(job.get_absolute_url())
        return render(request, self.template, {"form": form, "title": _("Import an IATI file")}, status=400)


class IatiExportView(LoginRequiredMixin, View):
    """The aid items the user may see (filtered like the list) as an IATI 2.03 file."""

    def get(self, request):
        from apps.aid.iati import export_file

        filterset = AidItemFilterSet(
            request.GET or None, queryset=AidItem.objects.for_user(request.user), request=request
        )
        queryset = filterset.qs if (not filterset.is_bound or filterset.is_valid()) else AidItem.objects.none()
        with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as out:
            export_file(out, queryset.order_by("pk"))
            out.seek(0)
            data = out.read()
        response = HttpResponse(data, content_type="application/xml")
        response["Content-Disposition"] = 'attachment; filename="iati-activities.xml"'
        return response
