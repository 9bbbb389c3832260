from typing import Any

from django.core.management.base import BaseCommand

from mend.calendar.reminders import run_once


class Command(BaseCommand):
    help = (
        "Send the reminders due now, once (`mend serve` also does this every minute)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = run_once()
        self.stdout.write(f"{sent} reminder(s) sent.")
