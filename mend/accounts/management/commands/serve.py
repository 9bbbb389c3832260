from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from granian.constants import Interfaces
from granian.server import Server


class Command(BaseCommand):
    help = (
        "Run Mend under the granian ASGI server (live signals need long-lived streams)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=settings.SERVE_HOST)
        parser.add_argument("--port", type=int, default=settings.SERVE_PORT)
        parser.add_argument("--workers", type=int, default=settings.SERVE_WORKERS)
        parser.add_argument(
            "--uds",
            default=settings.SERVE_UNIX_SOCKET,
            metavar="PATH",
            help=(
                "Listen on this unix socket (owner and group only) instead of a TCP "
                "port, so no other local user can read the hop from the proxy."
            ),
        )
        parser.add_argument(
            "--no-migrate", action="store_true", help="Skip migrations."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if (
            options["workers"] > 1
            and connection.vendor == "sqlite"
            and not settings.REDIS_URL
        ):
            # Live signals would reach only pages held by the sending process.
            raise CommandError(
                "More than one worker needs a shared channel for live signals: use "
                "PostgreSQL (MEND_DATABASE_URL) or Redis (MEND_REDIS_URL), or run one "
                "worker with SQLite."
            )
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        # Hashed, compressed copies for a long browser cache (mend/lib/static.py).
        call_command("collectstatic", interactive=False, verbosity=0)
        uds = Path(options["uds"]) if options["uds"] else None
        where = f"unix:{uds}" if uds else f"http://{options['host']}:{options['port']}/"
        self.stdout.write(f"Mend is at {where}")
        Server(
            "mend.asgi:application",
            address=options["host"],
            port=options["port"],
            uds=uds,
            uds_permissions=0o660 if uds else None,
            interface=Interfaces.ASGINL,
            workers=options["workers"],
            # Each open page holds one live stream: allow many per worker.
            backpressure=settings.SERVE_MAX_CONNECTIONS,
            log_access=False,
        ).serve()
