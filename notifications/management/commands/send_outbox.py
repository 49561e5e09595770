"""Send the outbox's due messages by hand (the embedded default has no beat)."""

from django.core.management.base import BaseCommand

from notifications import services


class Command(BaseCommand):
    help = "Send every due message of the outbox (new, or due its retry). Safe to run again."

    def handle(self, *args, **options) -> None:
        count = services.notifications_dispatch()
        self.stdout.write(f"{count} message(s) handed to the workers.")
