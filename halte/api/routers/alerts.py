"""Drug checking and product alerts: samples and their results, alerts and their
acknowledgements, signals, and the public feed of alerts in force. Every POST honours an
Idempotency-Key header (halte.core.idempotency). The outreach phones call ``/alerts/current`` on
each sync and ``/alerts/{id}/acknowledge`` for what was read offline."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import AfterValidator

from halte.alerts.enums import (
    Circumstance,
    Destination,
    SampleForm,
    SampleProduct,
    SampleRoute,
    Severity,
    Substance,
    SubstanceRole,
)
from halte.alerts.models import Acknowledgement, Alert, ResultSubstance, Sample, Signal
from halte.alerts.permissions import can_issue_alert, can_see_samples
from halte.alerts.selectors import (
    alert_follow,
    alerts_for_user,
    get_alert_for_user,
    get_incident_at,
    get_sample_for_user,
    get_signal,
    is_addressed_to,
    live,
    open_signals,
    public_alerts,
    samples_for_user,
    signal_incidents,
    unacknowledged_for,
)
from halte.alerts.services import (
    AlertDraft,
    Found,
    alert_acknowledge,
    alert_issue,
    alert_withdraw,
    result_record,
    sample_record,
    sample_send,
    signal_check,
)
from halte.api.common import Strict, acting_user
from halte.core.throttle import PublicThrottle
from halte.core.timeutils import PARIS
from halte.network.models import Site
from halte.network.selectors import get_site_for_recording

router = Router(tags=["alertes"])


def _aware(value: dt.datetime) -> dt.datetime:
    """A date and time without an offset is Paris time."""
    if value.year < 1900:
        raise ValueError(_("date antérieure à 1900"))
    return value if value.tzinfo else value.replace(tzinfo=PARIS)


AwareDateTime = Annotated[dt.datetime, AfterValidator(_aware)]
ShortLabel = Annotated[str, Field(max_length=40)]


# Samples and results


class SubstanceIO(Strict):
    substance: Substance
    role: SubstanceRole = SubstanceRole.ACTIVE
    purity: Decimal | None = Field(None, ge=0, le=100, max_digits=5, decimal_places=1)
    label: ShortLabel = ""


class SubstanceOut(Schema):
    substance: str
    role: str
    purity: float | None
    label: str

    @staticmethod
    def resolve_purity(row: ResultSubstance) -> float | None:
        return float(row.purity) if row.purity is not None else None


class SampleIn(Strict):
    site: uuid.UUID
    collected_on: dt.date | None = None
    sold_as: SampleProduct
    sold_as_other: ShortLabel = ""
    believed: SampleProduct
    believed_other: ShortLabel = ""
    form: SampleForm
    route: SampleRoute
    circumstance: Circumstance
    incident: uuid.UUID | None = None
    sent_to: Destination | None = None
    sent_on: dt.date | None = None


class SampleOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    reference: str
    site: uuid.UUID = Field(alias="site.public_id")
    collected_on: dt.date
    sold_as: str
    sold_as_other: str
    believed: str
    believed_other: str
    form: str
    route: str
    circumstance: str
    incident: uuid.UUID | None
    sent_to: str
    sent_on: dt.date | None
    result_on: dt.date | None
    substances: list[SubstanceOut]

    @staticmethod
    def resolve_incident(sample: Sample) -> uuid.UUID | None:
        return sample.incident.public_id if sample.incident_id and sample.incident else None

    @staticmethod
    def resolve_substances(sample: Sample) -> list[ResultSubstance]:
        return list(sample.substances.all())


class SamplesQuery(Schema):
    limit: int = Field(50, ge=1, le=500)


@router.get("/samples", response=list[SampleOut])
def list_samples(request: HttpRequest, query: Query[SamplesQuery]) -> list[Sample]:
    """The latest samples: of the user's sites, or of the network for the coordination."""
    if not can_see_samples(request.user):
        return []
    return list(samples_for_user(request.user).select_related("incident")[: query.limit])


@router.post("/samples", response={201: SampleOut})
def record_sample(request: HttpRequest, payload: SampleIn) -> Status[Sample]:
    """Record a sample collected at a site or by a team (404 for a site where you do not work)."""
    site = get_site_for_recording(request.user, payload.site)
    incident = get_incident_at(site, payload.incident) if payload.incident else None
    sample = sample_record(
        actor=acting_user(request),
        site=site,
        collected_on=payload.collected_on,
        sold_as=payload.sold_as.value,
        sold_as_other=payload.sold_as_other,
        believed=payload.believed.value,
        believed_other=payload.believed_other,
        form=payload.form.value,
        route=payload.route.value,
        circumstance=payload.circumstance.value,
        incident=incident,
        sent_to=payload.sent_to.value if payload.sent_to else "",
        sent_on=payload.sent_on,
    )
    return Status(201, sample)


@router.get("/samples/{sample_id}", response=SampleOut)
def read_sample(request: HttpRequest, sample_id: uuid.UUID) -> Sample:
    return get_sample_for_user(request.user, sample_id)


class SendIn(Strict):
    sent_to: Destination
    sent_on: dt.date | None = None


@router.post("/samples/{sample_id}/send", response=SampleOut)
def send_sample(request: HttpRequest, sample_id: uuid.UUID, payload: SendIn) -> Sample:
    sample = get_sample_for_user(request.user, sample_id)
    return sample_send(
        actor=acting_user(request),
        sample=sample,
        sent_to=payload.sent_to.value,
        sent_on=payload.sent_on,
    )


class ResultIn(Strict):
    result_on: dt.date | None = None
    substances: list[SubstanceIO] = Field(..., min_length=1, max_length=12)


@router.post("/samples/{sample_id}/result", response=SampleOut)
def record_result(request: HttpRequest, sample_id: uuid.UUID, payload: ResultIn) -> Sample:
    """Enter or replace a sample's result (a nurse of its site or the coordination)."""
    sample = get_sample_for_user(request.user, sample_id)
    found = [
        Found(substance=s.substance.value, role=s.role.value, purity=s.purity, label=s.label)
        for s in payload.substances
    ]
    result_record(
        actor=acting_user(request), sample=sample, found=found, result_on=payload.result_on
    )
    return get_sample_for_user(request.user, sample_id)


# Alerts


class AlertOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    severity: str
    product: str
    title: str
    looks_like: str
    seen_in: str
    advice: str
    issued_at: dt.datetime
    valid_until: dt.datetime
    withdrawn_at: dt.datetime | None
    origin: str
    all_sites: bool
    invented: bool = Field(alias="synthetic")


class StaffAlertOut(AlertOut):
    is_public: bool
    sites: list[uuid.UUID]

    @staticmethod
    def resolve_sites(alert: Alert) -> list[uuid.UUID]:
        return [s.public_id for s in alert.sites.all()]


class AlertIn(Strict):
    severity: Severity
    product: SampleProduct
    title: str = Field(..., min_length=1, max_length=120)
    looks_like: str = Field(..., min_length=1, max_length=300)
    seen_in: str = Field(..., min_length=1, max_length=160)
    advice: str = Field(..., min_length=1, max_length=1500)
    valid_until: AwareDateTime
    all_sites: bool = False
    sites: list[uuid.UUID] = Field(default_factory=list, max_length=200)
    is_public: bool = True
    sample: uuid.UUID | None = None
    signal: uuid.UUID | None = None


@router.get("/alerts", response=list[StaffAlertOut])
def list_alerts(request: HttpRequest, in_force: bool = True) -> list[Alert]:
    """Alerts addressed to you (all of them for the coordination), in force by default."""
    rows = alerts_for_user(request.user).prefetch_related("sites").order_by("-issued_at")
    return list((live(rows) if in_force else rows)[:200])


@router.post("/alerts", response={201: StaffAlertOut})
def issue_alert(request: HttpRequest, payload: AlertIn) -> Status[Alert]:
    """Issue an alert to sites and teams or to the whole network (the coordination only)."""
    actor = acting_user(request)
    if not can_issue_alert(actor):
        raise Http404
    sites = list(Site.objects.filter(public_id__in=payload.sites))
    if len(sites) != len(set(payload.sites)):
        raise Http404(_("Site introuvable."))
    sample = get_sample_for_user(actor, payload.sample) if payload.sample else None
    signal = get_signal(payload.signal) if payload.signal else None
    draft = AlertDraft(
        severity=payload.severity.value,
        product=payload.product.value,
        title=payload.title,
        looks_like=payload.looks_like,
        seen_in=payload.seen_in,
        advice=payload.advice,
        valid_until=payload.valid_until,
        all_sites=payload.all_sites,
        is_public=payload.is_public,
    )
    alert = alert_issue(actor=actor, draft=draft, sites=sites, sample=sample, signal=signal)
    return Status(201, alert)


class CurrentOut(Schema):
    alerts: list[AlertOut]
    checked_at: dt.datetime


@router.get("/alerts/current", response=CurrentOut)
def current_alerts(request: HttpRequest) -> dict[str, object]:
    """The alerts in force addressed to you that you have not acknowledged yet (a phone's sync)."""
    from halte.core.timeutils import now

    return {"alerts": unacknowledged_for(request.user, limit=20), "checked_at": now()}


class FeedAlert(Schema):
    id: uuid.UUID = Field(alias="public_id")
    severity: str
    product: str
    title: str
    looks_like: str
    seen_in: str
    advice: str
    issued_at: dt.datetime
    valid_until: dt.datetime
    invented: bool = Field(alias="synthetic")


class FeedOut(Schema):
    publisher: str
    generated_at: dt.datetime
    alerts: list[FeedAlert]


@router.get(
    "/alerts/feed",
    auth=None,
    response=FeedOut,
    throttle=[PublicThrottle("read")],
    url_name="alerts_feed",
)
def alerts_feed(request: HttpRequest) -> dict[str, object]:
    """Public: the alerts in force published for partners. A product, an area, what to say: no
    person, no site."""
    from halte.core.timeutils import now

    return {
        "publisher": "Halte",
        "generated_at": now(),
        "alerts": list(public_alerts()[:50]),
    }


class SignalIncidentOut(Schema):
    occurred_at: dt.datetime
    kind: str
    area: str
    site: str
    declared: str
    naloxone_doses: int


class SignalOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    window_start: dt.datetime
    window_end: dt.datetime
    observed: int
    expected: float
    threshold: int
    incidents: list[SignalIncidentOut]

    @staticmethod
    def resolve_incidents(signal: Signal) -> list[object]:
        return list(signal_incidents(signal.window_start, signal.window_end))


@router.get("/alerts/signals", response=list[SignalOut])
def list_signals(request: HttpRequest) -> list[Signal]:
    """Open signals, read again now (the coordination only)."""
    if not can_issue_alert(request.user):
        raise Http404
    signal_check()
    return list(open_signals()[:20])


@router.get("/alerts/{alert_id}", response=StaffAlertOut)
def read_alert(request: HttpRequest, alert_id: uuid.UUID) -> Alert:
    return get_alert_for_user(request.user, alert_id)


class AckOut(Schema):
    alert: uuid.UUID
    acknowledged_at: dt.datetime = Field(alias="at")
    channel: str

    @staticmethod
    def resolve_alert(ack: Acknowledgement) -> uuid.UUID:
        return ack.alert.public_id


@router.post("/alerts/{alert_id}/acknowledge", response=AckOut)
def acknowledge_alert(request: HttpRequest, alert_id: uuid.UUID) -> Acknowledgement:
    """You have read the alert: recorded once (sending it again answers the same)."""
    actor = acting_user(request)
    alert = get_alert_for_user(actor, alert_id)
    if not is_addressed_to(actor, alert):
        raise Http404
    return alert_acknowledge(actor=actor, alert=alert, channel="phone")


class FollowOut(Schema):
    seen: list[str]
    not_seen: list[str]


@router.get("/alerts/{alert_id}/acknowledgements", response=FollowOut)
def alert_acknowledgements(request: HttpRequest, alert_id: uuid.UUID) -> dict[str, list[str]]:
    """Who has seen the alert and who has not, by username (the coordination only)."""
    if not can_issue_alert(request.user):
        raise Http404
    follow = alert_follow(get_alert_for_user(request.user, alert_id))
    return {
        "seen": [a.user.username for a in follow.seen],
        "not_seen": [u.username for u in follow.not_seen],
    }


@router.post("/alerts/{alert_id}/withdraw", response=StaffAlertOut)
def withdraw_alert(request: HttpRequest, alert_id: uuid.UUID) -> Alert:
    if not can_issue_alert(request.user):
        raise Http404
    alert = get_alert_for_user(request.user, alert_id)
    return alert_withdraw(actor=acting_user(request), alert=alert)
