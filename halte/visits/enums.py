from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    CONSUMPTION = "consumption", _("Consommation")
    MATERIAL = "material", _("Matériel")
    CARE = "care", _("Soins")
    SOCIAL = "social", _("Social")
    REST = "rest", _("Repos")
    HYGIENE = "hygiene", _("Hygiène")
    FOOD = "food", _("Collation")
    OTHER = "other", _("Autre")


# Purposes are stored as bits of one integer: a visit row stays small and a report can count
# "visits with care" with one bitwise test, on SQLite and PostgreSQL alike.
PURPOSE_BITS: dict[str, int] = {p.value: 1 << i for i, p in enumerate(Purpose)}


def purposes_to_mask(purposes: list[str] | set[str] | tuple[str, ...]) -> int:
    unknown = set(purposes) - set(PURPOSE_BITS)
    if unknown:
        raise ValueError(f"unknown purposes: {sorted(unknown)}")
    mask = 0
    for purpose in purposes:
        mask |= PURPOSE_BITS[purpose]
    return mask


def mask_to_purposes(mask: int) -> list[str]:
    return [p for p, bit in PURPOSE_BITS.items() if mask & bit]


class RefusalStage(models.TextChoices):
    DOOR = "door", _("À l'entrée")
    ROOM = "room", _("À la salle de consommation")


class RefusalReason(models.TextChoices):
    """Why someone was turned away. ``full`` is recorded by the staff; every other reason is also
    recorded by the rule that refuses (check-in or session start)."""

    FULL = "full", _("Complet")
    CLOSED = "closed", _("Fermé")
    BANNED = "banned", _("Personne exclue")
    MINOR = "minor", _("Personne mineure")
    ROUTE_NOT_ALLOWED = "route_not_allowed", _("Voie non proposée ici")
    WOMEN_ONLY = "women_only", _("Accueil réservé aux femmes")
