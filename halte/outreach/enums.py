"""Coded values of the outreach app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Zone(models.TextChoices):
    """The sectors the north-east teams walk (docs/domain.md, section 6, item 13)."""

    STALINGRAD = "stalingrad", _("Stalingrad")
    EOLE = "eole", _("Éole – rue d'Aubervilliers")
    RIQUET = "riquet", _("Rue Riquet")
    CHAPELLE = "chapelle", _("Porte de la Chapelle")
    VILLETTE = "villette", _("Porte de la Villette – Forceval")
    ROSA_PARKS = "rosa_parks", _("Rosa Parks")
    METRO = "metro", _("Métro (lignes 4 et 12)")
    OTHER = "other", _("Autre secteur")


class Need(models.TextChoices):
    """What the person needs now, for "where can this person go?"."""

    CONSUMPTION = "consumption", _("Consommer à moindre risque")
    REST = "rest", _("Se reposer")
    BED = "bed", _("Dormir (un lit)")
    RECEPTION = "reception", _("Être accueilli·e")
    CARE = "care", _("Des soins")


class When(models.TextChoices):
    NOW = "now", _("Maintenant")
    TONIGHT = "tonight", _("Cette nuit")
