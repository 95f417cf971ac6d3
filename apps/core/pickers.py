"""Pickers: choice fields over registries too large to list in a page.

At the national scale a form's plain ``<select>`` of partners held 50,000 options (an activity form
weighed 12 MB and took 15 s to render for a national administrator). A picker field renders only
the options already chosen; the browser asks ``/pick/<key>/?q=…`` for matches as the officer types
(Tom Select, from npm) and the server answers from the same scoped queryset the form validates
against, searching the folded text so diacritics are optional. Without JavaScript the field still
shows and submits what was chosen.

An app registers the registries it owns (``register(Picker(...))`` in ``AppConfig.ready``) and a form
uses ``PickerSelect("partners.partner")`` / ``PickerSelectMultiple(...)`` as the field's widget.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core.filtersets import folded_search
from apps.core.querysets import CHANGE, VIEW

#: how many matches one answer carries (the officer narrows the query for more)
LIMIT = 20


@dataclass(frozen=True)
class Picker:
    key: str  # "app_label.model" or a variant ("accounts.unit:change")
    model: type
    action: str = VIEW
    #: narrows the scoped queryset (e.g. units still active)
    restrict: Callable | None = None
    #: ``source(user)`` → the rows to pick from, when they are not simply the model's scoped rows
    #: (keep it the form's own queryset, so what is offered is what the form accepts)
    source: Callable | None = None
    #: how an option reads; ``str(obj)`` by default
    label: Callable | None = None
    ordering: tuple[str, ...] = ("pk",)
    #: what ``select_related`` the label needs
    related: tuple[str, ...] = ()

    def queryset(self, user):
        qs = self.source(user) if self.source else self.model.objects.for_user(user, self.action)
        if self.restrict is not None:
            qs = self.restrict(qs)
        if self.related:
            qs = qs.select_related(*self.related)
        return qs.order_by(*self.ordering)

    def text(self, obj) -> str:
        return str(self.label(obj) if self.label else obj)

    def search(self, user, query: str, limit: int = LIMIT) -> tuple[list[dict], bool]:
        """([{"value", "text"}…], whether more matched) for ``query`` (empty: the first ones)."""
        qs = self.queryset(user)
        if query.strip():
            qs = folded_search(qs, query)
        rows = list(qs[: limit + 1])
        return [{"value": str(o.pk), "text": self.text(o)} for o in rows[:limit]], len(rows) > limit


_registry: dict[str, Picker] = {}


def register(picker: Picker) -> None:
    _registry[picker.key] = picker


def get(key: str) -> Picker | None:
    return _registry.get(key)


class _PickerMixin:
    """Renders only the chosen options; the rest come from the picker's URL as the user types."""

    picker_key = ""

    def __init__(self, picker_key: str, attrs=None):
        self.picker_key = picker_key
        super().__init__(attrs)

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["data-picker"] = reverse("core:picker", args=[self.picker_key])
        attrs["data-picker-placeholder"] = _("Type to search (diacritics optional)…")
        attrs["data-picker-empty"] = _("Nothing found: type another part of the name.")
        return attrs

    def optgroups(self, name, value, attrs=None):
        chosen = [v for v in (value or []) if v not in ("", None)]
        choices = []
        queryset = getattr(self.choices, "queryset", None)
        if not self.allow_multiple_selected and getattr(self.choices, "field", None) is not None:
            if self.choices.field.empty_label is not None:
                choices.append(("", self.choices.field.empty_label))
        if chosen and queryset is not None:
            ids = []
            for v in chosen:
                try:
                    ids.append(int(v))
                except (TypeError, ValueError):
                    continue  # not an id: nothing to show (the form says what is wrong)
            picker = get(self.picker_key)
            for obj in queryset.filter(pk__in=ids):
                choices.append((str(obj.pk), picker.text(obj) if picker else str(obj)))
        groups = []
        for index, (option_value, label) in enumerate(choices):
            selected = option_value in chosen and option_value != ""
            groups.append((None, [self.create_option(name, option_value, label, selected, index, attrs=attrs)], index))
        return groups


class PickerSelect(_PickerMixin, forms.Select):
    pass


class PickerSelectMultiple(_PickerMixin, forms.SelectMultiple):
    pass


def unit_label(unit) -> str:
    return "{} ({})".format(unit.name, unit.code) if unit.code else unit.name


def register_core_pickers() -> None:
    """Units, for every form that picks one (to act for: CHANGE; to involve: VIEW)."""
    from apps.accounts.models import Unit

    def active(qs):
        return qs.active_on()

    register(Picker("accounts.unit", Unit, VIEW, restrict=active, label=unit_label, ordering=("path",)))
    register(Picker("accounts.unit:change", Unit, CHANGE, restrict=active, label=unit_label, ordering=("path",)))
