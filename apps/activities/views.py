"""Pages of agreements, activities and delegation members. Services do the work."""

import functools
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.views import View

from apps.accounts.scoping import get_scope
from apps.activities import places, selectors, services
from apps.activities.filtersets import ActivityFilterSet, AgreementFilterSet
from apps.activities.forms import ActivityForm, AgreementForm, MemberForm
from apps.activities.models import Activity, Agreement, DelegationMember
from apps.activities.tables import ActivityTable, AgreementTable
from apps.core.querysets import CHANGE, VIEW
from apps.core.views.generic import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    RegistryMixin,
)

# -- agreements --------------------------------------------------------------------------------


class AgreementListView(ObjectListView):
    """Agreements; ``?expiring_within=N`` lists those ending within N days, ``?idle_days=365``
    those in force with no activity in the last year."""

    model = Agreement
    filterset_class = AgreementFilterSet
    table_class = AgreementTable
    queryset_hook = staticmethod(selectors.agreement_reads)
    export_stem = "thoa-thuan"
    template_name = "activities/agreement_list.html"


class AgreementDetailView(ObjectDetailView):
    model = Agreement
    queryset_hook = staticmethod(selectors.agreement_reads)

    def get_extra_context(self, agreement):
        user = self.request.user
        return {
            "other_units": agreement.other_units.all(),
            "commitments": agreement.commitments.annotate(
                n_activities=Count("activities", filter=~Q(activities__status=Activity.Status.CANCELLED))
            ).select_related("responsible_unit"),
            "years": selectors.agreement_years(agreement=agreement, user=user),
            "can_add_activity": get_scope(user).can(CHANGE),
        }


class AgreementEditView(ObjectEditView):
    model = Agreement
    form_class = AgreementForm

    def get_form(self, request, instance):
        form = super().get_form(request, instance)
        if instance is None and request.method == "GET":
            _default_unit(request, form)
            partner = request.GET.get("partner")
            if partner and partner.isdecimal() and len(partner) < 19:
                form.fields["partners"].initial = [int(partner)]
        return form

    def save(self, form, instance):
        agreement = form.save(commit=False)
        return services.agreement_save(
            agreement=agreement,
            by=self.request.user,
            other_units=form.cleaned_data.get("other_unit_codes") or [],
            partners=list(form.cleaned_data.get("partners") or []),
            commitments=form.commitments(),
        )


class AgreementDeleteView(ObjectDeleteView):
    model = Agreement

    def delete(self, obj):
        services.agreement_delete(agreement=obj, by=self.request.user)


# -- activities --------------------------------------------------------------------------------


def _default_unit(request, form):
    own = get_scope(request.user).own_unit_ids(CHANGE) or list(
        form.fields["unit"].queryset.values_list("pk", flat=True)[:1]
    )
    if own:
        form.fields["unit"].initial = own[0]


class ActivityListView(ObjectListView):
    model = Activity
    filterset_class = ActivityFilterSet
    table_class = ActivityTable
    queryset_hook = staticmethod(selectors.activity_list_reads)
    export_stem = "hoat-dong"
    template_name = "activities/activity_list.html"


class ActivityDetailView(ObjectDetailView):
    model = Activity
    queryset_hook = staticmethod(selectors.activity_reads)

    def get_extra_context(self, activity):
        from apps.tasks.models import Task

        user = self.request.user
        return {
            "members": activity.members.all() if activity.is_delegation else [],
            "participating_units": activity.participating_units.all(),
            "agreements": activity.agreements.all(),
            "commitments": activity.commitments.select_related("agreement"),
            "tasks": Task.objects.for_user(user, VIEW).filter(activities=activity).select_related("lead_unit"),
            "statuses": Activity.Status.choices,
            "needs_approval": activity.kind == Activity.Kind.OUTGOING_DELEGATION
            and activity.approval_document_id is None,
        }


class ActivityEditView(ObjectEditView):
    model = Activity
    form_class = ActivityForm

    def get_form(self, request, instance):
        form = super().get_form(request, instance)
        if instance is None and request.method == "GET":
            _default_unit(request, form)
            if request.GET.get("kind") in Activity.Kind.values:
                form.fields["kind"].initial = request.GET["kind"]
            for name in ("partner", "agreement"):
                value = request.GET.get(name)
                if value and value.isdecimal() and len(value) < 19:
                    form.fields[name + "s"].initial = [int(value)]
        return form

    def save(self, form, instance):
        activity = form.save(commit=False)
        activity.vn_province_code = form.cleaned_data.get("vn_province_code")
        activity.vn_ward_code = form.cleaned_data.get("vn_ward_code")
        activity.approval_document = form.cleaned_data.get("approval_document")
        return services.activity_save(
            activity=activity,
            by=self.request.user,
            participating_units=form.cleaned_data.get("participating_codes") or [],
            partners=list(form.cleaned_data.get("partners") or []),
            countries=list(form.cleaned_data.get("countries") or []),
            tasks=form.cleaned_data.get("task_ids") or [],
            agreements=list(form.cleaned_data.get("agreements") or []),
            commitments=list(form.cleaned_data.get("commitments") or []),
        )


class ActivityDeleteView(ObjectDeleteView):
    model = Activity

    def delete(self, obj):
        services.activity_delete(activity=obj, by=self.request.user)


class ActivityStatusView(RegistryMixin, View):
    """Mark an activity held (a delegation: travelled), cancelled or planned again."""

    model = Activity

    def post(self, request, pk):
        activity = self.get_object(pk, CHANGE)
        try:
            services.activity_set_status(activity=activity, status=request.POST.get("status", ""), by=request.user)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("“{}” is now: {}.").format(activity, activity.get_status_display()))
        return HttpResponseRedirect(activity.get_absolute_url())


class WardOptionsView(LoginRequiredMixin, View):
    """The communes and wards of the chosen province, for the activity form (htmx)."""

    def get(self, request):
        raw = request.GET.get("vn_province_code", "")
        code = int(raw) if raw.isdecimal() and len(raw) < 4 else None
        options = format_html_join(
            "", '<option value="{}">{}</option>', ((c, n) for c, n in (places.wards(code) if code else []))
        )
        return HttpResponse(
            format_html(
                '<select name="vn_ward_code" class="form-select" id="id_vn_ward_code"><option value="">—</option>{}</select>',
                options,
            )
        )


# -- delegation members ------------------------------------------------------------------------


class MemberEditView(ObjectEditView):
    """Add (under ``/activities/<activity>/members/add/``) or edit a member of a delegation."""

    model = DelegationMember
    form_class = MemberForm
    activity = None

    def _instance(self, pk):
        if pk is None:
            activity = Activity.objects.for_user(self.request.user, VIEW).filter(pk=self.kwargs.get("activity")).first()
            if activity is None:
                raise Http404(_("No such record, or you may not see it."))
            if not Activity.objects.for_user(self.request.user, CHANGE).filter(pk=activity.pk).exists():
                raise PermissionDenied(_("You may see this record but not change it."))
            self.activity = activity
            self.cancel_url = activity.get_absolute_url()
            return None
        return self.get_object(pk, self.edit_action)

    def get(self, request, pk=None, activity=None):
        return super().get(request, pk)

    def post(self, request, pk=None, activity=None):
        return super().post(request, pk)

    def get_form(self, request, instance):
        return self.form_class(
            request.POST or None, instance=instance or DelegationMember(activity=self.activity), user=request.user
        )

    def save(self, form, instance):
        return services.member_save(member=form.instance, by=self.request.user)


class MemberDeleteView(ObjectDeleteView):
    model = DelegationMember

    def post(self, request, pk):
        member = self.get_object(pk, self.edit_action)
        url = member.activity.get_absolute_url()
        services.member_delete(member=member, by=request.user)
        messages.success(request, _("Deleted “{}”.").format(member))
        return HttpResponseRedirect(url)


# -- calendar and ICS feed ---------------------------------------------------------------------

ACTIVITIES_PER_DAY = 3


class CalendarView(LoginRequiredMixin, View):
    """Activities of one month as a calendar (Monday first): per day how many and the first few,
    each day linking to the filtered list (which exports to Excel); the personal ICS address."""

    def get(self, request):
        import calendar
        from datetime import date, timedelta

        from django.shortcuts import render
        from django.utils import timezone

        from apps.activities import ics

        today = timezone.localdate()
        try:
            year, month = (int(part) for part in request.GET.get("month", "").split("-"))
            if not 1900 <= year <= 2200:
                raise ValueError(year)  # the grid and its neighbour months must stay within dates
            first = date(year, month, 1)
        except (ValueError, TypeError):
            first = today.replace(day=1)
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        grid = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
        grid_start, grid_end = grid[0][0], grid[-1][-1]  # the neighbour months' days shown greyed
        base = Activity.objects.for_user(request.user, VIEW).exclude(status=Activity.Status.CANCELLED)
        starting = base.filter(start_date__gte=grid_start, start_date__lte=grid_end)
        counts = dict(starting.order_by().values_list("start_date").annotate(n=Count("pk")))
        shown: dict = {}
        fields = ("pk", "title", "kind", "start_date", "end_date", "status")
        for activity in starting.only(*fields).order_by("start_date", "id")[:2000]:
            day = shown.setdefault(activity.start_date, [])
            if len(day) < ACTIVITIES_PER_DAY:
                day.append(activity)
        # An activity of several days is on each of them (a visit from 30/1 to 3/2 is in February too).
        spanning = base.filter(end_date__gt=F("start_date"), start_date__lte=grid_end, end_date__gte=grid_start)
        for activity in spanning.only(*fields).order_by("start_date", "id")[:2000]:
            day = max(activity.start_date + timedelta(days=1), grid_start)
            # bounded by the grid (six weeks at most); no cap of its own, or a long stay would be
            # counted on fewer days than its day links list
            end = min(activity.end_date, grid_end)
            while day <= end:
                counts[day] = counts.get(day, 0) + 1
                listed = shown.setdefault(day, [])
                if len(listed) < ACTIVITIES_PER_DAY:
                    listed.append(activity)
                day += timedelta(days=1)
        month_total = (
            base.filter(start_date__lte=last)
            .filter(Q(start_date__gte=first) | Q(end_date__gte=first))
            .order_by()
            .count()
        )
        list_url = reverse("activities:activity_list")
        weeks = [
            [
                {
                    "day": day,
                    "in_month": day.month == first.month,
                    "is_today": day == today,
                    "count": counts.get(day, 0),
                    "activities": shown.get(day, []),
                    "more": counts.get(day, 0) - len(shown.get(day, [])),
                    # the rows counted: not cancelled, begun by that day and not over before it
                    "url": "{}?start_after={d}&start_before={d}&overlapping=true&not_cancelled=true".format(
                        list_url, d=day.strftime("%d/%m/%Y")
                    ),
                }
                for day in week
            ]
            for week in grid
        ]
        # month_total counts every activity overlapping the month (a visit from 29/11 to 2/12 is in
        # December too), cancelled ones aside; its link lists the same rows
        month_query = "start_after={}&start_before={}&overlapping=true&not_cancelled=true".format(
            first.strftime("%d/%m/%Y"), last.strftime("%d/%m/%Y")
        )
        feed = request.build_absolute_uri(
            reverse("activities:activity_feed", args=[request.user.pk, ics.feed_key(request.user)])
        )
        return render(
            request,
            "activities/calendar.html",
            {
                "title": _("Calendar of activities"),
                "first": first,
                "weeks": weeks,
                "weekdays": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
                "previous": (first - timedelta(days=1)).strftime("%Y-%m"),
                "following": (last + timedelta(days=1)).strftime("%Y-%m"),
                "this_month": today.strftime("%Y-%m"),
                "month_total": month_total,
                "month_list_url": "{}?{}".format(list_url, month_query),
                "month_export_url": "{}?{}&export=xlsx".format(list_url, month_query),
                "feed_url": feed,
            },
        )


class ActivityFeedView(View):
    """The personal ICS feed: no session (calendar clients have none), the key in the address."""

    def get(self, request, user_id, key):
        from apps.accounts.models import User
        from apps.activities import ics

        user = User.objects.filter(pk=user_id, is_active=True).first() if 0 < user_id < 2**62 else None
        if user is None or not ics.key_matches(user, key):
            raise Http404(_("No such calendar."))
        body = ics.render_feed(
            ics.activities_for_feed(user), request.build_absolute_uri("/"), str(_("HữuNghị — activities"))
        )
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="hoat-dong.ics"'
        response["Cache-Control"] = "private, max-age=900"
        return response


class MapView(LoginRequiredMixin, View):
    """A world map of how many activities (that the user may see) involved each country, for a
    year or all years, from one aggregate query over the activity–country links."""

    def get(self, request):

        import pycountry
        from django.shortcuts import render

        from apps.partners.models import Country

        filterset = ActivityFilterSet(request.GET or None, queryset=Activity.objects.for_user(request.user, VIEW))
        visible = filterset.qs if (not filterset.is_bound or filterset.is_valid()) else Activity.objects.none()
        through = Activity.countries.through
        counts = dict(
            through.objects.filter(activity__in=visible.exclude(status=Activity.Status.CANCELLED).values("pk"))
            .order_by()
            .values_list("country_id")
            .annotate(n=Count("activity_id"))
        )

        @functools.cache
        def numeric(code):
            found = pycountry.countries.get(alpha_2=code)
            return found.numeric if found else None

        # Each country links to the list with the filters its count used: the map's own (kind,
        # year, unit …), that country, and no cancelled activity (the map does not count them).
        carried = []
        if not filterset.is_bound or filterset.is_valid():
            carried = [
                (key, value)
                for key in filterset.filters
                if key not in ("country", "not_cancelled")
                for value in request.GET.getlist(key)
                if value != ""
            ]
        rows = []
        for country in Country.objects.filter(pk__in=counts).only("pk", "code", "name_vi", "name_en"):
            rows.append(
                {
                    "id": numeric(country.code),
                    "code": country.code,
                    "name": country.display_name,
                    "value": counts[country.pk],
                    "url": "{}?{}".format(
                        reverse("activities:activity_list"),
                        urlencode([("country", country.code)] + carried + [("not_cancelled", "true")]),
                    ),
                }
            )
        rows.sort(key=lambda r: -r["value"])
        return render(
            request,
            "activities/map.html",
            {
                "title": _("Activities by country"),
                "filterset": filterset,
                "rows": rows,
                "map_data": {"countries": rows, "label": str(_("Activities"))},
            },
        )


class ActivityImportView(LoginRequiredMixin, View):
    """Upload an Excel sheet of activities; a background job checks every row and writes only a
    clean file, in one transaction (or only the valid rows, when asked)."""

    template_name = "activities/activity_import.html"

    def _check(self, request):
        if not get_scope(request.user).can(CHANGE):
            raise PermissionDenied(_("Your role does not allow entering activities."))

    def _form(self, request, data=None, files=None):
        from apps.partners.forms import ImportForm

        form = ImportForm(data, files, user=request.user)
        form.fields["unit"].label = _("Organising unit of the new activities")
        return form

    def get(self, request):
        from django.shortcuts import render

        self._check(request)
        if request.GET.get("template"):
            import tempfile

            from django.http import FileResponse

            from apps.activities.imports import template_workbook

            handle = tempfile.TemporaryFile()
            template_workbook().save(handle)
            handle.seek(0)
            return FileResponse(handle, as_attachment=True, filename="mau-nhap-hoat-dong.xlsx")
        return render(
            request, self.template_name, {"title": _("Import activities from Excel"), "form": self._form(request)}
        )

    def post(self, request):
        import uuid

        from django.shortcuts import render

        from apps.accounts.imports import upload_dir
        from apps.core.jobs import job_enqueue
        from apps.core.uploads import UploadRejected, check_attachment

        self._check(request)
        form = self._form(request, request.POST, request.FILES)
        name = ""
        if form.is_valid():
            try:
                name, _mime = check_attachment(form.cleaned_data["file"], max_bytes=20 * 1024 * 1024)
                if not name.lower().endswith(".xlsx"):
                    form.add_error("file", _("“{}” is not an .xlsx file.").format(name))
            except UploadRejected as exc:
                form.add_error("file", str(exc))
        if not form.is_valid():
            return render(
                request, self.template_name, {"title": _("Import activities from Excel"), "form": form}, status=400
            )
        target = upload_dir() / "{}.xlsx".format(uuid.uuid4().hex)
        with target.open("wb") as out:
            for chunk in form.cleaned_data["file"].chunks():
                out.write(chunk)
        job = job_enqueue(
            kind="activities.import_activities",
            name=_("Import activities from {}").format(name),
            user=request.user,
            params={
                "path": str(target),
                "user_id": request.user.pk,
                "unit_id": form.cleaned_data["unit"].pk,
                "valid_only": bool(request.POST.get("valid_only")),
            },
        )
        return HttpResponseRedirect(job.get_absolute_url())
