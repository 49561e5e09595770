"""Send the reminders due now by hand (the embedded default has no beat)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from scheduling import services


class Command(BaseCommand):
    help = _(
        "Send the appointment reminders due now (HMS_REMINDER_LEAD_TIMES before each visit). "
        "Safe to run again: sends nothing twice."
    )

    def handle(self, *args, **options) -> None:
        count = services.reminders_send()
        self.stdout.write(
            ngettext(
                "%(count)d reminder written to the outbox.",
                "%(count)d reminders written to the outbox.",
                count,
            )
            % {"count": count}
        )
