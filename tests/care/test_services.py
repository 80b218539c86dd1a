"""The rules of care, social acts, referrals and stock, at the service level."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.http import Http404

from halte.accounts.models import User
from halte.audit.models import AuditEvent
from halte.care.models import (
    CareAct,
    Distribution,
    Referral,
    ReferralStep,
    StockLevel,
    StockMovement,
)
from halte.care.services import (
    care_act_record,
    distribution_record,
    referral_advance,
    referral_create,
    social_act_record,
    stock_correct,
    stock_receive,
    stock_threshold_set,
)
from halte.core.errors import ConflictError, DomainError
from halte.network.models import Site
from halte.visits.models import Visit


def level(site: Site, item: str) -> int:
    return StockLevel.objects.get(site=site, item=item).quantity


def test_a_screening_needs_its_result_and_other_acts_have_none(nurse: User, visit: Visit) -> None:
    with pytest.raises(DomainError) as missing:
        care_act_record(actor=nurse, visit=visit, kind="trod_hcv")
    assert missing.value.field == "result"
    with pytest.raises(DomainError):
        care_act_record(actor=nurse, visit=visit, kind="nursing", result="positive")
    with pytest.raises(DomainError):
        care_act_record(actor=nurse, visit=visit, kind="nursing", psychiatric_outcome="crisis")
    act = care_act_record(actor=nurse, visit=visit, kind="trod_hcv", result="negative")
    assert act.client == visit.client and act.site == visit.site
    assert CareAct.objects.count() == 1


def test_the_database_refuses_a_result_on_a_non_screening_act(nurse: User, visit: Visit) -> None:
    act = care_act_record(actor=nurse, visit=visit, kind="vaccination", vaccine="hav")
    act.result = "positive"
    with pytest.raises(IntegrityError), transaction.atomic():
        act.save()


def test_care_acts_are_recorded_by_nurses_and_managers_only(
    nurse: User, manager: User, reception: User, educator: User, visit: Visit
) -> None:
    for user in (reception, educator):
        with pytest.raises(DomainError):
            care_act_record(actor=user, visit=visit, kind="nursing")
    care_act_record(actor=nurse, visit=visit, kind="wound_care")
    care_act_record(actor=manager, visit=visit, kind="medical_consultation")
    assert CareAct.objects.count() == 2


def test_another_sites_staff_cannot_record_on_a_visit(other_manager: User, visit: Visit) -> None:
    with pytest.raises(Http404):
        care_act_record(actor=other_manager, visit=visit, kind="nursing")
    with pytest.raises(Http404):
        social_act_record(actor=other_manager, visit=visit, kind="interview")


def test_the_audit_trail_never_holds_a_result(nurse: User, visit: Visit) -> None:
    act = care_act_record(actor=nurse, visit=visit, kind="trod_hiv", result="positive")
    event = AuditEvent.objects.get(object_id=str(act.public_id))
    assert event.payload == {"kind": "trod_hiv", "fields": ["result"], "naloxone_kit_given": False}
    assert "positive" not in str(event.payload)


def test_naloxone_training_with_a_kit_takes_one_kit_from_the_stock(
    nurse: User, visit: Visit, stocked: Site
) -> None:
    care_act_record(actor=nurse, visit=visit, kind="naloxone_training", naloxone_kit_given=True)
    assert level(stocked, "naloxone_kit") == 2
    assert Distribution.objects.get(visit=visit).lines.get().item == "naloxone_kit"
    with pytest.raises(DomainError):
        care_act_record(actor=nurse, visit=visit, kind="nursing", naloxone_kit_given=True)


def test_social_acts_by_front_line_staff(reception: User, visit: Visit) -> None:
    act = social_act_record(actor=reception, visit=visit, kind="rights_ame", outcome="requested")
    assert act.get_kind_display() == "Ouverture de droits : AME"
    with pytest.raises(DomainError):
        social_act_record(actor=reception, visit=visit, kind="free_text")


def test_a_referral_goes_forward_and_closes_once(
    educator: User, visit: Visit, other_site: Site
) -> None:
    referral = referral_create(
        actor=educator,
        site=visit.site,
        visit=visit,
        destination_kind="network_site",
        destination_site=other_site,
    )
    assert referral.status == "proposed" and referral.client == visit.client
    referral = referral_advance(actor=educator, referral=referral, status="accepted")
    assert referral.accepted_at is not None and referral.closed_at is None
    with pytest.raises(DomainError):
        referral_advance(actor=educator, referral=referral, status="proposed")
    referral = referral_advance(actor=educator, referral=referral, status="completed")
    assert referral.closed_at is not None
    for status in ("accepted", "no_show", "refused", "completed"):
        with pytest.raises(DomainError):
            referral_advance(actor=educator, referral=referral, status=status)
    steps = list(ReferralStep.objects.filter(referral=referral).values_list("status", flat=True))
    assert steps == ["proposed", "accepted", "completed"]


def test_the_database_refuses_a_second_step_at_the_same_stage(educator: User, visit: Visit) -> None:
    referral = referral_create(
        actor=educator, site=visit.site, visit=visit, destination_kind="csapa"
    )
    referral_advance(actor=educator, referral=referral, status="no_show")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferralStep.objects.create(
            referral=referral, status="completed", stage=2, at=referral.proposed_at, by=educator
        )


def test_a_referral_needs_a_proper_destination(educator: User, visit: Visit) -> None:
    with pytest.raises(DomainError):
        referral_create(
            actor=educator, site=visit.site, visit=visit, destination_kind="network_site"
        )
    with pytest.raises(DomainError):
        referral_create(
            actor=educator,
            site=visit.site,
            visit=visit,
            destination_kind="network_site",
            destination_site=visit.site,
        )
    with pytest.raises(DomainError):
        referral_create(actor=educator, site=visit.site, destination_kind="csapa")
    assert Referral.objects.count() == 0


def test_distribution_takes_from_the_stock_and_collection_does_not(
    reception: User, visit: Visit, stocked: Site
) -> None:
    distribution_record(
        actor=reception,
        site=stocked,
        visit=visit,
        lines=[("syringe_1ml", 10), ("injection_kit", 2), ("used_syringe", 14)],
    )
    assert level(stocked, "syringe_1ml") == 90
    assert level(stocked, "injection_kit") == 18
    assert not StockLevel.objects.filter(item="used_syringe").exists()


def test_a_distribution_beyond_the_stock_is_refused_whole(
    reception: User, visit: Visit, stocked: Site
) -> None:
    with pytest.raises(ConflictError) as refused:
        distribution_record(
            actor=reception,
            site=stocked,
            visit=visit,
            lines=[("syringe_1ml", 5), ("crack_kit", 11)],
        )
    assert "Kit base" in refused.value.message and "10" in refused.value.message
    assert level(stocked, "syringe_1ml") == 100  # the first line was rolled back
    assert Distribution.objects.count() == 0
    with pytest.raises(ConflictError):  # never received at all: zero in stock
        distribution_record(actor=reception, site=stocked, lines=[("condom", 1)])


def test_bad_lines_are_refused(reception: User, stocked: Site) -> None:
    for lines in ([], [("syringe_1ml", 0)], [("syringe_1ml", 1), ("syringe_1ml", 2)], [("x", 1)]):
        with pytest.raises(DomainError):
            distribution_record(actor=reception, site=stocked, lines=lines)


def test_corrections_and_thresholds(manager: User, reception: User, stocked: Site) -> None:
    movement = stock_correct(actor=manager, site=stocked, item="syringe_1ml", counted=40)
    assert movement.delta == -60 and level(stocked, "syringe_1ml") == 40
    with pytest.raises(DomainError):
        stock_correct(actor=reception, site=stocked, item="syringe_1ml", counted=0)
    with pytest.raises(DomainError):
        stock_correct(actor=manager, site=stocked, item="syringe_1ml", counted=-1)
    stock_threshold_set(actor=manager, site=stocked, item="syringe_1ml", threshold=50)
    assert StockLevel.objects.get(site=stocked, item="syringe_1ml").is_low
    stock_receive(actor=reception, site=stocked, lines=[("syringe_1ml", 500)])
    assert not StockLevel.objects.get(site=stocked, item="syringe_1ml").is_low
    kinds = list(StockMovement.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds[-2:] == ["correction", "receipt"]


def test_the_database_refuses_a_negative_stock(stocked: Site) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        StockLevel.objects.filter(site=stocked, item="crack_kit").update(quantity=-1)
