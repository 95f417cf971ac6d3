import django_filters
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import RoleAssignment, Unit, User
from apps.core.filtersets import BaseFilterSet


class UnitFilterSet(BaseFilterSet):
    kind = django_filters.ChoiceFilter(choices=Unit.Kind.choices, label=_("Kind"), empty_label=_("All"))
    status = django_filters.ChoiceFilter(
        label=_("Status"), method="filter_status", empty_label=_("All"),
        choices=(("active", _("In operation")), ("ended", _("Merged / dissolved"))),
    )
    parent = django_filters.ModelChoiceFilter(
        method="filter_parent", label=_("Under unit"), empty_label=_("All"),
        queryset=lambda request: Unit.objects.for_user(request.user) if request else Unit.objects.none(),
    )

    class Meta:
        model = Unit
        fields = ["q", "kind", "status", "parent"]

    def filter_status(self, queryset, name, value):
        active = Unit.objects.active_on().values("pk")
        return queryset.filter(pk__in=active) if value == "active" else queryset.exclude(pk__in=active)

    def filter_parent(self, queryset, name, value):
        return queryset.filter(path__startswith=value.path).exclude(pk=value.pk)


class UserFilterSet(BaseFilterSet):
    role = django_filters.ChoiceFilter(choices=RoleAssignment.Role.choices, method="filter_role", label=_("Role"), empty_label=_("All"))
    unit = django_filters.ModelChoiceFilter(
        method="filter_unit", label=_("Unit"), empty_label=_("All"),
        queryset=lambda request: Unit.objects.for_user(request.user) if request else Unit.objects.none(),
    )
    is_active = django_filters.ChoiceFilter(
        label=_("Status"), method="filter_active", empty_label=_("All"),
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
