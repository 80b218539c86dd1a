from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from halte.accounts.enums import Role
from halte.accounts.models import Membership, User
from halte.alerts.models import Alert, Sample
from halte.alerts.services import AlertDraft, alert_issue, sample_record
from halte.consumption.models import Incident
from halte.core.timeutils import now
from halte.network.enums import SiteKind
from halte.network.models import Site
from tests.conftest import PASSWORD


@pytest.fixture
def team(make_site: Callable[..., Site]) -> Site:
    return make_site(
        name="Maraude nord-est",
        kind=SiteKind.OUTREACH_TEAM,
        booths_injection=0,
        hours=("18:00", "23:30"),
        code_insee="75119",
        area_name="Paris 19e",
    )


@pytest.fixture
def street_worker(team: Site) -> User:
    user = User.objects.create_user(username="outreach", password=PASSWORD)
    Membership.objects.create(user=user, role=Role.OUTREACH, site=team)
    return user


@pytest.fixture
def other_nurse(other_site: Site) -> User:
    user = User.objects.create_user(username="other-nurse", password=PASSWORD)
    Membership.objects.create(user=user, role=Role.NURSE, site=other_site)
    return user


def draft(**fields: Any) -> AlertDraft:
    values: dict[str, Any] = {
        "severity": "danger",
        "product": "heroin",
        "title": "Héroïne coupée au nitazène",
        "looks_like": "Poudre beige en pochons bleus",
        "seen_in": "Paris 18e, Porte de la Chapelle",
        "advice": "Tester une petite dose, ne pas consommer seul·e, avoir de la naloxone.",
        "valid_until": now() + dt.timedelta(days=7),
    }
    values.update(fields)
    return AlertDraft(**values)


@pytest.fixture
def issue(coordinator: User) -> Callable[..., Alert]:
    def make(*sites: Site, **fields: Any) -> Alert:
        all_sites = fields.pop("all_sites", False)
        return alert_issue(
            actor=coordinator, draft=draft(all_sites=all_sites, **fields), sites=list(sites)
        )

    return make


@pytest.fixture
def sample(site: Site, nurse: User) -> Sample:
    return sample_record(
        actor=nurse,
        site=site,
        sold_as="heroin",
        believed="heroin",
        form="powder",
        route="injection",
        circumstance="unexpected_effects",
    )


def incidents_at(
    site: Site, user: User, moments: list[dt.datetime], kind: str = "opioid_overdose"
) -> None:
    Incident.objects.bulk_create(
        Incident(
            site=site,
            kind=kind,
            occurred_at=moment,
            outcome="recovered_on_site",
            naloxone_doses=1,
            recorded_by=user,
        )
        for moment in moments
    )
