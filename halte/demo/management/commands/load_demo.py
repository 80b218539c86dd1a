"""Load the demo network and its staff: ``manage.py load_demo``. Safe to run again."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction

from halte.accounts.models import User
from halte.accounts.services import staff_create
from halte.core.management.base import HalteCommand
from halte.core.timeutils import local_today
from halte.demo import authorisations, funding, plan, surveys
from halte.demo.network import DEMO_USERS, OPERATORS, SITES, DemoSite
from halte.geo.lib import areas
from halte.network.enums import SiteStatus
from halte.network.models import Operator, Site
from halte.network.publication import site_set_publication
from halte.network.services import (
    HoursInput,
    operator_create,
    site_change_status,
    site_create,
    site_set_services,
    site_set_weekly_hours,
)

# The operational Paris places a person can walk into, published on the public orientation page,
# in the open data and on the transparency pages; the room level (coarse) only for those with a
# consumption room or beds. Slug -> room level published.
PUBLISHED = {
    "paris-hsa": True,
    "ego-caarud": False,
    "step": False,
    "csapa-chapelle": False,
    "sleep-in": True,
    "repos-chapelle": False,
}


def _time(text: str) -> dt.time:
    hours, minutes = text.split(":")
    return dt.time(int(hours), int(minutes))


class Command(HalteCommand):
    help = "Create the demo network (real places, no activity) and one demo user per role."

    def run(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            admin = self._users_and_admin(create_scoped=False)
            operators = self._operators(admin)
            created = 0
            for demo in self.progress(SITES, total=len(SITES), label="Sites"):
                if not Site.objects.filter(slug=demo.slug).exists():
                    self._site(admin, operators[demo.operator], demo)
                    created += 1
            self._users_and_admin(create_scoped=True)
            self._publish(admin)
            funding.load(actor=admin)
            authorisations.load(actor=admin)
            plan.load(actor=admin)
            surveys.load()
        self.stdout.write(
            f"Demo network: {created} site(s) created, {Site.objects.count()} in all."
        )

    def _users_and_admin(self, *, create_scoped: bool) -> User:
        password = settings.HALTE_DEMO_PASSWORD
        for username, role, site_slug in DEMO_USERS:
            if (
                User.objects.filter(username=username).exists()
                or (site_slug is None) == create_scoped
            ):
                continue
            site = Site.objects.get(slug=site_slug) if site_slug else None
            staff_create(actor=None, username=username, password=password, role=role, site=site)
        return User.objects.get(username="admin")

    def _publish(self, admin: User) -> None:
        """Publish the demo's walk-in places (no change, nothing audited, once they are)."""
        for site in Site.objects.filter(slug__in=PUBLISHED, status=SiteStatus.OPERATIONAL):
            site_set_publication(
                actor=admin, site=site, public=True, room_level=PUBLISHED[site.slug]
            )

    def _operators(self, admin: User) -> dict[str, Operator]:
        found = {}
        for name, kind in OPERATORS:
            operator = Operator.objects.filter(name=name).first()
            found[name] = operator or operator_create(actor=admin, name=name, kind=kind)
        return found

    def _site(self, admin: User, operator: Operator, demo: DemoSite) -> None:
        first_status, first_date, first_note = demo.history[0]
        location: dict[str, Any] = {
            "address": demo.address,
            "postcode": demo.postcode,
            "city": demo.city,
            "lon": demo.lon,
            "lat": demo.lat,
            "location_approximate": demo.approximate,
            "code_insee": demo.code_insee,
            "area_name": demo.area_name,
        }
        if demo.lon is not None and demo.lat is not None:
            area = areas.locate(demo.lon, demo.lat)
            if area is not None:
                location["code_insee"], location["area_name"] = area.code_insee, area.name
        site = site_create(
            actor=admin,
            operator=operator,
            slug=demo.slug,
            name=demo.name,
            kind=demo.kind,
            status=first_status,
            status_since=first_date,
            status_note=first_note,
            facts_verified=demo.verified,
            data_note=demo.note,
            **location,
            **demo.capacities,
        )
        for status, date, note in demo.history[1:]:
            site_change_status(
                actor=admin, site=site, to_status=status, effective_on=date, note=note
            )
        spans = [
            HoursInput(day, _time(opens), _time(closes))
            for days, opens, closes in demo.hours
            for day in days
        ]
        if spans:
            site_set_weekly_hours(actor=admin, site=site, spans=spans, valid_from=demo.hours_since)
        if demo.hours_change is not None:
            days_ago, later = demo.hours_change
            site_set_weekly_hours(
                actor=admin,
                site=site,
                spans=[HoursInput(d, _time(o), _time(c)) for days, o, c in later for d in days],
                valid_from=local_today() - dt.timedelta(days=days_ago),
            )
        site_set_services(actor=admin, site=site, services=demo.services)
