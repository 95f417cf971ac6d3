"""Import the unit tree from an Excel file on the command line, with the same checks and
progress as the web import (the job runs in this process)."""

import shutil
import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.accounts.imports import import_units
from apps.accounts.models import User
from apps.core.changelog import change_logging
from apps.core.jobs import JobContext, JobError


class Command(BaseCommand):
    help = "Import units from an .xlsx file (all-or-nothing); prints progress and every problem."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--as-user", default="admin", help="the administrator the changes are attributed to")

    def handle(self, *args, path, as_user, **options):
        source = Path(path)
        if not source.is_file():
            raise CommandError("Cannot read {}: no such file.".format(path))
        user = User.objects.filter(username=as_user).first()
        if user is None:
            raise CommandError("No user named {!r}.".format(as_user))
        # The job deletes its input when done (it is an upload copy); give it a copy.
        work = Path(tempfile.mkdtemp()) / "import.xlsx"
        shutil.copyfile(source, work)
        context = JobContext(None, stream=sys.stdout, min_seconds=0.2)
        try:
            with change_logging(user=user):
                result = import_units(context, path=str(work), user_id=user.pk)
        except JobError as exc:
            self.stdout.write("")
            raise CommandError(str(exc)) from exc
        finally:
            shutil.rmtree(work.parent, ignore_errors=True)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(result["summary"]))
