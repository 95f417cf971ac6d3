"""manage.py export_iati --output FILE [--organisation REF] (CONTRACTS: IATI)."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Write aid items as IATI 2.03 activities, valid against the schema."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True)
        parser.add_argument(
            "--organisation", help="IATI identifier of the reporting organisation (written as reporting-org/@ref)"
        )

    def handle(self, *args, output, organisation=None, **options):
        from apps.aid.iati import export_file
        from apps.aid.models import AidItem

        with open(output, "wb") as out:
            count = export_file(out, AidItem.objects.order_by("pk"), organisation=organisation)
        self.stdout.write("wrote {} activities to {}".format(count, output))
