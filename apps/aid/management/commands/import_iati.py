"""manage.py import_iati PATH [--country VN] [--strict] [--unit CODE] (CONTRACTS: IATI)."""

import sys

from django.core.management.base import BaseCommand, CommandError

from apps.accounts.models import Unit
from apps.core.changelog import change_logging
from apps.core.jobs import JobContext


class Command(BaseCommand):
    help = (
        "Import an IATI 2.03 activity file into aid items (streamed; re-importing an unchanged file changes nothing)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--country", help="only activities with this recipient country (e.g. VN)")
        parser.add_argument(
            "--strict", action="store_true", help="refuse a file not valid against the IATI 2.03 schema (exit status 2)"
        )
        parser.add_argument("--unit", help="code of the recipient unit (default: the first province in the tree)")

    def handle(self, *args, path, country=None, strict=False, unit=None, **options):
        from apps.aid.iati import IatiError, import_file

        target = (
            Unit.objects.filter(code=unit).first() if unit else Unit.objects.filter(depth=1).order_by("path").first()
        )
        if target is None:
            raise CommandError("No unit {} to keep the imported aid items.".format(unit or "(the tree is empty)"))
        context = JobContext(None, stream=self.stderr._out if hasattr(self.stderr, "_out") else sys.stderr)
        try:
            with change_logging(user=None):
                report = import_file(
                    path,
                    unit=target,
                    country=country,
                    strict=strict,
                    progress=lambda done, total: context.progress(done, total, "bytes"),
                )
        except FileNotFoundError:
            self.stderr.write("\n{}: no such file".format(path))
            sys.exit(2)
        except IatiError as exc:
            self.stderr.write("\n{}: {}".format(path, exc))
            sys.exit(2)
        self.stderr.write("")
        for outcome in report.outcomes:
            if outcome.notes or outcome.action == "skipped":
                self.stdout.write(
                    "{} (line {}): {} — {}".format(
                        outcome.identifier, outcome.line, outcome.action, "; ".join(outcome.notes)
                    )
                )
        if report.error:
            self.stdout.write("stopped at a broken part of the file: {}".format(report.error))
        self.stdout.write(
            "created {}, updated {}, unchanged {}, skipped {}, partners created {}".format(
                report.created, report.updated, report.unchanged, report.skipped, report.partners_created
            )
        )
        if report.error:
            # What came before the break is kept, but the file was not read to its end: a scheduled
            # import must see that it failed (exit status 2, as for a file that is not IATI at all).
            sys.exit(2)
