"""The audit trail names each object as it always has: `audit_record` takes the object and derives
its type and id, and these must not drift, or an object's history splits in two."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.apps import apps
from django.db import models

from halte.audit.models import AuditEvent
from halte.audit.services import AuditSubject, audit_record
from halte.network.models import Site

# The object_type strings stored before `audit_record` derived them, and how the id was written.
HISTORY: dict[str, tuple[str, str]] = {
    "accounts.User": ("user", "pk"),
    "accounts.ApiToken": ("api_token", "pk"),
    "care.CareAct": ("care_act", "public_id"),
    "care.SocialAct": ("social_act", "public_id"),
    "care.Referral": ("referral", "public_id"),
    "care.Distribution": ("distribution", "public_id"),
    "clients.Client": ("client", "public_id"),
    "consumption.Session": ("session", "public_id"),
    "consumption.Incident": ("incident", "public_id"),
    "lodging.Stay": ("stay", "public_id"),
    "lodging.WaitingEntry": ("waiting_entry", "public_id"),
    "network.Operator": ("operator", "public_id"),
    "network.Site": ("site", "public_id"),
    "outreach.GatheringPlace": ("gathering_place", "public_id"),
    "outreach.Round": ("round", "public_id"),
    "outreach.RoundContact": ("round_contact", "visit.public_id"),
    "outreach.HeadCount": ("head_count", "pk"),
    "planning.Scenario": ("scenario", "public_id"),
    "reports.FundingLine": ("reports.FundingLine", "public_id"),
    "reports.StaffPosition": ("reports.StaffPosition", "public_id"),
    "visits.Visit": ("visit", "public_id"),
}


def _audited_models() -> dict[str, type[models.Model]]:
    return {m._meta.label: m for m in apps.get_models() if hasattr(m, "audit_type")}


def test_every_audited_model_keeps_its_historical_type() -> None:
    audited = _audited_models()
    assert set(HISTORY) <= set(audited)
    for label in HISTORY:
        assert audited[label].audit_type == HISTORY[label][0], label  # type: ignore[attr-defined]


def test_no_two_audited_models_share_a_type() -> None:
    """An object's trail is found by its type and id: two models of one type would mix theirs."""
    types = [model.audit_type for model in _audited_models().values()]  # type: ignore[attr-defined]
    assert len(types) == len(set(types))


@pytest.mark.parametrize("label", sorted(HISTORY))
def test_each_audited_model_derives_its_historical_id(label: str) -> None:
    model = apps.get_model(label)
    public_id = uuid.uuid4()
    rule = HISTORY[label][1]
    if rule == "pk":
        instance, expected = model(pk=4217), "4217"
    elif rule == "public_id":
        instance, expected = model(public_id=public_id), str(public_id)
    else:
        visit = apps.get_model("visits.Visit")(public_id=public_id)
        instance, expected = model(visit=visit), str(public_id)
    assert instance.audit_id == expected


@pytest.mark.django_db
def test_an_event_stores_the_subjects_type_and_id(site: Site) -> None:
    event = audit_record(actor=None, action="site.checked", subject=site, site=site)
    night = audit_record(
        actor=None,
        action="stays.extended",
        subject=AuditSubject("night", dt.date(2026, 3, 1).isoformat()),
        site=None,
    )
    stored = AuditEvent.objects.filter(pk__in=[event.pk, night.pk])
    assert set(stored.values_list("object_type", "object_id")) == {
        ("site", str(site.public_id)),
        ("night", "2026-03-01"),
    }
