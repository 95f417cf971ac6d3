"""``manage.py send_reminders``: chase up tasks due soon, overdue tasks and returned reports.

Schedule it (cron, systemd timer) daily; running it twice sends nothing twice."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from apps.core.changelog import change_logging
from apps.tasks.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Send in-app and e-mail reminders for tasks due soon, overdue tasks and returned reports, and alerts "
        "for NGO registrations about to expire (idempotent)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="pretend today is this date (YYYY-MM-DD), for catching up or testing")

    def handle(self, *args, today=None, **options):
        day = None
        if today:
            try:
                day = date.fromisoformat(today)
            except ValueError as exc:
                raise CommandError("--today must be a date written YYYY-MM-DD, not “{}”.".format(today)) from exc
        with change_logging(user=None):
            send_reminders(today=day, stdout=self.stdout)
            # Other apps' alerts ride on the same daily run (an app not installed adds nothing).
            from django.apps import apps

            if apps.is_installed("apps.partners"):
                from apps.partners.reminders import send_registration_alerts

                send_registration_alerts(today=day, stdout=self.stdout)
