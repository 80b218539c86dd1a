from django.db import models
from django.utils.translation import gettext_lazy as _


class SiteKind(models.TextChoices):
    HSA = "hsa", _("Halte soins addictions (HSA)")
    CAARUD = "caarud", _("CAARUD (accueil fixe)")
    CAARUD_ANTENNA = "caarud_antenna", _("Antenne de CAARUD")
    MOBILE_UNIT = "mobile_unit", _("Unité mobile")
    CSAPA = "csapa", _("CSAPA")
    REST_SPACE = "rest_space", _("Espace de repos")
    DAY_NIGHT_RECEPTION = "day_night_reception", _("Accueil de jour et de nuit")
    NIGHT_SHELTER = "night_shelter", _("Mise à l'abri de nuit")
    ACCOMMODATION = "accommodation", _("Hébergement")
    OUTREACH_TEAM = "outreach_team", _("Équipe de maraude")


class SiteStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposé")
    APPROVED = "approved", _("Validé")
    IN_PREPARATION = "in_preparation", _("En préparation")
    OPERATIONAL = "operational", _("En activité")
    SUSPENDED = "suspended", _("Suspendu")
    CLOSED = "closed", _("Fermé définitivement")
    ABANDONED = "abandoned", _("Abandonné")


# The legal moves of a site's life. Closed and abandoned are final: a site that comes back is a new
# proposal, with its own history.
STATUS_TRANSITIONS: dict[str, frozenset[str]] = {
    SiteStatus.PROPOSED: frozenset({SiteStatus.APPROVED, SiteStatus.ABANDONED}),
    SiteStatus.APPROVED: frozenset({SiteStatus.IN_PREPARATION, SiteStatus.ABANDONED}),
    SiteStatus.IN_PREPARATION: frozenset({SiteStatus.OPERATIONAL, SiteStatus.ABANDONED}),
    SiteStatus.OPERATIONAL: frozenset({SiteStatus.SUSPENDED, SiteStatus.CLOSED}),
    SiteStatus.SUSPENDED: frozenset({SiteStatus.OPERATIONAL, SiteStatus.CLOSED}),
    SiteStatus.CLOSED: frozenset(),
    SiteStatus.ABANDONED: frozenset(),
}

# Sites in these statuses are projects: their existence and address can be sensitive (residents'
# reactions), so only network roles and the site's own staff see them.
PROJECT_STATUSES = frozenset(
    {SiteStatus.PROPOSED, SiteStatus.APPROVED, SiteStatus.IN_PREPARATION, SiteStatus.ABANDONED}
)


class Route(models.TextChoices):
    INJECTION = "injection", _("Injection")
    INHALATION = "inhalation", _("Inhalation")
    NASAL = "nasal", _("Voie nasale")


class Service(models.TextChoices):
    SUPERVISED_CONSUMPTION = "supervised_consumption", _("Consommation supervisée")
    RECEPTION = "reception", _("Accueil")
    REST = "rest", _("Repos")
    NIGHT_SHELTER = "night_shelter", _("Mise à l'abri de nuit")
    ACCOMMODATION = "accommodation", _("Hébergement")
    NURSING = "nursing", _("Soins infirmiers")
    MEDICAL = "medical", _("Consultation médicale")
    PSYCHIATRY = "psychiatry", _("Consultation psychiatrique")
    SCREENING = "screening", _("Dépistage VIH / VHC / VHB")
    SUBSTITUTION = "substitution", _("Traitement de substitution")
    SOCIAL_SUPPORT = "social_support", _("Accompagnement social")
    MATERIAL = "material", _("Matériel de réduction des risques")
    NALOXONE = "naloxone", _("Naloxone")
    HYGIENE = "hygiene", _("Hygiène (douches, laverie)")
    FOOD = "food", _("Collation / repas")
    OUTREACH = "outreach", _("Maraude")
    WOMEN_SPACE = "women_space", _("Espace femmes")


class Admission(models.TextChoices):
    EVERYONE = "everyone", _("Tout public")
    WOMEN_ONLY = "women_only", _("Femmes uniquement")
    WOMEN_SLOTS = "women_slots", _("Tout public, avec créneaux réservés aux femmes")


class OperatorKind(models.TextChoices):
    ASSOCIATION = "association", _("Association")
    HOSPITAL = "hospital", _("Établissement hospitalier")
    PUBLIC_BODY = "public_body", _("Collectivité / service de l'État")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("lundi")
    TUESDAY = 1, _("mardi")
    WEDNESDAY = 2, _("mercredi")
    THURSDAY = 3, _("jeudi")
    FRIDAY = 4, _("vendredi")
    SATURDAY = 5, _("samedi")
    SUNDAY = 6, _("dimanche")


class AuthorisationKind(models.TextChoices):
    """What an establishment's authorisation (its own FINESS number) is for."""

    CAARUD = "caarud", _("CAARUD")
    CSAPA = "csapa", _("CSAPA")
    HSA = "hsa", _("Halte soins addictions (HSA)")
    OTHER = "other", _("Autre (LHSS, LAM…)")
