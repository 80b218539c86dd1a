from django.db import models
from django.utils.translation import gettext_lazy as _


class SexGender(models.TextChoices):
    MAN = "man", _("Homme")
    WOMAN = "woman", _("Femme")
    OTHER = "other", _("Autre / non binaire")


class BanReason(models.TextChoices):
    VIOLENCE = "violence", _("Violence ou menace")
    DEALING = "dealing", _("Revente ou partage de produit")
    RULES = "rules", _("Non-respect répété du règlement")
    DAMAGE = "damage", _("Dégradation")
    OTHER = "other", _("Autre motif")
