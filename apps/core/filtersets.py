"""Base FilterSet shared by list pages and the API: a diacritic-insensitive search box."""

import django_filters
from django.utils.translation import gettext_lazy as _

from apps.core.text import fold


def folded_search(queryset, value: str, field: str = "search_text"):
    """Every word of the query must occur in the folded search text ('ha noi' finds 'Hà Nội')."""
    for word in fold(value).split(" "):
        if word:
            queryset = queryset.filter(**{field + "__contains": word})
    return queryset


class StyledFilterSetMixin:
    """Bootstrap classes on the filter form, small controls to keep the filter bar compact."""

    @property
    def form(self):
        form = super().form
        if not getattr(form, "_styled", False):
            for field in form.fields.values():
                widget = field.widget
                if widget.__class__.__name__ in ("Select", "NullBooleanSelect", "SelectMultiple"):
                    widget.attrs.setdefault("class", "form-select form-select-sm")
                elif field.__class__.__name__ == "DateField":
                    widget.attrs.setdefault("class", "form-control form-control-sm")
                    widget.attrs.setdefault("placeholder", "dd/mm/yyyy")
                else:
                    widget.attrs.setdefault("class", "form-control form-control-sm")
            form._styled = True
        return form


class BaseFilterSet(StyledFilterSetMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))

    def search(self, queryset, name, value):
        return folded_search(queryset, value)


class ObjectChangeFilterSet(StyledFilterSetMixin, django_filters.FilterSet):
    """Filters of the global change log."""

    q = django_filters.CharFilter(method="search", label=_("Object or user"))
    action = django_filters.ChoiceFilter(label=_("Action"), choices=(), empty_label=_("All"))
    changed_object_type = django_filters.ModelChoiceFilter(label=_("Type"), queryset=None, empty_label=_("All"))
    user_name = django_filters.CharFilter(label=_("Username"), lookup_expr="iexact")
    time_after = django_filters.DateFilter(field_name="time", lookup_expr="date__gte", label=_("From date"))
    time_before = django_filters.DateFilter(field_name="time", lookup_expr="date__lte", label=_("To date"))
    request_id = django_filters.UUIDFilter(label=_("Request ID"))
    object_id = django_filters.NumberFilter(field_name="changed_object_id", label=_("Object ID"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.contenttypes.models import ContentType

        from apps.core.models import ObjectChange

        self.filters["action"].extra["choices"] = ObjectChange.Action.choices
        # The project's own models, never a DISTINCT over a million-row log.
        self.filters["changed_object_type"].queryset = ContentType.objects.exclude(
            app_label__in=("admin", "auth", "contenttypes", "sessions", "axes", "django_tasks_db")
        ).order_by("app_label", "model")

    def search(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(object_repr__icontains=value) | Q(user_name__icontains=value))
