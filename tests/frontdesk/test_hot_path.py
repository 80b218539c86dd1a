"""The API's check-in path: the token, the site of a check-in, the rules of ``visit_open`` applied
to a site and a person given by their public ids, and a visit written with its audit event, all or
nothing, on both databases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection, transaction
from django.utils import timezone

from halte.accounts.enums import Role
from halte.accounts.models import ApiToken, Membership, User
from halte.accounts.permissions import client_site_ids
from halte.accounts.services import api_token_issue, api_token_user
from halte.audit.models import AuditEvent
from halte.clients.models import Ban, Client
from halte.core.errors import ConflictError
from halte.network.enums import SiteStatus
from halte.network.models import Operator, Site
from halte.network.selectors import get_site_for_recording
from halte.visits.models import Visit
from halte.visits.services import visit_check_in

pytestmark = pytest.mark.django_db


def _fields(obj: object, model: type) -> dict[str, object]:
    return {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields}


def test_a_site_outside_the_scope_or_unknown_is_a_404(
    site: Site, other_site: Site, reception: User
) -> None:
    from django.http import Http404

    for wanted in (str(other_site.public_id), "not-a-uuid", "0" * 32):
        with pytest.raises(Http404):
            get_site_for_recording(reception, wanted)


def test_the_token_finds_its_user_with_its_front_line_scope(
    site: Site, other_site: Site, make_site: Callable[..., Site], operator: Operator
) -> None:
    # Held on one site directly and on a whole operator (two sites) as a manager; a network role
    # and an inactive membership add nothing.
    third = make_site(name="CAARUD Gaïa")
    user = User.objects.create_user("mixed", password="x-pass-1234-long")
    Membership.objects.create(user=user, role=Role.RECEPTION, site=other_site)
    Membership.objects.create(user=user, role=Role.MANAGER, operator=operator)
    Membership.objects.create(user=user, role=Role.COORDINATOR)
    Membership.objects.create(user=user, role=Role.NURSE, site=other_site, is_active=False)
    raw = api_token_issue(user=user)

    found = api_token_user(raw)
    assert found is not None
    assert _fields(found, User) == _fields(User.objects.get(pk=user.pk), User)
    assert client_site_ids(found) == {site.pk, other_site.pk, third.pk}
    fresh = User.objects.get(pk=user.pk)
    assert client_site_ids(fresh) == client_site_ids(found)


def test_a_token_without_front_line_role_has_an_empty_scope(coordinator: User) -> None:
    found = api_token_user(api_token_issue(user=coordinator))
    assert found is not None and client_site_ids(found) == set()


def test_a_revoked_expired_or_inactive_token_finds_nobody(reception: User) -> None:
    revoked, expired, inactive = (api_token_issue(user=reception) for _ in range(3))
    ApiToken.objects.filter(prefix=revoked[6:14]).update(revoked_at=timezone.now())
    ApiToken.objects.filter(prefix=expired[6:14]).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert api_token_user(revoked) is None
    assert api_token_user(expired) is None
    assert api_token_user(inactive) is not None
    User.objects.filter(pk=reception.pk).update(is_active=False)
    assert api_token_user(inactive) is None
    assert api_token_user("halte_unknown") is None


def test_the_token_is_touched_at_most_once_a_minute(reception: User) -> None:
    raw = api_token_issue(user=reception)
    api_token_user(raw)
    first = ApiToken.objects.get(prefix=raw[6:14]).last_used_at
    assert first is not None
    api_token_user(raw)
    assert ApiToken.objects.get(prefix=raw[6:14]).last_used_at == first
    ApiToken.objects.filter(prefix=raw[6:14]).update(
        last_used_at=timezone.now() - dt.timedelta(minutes=2)
    )
    api_token_user(raw)
    assert ApiToken.objects.get(prefix=raw[6:14]).last_used_at > first


def test_a_second_open_visit_is_refused_and_leaves_nothing_behind(
    site: Site, reception: User, person: Client
) -> None:
    first = _check_in(reception, site, person)
    assert AuditEvent.objects.filter(object_id=str(first.public_id)).count() == 1
    # The second open visit of the same person breaks a unique constraint: its audit event, written
    # in the same transaction, is not kept either, and an enclosing transaction stays usable.
    with transaction.atomic():
        with pytest.raises(ConflictError):
            _check_in(reception, site, person)
        assert Visit.objects.filter(client=person).count() == 1
    assert AuditEvent.objects.filter(action="visit.opened").count() == 1


def test_a_check_in_keeps_to_its_query_budget(site: Site, reception: User, person: Client) -> None:
    from django.test.utils import CaptureQueriesContext

    raw = api_token_issue(user=reception)
    api_token_user(raw)  # the token is touched at most once a minute
    with CaptureQueriesContext(connection) as queries:
        user = api_token_user(raw)
        assert user is not None
        _check_in(user, site, person)
    sent = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    # token with its user, front-line sites, site, person, bans, women-only hours and exceptions,
    # visit, audit event
    assert len(sent) <= 9, sent


# The API's check-in (visits.services.visit_check_in) applies visit_open's rules.

TODAY_OFFSETS = {"yesterday": -1, "today": 0, "tomorrow": 1}


def _ban(person: Client, by: User, *, site: Site | None, starts: str, ends: str | None) -> Ban:
    from halte.core.timeutils import local_today

    today = local_today()
    return Ban.objects.create(
        client=person,
        site=site,
        starts_on=today + dt.timedelta(days=TODAY_OFFSETS[starts]),
        ends_on=None if ends is None else today + dt.timedelta(days=TODAY_OFFSETS[ends]),
        reason="violence",
        created_by=by,
    )


@pytest.fixture
def person(site: Site, reception: User) -> Client:
    return Client.objects.create(
        code="PQRSTVWXYZ23",
        birth_year=1985,
        sex_gender="man",
        registered_at_site=site,
        registered_by=reception,
    )


def _check_in(user: User, site: Site, person: Client | None) -> Visit:
    return visit_check_in(
        actor=user,
        site_id=site.public_id,
        client_id=person.public_id if person else None,
        purposes=["material", "care"],
    )


@pytest.mark.parametrize(
    ("ban", "refused"),
    [
        (None, False),
        ({"here": True, "starts": "today", "ends": None}, True),
        ({"here": True, "starts": "yesterday", "ends": "today"}, True),
        ({"here": False, "starts": "yesterday", "ends": None}, True),  # network-wide
        ({"here": True, "starts": "tomorrow", "ends": None}, False),
        ({"here": True, "starts": "yesterday", "ends": "yesterday"}, False),
        ({"here": "elsewhere", "starts": "today", "ends": None}, False),
        ({"here": True, "starts": "today", "ends": None, "lifted": True}, False),
    ],
)
def test_a_check_in_applies_bans_as_ban_applies_does(
    site: Site,
    other_site: Site,
    reception: User,
    person: Client,
    ban: dict[str, object] | None,
    refused: bool,
) -> None:
    from halte.core.errors import DomainError
    from halte.core.timeutils import local_today

    if ban is not None:
        where = {True: site, False: None, "elsewhere": other_site}[ban["here"]]  # type: ignore[index]
        made = _ban(person, reception, site=where, starts=ban["starts"], ends=ban["ends"])  # type: ignore[arg-type]
        if ban.get("lifted"):
            made.lifted_at = timezone.now()
            made.save()
        assert made.applies(site_id=site.pk, day=local_today()) is refused
    if refused:
        with pytest.raises(DomainError):
            _check_in(reception, site, person)
        assert not Visit.objects.exists()
        # Only the refusal is written, counted without the person (issue 16).
        assert list(AuditEvent.objects.values_list("action", flat=True)) == ["refusal.recorded"]
    else:
        visit = _check_in(reception, site, person)
        assert Visit.objects.get(client=person, site=site).pk == visit.pk


def test_a_site_out_of_scope_not_operational_or_a_missing_person_is_refused(
    site: Site, other_site: Site, reception: User, person: Client
) -> None:
    from django.http import Http404

    from halte.core.errors import DomainError

    with pytest.raises(Http404):  # not one of the user's sites
        _check_in(reception, other_site, None)
    person.is_active = False
    person.save()
    with pytest.raises(Http404):  # an inactive person is not found
        _check_in(reception, site, person)
    Site.objects.filter(pk=site.pk).update(status=SiteStatus.SUSPENDED)
    with pytest.raises(DomainError):
        _check_in(reception, site, None)
    assert not Visit.objects.exists()
    # Only the refusal of the site out of activity is written, counted without anyone.
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["refusal.recorded"]


@pytest.mark.django_db(transaction=True)
def test_a_request_after_the_database_dropped_its_connection_reconnects(
    site: Site, reception: User
) -> None:
    # Django checks a kept connection at the first statement of each request (CONN_HEALTH_CHECKS),
    # so the first check-in after a database restart does not fail.
    if connection.vendor != "postgresql":
        pytest.skip("the connection is dropped from the PostgreSQL server side")
    import psycopg
    from django.db import close_old_connections

    settings = connection.settings_dict

    def drop_connection() -> int:
        backend: int = connection.connection.info.backend_pid
        with psycopg.connect(
            host=settings["HOST"],
            port=settings["PORT"] or 5432,
            user=settings["USER"],
            dbname=settings["NAME"],
            autocommit=True,
        ) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [backend])
        close_old_connections()  # what Django does between two requests
        return backend

    raw = api_token_issue(user=reception)
    assert api_token_user(raw) == reception
    dropped = drop_connection()
    user = api_token_user(raw)
    assert user == reception and connection.connection.info.backend_pid != dropped

    dropped = drop_connection()
    assert user is not None
    visit = _check_in(user, site, None)
    assert connection.connection.info.backend_pid != dropped
    assert Visit.objects.get(pk=visit.pk).site_id == site.pk
