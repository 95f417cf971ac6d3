import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import RoleAssignment, Unit, User
from apps.core.filtersets import BaseFilterSet


def unit_by_code_or_id(value: str, user=None):
    value = (value or "").strip()
    # Only units the user may see: an error must not reveal that a code exists elsewhere.
    units = Unit.objects.for_user(user) if user is not None else Unit.objects.none()
    if value.isdecimal() and len(value) < 19:
        return units.filter(pk=int(value)).only("pk", "path").first()
    return units.filter(code=value.upper()).only("pk", "path").first()


class UnitCodeField(forms.CharField):
    """A unit given by its code (or ID); an unknown one is a form error, not an empty list."""

    user = None

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        unit = unit_by_code_or_id(value, self.user)
        if unit is None:
            raise forms.ValidationError(_("No unit has the code “%(code)s”."), params={"code": value[:60]})
        return unit


class UnitCodeFilter(django_filters.Filter):
    field_class = UnitCodeField

    @property
    def field(self):
        field = super().field
        request = getattr(self.parent, "request", None)
        field.user = getattr(request, "user", None)
        return field


class UnitFilterSet(BaseFilterSet):
    kind = django_filters.ChoiceFilter(choices=Unit.Kind.choices, label=_("Kind"), empty_label=_("All"))
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        method="filter_status",
        empty_label=_("All"),
        choices=(("active", _("In operation")), ("ended", _("Merged / dissolved"))),
    )
    # A code (or ID) rather than a drop-down: a national list would put thousands of options on
    # every page.
    parent = UnitCodeFilter(method="filter_parent", label=_("Under unit (code)"))

    class Meta:
        model = Unit
        fields = ["q", "kind", "status", "parent"]

    def filter_status(self, queryset, name, value):
        active = Unit.objects.active_on().values("pk")
        return queryset.filter(pk__in=active) if value == "active" else queryset.exclude(pk__in=active)

    def filter_parent(self, queryset, name, value):
        return queryset.filter(path__startswith=value.path).exclude(pk=value.pk)


class UserFilterSet(BaseFilterSet):
    role = django_filters.ChoiceFilter(
        choices=RoleAssignment.Role.choices, method="filter_role", label=_("Role"), empty_label=_("All")
    )
    unit = UnitCodeFilter(method="filter_unit", label=_("Unit (code)"))
    is_active = django_filters.ChoiceFilter(
        label=_("Status"),
        method="filter_active",
        empty_label=_("All"),
        choices=(("true", _("Active")), ("false", _("Deactivated"))),
    )

    class Meta:
        model = User
        fields = ["q", "role", "unit", "is_active"]

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=(value == "true"))

    def filter_role(self, queryset, name, value):
        return queryset.filter(pk__in=RoleAssignment.objects.filter(role=value).values("user_id"))

    def filter_unit(self, queryset, name, value):
        return queryset.filter(pk__in=RoleAssignment.objects.filter(unit=value).values("user_id"))
