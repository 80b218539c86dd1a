"""Print a new API token for a user: ``manage.py issue_token USERNAME [--days N]``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from halte.accounts.models import User
from halte.accounts.services import api_token_issue
from halte.core.management.base import HalteCommand


class Command(HalteCommand):
    help = "Issue an API token (Authorization: Bearer <token>) for a user and print it once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--days", type=int, default=None, help="Lifetime in days.")

    def run(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {options['username']!r}.")
        days = options["days"]
        if days is not None and not 1 <= days <= 366:
            raise CommandError("--days must be between 1 and 366.")
        self.stdout.write(api_token_issue(user=user, days=days))
