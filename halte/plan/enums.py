"""Coded values of the plan-crack board: an action's axis and status, where a person oriented at an
evacuation was sent. Structured on purpose: nothing here holds free text about a person."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Prévue")
    IN_PROGRESS = "in_progress", _("En cours")
    DONE = "done", _("Réalisée")
    ABANDONED = "abandoned", _("Abandonnée")


# An action in one of these states is no longer due: it cannot be overdue.
CLOSED_STATUSES = frozenset({ActionStatus.DONE, ActionStatus.ABANDONED})


class Axis(models.TextChoices):
    """The plan's fields of action (docs/domain.md §4.2: accommodation, outreach, a care point near
    the scenes, mediation for residents, policing, coordination)."""

    CARE = "care", _("Soins et réduction des risques")
    ACCOMMODATION = "accommodation", _("Hébergement et mise à l'abri")
    OUTREACH = "outreach", _("Maraudes et aller-vers")
    PUBLIC_SPACE = "public_space", _("Espace public et médiation")
    SECURITY = "security", _("Sécurité et lutte contre le trafic")
    COORDINATION = "coordination", _("Pilotage et coordination")


class Destination(models.TextChoices):
    """Where a person met at an evacuation was oriented."""

    LODGING = "lodging", _("Hébergement")
    REST_SPACE = "rest_space", _("Espace de repos")
    CSAPA = "csapa", _("CSAPA")
    HOSPITAL = "hospital", _("Hôpital")
    OTHER = "other", _("Autre")


# The follow-up windows after an evacuation, in days (docs/plan.md).
WINDOWS = (7, 30, 90)
