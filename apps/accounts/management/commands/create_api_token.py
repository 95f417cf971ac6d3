from django.core.management.base import BaseCommand, CommandError

from apps.accounts.models import APIToken, User
from apps.core.changelog import change_logging


class Command(BaseCommand):
    help = "Create an API token for USERNAME and print it (it is stored only as a hash)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--description", default="created with create_api_token")

    def handle(self, *args, username, description, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError("No user named {!r}.".format(username))
        with change_logging(user=user):
            _token, raw = APIToken.generate(user=user, description=description)
        self.stdout.write(raw)
