"""Coded values of the accommodation app: exit reasons, waiting-list statuses and priorities."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExitReason(models.TextChoices):
    HOUSING_FOUND = "housing_found", _("Logement trouvé")
    OTHER_ACCOMMODATION = "other_accommodation", _("Autre hébergement")
    HOSPITAL = "hospital", _("Hospitalisation")
    EXCLUSION = "exclusion", _("Exclusion")
    LEFT = "left", _("Départ / perdu de vue")
    DEATH = "death", _("Décès")
    END_OF_STAY = "end_of_stay", _("Fin de séjour")


class WaitingStatus(models.TextChoices):
    WAITING = "waiting", _("En attente")
    ADMITTED = "admitted", _("Admis·e")
    WITHDRAWN = "withdrawn", _("Retiré·e de la liste")


class Priority(models.TextChoices):
    """Waiting-list priorities, most important first. Each is one bit of ``WaitingEntry.priorities``
    and the bits are weighted in this order, so sorting by the mask, highest first, ranks a pregnant
    woman before a health need, a health need before being a woman, and so on."""

    PREGNANCY = "pregnancy", _("Grossesse")
    HEALTH_NEED = "health_need", _("Besoin de santé")
    WOMAN = "woman", _("Femme")
    AGE = "age", _("Âge (55 ans ou plus)")


PRIORITY_BITS: dict[str, int] = {
    p.value: 1 << (len(Priority) - 1 - i) for i, p in enumerate(Priority)
}
# The age from which age counts as a priority: an assumption (people who live in the street age
# early; 55 is the threshold many shelters use), not a published rule.
PRIORITY_AGE = 55


def priorities_to_mask(priorities: list[str] | set[str]) -> int:
    unknown = set(priorities) - set(PRIORITY_BITS)
    if unknown:
        raise ValueError(f"unknown priorities: {sorted(unknown)}")
    mask = 0
    for priority in priorities:
        mask |= PRIORITY_BITS[priority]
    return mask


def mask_to_priorities(mask: int) -> list[str]:
    return [p for p, bit in PRIORITY_BITS.items() if mask & bit]
