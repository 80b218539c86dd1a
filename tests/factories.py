"""Factories for the people, visits and bans the tests need, made through the services (so codes,
audit events and refusals are the real ones), with traits for the usual variants.

Each person gets a family name of its own from the factory's sequence: letters 2, 3 and 5 of the
family name make the code, so the sequence is written with letters (base 26), never digits, which
the code drops (two people would then be one)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from halte.clients.models import Ban, Client
from halte.clients.services import ban_create, client_register
from halte.core.timeutils import local_today
from halte.visits.models import Visit
from halte.visits.services import visit_open

IDENTITY: dict[str, Any] = {
    "family_name": "Dupont-Laurentin",
    "given_name": "Maëlle",
    "birth_date": dt.date(1987, 4, 12),
    "sex": "woman",
}


def _family_name(n: int) -> str:
    high, low = divmod(n, 26)
    return f"Z{chr(65 + high % 26)}{chr(65 + low)}Q{chr(90 - low)}"


class ClientFactory(factory.django.DjangoModelFactory[Client]):
    """A person registered by ``actor`` at ``site`` (both required), a woman born in 1987 unless a
    trait or an identity field says otherwise."""

    class Meta:
        model = Client

    class Params:
        man = factory.Trait(sex="man")
        woman = factory.Trait(sex="woman")
        minor = factory.Trait(
            birth_date=factory.LazyFunction(lambda: dt.date(local_today().year - 16, 4, 12))
        )

    actor = None
    site = None
    family_name = factory.Sequence(_family_name)
    given_name = IDENTITY["given_name"]
    birth_date = IDENTITY["birth_date"]
    sex = IDENTITY["sex"]

    @classmethod
    def _create(cls, model_class: type[Client], *args: Any, **kwargs: Any) -> Client:
        return client_register(**kwargs)[0]


class VisitFactory(factory.django.DjangoModelFactory[Visit]):
    """A check-in by ``actor`` at ``site`` (both required) of ``client`` (None for an anonymous
    contact; ``newcomer``: someone registered there and then by the same actor), for the purposes
    given (none by default)."""

    class Meta:
        model = Visit

    class Params:
        consumption = factory.Trait(purposes=["consumption"])
        care = factory.Trait(purposes=["care", "material"])
        newcomer = factory.Trait(
            client=factory.LazyAttribute(lambda o: ClientFactory.create(actor=o.actor, site=o.site))
        )

    actor = None
    site = None
    client = None
    purposes: list[str] = []

    @classmethod
    def _create(cls, model_class: type[Visit], *args: Any, **kwargs: Any) -> Visit:
        return visit_open(**kwargs)


class BanFactory(factory.django.DjangoModelFactory[Ban]):
    """An exclusion of ``client`` pronounced by ``actor`` (both required) from ``site`` (None: the
    whole network), from today on with no end, for violence; ``ended`` dates it in the past."""

    class Meta:
        model = Ban

    class Params:
        ended = factory.Trait(
            starts_on=factory.LazyFunction(lambda: local_today() - dt.timedelta(days=30)),
            ends_on=factory.LazyFunction(lambda: local_today() - dt.timedelta(days=1)),
        )

    actor = None
    client = None
    site = None
    starts_on = factory.LazyFunction(local_today)
    ends_on = None
    reason = "violence"

    @classmethod
    def _create(cls, model_class: type[Ban], *args: Any, **kwargs: Any) -> Ban:
        return ban_create(**kwargs)


class PastClientFactory(factory.django.DjangoModelFactory[Client]):
    """A person written straight to the table, as the history the reports count: the services
    register people today, with a code from their identity, and cannot date them in the past.
    Codes come from the factory's sequence; a man unless ``woman``; ``registered_at_site`` and
    ``registered_by`` are required."""

    class Meta:
        model = Client

    class Params:
        woman = factory.Trait(sex_gender="woman")

    code = factory.Sequence(lambda n: f"T{n:011d}")
    nickname = factory.Sequence(lambda n: f"surnom{n}")
    birth_year = 1980
    sex_gender = "man"
    registered_at_site = None
    registered_by = None
