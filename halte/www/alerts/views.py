"""Drug checking and product alerts: the coordination's board (signals, alerts, who has not seen
them), issuing an alert, samples and their results, the CSV import, the acknowledgement posted
from the banner, and the public page of alerts in force."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from halte.accounts.permissions import client_site_ids
from halte.alerts import detection
from halte.alerts.csv_import import COLUMNS, results_import
from halte.alerts.enums import Substance
from halte.alerts.models import Sample
from halte.alerts.permissions import (
    can_enter_result,
    can_import_results,
    can_issue_alert,
    can_record_sample,
    can_see_samples,
)
from halte.alerts.selectors import (
    alert_follow,
    alerts_board,
    alerts_for_user,
    get_alert_for_user,
    get_incident_at,
    get_sample_for_user,
    get_signal,
    is_addressed_to,
    live,
    open_signals,
    public_alerts,
    recent_incidents,
    samples_for_user,
    signal_incidents,
    unacknowledged_for,
)
from halte.alerts.services import (
    CHANNELS,
    AlertDraft,
    Found,
    alert_acknowledge,
    alert_issue,
    alert_withdraw,
    result_record,
    sample_record,
    sample_send,
    signal_check,
    signal_close,
)
from halte.core.errors import DomainError
from halte.core.timeutils import local_today, now
from halte.network.enums import PROJECT_STATUSES
from halte.network.models import Site
from halte.www.alerts.forms import (
    AlertForm,
    ImportForm,
    ResultDateForm,
    SampleNewForm,
    SendForm,
    SubstanceRows,
)
from halte.www.shortcuts import refuse, reported, staff
from halte.www.throttle import public_rate_limit


def _coordination_only(request: HttpRequest) -> None:
    if not can_issue_alert(request.user):
        raise Http404(_("Introuvable."))


@require_safe
def board(request: HttpRequest) -> HttpResponse:
    """The coordination: open signals (read now), alerts and how many have seen them. Front-line
    staff: the alerts addressed to them and their sites' latest samples."""
    if can_issue_alert(request.user):
        reading = detection.read_window(now())
        signal_check(reading=reading)
        signals = [
            {"signal": s, "incidents": signal_incidents(s.window_start, s.window_end)}
            for s in open_signals()[:5]
        ]
        return render(
            request,
            "alerts/board.html",
            {
                "coordination": True,
                "signals": signals,
                "reading": reading,
                "window_hours": detection.WINDOW_HOURS,
                "alerts": alerts_board()[:50],
                "moment": now(),
                "samples": samples_for_user(request.user)[:10],
            },
        )
    if not can_see_samples(request.user):
        raise Http404(_("Introuvable."))
    return render(
        request,
        "alerts/board.html",
        {
            "coordination": False,
            "alerts": live(alerts_for_user(request.user)).order_by("-issued_at")[:50],
            "pending": {a.pk for a in unacknowledged_for(request.user, limit=50)},
            "samples": samples_for_user(request.user)[:10],
            "moment": now(),
        },
    )


def _site_choices() -> list[tuple[str, str]]:
    rows = Site.objects.exclude(status__in=PROJECT_STATUSES).order_by("name")
    return [(str(s.public_id), f"{s.name} ({s.area_name})") for s in rows]


@require_http_methods(["GET", "HEAD", "POST"])
def issue(request: HttpRequest) -> HttpResponse:
    """Issue an alert, possibly from a sample's result (?echantillon=) or a signal (?signal=)."""
    _coordination_only(request)
    sample = (
        get_sample_for_user(request.user, request.GET["echantillon"])
        if request.GET.get("echantillon")
        else None
    )
    signal = get_signal(request.GET["signal"]) if request.GET.get("signal") else None
    initial: dict[str, Any] = {
        # An aware instant: the form field shows it on Paris's clock, as it reads it back.
        "valid_until": now() + dt.timedelta(days=14),
        "is_public": True,
        "severity": "warning",
    }
    if sample is not None:
        initial |= {"product": sample.sold_as, "seen_in": sample.site.area_name}
    form = AlertForm(request.POST or None, sites=_site_choices(), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = list(Site.objects.filter(public_id__in=data["sites"]))
        draft = AlertDraft(
            severity=data["severity"],
            product=data["product"],
            title=data["title"],
            looks_like=data["looks_like"],
            seen_in=data["seen_in"],
            advice=data["advice"],
            valid_until=data["valid_until"],
            all_sites=data["all_sites"],
            is_public=data["is_public"],
        )
        try:
            alert = alert_issue(
                actor=staff(request), draft=draft, sites=chosen, sample=sample, signal=signal
            )
        except DomainError as exc:
            refuse(form, exc)
        else:
            messages.success(request, _("Alerte émise."))
            return redirect("alerts:detail", alert_id=alert.public_id)
    incidents = signal_incidents(signal.window_start, signal.window_end) if signal else []
    return render(
        request,
        "alerts/issue.html",
        {"form": form, "sample": sample, "signal": signal, "incidents": incidents},
    )


@require_safe
def alert_page(request: HttpRequest, alert_id: uuid.UUID) -> HttpResponse:
    """An alert; for the coordination, who has seen it and who has not."""
    alert = get_alert_for_user(request.user, alert_id)
    coordination = can_issue_alert(request.user)
    user = staff(request)
    return render(
        request,
        "alerts/detail.html",
        {
            "alert": alert,
            "coordination": coordination,
            "follow": alert_follow(alert) if coordination else None,
            "targets": alert.sites.order_by("name") if coordination else [],
            "pending": not coordination and not alert.acknowledgements.filter(user=user).exists(),
            "in_force": alert.withdrawn_at is None and alert.valid_until > now(),
        },
    )


def _back(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@require_POST
def acknowledge(request: HttpRequest, alert_id: uuid.UUID) -> HttpResponse:
    """ "Vu" from the banner or the alert's page: recorded once per person, audited."""
    alert = get_alert_for_user(request.user, alert_id)
    user = staff(request)
    if not is_addressed_to(user, alert):
        raise Http404(_("Alerte introuvable."))
    channel = request.POST.get("channel", "page")
    alert_acknowledge(actor=user, alert=alert, channel=channel if channel in CHANNELS else "page")
    messages.success(request, _("Alerte notée comme vue."))
    return redirect(_back(request, reverse("alerts:detail", kwargs={"alert_id": alert.public_id})))


@require_POST
def withdraw(request: HttpRequest, alert_id: uuid.UUID) -> HttpResponse:
    _coordination_only(request)
    alert = get_alert_for_user(request.user, alert_id)
    with reported(request, _("Alerte retirée.")):
        alert_withdraw(actor=staff(request), alert=alert)
    return redirect("alerts:detail", alert_id=alert.public_id)


@require_POST
def close_signal(request: HttpRequest, signal_id: uuid.UUID) -> HttpResponse:
    _coordination_only(request)
    signal = get_signal(signal_id)
    with reported(request, _("Signal clos sans alerte.")):
        signal_close(actor=staff(request), signal=signal)
    return redirect("alerts:board")


@require_safe
def samples(request: HttpRequest) -> HttpResponse:
    if not can_see_samples(request.user):
        raise Http404(_("Introuvable."))
    return render(
        request,
        "alerts/samples.html",
        {
            "samples": samples_for_user(request.user)[:200],
            "can_record": bool(client_site_ids(request.user)),
            "can_import": can_import_results(request.user),
        },
    )


def _recording_sites(request: HttpRequest) -> list[Site]:
    ids = client_site_ids(request.user)
    return list(Site.objects.filter(pk__in=ids).order_by("name"))


@require_http_methods(["GET", "HEAD", "POST"])
def sample_new(request: HttpRequest) -> HttpResponse:
    """Record a sample collected at one of the user's sites or teams."""
    sites = _recording_sites(request)
    if not sites:
        raise Http404(_("Introuvable."))
    incidents = [
        (
            str(i.public_id),
            f"{localtime(i.occurred_at):%d/%m %H:%M} · {i.get_kind_display()} · {s.name}",
        )
        for s in sites
        for i in recent_incidents(s)
    ]
    form = SampleNewForm(
        request.POST or None,
        sites=[(str(s.public_id), s.name) for s in sites],
        incidents=incidents,
        initial={"collected_on": local_today(), "circumstance": "routine"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        site = next(s for s in sites if str(s.public_id) == data["site"])
        try:
            incident = get_incident_at(site, data["incident"]) if data["incident"] else None
            sample = sample_record(
                actor=staff(request),
                site=site,
                collected_on=data["collected_on"],
                sold_as=data["sold_as"],
                sold_as_other=data["sold_as_other"],
                believed=data["believed"],
                believed_other=data["believed_other"],
                form=data["form"],
                route=data["route"],
                circumstance=data["circumstance"],
                incident=incident,
                sent_to=data["sent_to"],
                sent_on=data["sent_on"],
            )
        except Http404:
            form.add_error("incident", _("Cet incident n'a pas eu lieu sur ce site."))
        except DomainError as exc:
            refuse(form, exc)
        else:
            messages.success(
                request,
                _("Échantillon %(ref)s enregistré : notez cette référence sur le sachet.")
                % {"ref": sample.reference},
            )
            return redirect("alerts:sample", sample_id=sample.public_id)
    return render(request, "alerts/sample_new.html", {"form": form})


def _sample_context(request: HttpRequest, sample: Sample, **extra: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "sample": sample,
        "substances": list(sample.substances.all()),
        "can_send": can_record_sample(request.user, sample.site),
        "can_result": can_enter_result(request.user, sample.site),
        "can_alert": can_issue_alert(request.user),
        "send_form": SendForm(initial={"sent_to": sample.sent_to or "sintes"}),
        "date_form": ResultDateForm(initial={"result_on": local_today()}),
        "rows": SubstanceRows(prefix="s"),
    }
    return context | extra


@require_safe
def sample_page(request: HttpRequest, sample_id: uuid.UUID) -> HttpResponse:
    sample = get_sample_for_user(request.user, sample_id)
    return render(request, "alerts/sample.html", _sample_context(request, sample))


@require_POST
def sample_sent(request: HttpRequest, sample_id: uuid.UUID) -> HttpResponse:
    sample = get_sample_for_user(request.user, sample_id)
    form = SendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Envoi non noté : choisissez une destination."))
    else:
        with reported(request, _("Envoi noté.")):
            sample_send(
                actor=staff(request),
                sample=sample,
                sent_to=form.cleaned_data["sent_to"],
                sent_on=form.cleaned_data["sent_on"],
            )
    return redirect("alerts:sample", sample_id=sample.public_id)


@require_POST
def sample_result(request: HttpRequest, sample_id: uuid.UUID) -> HttpResponse:
    """Enter the result: the date and up to a dozen substances with role and purity."""
    sample = get_sample_for_user(request.user, sample_id)
    if not can_enter_result(request.user, sample.site):
        raise Http404(_("Échantillon introuvable."))
    date_form = ResultDateForm(request.POST)
    rows = SubstanceRows(request.POST, prefix="s")
    if date_form.is_valid() and rows.is_valid():
        found = [
            Found(
                substance=r["substance"],
                role=r["role"],
                purity=r.get("purity"),
                label=r.get("label", ""),
            )
            for r in rows.cleaned_data
            if r.get("substance")
        ]
        try:
            result_record(
                actor=staff(request),
                sample=sample,
                found=found,
                result_on=date_form.cleaned_data["result_on"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Résultat enregistré."))
            return redirect("alerts:sample", sample_id=sample.public_id)
    else:
        messages.error(request, _("Résultat non enregistré : vérifiez la date et les puretés."))
    context = _sample_context(request, sample, date_form=date_form, rows=rows)
    return render(request, "alerts/sample.html", context, status=422)


@require_http_methods(["GET", "HEAD", "POST"])
def results_upload(request: HttpRequest) -> HttpResponse:
    """Import a laboratory's CSV: checked whole, then all rows written, or none."""
    if not can_import_results(request.user):
        raise Http404(_("Introuvable."))
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = results_import(actor=staff(request), data=form.cleaned_data["file"].read())
        except DomainError as exc:
            refuse(form, exc)
        else:
            if not report.errors:
                messages.success(
                    request,
                    _("%(s)s échantillons mis à jour (%(n)s substances).")
                    % {"s": report.samples, "n": report.substances},
                )
                return redirect("alerts:samples")
    return render(
        request,
        "alerts/import.html",
        {
            "form": form,
            "report": report,
            "columns": COLUMNS,
            "substances": Substance.choices,
        },
        status=422 if report and report.errors else 200,
    )


@login_not_required
@public_rate_limit("read", methods=("GET", "HEAD"))
@require_safe
def public(request: HttpRequest) -> HttpResponse:
    """Alerts in force for partners: the product, where it was seen (area only), what to say."""
    return render(request, "alerts/public.html", {"alerts": public_alerts()[:50]})
