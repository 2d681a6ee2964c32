"""``migrate`` that also makes the cache tables: with ``NOLKUMUH_CACHE=database`` the cache lives in
database tables, made here so that the one step of every installation and upgrade makes them too
(Django's ``createcachetable``: it makes only the tables that are missing, and none for a file
cache)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.commands.migrate import Command as DjangoMigrate


class Command(DjangoMigrate):
    help = DjangoMigrate.help + " Then make the missing cache tables (NOLKUMUH_CACHE=database)."

    def handle(self, *args: Any, **options: Any) -> None:
        super().handle(*args, **options)
        if options["plan"] or options["check_unapplied"]:
            return  # these options only report
        call_command("createcachetable", database=options["database"], verbosity=options["verbosity"])
