"""The form renderer (``FORM_RENDERER``): Django's own, except for ``<select>`` lists.

Django renders a select through a template per option (``select_option.html`` and
``attrs.html`` included for each): a filter bar with the country list (250 options), the units of
a province (~100) and a few short lists costs ~15 ms of template work per page — more than the
queries of the aid statistics page. Here the same markup is written in one pass in Python from the
same context the templates would receive (``widget.optgroups``, ``attrs``), escaped the same way;
an option with a template of its own (a custom widget) goes through the templates as before.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _attrs(attrs: dict) -> str:
    """``attrs.html``: ` name="value"`, a bare ` name` for True, nothing for False."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(" " + conditional_escape(name))
        else:
            out.append(' {}="{}"'.format(conditional_escape(name), conditional_escape(str(value))))
    return "".join(out)


def render_select(widget: dict) -> str | None:
    """The ``select.html`` markup of a widget context, or None when an option needs its template."""
    parts = ['<select name="{}"{}>'.format(conditional_escape(widget["name"]), _attrs(widget["attrs"]))]
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append('\n  <optgroup label="{}">'.format(conditional_escape(group_name)))
        for option in group_choices:
            if option.get("template_name") != OPTION:
                return None
            parts.append(
                '\n  <option value="{}"{}>{}</option>\n'.format(  # (the option template ends in a newline)
                    conditional_escape(str(option["value"])),
                    _attrs(option["attrs"]),
                    conditional_escape(option["label"]),
                )
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == SELECT:
            html = render_select(context["widget"])
            if html is not None:
                return mark_safe(html)  # every value above went through conditional_escape
        return super().render(template_name, context, request=request)
