"""Send the reminders due now by hand (the embedded default has no beat)."""

from django.core.management.base import BaseCommand

from scheduling import services


class Command(BaseCommand):
    help = (
        "Send the appointment reminders due now (HMS_REMINDER_LEAD_TIMES before each visit). "
        "Safe to run again: sends nothing twice."
    )

    def handle(self, *args, **options) -> None:
        count = services.reminders_send()
        self.stdout.write(f"{count} reminder(s) written to the outbox.")
