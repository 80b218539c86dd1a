"""Create a member of staff for scripted set-up:
``manage.py staff_add USERNAME --role ROLE [--site SLUG] [--password-file PATH]``.

The password is read from the file, or from the standard input (first line), never from the
command line, where it would stay in the shell's history and the process list."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser

from halte.accounts.enums import NETWORK_ROLES, Role
from halte.accounts.services import staff_create
from halte.core.errors import DomainError
from halte.core.management.base import HalteCommand
from halte.network.models import Site


class Command(HalteCommand):
    help = (
        "Create a staff account holding one role (on a site for site roles). The password is "
        "read from --password-file or from the standard input."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--site", help="The site's slug (site roles only).")
        parser.add_argument("--password-file", type=Path, help="A file whose first line is it.")
        parser.add_argument(
            "--temporary",
            action="store_true",
            help="The password must be changed at the first login.",
        )

    def run(self, *args: Any, **options: Any) -> None:
        role = options["role"]
        site = self._site(role, options["site"])
        password = self._password(options["password_file"])
        try:
            validate_password(password)
        except ValidationError as exc:
            raise CommandError("Password refused: " + " ".join(exc.messages)) from exc
        try:
            user = staff_create(
                actor=None,
                username=options["username"],
                password=password,
                role=role,
                site=site,
                must_change_password=options["temporary"],
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        where = site.slug if site else "network"
        self.stdout.write(f"Created {user.username} ({role}, {where}).")

    def _site(self, role: str, slug: str | None) -> Site | None:
        if role in NETWORK_ROLES:
            if slug:
                raise CommandError(f"--site does not apply to the network role {role!r}.")
            return None
        if not slug:
            raise CommandError(f"The role {role!r} is held on a site: give --site SLUG.")
        site = Site.objects.filter(slug=slug).first()
        if site is None:
            raise CommandError(f"No site with the slug {slug!r}.")
        return site

    def _password(self, path: Path | None) -> str:
        if path is not None:
            try:
                text = path.read_text(encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"Cannot read the password file: {exc.strerror}.") from exc
        else:
            # At a terminal, typed without echo; otherwise the first line of what is piped in.
            text = getpass.getpass("Password: ") if sys.stdin.isatty() else sys.stdin.readline()
        lines = text.splitlines()
        password = lines[0] if lines else ""
        if not password:
            raise CommandError("No password given (empty file or standard input).")
        return password
