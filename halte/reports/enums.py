"""Coded values of the reports app: funders, professions, report frameworks."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Funder(models.TextChoices):
    """Who pays, in the categories of the activity reports (docs/domain.md §6, item 17)."""

    ARS_ONDAM = "ars_ondam", _("ARS / Assurance maladie (ONDAM spécifique)")
    CITY_DASES = "city_dases", _("Ville de Paris (DASES)")
    PREFECTURE_DRIHL = "prefecture_drihl", _("Préfecture / DRIHL")
    MILDECA = "mildeca", _("MILDECA")
    ARTICLE_51 = "article_51", _("Expérimentation article 51")
    OTHER = "other", _("Autre financeur")


class Profession(models.TextChoices):
    """Professions of the ASA-CAARUD staff table (ETP by profession, docs/domain.md §6, item 4)."""

    EDUCATOR = "educator", _("Éducateur·rice")
    NURSE = "nurse", _("Infirmier·e")
    DOCTOR = "doctor", _("Médecin")
    PSYCHIATRIST = "psychiatrist", _("Psychiatre")
    PSYCHOLOGIST = "psychologist", _("Psychologue")
    SOCIAL_WORKER = "social_worker", _("Travailleur·se social·e")
    PEER_WORKER = "peer_worker", _("Travailleur·se pair")
    SECURITY = "security", _("Sécurité / médiation")
    ADMIN = "admin", _("Administration / direction")


class Framework(models.TextChoices):
    """The reports Halte produces, each built from the shared indicators."""

    ASA_CAARUD = "asa-caarud", _("Rapport d'activité standardisé CAARUD (ASA-CAARUD)")
    HSA_ANNUAL = "hsa-annual", _("Rapport annuel HSA (ARS)")
    PLAN_CRACK = "plan-crack", _("Tableau de bord du plan crack")
    MONTHLY_SCS = "monthly-scs", _("Rapport mensuel de consommation supervisée")


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", "XLSX"
    CSV = "csv", "CSV"
