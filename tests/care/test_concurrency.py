"""Concurrent requests released together: the stock never goes below zero and a referral is
closed once. The database decides (guarded update, CHECK, unique step per stage)."""

from __future__ import annotations

import pytest

from halte.accounts.models import User
from halte.care.models import Distribution, Referral, ReferralStep, StockLevel
from halte.care.services import distribution_record, referral_advance, referral_create
from halte.core.errors import ConflictError, DomainError
from halte.network.models import Site
from halte.visits.models import Visit
from tests.race import THREADS, race

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_last_kits_go_to_three_people_out_of_many(reception: User, stocked: Site) -> None:
    # 10 kits base in stock, THREADS people ask for 3 each at the same moment: three get them.
    results = race(
        lambda i: distribution_record(
            actor=User.objects.get(pk=reception.pk),
            site=Site.objects.get(pk=stocked.pk),
            lines=[("syringe_1ml", 1), ("crack_kit", 3)],
        )
    )
    given = [r for r in results if isinstance(r, Distribution)]
    refused = [r for r in results if isinstance(r, ConflictError)]
    assert len(given) == 3, results
    assert len(refused) == THREADS - 3, results
    assert StockLevel.objects.get(site=stocked, item="crack_kit").quantity == 1
    # The refused ones took nothing, not even their syringe.
    assert StockLevel.objects.get(site=stocked, item="syringe_1ml").quantity == 100 - 3
    assert Distribution.objects.count() == 3


def test_two_outcomes_at_once_close_the_referral_once(educator: User, visit: Visit) -> None:
    referral = referral_create(
        actor=educator, site=visit.site, visit=visit, destination_kind="csapa"
    )
    referral_advance(actor=educator, referral=referral, status="accepted")
    outcomes = ["completed", "no_show", "refused", "completed"]
    results = race(
        lambda i: referral_advance(
            actor=User.objects.get(pk=educator.pk),
            referral=Referral.objects.select_related("site").get(pk=referral.pk),
            status=outcomes[i % len(outcomes)],
        )
    )
    won = [r for r in results if isinstance(r, Referral)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(won) == 1, results
    assert len(refused) == THREADS - 1, results
    final = Referral.objects.get(pk=referral.pk)
    assert final.status == won[0].status and final.closed_at is not None
    assert ReferralStep.objects.filter(referral=referral, stage=2).count() == 1
