"""Coded values of drug checking and product alerts: products, substances, where a sample goes,
how severe an alert is. Structured on purpose: nothing here holds free text about a person."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SampleProduct(models.TextChoices):
    """A product as it was sold or as the person believed it to be."""

    HEROIN = "heroin", _("Héroïne")
    COCAINE = "cocaine", _("Cocaïne")
    CRACK = "crack", _("Crack / free base")
    CATHINONE = "cathinone", _("Cathinone (3-MMC, 4-MMC…)")
    MDMA = "mdma", _("MDMA / ecstasy")
    AMPHETAMINE = "amphetamine", _("Amphétamine / speed")
    KETAMINE = "ketamine", _("Kétamine")
    OPIOID_MEDICINE = "opioid_medicine", _("Médicament opioïde (Skenan, méthadone…)")
    BENZODIAZEPINE = "benzodiazepine", _("Benzodiazépine")
    CANNABIS = "cannabis", _("Cannabis / cannabinoïde")
    UNKNOWN = "unknown", _("Inconnu")
    OTHER = "other", _("Autre")


class SampleForm(models.TextChoices):
    POWDER = "powder", _("Poudre")
    ROCK = "rock", _("Caillou / cristal")
    PILL = "pill", _("Comprimé")
    CAPSULE = "capsule", _("Gélule")
    LIQUID = "liquid", _("Liquide")
    BLOTTER = "blotter", _("Buvard")
    OTHER = "other", _("Autre")


class SampleRoute(models.TextChoices):
    INJECTION = "injection", _("Injection")
    INHALATION = "inhalation", _("Inhalation")
    NASAL = "nasal", _("Voie nasale")
    ORAL = "oral", _("Voie orale")
    UNKNOWN = "unknown", _("Inconnue")


class Circumstance(models.TextChoices):
    INCIDENT = "incident", _("Après un incident (surdose, malaise…)")
    UNEXPECTED_EFFECTS = "unexpected_effects", _("Effets inattendus rapportés")
    ROUTINE = "routine", _("Collecte de routine")


class Destination(models.TextChoices):
    """Where the sample was sent for analysis."""

    SINTES = "sintes", _("SINTES (OFDT)")
    CEIP = "ceip", _("CEIP-A (addictovigilance)")
    HOSPITAL_LAB = "hospital_lab", _("Laboratoire hospitalier")
    ON_SITE = "on_site", _("Analyse sur place (spectromètre)")
    OTHER = "other", _("Autre laboratoire")


class Substance(models.TextChoices):
    """A substance a laboratory found. Append new codes; the CSV import reads these codes."""

    HEROIN = "heroin", _("Héroïne (diacétylmorphine)")
    FENTANYL = "fentanyl", _("Fentanyl")
    FENTANYL_ANALOGUE = "fentanyl_analogue", _("Analogue du fentanyl")
    NITAZENE = "nitazene", _("Nitazène (isotonitazène, métonitazène…)")
    MORPHINE = "morphine", _("Morphine")
    METHADONE = "methadone", _("Méthadone")
    BUPRENORPHINE = "buprenorphine", _("Buprénorphine")
    TRAMADOL = "tramadol", _("Tramadol")
    COCAINE = "cocaine", _("Cocaïne")
    CATHINONE_3MMC = "3mmc", _("3-MMC")
    CATHINONE_3CMC = "3cmc", _("3-CMC")
    MEPHEDRONE = "4mmc", _("4-MMC (méphédrone)")
    ALPHA_PVP = "alpha_pvp", _("α-PVP / α-PHP")
    OTHER_CATHINONE = "other_cathinone", _("Autre cathinone")
    MDMA = "mdma", _("MDMA")
    AMPHETAMINE = "amphetamine", _("Amphétamine")
    METHAMPHETAMINE = "methamphetamine", _("Méthamphétamine")
    KETAMINE = "ketamine", _("Kétamine")
    XYLAZINE = "xylazine", _("Xylazine")
    BENZODIAZEPINE = "benzodiazepine", _("Benzodiazépine (bromazolam…)")
    SYNTHETIC_CANNABINOID = "synthetic_cannabinoid", _("Cannabinoïde de synthèse")
    CAFFEINE = "caffeine", _("Caféine")
    PARACETAMOL = "paracetamol", _("Paracétamol")
    LEVAMISOLE = "levamisole", _("Lévamisole")
    PHENACETIN = "phenacetin", _("Phénacétine")
    LIDOCAINE = "lidocaine", _("Lidocaïne")
    PROCAINE = "procaine", _("Procaïne")
    MANNITOL = "mannitol", _("Mannitol / sucre")
    NOTHING = "nothing", _("Aucune substance psychoactive")
    OTHER = "other", _("Autre")


class SubstanceRole(models.TextChoices):
    ACTIVE = "active", _("Principe actif")
    ADULTERANT = "adulterant", _("Produit de coupe / adultérant")


class Severity(models.TextChoices):
    INFORMATION = "information", _("Information")
    WARNING = "warning", _("Vigilance")
    DANGER = "danger", _("Danger")


class AlertOrigin(models.TextChoices):
    MANUAL = "manual", _("Information du terrain")
    RESULT = "result", _("Résultat d'analyse")
    SIGNAL = "signal", _("Surdoses et incidents rapprochés")
    PARTNER = "partner", _("Partenaire (ARS, SINTES, autre réseau)")
