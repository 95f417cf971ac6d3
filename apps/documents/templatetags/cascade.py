"""The cascade's task lines, built in one pass.

A national directive's cascade lists hundreds of tasks; resolving half a dozen template variables
for each line through the template engine was a third of the page. ``format_html_join`` escapes
every value as the template would.
"""

from django import template
from django.utils.html import format_html_join

register = template.Library()


@register.simple_tag
def cascade_tasks(tasks, task_url_base):
    """``<li>`` lines: the task's title linking to it, its lead unit and its progress."""
    return format_html_join(
        "",
        '<li class="small"><i class="bi bi-check2-square"></i> <a href="{}{}/">{}</a> — {} · {}%</li>',
        (
            (
                task_url_base,
                task.pk,
                task.title,
                task.lead_unit.short_name or task.lead_unit.name,
                task.progress,
            )
            for task in tasks
        ),
    )
