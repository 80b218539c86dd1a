"""Care screens: acts, material and referrals on a visit; bulk material and stock of a site; the
referrals a site follows up. Tablet first, every action a plain form post."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from halte.accounts.permissions import can_record_at
from halte.care.catalogue import (
    can_manage_catalogue,
    catalogue_item_save,
    catalogue_item_withdraw,
    catalogue_rows,
    expiring_lots,
    material_lot_receive,
)
from halte.care.enums import REFERRAL_MOVES, CareKind, Item, ReferralStatus
from halte.care.permissions import (
    can_adjust_stock,
    can_record_care,
    can_see_care_details,
    can_see_referral_note,
    can_see_stock,
)
from halte.care.selectors import (
    REFERRAL_OVERDUE_DAYS,
    care_acts_for_visit,
    distributions_for_visit,
    get_referral_for_user,
    open_referrals,
    referrals_for_visit,
    social_acts_for_visit,
    stock_levels,
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
from halte.core.errors import DomainError
from halte.network.enums import SiteStatus
from halte.network.models import Site
from halte.network.selectors import get_site_for_user, sites_visible_to
from halte.visits.models import Visit
from halte.visits.selectors import get_visit_for_user
from halte.www.care.forms import (
    BulkForm,
    CareActForm,
    CatalogueItemForm,
    CorrectionForm,
    LotForm,
    QuantitiesForm,
    ReferralForm,
    ReferralStatusForm,
    SocialActForm,
    ThresholdForm,
    receipt_form,
    stock_items,
    visit_items,
)
from halte.www.shortcuts import desk_site, reported, staff


def _network_sites(request: HttpRequest, site: Site) -> list[tuple[str, str]]:
    sites = (
        sites_visible_to(request.user)
        .filter(status=SiteStatus.OPERATIONAL)
        .exclude(pk=site.pk)
        .order_by("name")
    )
    return [(str(s.public_id), s.name) for s in sites]


def _referral_form(request: HttpRequest, site: Site, data: Any = None) -> ReferralForm:
    return ReferralForm(
        data,
        sites=_network_sites(request, site),
        with_note=can_see_referral_note(request.user, site),
    )


def _visit_context(request: HttpRequest, visit: Visit, **forms: forms.Form) -> dict[str, Any]:
    """The visit page; ``forms`` replaces blank forms with the ones just refused, as typed."""
    site = visit.site
    return {
        "visit": visit,
        "site": site,
        "care_acts": care_acts_for_visit(request.user, visit),
        "social_acts": social_acts_for_visit(visit),
        "referrals": referrals_for_visit(request.user, visit),
        "distributions": distributions_for_visit(visit),
        "sees_details": can_see_care_details(request.user, site),
        "records_care": can_record_care(request.user, site),
        "care_form": CareActForm(),
        "social_form": SocialActForm(),
        "referral_form": _referral_form(request, site),
        "material_form": QuantitiesForm(items=visit_items()),
        **forms,
    }


def _refused(request: HttpRequest, visit: Visit, message: str, **forms: forms.Form) -> HttpResponse:
    """Say why, and show the page again with what was typed: nothing is lost."""
    messages.error(request, message)
    return render(request, "care/visit.html", _visit_context(request, visit, **forms), status=422)


@require_safe
def visit_page(request: HttpRequest, visit_id: uuid.UUID) -> HttpResponse:
    """A visit's care: acts (results for the care team only), material, referrals, and the
    forms to add them."""
    visit = get_visit_for_user(request.user, visit_id)
    return render(request, "care/visit.html", _visit_context(request, visit))


def _back(visit: Visit) -> HttpResponse:
    return redirect("care:visit", visit_id=visit.public_id)


@require_POST
def add_care_act(request: HttpRequest, visit_id: uuid.UUID) -> HttpResponse:
    visit = get_visit_for_user(request.user, visit_id)
    form = CareActForm(request.POST)
    if not form.is_valid():
        return _refused(
            request, visit, _("Acte non enregistré : choisissez l'acte."), care_form=form
        )
    fields = form.service_kwargs()
    # A kit ticked beside another act than the training: the act is recorded as chosen and the
    # kit as material given on the visit, so neither is lost.
    kit_apart = fields["naloxone_kit_given"] and fields["kind"] != CareKind.NALOXONE_TRAINING
    fields["naloxone_kit_given"] = fields["naloxone_kit_given"] and not kit_apart
    try:
        care_act_record(actor=staff(request), visit=visit, **fields)
    except DomainError as exc:
        return _refused(request, visit, exc.message, care_form=form)
    if not kit_apart:
        messages.success(request, _("Acte de soin enregistré."))
        return _back(visit)
    try:
        distribution_record(
            actor=staff(request), site=visit.site, visit=visit, lines=[(Item.NALOXONE_KIT, 1)]
        )
    except DomainError as exc:
        messages.warning(
            request,
            _("Acte de soin enregistré, mais pas le kit de naloxone : %(why)s")
            % {"why": exc.message},
        )
    else:
        messages.success(
            request,
            _(
                "Acte de soin enregistré ; le kit de naloxone est noté comme matériel remis. "
                "Si la formation a été faite, enregistrez aussi l'acte « Formation à la "
                "naloxone »."
            ),
        )
    return _back(visit)


@require_POST
def add_social_act(request: HttpRequest, visit_id: uuid.UUID) -> HttpResponse:
    visit = get_visit_for_user(request.user, visit_id)
    form = SocialActForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Démarche non enregistrée : choisissez la démarche."))
        return _back(visit)
    with reported(request, _("Démarche sociale enregistrée.")):
        social_act_record(actor=staff(request), visit=visit, **form.cleaned_data)
    return _back(visit)


@require_POST
def add_visit_material(request: HttpRequest, visit_id: uuid.UUID) -> HttpResponse:
    visit = get_visit_for_user(request.user, visit_id)
    form = QuantitiesForm(request.POST, items=visit_items())
    if not form.is_valid():
        messages.error(request, _("Matériel non enregistré : quantités de 0 à 10 000."))
        return _back(visit)
    with reported(request, _("Matériel enregistré.")):
        distribution_record(actor=staff(request), site=visit.site, visit=visit, lines=form.lines())
    return _back(visit)


@require_POST
def add_visit_referral(request: HttpRequest, visit_id: uuid.UUID) -> HttpResponse:
    visit = get_visit_for_user(request.user, visit_id)
    form = _referral_form(request, visit.site, request.POST)
    if not form.is_valid():
        return _refused(
            request,
            visit,
            _("Orientation non enregistrée : choisissez la destination ; date du rendez-vous ?"),
            referral_form=form,
        )
    data = form.cleaned_data
    destination = (
        get_site_for_user(request.user, data["destination_site"])
        if data["destination_site"]
        else None
    )
    try:
        referral_create(
            actor=staff(request),
            site=visit.site,
            visit=visit,
            destination_kind=data["destination_kind"],
            destination_site=destination,
            appointment_at=data["appointment_at"],
            note=data.get("note", ""),
        )
    except DomainError as exc:
        return _refused(request, visit, exc.message, referral_form=form)
    messages.success(request, _("Orientation proposée."))
    return _back(visit)


@require_safe
def site_material(request: HttpRequest, site_id: uuid.UUID) -> HttpResponse:
    """Stock of the site (levels, thresholds, low flags), bulk entry for a busy hour, deliveries,
    inventory corrections and thresholds. Network roles see the levels, without the forms."""
    site = get_site_for_user(request.user, site_id)
    if not can_see_stock(request.user, site):
        raise Http404(_("Site introuvable."))
    rows = stock_levels(site)
    given = [(r.item, r.label) for r in rows]
    return render(
        request,
        "care/stock.html",
        {
            "site": site,
            "rows": rows,
            "low": [r for r in rows if r.low],
            "expiring": expiring_lots(site),
            "records": can_record_at(request.user, site),
            "adjusts": can_adjust_stock(request.user, site),
            "bulk_form": BulkForm(items=visit_items(), prefix="bulk"),
            "receipt_form": receipt_form(items=given),
            "lot_form": LotForm(items=_lot_items(rows)),
            "correction_form": CorrectionForm(items=given),
            "threshold_form": ThresholdForm(items=given),
        },
    )


def _lot_items(rows: list[Any]) -> list[tuple[str, str]]:
    tracked = {row.item.code for row in catalogue_rows() if row.item.tracks_lots}
    return [(r.item, r.label) for r in rows if r.item in tracked]


def _to_stock(site: Site) -> HttpResponse:
    return redirect("care:stock", site_id=site.public_id)


@require_POST
def bulk_distribution(request: HttpRequest, site_id: uuid.UUID) -> HttpResponse:
    """Several items with quantities in one form, linked to no person."""
    site = desk_site(request, site_id)
    form = BulkForm(request.POST, items=visit_items(), prefix="bulk")
    if not form.is_valid():
        messages.error(request, _("Saisie non enregistrée : quantités de 0 à 10 000."))
        return _to_stock(site)
    with reported(request, _("Saisie groupée enregistrée.")):
        distribution_record(
            actor=staff(request),
            site=site,
            lines=form.lines(),
            channel=form.channel(),
        )
    return _to_stock(site)


@require_POST
def stock_receipt(request: HttpRequest, site_id: uuid.UUID) -> HttpResponse:
    site = desk_site(request, site_id)
    form = receipt_form(request.POST, items=stock_items())
    if not form.is_valid():
        messages.error(request, _("Livraison non enregistrée : vérifiez les quantités."))
        return _to_stock(site)
    with reported(request, _("Livraison enregistrée.")):
        stock_receive(actor=staff(request), site=site, lines=form.lines())
    return _to_stock(site)


def _stock_post(
    request: HttpRequest,
    site_id: uuid.UUID,
    form_class: Callable[..., forms.Form],
    service: Callable[..., object],
    *,
    refused: str,
    done: str,
) -> HttpResponse:
    """A stock form whose fields are the service's own arguments: ``refused`` when the form is
    not valid, else the service with ``done`` or its refusal; back to the stock page either way."""
    site = desk_site(request, site_id)
    form = form_class(request.POST, items=stock_items())
    if not form.is_valid():
        messages.error(request, refused)
    else:
        with reported(request, done):
            service(actor=staff(request), site=site, **form.cleaned_data)
    return _to_stock(site)


@require_POST
def stock_correction(request: HttpRequest, site_id: uuid.UUID) -> HttpResponse:
    return _stock_post(
        request,
        site_id,
        CorrectionForm,
        stock_correct,
        refused=_("Inventaire non enregistré : choisissez le matériel et le compte."),
        done=_("Inventaire enregistré."),
    )


@require_POST
def stock_threshold(request: HttpRequest, site_id: uuid.UUID) -> HttpResponse:
    return _stock_post(
        request,
        site_id,
        ThresholdForm,
        stock_threshold_set,
        refused=_("Seuil non enregistré : choisissez le matériel et le seuil."),
        done=_("Seuil d'alerte enregistré."),
    )


@require_safe
def site_referrals(request: HttpRequest, site_id: uuid.UUID) -> HttpResponse:
    """Open referrals to follow up, oldest first, overdue ones flagged."""
    site = desk_site(request, site_id)
    rows = open_referrals(request.user, site)
    return render(
        request,
        "care/referrals.html",
        {
            "site": site,
            "rows": [{"row": r, "moves": _moves(r.referral.status)} for r in rows],
            "overdue_days": REFERRAL_OVERDUE_DAYS,
            "overdue_count": sum(1 for r in rows if r.overdue),
        },
    )


def _moves(status: str) -> list[tuple[str, str]]:
    order = list(ReferralStatus)
    return [(s.value, str(s.label)) for s in order if s in REFERRAL_MOVES[status]]


@require_POST
def referral_status(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    referral = get_referral_for_user(request.user, referral_id)
    form = ReferralStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Statut inconnu."))
    else:
        with reported(request, _("Orientation mise à jour.")):
            referral_advance(actor=staff(request), referral=referral, **form.cleaned_data)
    if request.POST.get("next") == "visit" and referral.visit is not None:
        return _back(referral.visit)
    return redirect("care:referrals", site_id=referral.site.public_id)


@require_POST
def stock_lot(request: HttpRequest, site_id: uuid.UUID) -> HttpResponse:
    """A lot received (naloxone): its number and expiry, its quantity added to the stock."""
    return _stock_post(
        request,
        site_id,
        LotForm,
        material_lot_receive,
        refused=_("Lot non enregistré : matériel, numéro, péremption et quantité."),
        done=_("Lot enregistré."),
    )


@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    """The material catalogue: items, kits and what they hold, syringe equivalents. Anyone on
    the staff reads it; the network coordinator adds, revises and withdraws items."""
    staff(request)
    return _catalogue_page(request, CatalogueItemForm())


def _catalogue_page(
    request: HttpRequest, form: CatalogueItemForm, *, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "care/catalogue.html",
        {"rows": catalogue_rows(), "manages": can_manage_catalogue(request.user), "form": form},
        status=status,
    )


@require_POST
def catalogue_save(request: HttpRequest) -> HttpResponse:
    actor = staff(request)
    if not can_manage_catalogue(actor):
        raise Http404(_("Page introuvable."))
    form = CatalogueItemForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Article non enregistré : vérifiez les champs."))
        return _catalogue_page(request, form, status=422)
    try:
        item = catalogue_item_save(actor=actor, **form.service_kwargs())
    except DomainError as exc:
        messages.error(request, exc.message)
        return _catalogue_page(request, form, status=422)
    messages.success(
        request,
        _("« %(label)s » enregistré (version %(version)s).")
        % {"label": item.label, "version": item.version},
    )
    return redirect("care:catalogue")


@require_POST
def catalogue_withdraw(request: HttpRequest, code: str) -> HttpResponse:
    actor = staff(request)
    if not can_manage_catalogue(actor):
        raise Http404(_("Page introuvable."))
    with reported(request, _("Article retiré du catalogue.")):
        catalogue_item_withdraw(actor=actor, code=code)
    return redirect("care:catalogue")
