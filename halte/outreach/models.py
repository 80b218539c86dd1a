"""Outreach: gathering places, rounds, the contacts of a round, head counts.

A contact is a ``Visit`` at the team's site (opened and closed at the same moment), so what other
apps hang on visits (material, referrals) works on the street too; ``RoundContact`` ties it to the
round and to where it happened. Head counts are numbers of people at a place, never people.
"""

from __future__ import annotations

from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from halte.core.models import PublicModel, not_before
from halte.outreach.enums import Zone

POINT_IS_COMPLETE = Q(lon__isnull=True, lat__isnull=True) | Q(lon__isnull=False, lat__isnull=False)
# Head counts above this are typing mistakes: the largest scene reported held "quelque 400".
MAX_HEAD_COUNT = 2000


class GatheringPlace(PublicModel):
    """A place in the street where people gather to use (a "scène ouverte"), with its source."""

    audit_type: ClassVar[str] = "gathering_place"

    slug = models.SlugField(_("identifiant court"), max_length=60, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    zone = models.CharField(_("secteur"), max_length=20, choices=Zone.choices)
    code_insee = models.CharField(_("code INSEE"), max_length=5)
    area_name = models.CharField(_("arrondissement"), max_length=40)
    lon = models.FloatField(
        _("longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    lat = models.FloatField(
        _("latitude"), validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    source = models.CharField(_("source du point et des chiffres"), max_length=400)
    is_active = models.BooleanField(_("suivi"), default=True)

    class Meta:
        verbose_name = _("lieu de regroupement")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Round(PublicModel):
    """One outreach round ("maraude") of a team over a zone or around one place."""

    audit_type: ClassVar[str] = "round"

    team = models.ForeignKey("network.Site", on_delete=models.PROTECT, related_name="rounds")
    zone = models.CharField(_("secteur"), max_length=20, choices=Zone.choices, blank=True)
    place = models.ForeignKey(
        GatheringPlace, null=True, blank=True, on_delete=models.PROTECT, related_name="rounds"
    )
    started_at = models.DateTimeField(_("début"), db_index=True)
    ended_at = models.DateTimeField(_("fin"), null=True, blank=True)
    started_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("maraude")
        ordering = ["-started_at"]
        constraints = [
            not_before(
                "ended_at",
                "started_at",
                name="round_ends_after_it_starts",
                message=_("La fin précède le début."),
            ),
            models.CheckConstraint(
                name="round_has_zone_or_place",
                condition=~Q(zone="") | Q(place__isnull=False),
                violation_error_message=_("Une maraude a un secteur ou un lieu."),
            ),
            models.UniqueConstraint(
                fields=["team"],
                condition=Q(ended_at__isnull=True),
                name="round_one_open_per_team",
                violation_error_message=_("Cette équipe a déjà une maraude en cours."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.started_at:%Y-%m-%d %H:%M}"


class RoundContact(models.Model):
    """One person met during a round: the visit at the team's site, where it happened, and whether
    the person was new to the team."""

    audit_type: ClassVar[str] = "round_contact"

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="contacts")
    visit = models.OneToOneField(
        "visits.Visit", on_delete=models.PROTECT, related_name="round_contact"
    )
    place = models.ForeignKey(
        GatheringPlace, null=True, blank=True, on_delete=models.PROTECT, related_name="contacts"
    )
    lon = models.FloatField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    is_new = models.BooleanField(_("nouvelle personne"), default=False)

    class Meta:
        verbose_name = _("contact de maraude")
        constraints = [
            models.CheckConstraint(
                name="round_contact_point_is_complete",
                condition=POINT_IS_COMPLETE,
                violation_error_message=_("Un emplacement a une longitude et une latitude."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} #{self.pk}"

    @property
    def audit_id(self) -> str:
        """A contact is audited under the public id of its visit."""
        return str(self.visit.public_id)


class HeadCount(models.Model):
    """How many people a team counted at a gathering place at a moment."""

    audit_type: ClassVar[str] = "head_count"

    place = models.ForeignKey(GatheringPlace, on_delete=models.PROTECT, related_name="head_counts")
    counted_at = models.DateTimeField(_("heure du comptage"), db_index=True)
    count = models.PositiveIntegerField(_("personnes comptées"))
    team = models.ForeignKey("network.Site", on_delete=models.PROTECT, related_name="head_counts")
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # True for the demo history drawn by load_outreach_demo: shaped on press figures, not counted.
    synthetic = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("comptage")
        ordering = ["counted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["place", "team", "counted_at"],
                name="head_count_once_per_moment",
                violation_error_message=_("Ce comptage est déjà enregistré."),
            ),
            models.CheckConstraint(
                name="head_count_plausible",
                condition=Q(count__lte=MAX_HEAD_COUNT),
                violation_error_message=_("Plus de 2 000 personnes : vérifiez la saisie."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.place} {self.counted_at:%Y-%m-%d %H:%M}: {self.count}"

    @property
    def audit_id(self) -> str:
        """A head count has no public id: the audit trail names it by its key."""
        return str(self.pk)
