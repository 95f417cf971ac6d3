"""``{% options choices selected %}``: the <option> elements of a hand-written <select>, in one pass.

A ``{% for %}`` over a few hundred (value, label) pairs renders a few thousand template nodes; the
aid statistics filter bar (units, 250 countries, provinces) and the extraction review (the unit
list once per task candidate) spent most of their rendering time there.
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def options(choices, selected=None, blank=None):
    """``choices``: (value, label) pairs, or model instances (their pk and ``str``). ``selected``:
    the value to mark (compared as text); ``blank``: the label of a leading empty option."""
    chosen = "" if selected is None else str(selected)
    parts = []
    if blank is not None:
        parts.append('<option value="">{}</option>'.format(conditional_escape(blank)))
    for choice in choices:
        value, label = (choice.pk, choice) if hasattr(choice, "pk") else choice
        value = str(value)
        parts.append(
            '<option value="{}"{}>{}</option>'.format(
                conditional_escape(value), " selected" if value == chosen else "", conditional_escape(label)
            )
        )
    return mark_safe("".join(parts))  # every value and label went through conditional_escape
