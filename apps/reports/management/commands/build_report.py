"""``manage.py build_report --kind annual|interim --period 2026 [--unit CODE] --format docx|xlsx
--output FILE`` — the review report the web page offers, built from the records (CONTRACTS.md).

With ``--unit`` the report covers that unit and everything under it and uses the text saved for
it on the web page (if any); without, it covers the whole country with the generated text."""

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from apps.core.jobs import JobContext


class Command(BaseCommand):
    help = "Build the annual or six-month review report (DOCX in the Nghị định 30 layout, or its XLSX appendix)."

    def add_arguments(self, parser):
        parser.add_argument("--kind", choices=["annual", "interim"], required=True)
        parser.add_argument("--period", type=int, required=True, help="the year, e.g. 2026")
        parser.add_argument("--unit", default="", help="unit code (default: the whole country)")
        parser.add_argument("--format", choices=["docx", "xlsx"], default="docx", dest="fmt")
        parser.add_argument("--output", required=True)

    def handle(self, *args, kind, period, unit, fmt, output, **options):
        from apps.accounts.models import Unit
        from apps.accounts.scoping import system_reader
        from apps.reports import review
        from apps.reports.models import ReviewReport

        if not 2000 <= period <= 2100:
            raise CommandError("--period must be a year between 2000 and 2100.")
        target = None
        if unit:
            target = Unit.objects.filter(code=unit).first()
            if target is None:
                raise CommandError("No unit has the code “{}”.".format(unit))
        saved = ReviewReport.objects.filter(unit=target, kind=kind, year=period).first() if target else None
        started = time.perf_counter()
        context = JobContext(None, stream=sys.stdout if options.get("verbosity", 1) > 0 else None, min_seconds=0)
        with translation.override("vi"):
            figures = review.compute(
                unit=target,
                kind=kind,
                year=period,
                reader=system_reader(),
                progress=lambda done, total: context.progress(done, total, "số liệu"),
            )
            if fmt == "xlsx":
                content = review.build_xlsx(figures)
            else:
                sections = saved.sections if saved else review.default_sections(kind, period)
                content = review.build_docx(
                    figures,
                    sections,
                    number=saved.number if saved else "",
                    signer_title=saved.signer_title if saved else "",
                    signer_name=saved.signer_name if saved else "",
                    progress=lambda done, total: context.progress(done, total, "văn bản"),
                )
        try:
            Path(output).write_bytes(content)
        except OSError as exc:
            raise CommandError("Cannot write {}: {}".format(output, exc.strerror)) from exc
        if context.stream:
            context.stream.write("\n")
        self.stdout.write(
            "{} ({} bytes) in {:.1f} s{}".format(
                output, len(content), time.perf_counter() - started, " — text saved on the web page" if saved else ""
            )
        )
