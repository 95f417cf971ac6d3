import django_filters
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import RoleAssignment, Unit, User
from apps.core.filtersets import BaseFilterSet


class UnitFilterSet(BaseFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=Unit.Kind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(
        label=_("Status"), method="filter_status", empty_label=_("All"),
        choices=(("active", _("In operation")), ("ended", _("Merged / dissolved"))),
    )
    parent = django_filters.NumberFilter(method="filter_parent", label=_("Under unit (ID)"))

    class Meta:
        model = Unit
        fields = ["q", "kind", "status", "parent"]

    def filter_status(self, queryset, name, value):
        active = Unit.objects.active_on().values("pk")
        return queryset.filter(pk__in=active) if value == "active" else queryset.exclude(pk__in=active)

    def filter_parent(self, queryset, name, value):
        parent = Unit.objects.filter(pk=value).only("path").first()
        if parent is None:
            return queryset.none()
        return queryset.filter(path__startswith=parent.path).exclude(pk=parent.pk)


class UserFilterSet(BaseFilterSet):
    role = django_filters.ChoiceFilter(choices=RoleAssignment.Role.choices, method="filter_role", label=_("Role"))
    unit = django_filters.NumberFilter(method="filter_unit", label=_("Unit (ID)"))
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = User
        fields = ["q", "role", "unit", "is_active"]

    def filter_role(self, queryset, name, value):
        return queryset.filter(pk__in=RoleAssignment.objects.filter(role=value).values("user_id"))

    def filter_unit(self, queryset, name, value):
        return queryset.filter(pk__in=RoleAssignment.objects.filter(unit_id=value).values("user_id"))
