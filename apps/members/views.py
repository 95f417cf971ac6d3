"""Member organisations (list, page with counts, congresses, leaders, activities and awards) and
the awards registry."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views import View

from apps.core.querysets import CHANGE, VIEW
from apps.core.views.generic import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    apply_errors,
    rerender,
)
from apps.members import selectors, services
from apps.members.filtersets import AwardFilterSet, MemberOrganisationFilterSet
from apps.members.forms import AwardForm, CongressForm, LeaderForm, MemberOrganisationForm, MembershipCountForm
from apps.members.models import Award, Congress, Leader, MemberOrganisation, MembershipCount
from apps.members.tables import AwardTable, MemberOrganisationTable


class MemberOrganisationListView(ObjectListView):
    model = MemberOrganisation
    filterset_class = MemberOrganisationFilterSet
    table_class = MemberOrganisationTable
    queryset_hook = staticmethod(selectors.organisation_reads)
    template_name = "members/memberorganisation_list.html"
    export_stem = "to-chuc-thanh-vien"


class MemberOrganisationDetailView(ObjectDetailView):
    model = MemberOrganisation
    queryset_hook = staticmethod(selectors.organisation_reads)
    forms = None

    def get_extra_context(self, organisation):
        can_change = self.can_act(organisation, CHANGE)
        forms = self.forms or {}
        return {
            "counts": organisation.member_counts.order_by("-year"),
            "congresses": organisation.congresses.order_by("-held_on"),
            "leaders": organisation.leaders.order_by("-term_start", "id"),
            "activities": selectors.organisation_activities(organisation, self.request.user),
            "awards": Award.objects.for_user(self.request.user, VIEW)
            .filter(unit=organisation.unit)
            .select_related("decision")
            .order_by("-year", "id")[:50],
            "count_form": forms.get("count") or (MembershipCountForm() if can_change else None),
            "congress_form": forms.get("congress") or (CongressForm(user=self.request.user) if can_change else None),
            "leader_form": forms.get("leader") or (LeaderForm() if can_change else None),
        }


class MemberOrganisationEditView(ObjectEditView):
    model = MemberOrganisation
    form_class = MemberOrganisationForm

    def save(self, form, instance):
        data = form.cleaned_data
        unit = instance.unit if instance is not None else data["unit"]
        return services.organisation_save(
            by=self.request.user,
            unit=unit,
            instance=instance,
            countries=data.get("countries") or [],
            **{name: data.get(name) for name in services.ORGANISATION_FIELDS},
        )


class MemberOrganisationDeleteView(ObjectDeleteView):
    model = MemberOrganisation

    def delete(self, obj):
        services.organisation_delete(by=self.request.user, organisation=obj)


class OrganisationRowAddView(LoginRequiredMixin, View):
    """Add a yearly count, a congress or a leader from the organisation's page."""

    kinds = {
        "count": (MembershipCountForm, services.membership_record, _("Membership count recorded.")),
        "congress": (CongressForm, services.congress_record, _("Congress recorded.")),
        "leader": (LeaderForm, services.leader_record, _("Leader recorded.")),
    }

    def post(self, request, pk, kind):
        if kind not in self.kinds:
            raise Http404
        organisation = MemberOrganisation.objects.for_user(request.user, VIEW).filter(pk=pk).first()
        if organisation is None:
            raise Http404(_("No such record, or you may not see it."))
        form_class, service, done = self.kinds[kind]
        form = form_class(request.POST, user=request.user) if form_class is CongressForm else form_class(request.POST)
        if form.is_valid():
            try:
                fields = {k: v for k, v in form.cleaned_data.items() if not k.startswith("_")}
                service(by=request.user, organisation=organisation, **fields)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, done)
                return HttpResponseRedirect(organisation.get_absolute_url())
        return rerender(MemberOrganisationDetailView, request, pk, forms={kind: form})


class OrganisationRowDeleteView(LoginRequiredMixin, View):
    models = {"count": MembershipCount, "congress": Congress, "leader": Leader}

    def post(self, request, kind, pk):
        model = self.models.get(kind)
        if model is None:
            raise Http404
        row = model.objects.for_user(request.user, VIEW).select_related("organisation").filter(pk=pk).first()
        if row is None:
            raise Http404(_("No such record, or you may not see it."))
        services.child_delete(by=request.user, row=row)
        messages.success(request, _("Deleted “{}”.").format(row))
        return HttpResponseRedirect(row.organisation.get_absolute_url())


class AwardListView(ObjectListView):
    model = Award
    filterset_class = AwardFilterSet
    table_class = AwardTable
    queryset_hook = staticmethod(lambda qs: qs.select_related("unit", "decision"))
    export_stem = "khen-thuong"


class AwardDetailView(ObjectDetailView):
    model = Award
    queryset_hook = staticmethod(lambda qs: qs.select_related("unit", "decision"))


class AwardEditView(ObjectEditView):
    model = Award
    form_class = AwardForm

    def save(self, form, instance):
        data = form.cleaned_data
        return services.award_save(
            by=self.request.user,
            unit=data["unit"],
            instance=instance,
            **{name: data.get(name) for name in services.AWARD_FIELDS},
        )


class AwardDeleteView(ObjectDeleteView):
    model = Award

    def delete(self, obj):
        services.award_delete(by=self.request.user, award=obj)
