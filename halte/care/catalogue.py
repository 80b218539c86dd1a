"""The material catalogue: what a site may give, in which version, what a kit holds and what it
counts in syringes; lots and expiry dates of the material that has them (naloxone).

The coordinator keeps the catalogue (``can_manage_catalogue``): an item is added, revised (a new
version: past distributions keep the one they gave) or withdrawn, never edited in place. Sites
read the active versions to give material; reports read the syringe equivalents kept per line."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from halte.accounts.enums import Role
from halte.accounts.models import User
from halte.accounts.permissions import can_record_at, network_roles
from halte.audit.services import audit_record
from halte.care.enums import (
    CATALOGUE_CODE_PATTERN,
    MAX_KIT_COMPONENTS,
    MAX_SYRINGE_EQUIVALENTS,
    MaterialCategory,
)
from halte.care.models import CatalogueItem, KitComponent, MaterialLot, StockLevel
from halte.core.errors import DomainError, integrity_as_conflict
from halte.core.timeutils import local_today, now
from halte.network.models import Site

LABEL_MAX_LENGTH = 80
LOT_MAX_LENGTH = 40


def can_manage_catalogue(user: User | AnonymousUser) -> bool:
    """The network coordinator (and admins) keep the material catalogue: it is the same list for
    every site of the network, so its reports add up."""
    return bool(network_roles(user) & {Role.COORDINATOR, Role.ADMIN})


# Reads -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogueRow:
    item: CatalogueItem
    contents: list[tuple[str, int]]


def active_items() -> list[CatalogueItem]:
    """The active version of every item, in the catalogue's order (no person in it: anyone
    logged in may read it)."""
    return list(CatalogueItem.objects.filter(is_active=True).order_by("position", "code"))


def active_by_code(codes: Iterable[str] | None = None) -> dict[str, CatalogueItem]:
    rows = CatalogueItem.objects.filter(is_active=True)
    if codes is not None:
        rows = rows.filter(code__in=list(codes))
    return {item.code: item for item in rows}


def catalogue_rows() -> list[CatalogueRow]:
    """The active catalogue with each kit's content as (label, quantity): two queries."""
    items = active_items()
    contents: dict[int, list[tuple[str, int]]] = {}
    parts = KitComponent.objects.filter(kit__is_active=True).select_related("component")
    for part in parts.order_by("component__position"):
        contents.setdefault(part.kit_id, []).append((part.component.label, part.quantity))
    return [CatalogueRow(item, contents.get(item.pk, [])) for item in items]


def labels() -> dict[str, str]:
    """Code → label of the active version, and of the latest version of withdrawn codes, so past
    figures stay named."""
    names: dict[str, str] = {}
    for code, label in CatalogueItem.objects.order_by("is_active", "version").values_list(
        "code", "label"
    ):
        names[code] = label
    return names


# Writes ----------------------------------------------------------------------------------------


def _check_manager(actor: User) -> None:
    if not can_manage_catalogue(actor):
        raise DomainError(_("Le catalogue du matériel est tenu par la coordination du réseau."))


def _clean_label(label: str) -> str:
    label = " ".join(label.split())
    if not label or len(label) > LABEL_MAX_LENGTH:
        raise DomainError(
            _("Indiquez un libellé (%(max)s caractères au plus).") % {"max": LABEL_MAX_LENGTH},
            field="label",
        )
    return label


def _clean_components(
    code: str, components: Iterable[tuple[str, int]]
) -> list[tuple[CatalogueItem, int]]:
    wanted = list(components)
    if len(wanted) > MAX_KIT_COMPONENTS:
        raise DomainError(_("Un kit a au plus 20 composants."), field="components")
    found = active_by_code(c for c, _q in wanted)
    cleaned: dict[str, tuple[CatalogueItem, int]] = {}
    for component, quantity in wanted:
        item = found.get(component)
        if item is None or component == code:
            raise DomainError(
                _("Composant inconnu : « %(code)s ».") % {"code": component}, field="components"
            )
        if item.is_kit or item.collected:
            raise DomainError(
                _("Un kit contient des articles simples, pas « %(label)s ».")
                % {"label": item.label},
                field="components",
            )
        if not 1 <= quantity <= 100 or component in cleaned:
            raise DomainError(
                _("Quantité impossible pour « %(label)s » (une fois, de 1 à 100).")
                % {"label": item.label},
                field="components",
            )
        cleaned[component] = (item, quantity)
    return list(cleaned.values())


def _check_fields(syringe_equivalents: int, collected: bool, tracks_lots: bool, kit: bool) -> None:
    if not 0 <= syringe_equivalents <= MAX_SYRINGE_EQUIVALENTS:
        raise DomainError(
            _("Équivalents seringues : de 0 à %(max)s.") % {"max": MAX_SYRINGE_EQUIVALENTS},
            field="syringe_equivalents",
        )
    if collected and (kit or tracks_lots):
        raise DomainError(
            _("Le matériel récupéré n'est ni un kit ni suivi par lot."), field="collected"
        )


@transaction.atomic
def catalogue_item_save(
    *,
    actor: User,
    code: str,
    label: str,
    category: str,
    syringe_equivalents: int = 0,
    collected: bool = False,
    tracks_lots: bool = False,
    components: Iterable[tuple[str, int]] = (),
) -> CatalogueItem:
    """Add an item to the catalogue, or revise it: a new version replaces the active one (which
    is kept for the distributions that gave it). A kit's syringe equivalents are the sum of its
    components' (``syringe_equivalents`` is then ignored); a plain item states its own."""
    _check_manager(actor)
    if not re.fullmatch(CATALOGUE_CODE_PATTERN, code or ""):
        raise DomainError(
            _("Code invalide : lettres minuscules, chiffres et « _ », 2 à 32 caractères."),
            field="code",
        )
    if category not in MaterialCategory.values:
        raise DomainError(_("Famille de matériel inconnue."), field="category")
    label = _clean_label(label)
    parts = _clean_components(code, components)
    _check_fields(syringe_equivalents, collected, tracks_lots, bool(parts))
    if parts:
        syringe_equivalents = sum(item.syringe_equivalents * q for item, q in parts)
        if syringe_equivalents > MAX_SYRINGE_EQUIVALENTS:
            raise DomainError(_("Trop d'équivalents seringues pour un kit."), field="components")
    current = CatalogueItem.objects.select_for_update().filter(code=code, is_active=True).first()
    latest = CatalogueItem.objects.filter(code=code).order_by("-version").first()
    if current is not None:
        current.is_active = False
        current.save(update_fields=["is_active", "updated_at"])
    with integrity_as_conflict(
        _("Cet article vient d'être modifié : rechargez la page."), field="code"
    ):
        item = CatalogueItem.objects.create(
            code=code,
            version=latest.version + 1 if latest else 1,
            label=label,
            category=category,
            is_kit=bool(parts),
            collected=collected,
            tracks_lots=tracks_lots,
            syringe_equivalents=syringe_equivalents,
            position=latest.position if latest else 10 * CatalogueItem.objects.count(),
            created_by=actor,
        )
    KitComponent.objects.bulk_create(
        KitComponent(kit=item, component=part, quantity=q) for part, q in parts
    )
    audit_record(
        actor=actor,
        action="catalogue.item_saved",
        subject=item,
        site=None,
        payload={
            "code": code,
            "version": item.version,
            "syringe_equivalents": syringe_equivalents,
            "components": {part.code: q for part, q in parts},
        },
    )
    return item


@transaction.atomic
def catalogue_item_withdraw(*, actor: User, code: str) -> CatalogueItem:
    """Take an item out of service: no longer offered; what was given stays counted."""
    _check_manager(actor)
    item = CatalogueItem.objects.select_for_update().filter(code=code, is_active=True).first()
    if item is None:
        raise DomainError(_("Aucun article en service sous ce code."), field="code")
    item.is_active = False
    item.save(update_fields=["is_active", "updated_at"])
    audit_record(
        actor=actor,
        action="catalogue.item_withdrawn",
        subject=item,
        site=None,
        payload={"code": code, "version": item.version},
    )
    return item


@transaction.atomic
def material_lot_receive(
    *,
    actor: User,
    site: Site,
    item: str,
    lot_number: str,
    expires_on: dt.date,
    quantity: int,
) -> MaterialLot:
    """Receive a lot of an item followed by lot (naloxone) at a site: the lot and its expiry are
    recorded and the quantity added to the stock; given kits then name their lot, the one that
    expires first (an expired lot is never given)."""
    from halte.care.services import stock_receive

    if not can_record_at(actor, site):
        raise Http404(_("Site introuvable."))
    entry = active_by_code([item]).get(item)
    if entry is None or not entry.tracks_lots:
        raise DomainError(_("Ce matériel n'est pas suivi par lot."), field="item")
    lot_number = " ".join(lot_number.split())
    if not lot_number or len(lot_number) > LOT_MAX_LENGTH:
        raise DomainError(_("Indiquez le numéro de lot (40 caractères au plus)."), field="lot")
    if expires_on <= local_today():
        raise DomainError(_("Ce lot est déjà périmé."), field="expires_on")
    with integrity_as_conflict(_("Ce lot est déjà enregistré sur ce site."), field="lot"):
        lot = MaterialLot.objects.create(
            site=site,
            item=item,
            lot_number=lot_number,
            expires_on=expires_on,
            received_at=now(),
            recorded_by=actor,
        )
    stock_receive(actor=actor, site=site, lines=[(item, quantity)])
    audit_record(
        actor=actor,
        action="stock.lot_received",
        subject=site,
        site=site,
        payload={"item": item, "expires_on": expires_on.isoformat(), "quantity": quantity},
    )
    return lot


def lot_to_give(site: Site, item: str, *, on: dt.date) -> MaterialLot | None:
    """The lot a given unit comes from: the one of the site expiring first, not expired (first
    expired, first out). None when the site records no lot for the item; an error when every
    lot it recorded has expired, so an expired kit is not handed out unnoticed."""
    lots = MaterialLot.objects.filter(site=site, item=item)
    if not lots.exists():
        return None
    lot = lots.filter(expires_on__gt=on).order_by("expires_on", "pk").first()
    if lot is None:
        raise DomainError(
            _("Tous les lots de ce matériel sont périmés : enregistrez un lot valide."),
            field="lines",
        )
    return lot


def expiring_lots(site: Site, *, within_days: int = 60) -> list[MaterialLot]:
    """The site's lots expiring within ``within_days`` (or expired) while the item is in stock."""
    in_stock = set(
        StockLevel.objects.filter(site=site, quantity__gt=0).values_list("item", flat=True)
    )
    limit = local_today() + dt.timedelta(days=within_days)
    return [
        lot
        for lot in MaterialLot.objects.filter(site=site, expires_on__lte=limit).order_by(
            "expires_on"
        )
        if lot.item in in_stock
    ]
