"""Coded choices for care, social acts, referrals and material. No free text about a person."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CareKind(models.TextChoices):
    NURSING = "nursing", _("Soins infirmiers")
    WOUND_CARE = "wound_care", _("Soin de plaie / abcès")
    MEDICAL_CONSULTATION = "medical_consultation", _("Consultation médicale")
    PSYCHIATRIC_CONSULTATION = "psychiatric_consultation", _("Consultation psychiatrique")
    TROD_HIV = "trod_hiv", _("Dépistage VIH (TROD)")
    TROD_HCV = "trod_hcv", _("Dépistage VHC (TROD)")
    TROD_HBV = "trod_hbv", _("Dépistage VHB (TROD)")
    TROD_SYPHILIS = "trod_syphilis", _("Dépistage syphilis (TROD)")
    VACCINATION = "vaccination", _("Vaccination")
    TSO_STARTED = "tso_started", _("Traitement de substitution (TSO) initié")
    TSO_REFERRED = "tso_referred", _("Traitement de substitution (TSO) : orientation")
    NALOXONE_TRAINING = "naloxone_training", _("Formation à la naloxone")


# Rapid tests carry a result; nothing else does.
SCREENING_KINDS = frozenset(
    {CareKind.TROD_HIV, CareKind.TROD_HCV, CareKind.TROD_HBV, CareKind.TROD_SYPHILIS}
)


class Vaccine(models.TextChoices):
    """What a vaccination gave. Hepatitis B is given in three doses and names the dose."""

    HBV = "hbv", _("Hépatite B")
    HAV = "hav", _("Hépatite A")
    INFLUENZA = "influenza", _("Grippe")
    COVID19 = "covid19", _("Covid-19")
    DTP = "dtp", _("Diphtérie, tétanos, poliomyélite (dTP)")


HBV_DOSES = (1, 2, 3)


class ScreeningResult(models.TextChoices):
    NEGATIVE = "negative", _("Négatif")
    POSITIVE = "positive", _("Positif")
    REFUSED = "refused", _("Refusé par la personne")


class PsychiatricOutcome(models.TextChoices):
    FOLLOW_UP = "follow_up", _("Suivi proposé sur place")
    TREATMENT_ADJUSTED = "treatment_adjusted", _("Traitement ajusté")
    REFERRED = "referred", _("Orientation vers la psychiatrie")
    CRISIS = "crisis", _("Crise prise en charge")


class SocialKind(models.TextChoices):
    INTERVIEW = "interview", _("Entretien social")
    RIGHTS_PUMA = "rights_puma", _("Ouverture de droits : PUMa")
    RIGHTS_CSS = "rights_css", _("Ouverture de droits : CSS")
    RIGHTS_AME = "rights_ame", _("Ouverture de droits : AME")
    DOMICILIATION = "domiciliation", _("Domiciliation (adresse postale)")
    ID_PAPERS = "id_papers", _("Papiers d'identité")
    HOUSING_SIAO = "housing_siao", _("Demande d'hébergement (SIAO)")


class SocialOutcome(models.TextChoices):
    DONE = "done", _("Réalisé")
    REQUESTED = "requested", _("Demande déposée")
    OBTAINED = "obtained", _("Obtenu")
    DECLINED = "declined", _("Refusé")


class DestinationKind(models.TextChoices):
    NETWORK_SITE = "network_site", _("Autre site du réseau")
    CSAPA = "csapa", _("CSAPA")
    HOSPITAL_ADDICTION = "hospital_addiction", _("Service hospitalier d'addictologie")
    PSYCHIATRY = "psychiatry", _("Psychiatrie")
    EMERGENCY = "emergency", _("Urgences")
    ACCOMMODATION = "accommodation", _("Hébergement")
    TSO_PRESCRIBER = "tso_prescriber", _("Prescripteur de TSO")
    DETOX = "detox", _("Sevrage")
    RESIDENTIAL_CARE = "residential_care", _("Soins résidentiels")


# Destinations that count as "oriented to treatment" in the activity reports.
TREATMENT_DESTINATIONS = frozenset(
    {
        DestinationKind.CSAPA,
        DestinationKind.HOSPITAL_ADDICTION,
        DestinationKind.TSO_PRESCRIBER,
        DestinationKind.DETOX,
        DestinationKind.RESIDENTIAL_CARE,
    }
)


class ReferralStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposée")
    ACCEPTED = "accepted", _("Acceptée")
    COMPLETED = "completed", _("Réalisée")
    NO_SHOW = "no_show", _("Personne non venue")
    REFUSED = "refused", _("Refusée")


# Each status has a stage; a referral only ever moves to a higher stage, and a stage is reached at
# most once (a unique constraint on the steps), so the loop cannot be reopened.
STAGE: dict[str, int] = {
    ReferralStatus.PROPOSED: 0,
    ReferralStatus.ACCEPTED: 1,
    ReferralStatus.COMPLETED: 2,
    ReferralStatus.NO_SHOW: 2,
    ReferralStatus.REFUSED: 2,
}
CLOSED_STATUSES = frozenset(
    {ReferralStatus.COMPLETED, ReferralStatus.NO_SHOW, ReferralStatus.REFUSED}
)
REFERRAL_MOVES: dict[str, frozenset[str]] = {
    ReferralStatus.PROPOSED: frozenset(
        {
            ReferralStatus.ACCEPTED,
            ReferralStatus.COMPLETED,
            ReferralStatus.NO_SHOW,
            ReferralStatus.REFUSED,
        }
    ),
    ReferralStatus.ACCEPTED: frozenset(
        {ReferralStatus.COMPLETED, ReferralStatus.NO_SHOW, ReferralStatus.REFUSED}
    ),
    ReferralStatus.COMPLETED: frozenset(),
    ReferralStatus.NO_SHOW: frozenset(),
    ReferralStatus.REFUSED: frozenset(),
}


class Item(models.TextChoices):
    SYRINGE_1ML = "syringe_1ml", _("Seringue 1 ml")
    INJECTION_KIT = "injection_kit", _("Kit d'injection (Stéribox)")
    CUP = "cup", _("Cupule (Stéricup)")
    FILTER = "filter", _("Filtre")
    WATER = "water", _("Ampoule d'eau")
    SWAB = "swab", _("Tampon alcoolisé")
    TOURNIQUET = "tourniquet", _("Garrot")
    CRACK_KIT = "crack_kit", _("Kit base")
    PIPE = "pipe", _("Pipe / doseur")
    MOUTHPIECE = "mouthpiece", _("Embout")
    GRILLE = "grille", _("Filtre / grille pour pipe")
    LIP_BALM = "lip_balm", _("Baume à lèvres")
    NASAL_KIT = "nasal_kit", _("Kit « roule ta paille »")
    NALOXONE_KIT = "naloxone_kit", _("Kit de naloxone")
    CONDOM = "condom", _("Préservatif")
    USED_SYRINGE = "used_syringe", _("Seringues usagées récupérées")
    SHARPS_CONTAINER = "sharps_container", _("Collecteur rendu")


# Collected material comes back: it is counted, it does not touch the stock.
COLLECTED_ITEMS = frozenset({Item.USED_SYRINGE, Item.SHARPS_CONTAINER})
GIVEN_ITEMS = tuple(i for i in Item if i not in COLLECTED_ITEMS)


class MovementKind(models.TextChoices):
    RECEIPT = "receipt", _("Livraison")
    CORRECTION = "correction", _("Inventaire (correction)")


class Channel(models.TextChoices):
    """How material reached the person: the channels of the national CAARUD activity report."""

    DESK = "desk", _("Accueil du site")
    OUTREACH = "outreach", _("Maraude / travail de rue")
    VENDING_MACHINE = "vending_machine", _("Automate (distributeur)")
    PHARMACY = "pharmacy", _("Pharmacie partenaire")
    POST = "post", _("Envoi postal (RdR à distance)")
    PEER = "peer", _("Par un·e pair·e")


class MaterialCategory(models.TextChoices):
    """The families of the official list of harm-reduction material."""

    INJECTION = "injection", _("Injection")
    INHALATION = "inhalation", _("Inhalation")
    SNIFFING = "sniffing", _("Sniff")
    NALOXONE = "naloxone", _("Naloxone")
    SEXUAL_HEALTH = "sexual_health", _("Santé sexuelle")
    SELF_TEST = "self_test", _("Dépistage / autotests")
    COLLECTED = "collected", _("Matériel usagé récupéré")


# A catalogue code: lower-case letters, digits and underscores (it goes in forms and the API).
CATALOGUE_CODE_PATTERN = r"^[a-z][a-z0-9_]{1,31}$"
MAX_SYRINGE_EQUIVALENTS = 100
MAX_KIT_COMPONENTS = 20
