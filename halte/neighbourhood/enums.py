"""Coded values of the neighbourhood app: what is found in the street, what residents report, how
a report moves, who comes to a committee."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PickupItem(models.TextChoices):
    """What a team picks up in public space."""

    SYRINGE = "syringe", _("Seringue")
    CRACK_PIPE = "crack_pipe", _("Pipe à crack")
    KIT = "kit", _("Kit ou emballage de matériel")
    OTHER = "other", _("Autre matériel usagé")


class PlaceKind(models.TextChoices):
    """Where a find was made."""

    STREET = "street", _("Rue, trottoir")
    PARK = "park", _("Parc, square, jardin")
    STAIRWELL = "stairwell", _("Cage d'escalier, hall")
    CAR_PARK = "car_park", _("Parking")
    OTHER = "other", _("Autre lieu")


class RoundKind(models.TextChoices):
    """A round in the streets around a site: picking up material, or mediation with the
    neighbourhood (which may pick up too)."""

    PICKUP = "pickup", _("Ramassage")
    MEDIATION = "mediation", _("Médiation")


class ReportKind(models.TextChoices):
    """What a resident or a shop reports (the short public list)."""

    DISCARDED_MATERIAL = "discarded_material", _("Matériel abandonné (seringues, pipes…)")
    PUBLIC_CONSUMPTION = "public_consumption", _("Consommation dans l'espace public")
    GATHERING = "gathering", _("Regroupement")
    NOISE = "noise", _("Bruit")
    AGGRESSION = "aggression", _("Agression, menace")
    OTHER = "other", _("Autre")


class ReportChannel(models.TextChoices):
    """How a report reached the team."""

    PUBLIC_FORM = "public_form", _("Formulaire public")
    PHONE = "phone", _("Téléphone")
    MAIL = "mail", _("Courrier ou courriel")
    MEETING = "meeting", _("Réunion, comité")


class ReportStatus(models.TextChoices):
    """received → triaged (given to a site or team) → answered → closed."""

    RECEIVED = "received", _("Reçu")
    TRIAGED = "triaged", _("Attribué")
    ANSWERED = "answered", _("Répondu")
    CLOSED = "closed", _("Clos")


OPEN_REPORT_STATUSES = frozenset(
    {ReportStatus.RECEIVED, ReportStatus.TRIAGED, ReportStatus.ANSWERED}
)


class ReportOutcome(models.TextChoices):
    """What was done about a report, counted in the reports."""

    PICKUP_DONE = "pickup_done", _("Ramassage effectué")
    MEDIATION_DONE = "mediation_done", _("Passage de médiation")
    REFERRED_CITY = "referred_city", _("Transmis à la Ville")
    REFERRED_POLICE = "referred_police", _("Transmis à la police")
    NOTHING_FOUND = "nothing_found", _("Rien constaté sur place")
    INFORMATION = "information", _("Information donnée")
    OTHER = "other", _("Autre suite")


class AttendeeKind(models.TextChoices):
    """Who came to a neighbourhood committee, counted by kind (never by name)."""

    RESIDENTS = "residents", _("Riverains")
    SCHOOL = "school", _("École, collège")
    POLICE = "police", _("Police")
    CITY = "city", _("Ville, mairie")
    TRADERS = "traders", _("Commerçants")
    OTHER = "other", _("Autres")
