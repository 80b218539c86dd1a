from __future__ import annotations

import datetime as dt

import pytest

from halte.accounts.models import User
from halte.clients.models import Client
from halte.clients.services import client_register
from halte.core.timeutils import local_today
from halte.network.models import Site
from halte.surveys.models import SurveyWeek
from halte.surveys.services import survey_week_open
from halte.visits.models import Visit
from halte.visits.services import visit_open


@pytest.fixture
def week(site: Site, manager: User) -> SurveyWeek:
    """A week in progress at the shared HSA (run by a CAARUD operator): it began two days ago."""
    return survey_week_open(
        actor=manager, site=site, starts_on=local_today() - dt.timedelta(days=2)
    )


@pytest.fixture
def person(site: Site, reception: User) -> Client:
    client, _ = client_register(
        actor=reception,
        site=site,
        family_name="Martin",
        given_name="Alice",
        birth_date=dt.date(1985, 4, 2),
        sex="woman",
    )
    return client


@pytest.fixture
def came(person: Client, site: Site, reception: User, week: SurveyWeek) -> Visit:
    """The person came to the site today, during the week."""
    return visit_open(actor=reception, site=site, client=person, purposes=["material"])
