"""The check-in's hot path reads and writes with hand-written statements (halte.core.fastsql).
What it reads must be what the ORM reads, and what it writes all or nothing, on both databases."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models.signals import post_save, pre_save
from django.utils import timezone

from halte.accounts.enums import Role
from halte.accounts.models import ApiToken, Membership, User
from halte.accounts.permissions import client_site_ids
from halte.accounts.services import api_token_issue, api_token_user
from halte.audit.models import AuditEvent
from halte.audit.services import audit_event
from halte.clients.models import Ban, Client
from halte.core import fastsql
from halte.network.enums import SiteStatus
from halte.network.models import Operator, Site
from halte.network.selectors import get_site_for_recording
from halte.visits.models import Visit
from halte.visits.services import _check_in_guard, visit_check_in

pytestmark = pytest.mark.django_db


def _fields(obj: object, model: type) -> dict[str, object]:
    return {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields}


def test_a_site_read_by_hand_equals_the_orm_read(site: Site, reception: User) -> None:
    site.authorisation_end = dt.date(2026, 12, 31)
    site.save()
    read = get_site_for_recording(reception, str(site.public_id))
    assert _fields(read, Site) == _fields(Site.objects.get(pk=site.pk), Site)


def test_a_site_outside_the_scope_or_unknown_is_a_404(
    site: Site, other_site: Site, reception: User
) -> None:
    from django.http import Http404

    for wanted in (str(other_site.public_id), "not-a-uuid", "0" * 32):
        with pytest.raises(Http404):
            get_site_for_recording(reception, wanted)


def test_the_token_user_is_the_orm_user_with_its_front_line_scope(
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


def test_rows_inserted_together_are_all_or_none(site: Site, reception: User) -> None:
    person = Client.objects.create(
        code="ABCDEFGHJKMN",
        birth_year=1980,
        sex_gender="woman",
        registered_at_site=site,
        registered_by=reception,
    )
    first = Visit(site=site, client=person, arrived_at=timezone.now(), opened_by=reception)
    fastsql.insert(
        first,
        audit_event(actor=reception, action="t", object_type="visit", object_id="1", site=site),
    )
    assert Visit.objects.get(pk=first.pk).public_id == first.public_id
    assert AuditEvent.objects.filter(action="t").count() == 1

    # A second open visit for the same person breaks a unique constraint: its audit event,
    # written in the same statement, is not kept either, and the transaction stays usable.
    with transaction.atomic():
        twin = Visit(site=site, client=person, arrived_at=timezone.now(), opened_by=reception)
        event = audit_event(
            actor=reception, action="twin", object_type="visit", object_id="2", site=site
        )
        with pytest.raises(IntegrityError):
            fastsql.insert(event, twin)
        assert Visit.objects.filter(client=person).count() == 1
    assert not AuditEvent.objects.filter(action="twin").exists()


def test_an_instance_already_saved_is_refused(site: Site, reception: User) -> None:
    visit = Visit.objects.create(site=site, arrived_at=timezone.now(), opened_by=reception)
    with pytest.raises(ValueError):
        fastsql.insert(visit)


def test_the_models_written_by_hand_have_no_signal_receivers() -> None:
    # fastsql.insert sends no signal: a receiver added later would be silently skipped.
    for model in (Visit, AuditEvent):
        assert not pre_save.has_listeners(model) and not post_save.has_listeners(model)


def test_the_hot_path_statements_are_seen_by_query_counting(site: Site, reception: User) -> None:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        get_site_for_recording(reception, str(site.public_id))
    assert any("network_site" in q["sql"] for q in queries.captured_queries)


# The API's check-in (visits.services.visit_check_in) checks visit_open's rules inside its insert
# statement and, when they refuse, runs visit_open's path to say why. The two must agree.

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


def _guard_finds(user: User, site: Site, person: Client | None) -> bool:
    sql, params, _fills = _check_in_guard(
        sorted(client_site_ids(user)), site.public_id, person.public_id if person else None
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone() is not None


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
def test_the_check_in_statement_applies_bans_as_ban_applies_does(
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
    assert _guard_finds(reception, site, person) is not refused
    if refused:
        with pytest.raises(DomainError):
            _check_in(reception, site, person)
        assert not Visit.objects.exists() and not AuditEvent.objects.exists()
    else:
        visit = _check_in(reception, site, person)
        assert Visit.objects.get(client=person, site=site).pk == visit.pk


def test_a_site_out_of_scope_not_operational_or_a_missing_person_is_refused_as_before(
    site: Site, other_site: Site, reception: User, person: Client
) -> None:
    from django.http import Http404

    from halte.core.errors import DomainError

    with pytest.raises(Http404):  # not one of the user's sites
        _check_in(reception, other_site, None)
    assert not _guard_finds(reception, other_site, None)
    person.is_active = False
    person.save()
    with pytest.raises(Http404):  # an inactive person is not found
        _check_in(reception, site, person)
    assert not _guard_finds(reception, site, person)
    Site.objects.filter(pk=site.pk).update(status=SiteStatus.SUSPENDED)
    with pytest.raises(DomainError):
        _check_in(reception, site, None)
    assert not _guard_finds(reception, site, None)
    assert not Visit.objects.exists() and not AuditEvent.objects.exists()


def test_a_check_in_writes_what_visit_open_writes(
    site: Site, reception: User, person: Client
) -> None:
    from halte.visits.services import visit_close, visit_open

    fast = _check_in(reception, site, person)
    assert (fast.site_id, fast.client_id) == (site.pk, person.pk)
    visit_close(actor=reception, visit=Visit.objects.get(pk=fast.pk))
    slow = visit_open(actor=reception, site=site, client=person, purposes=["material", "care"])
    rows = {v.pk: v for v in Visit.objects.all()}
    skip = {"id", "public_id", "created_at", "updated_at", "arrived_at", "left_at", "closed_by_id"}
    assert {k: v for k, v in _fields(rows[fast.pk], Visit).items() if k not in skip} == {
        k: v for k, v in _fields(rows[slow.pk], Visit).items() if k not in skip
    }
    events = {e.object_id: e for e in AuditEvent.objects.filter(action="visit.opened")}
    one, two = events[str(fast.public_id)], events[str(slow.public_id)]
    assert (one.actor_id, one.site_id, one.object_type, one.payload) == (
        two.actor_id,
        two.site_id,
        two.object_type,
        two.payload,
    )


def test_a_check_in_that_passes_is_one_statement_on_postgresql(
    site: Site, reception: User, person: Client
) -> None:
    from django.test.utils import CaptureQueriesContext

    client_site_ids(reception)  # the scope comes with the token on the API
    with CaptureQueriesContext(connection) as queries:
        _check_in(reception, site, person)
    if connection.vendor == "postgresql":  # the savepoints are the test's transaction's
        sent = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
        assert len(sent) == 1 and "visits_visit" in sent[0] and "audit_auditevent" in sent[0]
    assert Visit.objects.filter(client=person).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_request_after_the_database_dropped_its_connection_reconnects(
    site: Site, reception: User
) -> None:
    # Django checks a kept connection at the first statement of each request (CONN_HEALTH_CHECKS);
    # the hand-written statements must too, or the first check-in after a database restart fails.
    # The token read is its own check (run again on a new connection); a write checks first.
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
