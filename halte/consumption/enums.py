from django.db import models
from django.utils.translation import gettext_lazy as _


class Product(models.TextChoices):
    MORPHINE = "morphine", _("Sulfate de morphine (Skenan)")
    HEROIN = "heroin", _("Héroïne")
    COCAINE = "cocaine", _("Cocaïne")
    CRACK = "crack", _("Crack / free base")
    BUPRENORPHINE = "buprenorphine", _("Buprénorphine")
    METHADONE = "methadone", _("Méthadone")
    FENTANYL = "fentanyl", _("Fentanyl")
    OTHER = "other", _("Autre")


class IncidentKind(models.TextChoices):
    OPIOID_OVERDOSE = "opioid_overdose", _("Surdose opioïde")
    STIMULANT_TOXICITY = "stimulant_toxicity", _("Intoxication aux stimulants")
    SEIZURE = "seizure", _("Convulsions")
    MALAISE = "malaise", _("Malaise")
    INJURY = "injury", _("Blessure")
    VIOLENCE = "violence", _("Violence")


class Outcome(models.TextChoices):
    RECOVERED_ON_SITE = "recovered_on_site", _("Rétabli sur place")
    TRANSFERRED = "transferred", _("Transféré à l'hôpital")
    LEFT_AGAINST_ADVICE = "left_against_advice", _("Parti contre avis")
    DEATH = "death", _("Décès")
    OTHER = "other", _("Autre")


ROUTE_PREFIX = {"injection": "I", "inhalation": "F", "nasal": "N"}
