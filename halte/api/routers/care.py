"""Care, social acts, referrals, material and stock.

Every POST honours an Idempotency-Key header (see halte.core.idempotency). Confidential fields of
care acts (test results, psychiatric details) come back under ``confidential`` for care roles
only; for everyone else ``confidential`` is null: the values are never sent."""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from pydantic import AwareDatetime

from halte.accounts.models import User
from halte.api.common import Strict, acting_user
from halte.api.types import ParisDateTime
from halte.care.catalogue import (
    can_manage_catalogue,
    catalogue_item_save,
    catalogue_item_withdraw,
    catalogue_rows,
    material_lot_receive,
)
from halte.care.enums import (
    CATALOGUE_CODE_PATTERN,
    CareKind,
    Channel,
    DestinationKind,
    MaterialCategory,
    PsychiatricOutcome,
    ReferralStatus,
    ScreeningResult,
    SocialKind,
    SocialOutcome,
    Vaccine,
)
from halte.care.models import (
    CatalogueItem,
    Distribution,
    DistributionLine,
    KitComponent,
    MaterialLot,
    Referral,
    SocialAct,
)
from halte.care.permissions import can_see_care_details, can_see_referral_note
from halte.care.selectors import (
    CareActView,
    care_act_view,
    care_acts_for_visit,
    distributions_for_visit,
    get_referral_for_user,
    get_site_stock_for_user,
    referrals_for_visit,
    social_acts_for_visit,
)
from halte.care.services import (
    MAX_LINE_QUANTITY,
    NOTE_MAX_LENGTH,
    care_act_record,
    distribution_record,
    referral_advance,
    referral_create,
    social_act_record,
)
from halte.clients.selectors import get_client_for_user
from halte.core.errors import DomainError
from halte.network.selectors import get_site_for_recording, get_site_for_user
from halte.visits.selectors import get_visit_for_user

router = Router(tags=["soins, social, orientations et matériel"])


class CareActIn(Strict):
    visit: uuid.UUID
    kind: CareKind
    result: ScreeningResult | None = None
    psychiatric_history: bool | None = None
    psychiatric_outcome: PsychiatricOutcome | None = None
    naloxone_kit_given: bool = False
    vaccine: Vaccine | None = Field(None, description="Le vaccin, pour une vaccination.")
    dose: int | None = Field(
        None, ge=1, le=3, description="La dose (1 à 3) : hépatite B seulement."
    )
    performed_at: ParisDateTime | None = None


class ConfidentialOut(Schema):
    result: str | None
    psychiatric_history: bool | None
    psychiatric_outcome: str | None


class CareActOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    visit: uuid.UUID = Field(alias="visit_id")
    kind: str
    performed_at: dt.datetime
    naloxone_kit_given: bool
    vaccine: str | None
    dose: int | None
    confidential: ConfidentialOut | None = Field(
        None, description="Résultats et détails : équipe soignante seulement, null sinon."
    )


@router.post("/care-acts", response={201: CareActOut})
def record_care_act(request: HttpRequest, payload: CareActIn) -> Status[CareActView]:
    """Record a care act on a visit (nurse, or the site's manager). 422 when a rule refuses it
    (a rapid test without its result, a result on another act, a role that may not)."""
    visit = get_visit_for_user(request.user, payload.visit)
    act = care_act_record(
        actor=acting_user(request),
        visit=visit,
        kind=payload.kind,
        result=payload.result or "",
        psychiatric_history=payload.psychiatric_history,
        psychiatric_outcome=payload.psychiatric_outcome or "",
        naloxone_kit_given=payload.naloxone_kit_given,
        vaccine=payload.vaccine or "",
        dose=payload.dose,
        performed_at=payload.performed_at,
    )
    details = can_see_care_details(request.user, visit.site)
    return Status(201, care_act_view(act, details=details))


class SocialActIn(Strict):
    visit: uuid.UUID
    kind: SocialKind
    outcome: SocialOutcome = SocialOutcome.DONE
    performed_at: ParisDateTime | None = None


class SocialActOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    visit: uuid.UUID = Field(alias="visit.public_id")
    kind: str
    outcome: str
    performed_at: dt.datetime


@router.post("/social-acts", response={201: SocialActOut})
def record_social_act(request: HttpRequest, payload: SocialActIn) -> Status[SocialAct]:
    """Record a social act on a visit (front-line staff of the site)."""
    visit = get_visit_for_user(request.user, payload.visit)
    act = social_act_record(
        actor=acting_user(request),
        visit=visit,
        kind=payload.kind,
        outcome=payload.outcome,
        performed_at=payload.performed_at,
    )
    return Status(201, act)


class ReferralIn(Strict):
    visit: uuid.UUID | None = None
    site: uuid.UUID | None = Field(None, description="Site d'origine, si pas de passage.")
    client: uuid.UUID | None = Field(None, description="Personne orientée, si pas de passage.")
    destination_kind: DestinationKind
    destination_site: uuid.UUID | None = None
    appointment_at: AwareDatetime | None = Field(
        None,
        description="Rendez-vous pris, s'il y en a un, avec son décalage horaire "
        "(2026-12-07T14:30:00+01:00) : dans l'année qui vient.",
    )
    note: str | None = Field(
        None,
        max_length=NOTE_MAX_LENGTH,
        description="Note pour l'équipe soignante (ce qu'il faut apporter, qui demander) : "
        "écrite par les rôles de soin seulement.",
    )


class ReferralOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    site: uuid.UUID = Field(alias="site.public_id")
    visit: uuid.UUID | None
    client: uuid.UUID | None
    destination_kind: str
    destination_site: uuid.UUID | None
    status: str
    proposed_at: dt.datetime
    accepted_at: dt.datetime | None
    closed_at: dt.datetime | None
    appointment_at: dt.datetime | None
    note: str | None = Field(
        None, description="Note pour l'équipe soignante : rôles de soin seulement, null sinon."
    )

    @staticmethod
    def resolve_visit(referral: Referral) -> uuid.UUID | None:
        return referral.visit.public_id if referral.visit else None

    @staticmethod
    def resolve_client(referral: Referral) -> uuid.UUID | None:
        return referral.client.public_id if referral.client else None

    @staticmethod
    def resolve_destination_site(referral: Referral) -> uuid.UUID | None:
        return referral.destination_site.public_id if referral.destination_site else None

    @staticmethod
    def resolve_note(referral: Referral, context: dict[str, HttpRequest]) -> str | None:
        reader = context["request"].user
        return referral.note if can_see_referral_note(reader, referral.site) else None


@router.post("/referrals", response={201: ReferralOut})
def create_referral(request: HttpRequest, payload: ReferralIn) -> Status[Referral]:
    """Propose a referral from a visit, or for a person (``client``) at a site (``site``)."""
    visit = get_visit_for_user(request.user, payload.visit) if payload.visit else None
    if visit is not None:
        site = visit.site
        if payload.site and payload.site != site.public_id:
            raise DomainError(_("Ce passage n'est pas sur ce site."), field="site")
    elif payload.site:
        site = get_site_for_recording(request.user, payload.site)
    else:
        raise DomainError(_("Indiquez le passage, ou le site et la personne."), field="visit")
    client = get_client_for_user(request.user, payload.client) if payload.client else None
    destination = (
        get_site_for_user(request.user, payload.destination_site)
        if payload.destination_site
        else None
    )
    referral = referral_create(
        actor=acting_user(request),
        site=site,
        visit=visit,
        client=client,
        destination_kind=payload.destination_kind,
        destination_site=destination,
        appointment_at=payload.appointment_at,
        note=payload.note or "",
    )
    return Status(201, referral)


class ReferralStatusIn(Strict):
    status: ReferralStatus
    at: ParisDateTime | None = None


@router.post("/referrals/{referral_id}/status", response=ReferralOut)
def advance_referral(
    request: HttpRequest, referral_id: uuid.UUID, payload: ReferralStatusIn
) -> Referral:
    """Move a referral forward. 422 for a step back or a second outcome; 409 when another request
    changed it at the same moment."""
    referral = get_referral_for_user(request.user, referral_id)
    return referral_advance(
        actor=acting_user(request), referral=referral, status=payload.status, at=payload.at
    )


class LineIn(Strict):
    item: str = Field(
        ...,
        pattern=CATALOGUE_CODE_PATTERN,
        description="Le code d'un article en service du catalogue (GET /material/catalogue).",
    )
    quantity: int = Field(..., ge=1, le=MAX_LINE_QUANTITY)


class DistributionIn(Strict):
    visit: uuid.UUID | None = Field(None, description="Le passage ; vide pour une saisie groupée.")
    site: uuid.UUID | None = Field(None, description="Le site, pour une saisie groupée.")
    lines: list[LineIn] = Field(..., min_length=1, max_length=60)
    given_at: ParisDateTime | None = None
    channel: Channel = Channel.DESK


class DistributionLineOut(Schema):
    item: str
    quantity: int
    syringe_equivalents: int
    version: int | None
    lot: str | None

    @staticmethod
    def resolve_version(line: DistributionLine) -> int | None:
        return line.catalogue_item.version if line.catalogue_item else None

    @staticmethod
    def resolve_lot(line: DistributionLine) -> str | None:
        return line.lot.lot_number if line.lot else None


class DistributionOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    site: uuid.UUID = Field(alias="site.public_id")
    visit: uuid.UUID | None
    given_at: dt.datetime
    channel: str
    lines: list[DistributionLineOut]

    @staticmethod
    def resolve_visit(distribution: Distribution) -> uuid.UUID | None:
        return distribution.visit.public_id if distribution.visit else None

    @staticmethod
    def resolve_lines(distribution: Distribution) -> list[DistributionLine]:
        return sorted(distribution.lines.all(), key=lambda x: x.item)


@router.post("/distributions", response={201: DistributionOut})
def record_distribution(request: HttpRequest, payload: DistributionIn) -> Status[Distribution]:
    """Material given or collected on a visit (``visit``) or in bulk at a site (``site``, no
    person). 409 when the stock would go below zero: nothing is written."""
    if (payload.visit is None) == (payload.site is None):
        raise DomainError(
            _("Indiquez soit le passage, soit le site (saisie groupée)."), field="visit"
        )
    visit = get_visit_for_user(request.user, payload.visit) if payload.visit else None
    site = visit.site if visit else get_site_for_recording(request.user, payload.site or "")
    distribution = distribution_record(
        actor=acting_user(request),
        site=site,
        visit=visit,
        lines=[(line.item, line.quantity) for line in payload.lines],
        given_at=payload.given_at,
        channel=payload.channel.value,
    )
    return Status(201, distribution)


class ComponentOut(Schema):
    label: str
    quantity: int


class CatalogueItemOut(Schema):
    code: str
    version: int
    label: str
    category: str
    is_kit: bool
    collected: bool
    tracks_lots: bool
    syringe_equivalents: int
    components: list[ComponentOut]


@router.get("/material/catalogue", response=list[CatalogueItemOut])
def material_catalogue(request: HttpRequest) -> list[dict[str, object]]:
    """The active material catalogue: items and kits, what a kit holds and what one unit counts
    in syringe equivalents. Codes only, no person: any signed-in member of staff reads it."""
    acting_user(request)
    return [
        {
            **{f: getattr(row.item, f) for f in CatalogueItemOut.model_fields if f != "components"},
            "components": [{"label": label, "quantity": q} for label, q in row.contents],
        }
        for row in catalogue_rows()
    ]


def _catalogue_manager(request: HttpRequest) -> User:
    """The coordinator who keeps the catalogue, as on its screen: 404 for anyone else."""
    actor = acting_user(request)
    if not can_manage_catalogue(actor):
        raise Http404(_("Page introuvable."))
    return actor


def _version_out(item: CatalogueItem) -> dict[str, object]:
    parts = KitComponent.objects.filter(kit=item).select_related("component")
    return {
        **{f: getattr(item, f) for f in CatalogueVersionOut.model_fields if f != "components"},
        "components": [
            {"label": part.component.label, "quantity": part.quantity}
            for part in parts.order_by("component__position")
        ],
    }


class KitComponentIn(Strict):
    item: str = Field(
        ..., pattern=CATALOGUE_CODE_PATTERN, description="Le code d'un article simple en service."
    )
    quantity: int = Field(..., description="De 1 à 100.")


class CatalogueItemIn(Strict):
    label: str = Field(..., description="Le libellé, 80 caractères au plus.")
    category: MaterialCategory
    syringe_equivalents: int = Field(
        0, description="Article simple seulement : un kit compte ceux de ses composants."
    )
    collected: bool = Field(False, description="Matériel récupéré (sans stock).")
    tracks_lots: bool = Field(False, description="Suivi des lots et péremptions (naloxone).")
    components: list[KitComponentIn] = Field(
        default_factory=list, description="Le contenu d'un kit ; vide pour un article simple."
    )


class CatalogueVersionOut(CatalogueItemOut):
    is_active: bool


@router.post("/material/catalogue/{code}/versions", response={201: CatalogueVersionOut})
def save_catalogue_item(
    request: HttpRequest, code: str, payload: CatalogueItemIn
) -> Status[dict[str, object]]:
    """Add an item to the catalogue under ``code``, or revise it: a new version replaces the
    active one, kept for what was given (network coordinator; 404 for anyone else)."""
    item = catalogue_item_save(
        actor=_catalogue_manager(request),
        code=code,
        label=payload.label,
        category=payload.category.value,
        syringe_equivalents=payload.syringe_equivalents,
        collected=payload.collected,
        tracks_lots=payload.tracks_lots,
        components=[(part.item, part.quantity) for part in payload.components],
    )
    return Status(201, _version_out(item))


@router.post("/material/catalogue/{code}/withdraw", response=CatalogueVersionOut)
def withdraw_catalogue_item(request: HttpRequest, code: str) -> dict[str, object]:
    """Take an item out of service: no longer offered, what was given stays counted (network
    coordinator; 404 for anyone else; 422 when no item is in service under the code)."""
    item = catalogue_item_withdraw(actor=_catalogue_manager(request), code=code)
    return _version_out(item)


class MaterialLotIn(Strict):
    item: str = Field(
        ...,
        pattern=CATALOGUE_CODE_PATTERN,
        description="Le code d'un article suivi par lot (naloxone).",
    )
    lot_number: str = Field(..., description="Le numéro de lot, 40 caractères au plus.")
    expires_on: dt.date = Field(..., description="La date de péremption, après aujourd'hui.")
    quantity: int = Field(..., ge=1, le=MAX_LINE_QUANTITY)


class MaterialLotOut(Schema):
    site: uuid.UUID = Field(alias="site.public_id")
    item: str
    lot_number: str
    expires_on: dt.date
    received_at: dt.datetime


@router.post("/sites/{site_id}/lots", response={201: MaterialLotOut})
def receive_material_lot(
    request: HttpRequest, site_id: uuid.UUID, payload: MaterialLotIn
) -> Status[MaterialLot]:
    """A lot received at a site (naloxone): its number and expiry recorded, its quantity added to
    the stock (the site's front-line staff, as on the stock screen; 404 for anyone else)."""
    site = get_site_for_user(request.user, site_id)
    lot = material_lot_receive(
        actor=acting_user(request),
        site=site,
        item=payload.item,
        lot_number=payload.lot_number,
        expires_on=payload.expires_on,
        quantity=payload.quantity,
    )
    return Status(201, lot)


class StockOut(Schema):
    item: str
    label: str
    quantity: int
    threshold: int
    low: bool


class SiteStockOut(Schema):
    site: uuid.UUID
    items: list[StockOut]
    low: list[str]


@router.get("/sites/{site_id}/stock", response=SiteStockOut)
def site_stock(request: HttpRequest, site_id: uuid.UUID) -> dict[str, object]:
    """Stock levels, alert thresholds and low flags of a site: counts only, no person."""
    site = get_site_for_user(request.user, site_id)
    rows = get_site_stock_for_user(request.user, site)
    return {
        "site": site.public_id,
        "items": [row.__dict__ for row in rows],
        "low": [row.item for row in rows if row.low],
    }


class VisitCareOut(Schema):
    visit: uuid.UUID
    care_acts: list[CareActOut]
    social_acts: list[SocialActOut]
    referrals: list[ReferralOut]
    distributions: list[DistributionOut]


@router.get("/visits/{visit_id}/care", response=VisitCareOut)
def visit_care(request: HttpRequest, visit_id: uuid.UUID) -> dict[str, object]:
    """Everything recorded on a visit: acts (results for care roles only), referrals, material."""
    visit = get_visit_for_user(request.user, visit_id)
    return {
        "visit": visit.public_id,
        "care_acts": care_acts_for_visit(request.user, visit),
        "social_acts": social_acts_for_visit(visit).select_related("visit"),
        "referrals": referrals_for_visit(request.user, visit),
        "distributions": distributions_for_visit(visit)
        .select_related("site", "visit")
        .prefetch_related("lines__lot"),
    }
