"""Writes of drug checking and product alerts. Each runs in a transaction and writes its audit
event; the payloads hold codes and references, never free text."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from halte.accounts.models import User
from halte.alerts import detection
from halte.alerts.enums import AlertOrigin, Circumstance, SubstanceRole
from halte.alerts.models import (
    Acknowledgement,
    Alert,
    ResultSubstance,
    Sample,
    Signal,
)
from halte.alerts.permissions import can_enter_result, can_issue_alert, can_record_sample
from halte.audit.services import audit_record
from halte.consumption.models import Incident
from halte.core.errors import ConflictError, DomainError
from halte.core.models import REFUSALS, validate_fields
from halte.core.timeutils import local_today, now
from halte.network.models import Site

MAX_ALERT_DAYS = 90
MAX_SUBSTANCES = 12
# A result's substances are one field of the form and the API: each row's refusal is shown there.
AS_SUBSTANCES = {"substance": "substances", "role": "substances", "label": "substances"}
COLLECT_BACKDATE_DAYS = 60


def _other_label(code: str, label: str, field: str) -> str:
    """The short label of an "other" product or substance: required for "other", dropped else
    (its length is the model's to check)."""
    label = " ".join((label or "").split())
    if code != "other":
        return ""
    if not label:
        raise DomainError(_("Précisez le produit « autre » en quelques mots."), field=field)
    return label


def _reference() -> str:
    return "E-" + uuid.uuid4().hex[:8].upper()


@transaction.atomic
def sample_record(
    *,
    actor: User,
    site: Site,
    collected_on: dt.date | None = None,
    sold_as: str,
    believed: str,
    form: str,
    route: str,
    circumstance: str,
    sold_as_other: str = "",
    believed_other: str = "",
    incident: Incident | None = None,
    sent_to: str = "",
    sent_on: dt.date | None = None,
    synthetic: bool = False,
) -> Sample:
    """Record a sample collected at a site or by a team, possibly linked to an incident of that
    site, possibly already sent to a laboratory."""
    if not can_record_sample(actor, site):
        raise Http404(_("Site introuvable."))
    today = local_today()
    collected = collected_on or today
    if collected > today:
        raise DomainError(_("La date de collecte est dans le futur."), field="collected_on")
    if not synthetic and collected < today - dt.timedelta(days=COLLECT_BACKDATE_DAYS):
        raise DomainError(
            _("Collecte de plus de %(n)s jours : vérifiez la date.") % {"n": COLLECT_BACKDATE_DAYS},
            field="collected_on",
        )
    asked = Sample(
        sold_as=sold_as, believed=believed, form=form, route=route, circumstance=circumstance
    )
    validate_fields(asked, "sold_as", "believed", "form", "route", "circumstance")
    if incident is not None:
        if incident.site_id != site.pk:
            raise DomainError(_("Cet incident n'a pas eu lieu sur ce site."), field="incident")
        circumstance = Circumstance.INCIDENT
    sample = Sample(
        reference=_reference(),
        site=site,
        collected_on=collected,
        sold_as=sold_as,
        sold_as_other=_other_label(sold_as, sold_as_other, "sold_as_other"),
        believed=believed,
        believed_other=_other_label(believed, believed_other, "believed_other"),
        form=form,
        route=route,
        circumstance=circumstance,
        incident=incident,
        recorded_by=actor,
        synthetic=synthetic,
    )
    validate_fields(sample, "sold_as_other", "believed_other")
    _apply_sending(sample, sent_to, sent_on)
    sample.save()
    audit_record(
        actor=actor,
        action="sample.recorded",
        subject=sample,
        site=site,
        payload={
            "reference": sample.reference,
            "sold_as": sold_as,
            "believed": believed,
            "circumstance": circumstance,
            "incident": str(incident.public_id) if incident else None,
            "sent_to": sample.sent_to,
        },
    )
    return sample


def _apply_sending(sample: Sample, sent_to: str, sent_on: dt.date | None) -> None:
    if not sent_to:
        if sent_on is not None:
            raise DomainError(_("Indiquez où l'échantillon a été envoyé."), field="sent_to")
        return
    validate_fields(Sample(sent_to=sent_to), "sent_to")
    sent = sent_on or local_today()
    if sent < sample.collected_on:
        raise DomainError(_("L'envoi précède la collecte."), field="sent_on")
    if sent > local_today():
        raise DomainError(_("La date d'envoi est dans le futur."), field="sent_on")
    sample.sent_to, sample.sent_on = sent_to, sent


@transaction.atomic
def sample_send(
    *, actor: User, sample: Sample, sent_to: str, sent_on: dt.date | None = None
) -> Sample:
    """Note where the sample went and when."""
    if not can_record_sample(actor, sample.site):
        raise Http404(_("Échantillon introuvable."))
    if not sent_to:
        raise DomainError(_("Indiquez où l'échantillon a été envoyé."), field="sent_to")
    _apply_sending(sample, sent_to, sent_on)
    sample.save(update_fields=["sent_to", "sent_on", "updated_at"])
    audit_record(
        actor=actor,
        action="sample.sent",
        subject=sample,
        site=sample.site,
        payload={"sent_to": sample.sent_to, "sent_on": str(sample.sent_on)},
    )
    return sample


@dataclass(frozen=True)
class Found:
    """One substance of a result as entered or imported."""

    substance: str
    role: str = SubstanceRole.ACTIVE
    purity: Decimal | None = None
    label: str = ""


def _clean_found(found: Sequence[Found]) -> list[ResultSubstance]:
    if not found:
        raise DomainError(
            _("Un résultat nomme au moins une substance (ou « aucune substance »)."),
            field="substances",
        )
    if len(found) > MAX_SUBSTANCES:
        raise DomainError(
            _("%(n)s substances au plus par échantillon.") % {"n": MAX_SUBSTANCES},
            field="substances",
        )
    rows: list[ResultSubstance] = []
    seen: set[tuple[str, str]] = set()
    for item in found:
        asked = ResultSubstance(substance=item.substance, role=item.role)
        validate_fields(asked, "substance", "role", shown_as=AS_SUBSTANCES)
        label = _other_label(item.substance, item.label, "substances")
        validate_fields(ResultSubstance(label=label), "label", shown_as=AS_SUBSTANCES)
        if item.purity is not None and not Decimal(0) <= item.purity <= Decimal(100):
            raise DomainError(_("La pureté est un pourcentage entre 0 et 100."), field="substances")
        if (item.substance, label) in seen:
            raise DomainError(_("Une substance est nommée deux fois."), field="substances")
        seen.add((item.substance, label))
        rows.append(
            ResultSubstance(
                substance=item.substance,
                role=item.role,
                purity=item.purity.quantize(Decimal("0.1")) if item.purity is not None else None,
                label=label,
            )
        )
    return rows


@transaction.atomic
def result_record(
    *,
    actor: User,
    sample: Sample,
    found: Sequence[Found],
    result_on: dt.date | None = None,
    source: str = "form",
) -> Sample:
    """Enter (or replace) the laboratory's result of a sample: the substances found, their role
    and purity. By a nurse of the sample's site or the coordination; ``source`` says whether it
    was typed or imported from a CSV."""
    if not can_enter_result(actor, sample.site):
        raise Http404(_("Échantillon introuvable."))
    rows = _clean_found(found)
    day = result_on or local_today()
    if day < sample.collected_on:
        raise DomainError(_("Le résultat précède la collecte."), field="result_on")
    if day > local_today():
        raise DomainError(_("La date du résultat est dans le futur."), field="result_on")
    replaced = sample.substances.exists()
    sample.substances.all().delete()
    for row in rows:
        row.sample = sample
    ResultSubstance.objects.bulk_create(rows)
    sample.result_on, sample.result_by = day, actor
    sample.save(update_fields=["result_on", "result_by", "updated_at"])
    audit_record(
        actor=actor,
        action="sample.result_replaced" if replaced else "sample.result_recorded",
        subject=sample,
        site=sample.site,
        payload={
            "reference": sample.reference,
            "substances": [r.substance for r in rows],
            "source": source,
        },
    )
    return sample


@dataclass(frozen=True)
class AlertDraft:
    """What the coordination writes in an alert."""

    severity: str
    product: str
    title: str
    looks_like: str
    seen_in: str
    advice: str
    valid_until: dt.datetime
    all_sites: bool = False
    is_public: bool = True


def _clean_draft(draft: AlertDraft, issued_at: dt.datetime) -> None:
    texts = {
        "title": draft.title,
        "looks_like": draft.looks_like,
        "seen_in": draft.seen_in,
        "advice": draft.advice,
    }
    for field, value in texts.items():
        if not value.strip():
            raise DomainError(_("Ce champ est obligatoire."), field=field)
    asked = Alert(severity=draft.severity, product=draft.product, **texts)
    validate_fields(asked, "severity", "product", "title", "looks_like", "seen_in")
    # A text field's length is not part of the model's validation: the column's limit, here.
    limit = Alert._meta.get_field("advice").max_length or 0
    if len(draft.advice) > limit:
        raise DomainError(str(REFUSALS["max_length"]) % {"limit": limit}, field="advice")
    if draft.valid_until <= issued_at:
        raise DomainError(_("La fin de validité doit être dans le futur."), field="valid_until")
    if draft.valid_until > issued_at + dt.timedelta(days=MAX_ALERT_DAYS):
        raise DomainError(
            _("Une alerte vaut %(n)s jours au plus : émettez-en une nouvelle ensuite.")
            % {"n": MAX_ALERT_DAYS},
            field="valid_until",
        )


@transaction.atomic
def alert_issue(
    *,
    actor: User,
    draft: AlertDraft,
    sites: Sequence[Site] = (),
    origin: str = AlertOrigin.MANUAL,
    sample: Sample | None = None,
    signal: Signal | None = None,
    issued_at: dt.datetime | None = None,
    synthetic: bool = False,
) -> Alert:
    """Issue an alert to the given sites and teams, or to the whole network. It shows on their
    screens until each member of staff has acknowledged it, and in the public feed when public."""
    if not can_issue_alert(actor):
        raise Http404(_("Introuvable."))
    moment = issued_at or now()
    _clean_draft(draft, moment)
    validate_fields(Alert(origin=origin), "origin")
    if not draft.all_sites and not sites:
        raise DomainError(
            _("Choisissez les sites et équipes visés, ou tout le réseau."), field="sites"
        )
    if sample is not None:
        origin = AlertOrigin.RESULT
    if signal is not None:
        origin = AlertOrigin.SIGNAL
    alert = Alert.objects.create(
        severity=draft.severity,
        product=draft.product,
        title=draft.title.strip(),
        looks_like=draft.looks_like.strip(),
        seen_in=draft.seen_in.strip(),
        advice=draft.advice.strip(),
        valid_until=draft.valid_until,
        all_sites=draft.all_sites,
        is_public=draft.is_public,
        origin=origin,
        sample=sample,
        signal=signal,
        issued_at=moment,
        issued_by=actor,
        synthetic=synthetic,
    )
    if not draft.all_sites:
        alert.sites.set(sites)
    if signal is not None and signal.closed_at is None:
        signal.closed_at, signal.closed_by = moment, actor
        signal.save(update_fields=["closed_at", "closed_by", "updated_at"])
    audit_record(
        actor=actor,
        action="alert.issued",
        subject=alert,
        site=None,
        payload={
            "severity": alert.severity,
            "product": alert.product,
            "origin": alert.origin,
            "all_sites": alert.all_sites,
            "sites": [str(s.public_id) for s in sites] if not draft.all_sites else [],
            "sample": sample.reference if sample else None,
            "valid_until": alert.valid_until.isoformat(),
        },
    )
    return alert


@transaction.atomic
def alert_withdraw(*, actor: User, alert: Alert) -> Alert:
    """End an alert before its validity: it leaves every screen and the public feed."""
    if not can_issue_alert(actor):
        raise Http404(_("Introuvable."))
    if alert.withdrawn_at is not None:
        raise ConflictError(_("Cette alerte est déjà retirée."))
    alert.withdrawn_at, alert.withdrawn_by = now(), actor
    alert.save(update_fields=["withdrawn_at", "withdrawn_by", "updated_at"])
    audit_record(actor=actor, action="alert.withdrawn", subject=alert, site=None)
    return alert


CHANNELS = ("desk", "room", "outreach", "where", "phone", "page")


def alert_acknowledge(*, actor: User, alert: Alert, channel: str = "page") -> Acknowledgement:
    """The member of staff has seen the alert. Idempotent: a second acknowledgement returns the
    first one and writes nothing. The caller has checked the alert targets the actor."""
    if channel not in CHANNELS:
        channel = "page"
    existing = Acknowledgement.objects.filter(alert=alert, user=actor).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            ack = Acknowledgement.objects.create(alert=alert, user=actor, at=now(), channel=channel)
            audit_record(
                actor=actor,
                action="alert.acknowledged",
                subject=ack,
                site=None,
                payload={"alert": str(alert.public_id), "channel": channel},
            )
    except IntegrityError:
        # A twin request acknowledged it at the same moment: its row is the answer.
        return Acknowledgement.objects.get(alert=alert, user=actor)
    return ack


@transaction.atomic
def signal_check(
    *, at: dt.datetime | None = None, reading: detection.Reading | None = None
) -> Signal | None:
    """Read the window ending at ``at`` (now by default), or take a ``reading`` already made;
    when it is above the usual level, open a signal, or extend the open one that overlaps it.
    Returns the open signal, if any."""
    reading = reading or detection.read_window(at or now())
    end = reading.end
    if not reading.raised:
        return None
    overlap = (
        Signal.objects.select_for_update()
        .filter(closed_at__isnull=True, window_end__gt=reading.start, window_end__lte=end)
        .order_by("-window_end")
        .first()
    )
    if overlap is not None:
        if overlap.window_end == end and overlap.observed >= reading.observed:
            return overlap
        overlap.window_end = end
        overlap.observed = max(overlap.observed, reading.observed)
        overlap.expected, overlap.threshold = reading.expected, reading.threshold
        overlap.save(
            update_fields=["window_end", "observed", "expected", "threshold", "updated_at"]
        )
        return overlap
    signal = Signal.objects.create(
        window_start=reading.start,
        window_end=end,
        observed=reading.observed,
        expected=round(reading.expected, 3),
        threshold=reading.threshold,
    )
    audit_record(
        actor=None,
        action="alert_signal.raised",
        subject=signal,
        site=None,
        payload={
            "observed": signal.observed,
            "expected": signal.expected,
            "threshold": signal.threshold,
        },
    )
    return signal


@transaction.atomic
def signal_close(*, actor: User, signal: Signal) -> Signal:
    """The coordination has looked at the signal and decided no alert is needed."""
    if not can_issue_alert(actor):
        raise Http404(_("Introuvable."))
    if signal.closed_at is not None:
        raise ConflictError(_("Ce signal est déjà clos."))
    signal.closed_at, signal.closed_by = now(), actor
    signal.save(update_fields=["closed_at", "closed_by", "updated_at"])
    audit_record(actor=actor, action="alert_signal.closed", subject=signal, site=None)
    return signal
