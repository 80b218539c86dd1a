"""Pseudonymous clients. Nobody's name is ever stored: a code, a year of birth, a sex or gender and
an optional nickname, which is all the rooms legally need."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from halte.clients.codes import display_code
from halte.clients.enums import BanReason, SexGender
from halte.core.models import PublicModel, not_before

# Majority. Only the year of birth is kept, so in a given year a person is certainly a minor (turns
# 17 or less that year), certainly an adult (turned 18 in an earlier year), or turns 18 that year
# and is an adult only after a birthday nobody recorded.
ADULT_AGE = 18


def youngest_adult_birth_year(year: int) -> int:
    """The last year of birth of someone who may be an adult during ``year``: born that year or
    before, a person is not certainly a minor (``Client.is_minor_in``)."""
    return year - ADULT_AGE


class Client(PublicModel):
    audit_type: ClassVar[str] = "client"

    code = models.CharField(_("code"), max_length=12, unique=True)
    birth_year = models.PositiveSmallIntegerField(_("année de naissance"))
    sex_gender = models.CharField(_("sexe ou genre"), max_length=10, choices=SexGender.choices)
    nickname = models.CharField(_("surnom (facultatif)"), max_length=40, blank=True)
    registered_at_site = models.ForeignKey(
        "network.Site",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("site d'inscription"),
    )
    registered_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("personne accueillie")
        constraints = [
            models.CheckConstraint(
                name="client_birth_year_plausible",
                condition=Q(birth_year__gte=1900, birth_year__lte=2100),
                violation_error_message=_("Année de naissance invalide."),
            ),
        ]

    def __str__(self) -> str:
        return self.display_code

    @property
    def display_code(self) -> str:
        return display_code(self.code)

    def age_in(self, year: int) -> int:
        """Age reached during ``year`` (the day of birth is not kept)."""
        return year - self.birth_year

    def is_minor_in(self, year: int) -> bool:
        """Certainly a minor all through ``year``: turns 17 or less that year, the rule by which
        a consumption session refuses a minor. Someone who turns 18 that year may be either: not
        a minor here, and a session asks staff to confirm the majority first."""
        return self.birth_year > youngest_adult_birth_year(year)


class Ban(models.Model):
    """An exclusion, dated, from one site or (site empty) from the whole network."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="bans")
    site = models.ForeignKey(
        "network.Site", null=True, blank=True, on_delete=models.PROTECT, related_name="bans"
    )
    starts_on = models.DateField(_("du"))
    ends_on = models.DateField(_("au (inclus)"), null=True, blank=True)
    reason = models.CharField(_("motif"), max_length=20, choices=BanReason.choices)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("exclusion")
        ordering = ["-starts_on"]
        constraints = [
            not_before(
                "ends_on",
                "starts_on",
                name="ban_ends_after_it_starts",
                message=_("La fin de l'exclusion précède son début."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} {self.starts_on}"

    def applies(self, *, site_id: int, day: dt.date) -> bool:
        if self.lifted_at is not None or day < self.starts_on:
            return False
        if self.ends_on is not None and day > self.ends_on:
            return False
        return self.site_id is None or self.site_id == site_id
