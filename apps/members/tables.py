import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from apps.members.models import Award, MemberOrganisation


class MemberOrganisationTable(tables.Table):
    unit = tables.Column(
        linkify=lambda record: record.get_absolute_url(),
        verbose_name=_("Member organisation"),
        order_by=("unit__name",),
    )
    kind = tables.Column(verbose_name=_("Kind"))
    countries = tables.Column(verbose_name=_("Counterpart countries"), orderable=False, empty_values=())
    founded_on = tables.DateColumn(verbose_name=_("Founded on"), format="d/m/Y")
    members = tables.Column(verbose_name=_("Members (latest year)"), orderable=False, empty_values=())

    class Meta:
        model = MemberOrganisation
        fields = ("unit", "kind", "countries", "founded_on", "members")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "memberorganisation-table"}

    def render_unit(self, value, record):
        return record.unit.name

    value_unit = render_unit

    def render_kind(self, value, record):
        return record.get_kind_display()

    def render_countries(self, value, record):
        return ", ".join(str(c) for c in record.countries.all()) or "—"

    value_countries = render_countries

    # latest_members / latest_year come from selectors.organisation_reads (one query, no per-row lookup)
    def render_members(self, value, record):
        if record.latest_members is None:
            return "—"
        return "{} ({})".format(record.latest_members, record.latest_year)

    def value_members(self, value, record):
        return record.latest_members if record.latest_members is not None else ""


class AwardTable(tables.Table):
    name = tables.Column(linkify=True, verbose_name=_("Award"))
    kind = tables.Column(verbose_name=_("Kind"))
    year = tables.Column(verbose_name=_("Year"))
    recipient = tables.Column(verbose_name=_("Awarded to"), empty_values=(), order_by=("unit__name", "person"))
    issuer = tables.Column(verbose_name=_("Awarded by"))
    decision = tables.Column(verbose_name=_("Decision"), order_by=("decision__notation",))

    class Meta:
        model = Award
        fields = ("name", "kind", "year", "recipient", "issuer", "decision")
        order_by = ("-year",)
        attrs = {"class": "table table-sm table-hover align-middle", "id": "award-table"}

    def render_kind(self, value, record):
        return record.get_kind_display()

    value_kind = render_kind

    def render_year(self, value, record):
        return str(value)

    value_year = render_year

    def render_recipient(self, value, record):
        if record.person:
            return "{} — {}".format(record.recipient, record.unit.short_name or record.unit.name)
        return record.unit.name

    value_recipient = render_recipient

    def render_decision(self, value, record):
        return record.decision.notation or str(record.decision)

    value_decision = render_decision
