"""Coded answers of the person's situation, the steps of a care pathway after a test, and the
accompaniments. Categories follow the national CAARUD survey (ENa-CAARUD, OFDT) and RECAP (CSAPA);
``docs/domain.md`` lists them with their source. No free text about a person anywhere."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Every question of the situation may be left unasked, or asked and declined: the two are kept
# apart (a declined answer is an answer the reports count; an unasked one is not).
NOT_ASKED = "not_asked"
DECLINED = "declined"


class Asked(models.TextChoices):
    """Whether a question with a number or a list for answer was answered."""

    NOT_ASKED = NOT_ASKED, _("Non demandé")
    DECLINED = DECLINED, _("Ne souhaite pas répondre")
    ANSWERED = "answered", _("Répondu")


class Housing(models.TextChoices):
    NOT_ASKED = NOT_ASKED, _("Non demandé")
    DECLINED = DECLINED, _("Ne souhaite pas répondre")
    STREET = "street", _("Rue (sans abri)")
    SQUAT = "squat", _("Squat")
    EMERGENCY_SHELTER = "emergency_shelter", _("Hébergement d'urgence (115, CHU)")
    HOTEL = "hotel", _("Hôtel (social ou payé)")
    INSTITUTION = "institution", _("Institution (CHRS, foyer, hôpital, appartement de soins)")
    FAMILY_FRIENDS = "family_friends", _("Chez de la famille ou des amis (provisoire)")
    OWN_HOME = "own_home", _("Logement durable (à soi ou chez des proches)")


# ENa-CAARUD's "sans domicile fixe ou squat" and the provisional situations: no housing of one's own.
WITHOUT_HOUSING = frozenset(
    {Housing.STREET, Housing.SQUAT, Housing.EMERGENCY_SHELTER, Housing.HOTEL}
)


class Coverage(models.TextChoices):
    NOT_ASKED = NOT_ASKED, _("Non demandé")
    DECLINED = DECLINED, _("Ne souhaite pas répondre")
    NONE = "none", _("Aucune couverture")
    PENDING = "pending", _("Droits en cours d'ouverture")
    PUMA = "puma", _("Assurance maladie (PUMa) sans complémentaire")
    PUMA_COMPLEMENTARY = "puma_complementary", _("Assurance maladie avec complémentaire")
    CSS = "css", _("Complémentaire santé solidaire (CSS, ex-CMU-C)")
    AME = "ame", _("Aide médicale de l'État (AME)")


# Counted as "without health coverage": ENa-CAARUD's "pas d'affiliation" (AME counted apart).
WITHOUT_COVERAGE = frozenset({Coverage.NONE, Coverage.PENDING})


class Resources(models.TextChoices):
    NOT_ASKED = NOT_ASKED, _("Non demandé")
    DECLINED = DECLINED, _("Ne souhaite pas répondre")
    WORK = "work", _("Revenus d'emploi")
    UNEMPLOYMENT = "unemployment", _("Allocations chômage")
    RSA = "rsa", _("RSA")
    AAH = "aah", _("AAH (allocation adulte handicapé)")
    OTHER_BENEFITS = "other_benefits", _("Autres prestations sociales")
    THIRD_PARTY = "third_party", _("Ressources d'un tiers")
    UNOFFICIAL = "unofficial", _("Autres ressources (non officielles)")
    NONE = "none", _("Aucune ressource")


class Product(models.TextChoices):
    HEROIN = "heroin", _("Héroïne")
    BUPRENORPHINE = "buprenorphine", _("Buprénorphine (hors prescription)")
    METHADONE = "methadone", _("Méthadone (hors prescription)")
    MORPHINE = "morphine", _("Sulfates de morphine (Skenan…)")
    OTHER_OPIOIDS = "other_opioids", _("Autres opioïdes")
    COCAINE = "cocaine", _("Cocaïne (poudre)")
    CRACK = "crack", _("Crack / free base")
    AMPHETAMINES = "amphetamines", _("Amphétamines, MDMA")
    CATHINONES = "cathinones", _("Cathinones et nouveaux produits de synthèse")
    KETAMINE = "ketamine", _("Kétamine")
    HALLUCINOGENS = "hallucinogens", _("Hallucinogènes (LSD, champignons)")
    BENZODIAZEPINES = "benzodiazepines", _("Benzodiazépines (hors prescription)")
    CANNABIS = "cannabis", _("Cannabis")
    ALCOHOL = "alcohol", _("Alcool")


class Route(models.TextChoices):
    INJECTION = "injection", _("Injection")
    SNORTING = "snorting", _("Sniff")
    INHALATION = "inhalation", _("Inhalation (fumé)")
    ORAL = "oral", _("Voie orale")
    OTHER = "other", _("Autre voie")


class Language(models.TextChoices):
    FRENCH = "fr", _("Français")
    ENGLISH = "en", _("Anglais")
    ARABIC = "ar", _("Arabe")
    RUSSIAN = "ru", _("Russe")
    GEORGIAN = "ka", _("Géorgien")
    ROMANIAN = "ro", _("Roumain")
    POLISH = "pl", _("Polonais")
    PERSIAN = "fa", _("Persan / dari")
    PASHTO = "ps", _("Pachto")
    TIGRINYA = "ti", _("Tigrigna")
    SPANISH = "es", _("Espagnol")
    PORTUGUESE = "pt", _("Portugais")
    OTHER = "other", _("Autre langue")


class YesNo(models.TextChoices):
    NOT_ASKED = NOT_ASKED, _("Non demandé")
    DECLINED = DECLINED, _("Ne souhaite pas répondre")
    NO = "no", _("Non")
    YES = "yes", _("Oui")


# Answers read by care roles only (``pathway.permissions.can_see_sensitive_situation``): a
# pregnancy, a release from prison and the source of income expose the person most.
CARE_ONLY_FIELDS = ("pregnancy", "prison_release", "resources")
# Answers the front desk reads and asks: what it needs to welcome and orient the person.
DESK_FIELDS = (
    "housing",
    "coverage",
    "products",
    "routes",
    "age_first_use",
    "languages",
    "interpreter_needed",
)


class Infection(models.TextChoices):
    HCV = "hcv", _("Hépatite C (VHC)")
    HBV = "hbv", _("Hépatite B (VHB)")
    HIV = "hiv", _("VIH")
    SYPHILIS = "syphilis", _("Syphilis")


# The rapid test (care act) that opens each pathway.
SCREENING_FOR: dict[str, str] = {
    Infection.HCV: "trod_hcv",
    Infection.HBV: "trod_hbv",
    Infection.HIV: "trod_hiv",
    Infection.SYPHILIS: "trod_syphilis",
}


class Stage(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmation")
    ASSESSED = "assessed", _("Bilan (FibroScan, bilan biologique)")
    TREATMENT_STARTED = "treatment_started", _("Traitement commencé")
    TREATMENT_ENDED = "treatment_ended", _("Traitement terminé")
    CURE_CHECKED = "cure_checked", _("Guérison contrôlée")


# The order of the cascade: a step needs the previous ones recorded (assessment may be skipped:
# a syphilis is treated without a FibroScan).
STAGE_ORDER: dict[str, int] = {
    Stage.CONFIRMED: 1,
    Stage.ASSESSED: 2,
    Stage.TREATMENT_STARTED: 3,
    Stage.TREATMENT_ENDED: 4,
    Stage.CURE_CHECKED: 5,
}
OPTIONAL_STAGES = frozenset({Stage.ASSESSED})
# HIV is treated for life and not cured: its pathway stops at the treatment started.
STAGES_FOR: dict[str, frozenset[str]] = {
    Infection.HCV: frozenset(Stage.values),
    Infection.HBV: frozenset(Stage.values),
    Infection.SYPHILIS: frozenset(Stage.values),
    Infection.HIV: frozenset({Stage.CONFIRMED, Stage.ASSESSED, Stage.TREATMENT_STARTED}),
}


class Method(models.TextChoices):
    PCR = "pcr", _("PCR (charge virale)")
    SEROLOGY = "serology", _("Sérologie")
    FIBROSCAN = "fibroscan", _("FibroScan")
    BLOOD_WORK = "blood_work", _("Bilan biologique")
    CLINICAL = "clinical", _("Examen clinique")


METHODS_FOR_STAGE: dict[str, frozenset[str]] = {
    Stage.CONFIRMED: frozenset({Method.PCR, Method.SEROLOGY}),
    Stage.ASSESSED: frozenset({Method.FIBROSCAN, Method.BLOOD_WORK, Method.CLINICAL}),
    Stage.TREATMENT_STARTED: frozenset(),
    Stage.TREATMENT_ENDED: frozenset(),
    Stage.CURE_CHECKED: frozenset({Method.PCR, Method.SEROLOGY}),
}


class StepOutcome(models.TextChoices):
    """What a confirmation or a check found; treatment steps have none."""

    POSITIVE = "positive", _("Positif")
    NEGATIVE = "negative", _("Négatif")


class Place(models.TextChoices):
    ON_SITE = "on_site", _("Sur place")
    NETWORK_SITE = "network_site", _("Autre site du réseau")
    HOSPITAL = "hospital", _("Hôpital")
    CSAPA = "csapa", _("CSAPA")
    CEGIDD = "cegidd", _("CeGIDD")
    DOCTOR = "doctor", _("Médecin de ville")
    LABORATORY = "laboratory", _("Laboratoire")
    MOBILE_UNIT = "mobile_unit", _("Camion FibroScan / équipe mobile")


class AccompanimentPlace(models.TextChoices):
    HOSPITAL = "hospital", _("Hôpital")
    CSAPA = "csapa", _("CSAPA")
    PREFECTURE = "prefecture", _("Préfecture")
    COURT = "court", _("Tribunal / SPIP")
    SHELTER = "shelter", _("Hébergement")
    SOCIAL_SERVICES = "social_services", _("Services sociaux, CPAM, CAF")
    PHARMACY = "pharmacy", _("Pharmacie")
    OTHER = "other", _("Autre lieu")


class TeamRole(models.TextChoices):
    """Who went with the person: a role in the team, never a name."""

    NURSE = "nurse", _("Infirmier·e")
    DOCTOR = "doctor", _("Médecin")
    EDUCATOR = "educator", _("Éducateur·rice")
    SOCIAL_WORKER = "social_worker", _("Travailleur·se social·e")
    PEER = "peer", _("Médiateur·rice pair·e")
    RECEPTION = "reception", _("Accueil")
    MANAGER = "manager", _("Responsable de site")


# The default role of whoever records an accompaniment, from the role held on the site.
TEAM_ROLE_OF = {
    "nurse": TeamRole.NURSE,
    "educator": TeamRole.EDUCATOR,
    "outreach": TeamRole.EDUCATOR,
    "reception": TeamRole.RECEPTION,
    "manager": TeamRole.MANAGER,
    "peer": TeamRole.PEER,
}


class AccompanimentOutcome(models.TextChoices):
    DONE = "done", _("Démarche faite")
    POSTPONED = "postponed", _("Reportée")
    NOT_RECEIVED = "not_received", _("Pas reçue sur place")
    PERSON_LEFT = "person_left", _("La personne est partie")


class InterpretingMode(models.TextChoices):
    PHONE = "phone", _("Par téléphone")
    IN_PERSON = "in_person", _("Sur place")


class SocialFilePurpose(models.TextChoices):
    """Why a site keeps a person's identity, with their consent: what anonymity cannot do."""

    RIGHTS_AME = "rights_ame", _("Ouverture de droits : AME")
    RIGHTS_CSS = "rights_css", _("Ouverture de droits : PUMa / CSS")
    DOMICILIATION = "domiciliation", _("Domiciliation")
    HOSPITAL = "hospital", _("Rendez-vous ou admission à l'hôpital")
    HOUSING = "housing", _("Demande d'hébergement ou de logement")
    PAPERS = "papers", _("Papiers d'identité, titre de séjour")
    OTHER = "other", _("Autre démarche administrative")


class DocumentKind(models.TextChoices):
    """The documents whose references a social file keeps (never a scan)."""

    ID_CARD = "id_card", _("Carte d'identité")
    PASSPORT = "passport", _("Passeport")
    RESIDENCE_PERMIT = "residence_permit", _("Titre de séjour / récépissé")
    ASYLUM = "asylum", _("Attestation de demande d'asile")
    HEALTH_INSURANCE = (
        "health_insurance",
        _("Attestation d'assurance maladie (n° de sécurité sociale)"),
    )
    AME = "ame", _("Carte AME")
    DOMICILIATION = "domiciliation", _("Attestation de domiciliation")
    BIRTH_CERTIFICATE = "birth_certificate", _("Acte de naissance")
    OTHER = "other", _("Autre document")


class SocialFileEnd(models.TextChoices):
    """Why a social file was deleted: the person asked, or its retention period ran out."""

    REQUEST = "request", _("À la demande de la personne")
    RETENTION = "retention", _("Fin de la durée de conservation")
