from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from halte.accounts.models import User
from halte.alerts.models import Alert, Sample
from halte.alerts.services import AlertDraft, alert_issue, sample_record
from halte.consumption.models import Incident
from halte.core.timeutils import now
from halte.network.models import Site


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
