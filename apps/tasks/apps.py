from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "apps.tasks"
    label = "tasks"
    verbose_name = _("Tasks")

    def ready(self):
        from apps.core import search
        from apps.tasks.models import Task

        search.register(search.SearchTarget(Task, _("Tasks"), "tasks:task_list"))
        from apps.core import pickers

        pickers.register(pickers.Picker("tasks.task", Task, ordering=("-id",)))
