"""The neighbourhood: what teams pick up in the street, what residents report, mediation rounds,
neighbourhood committees and the area a site answers for.

Points are WGS84 ``lon``/``lat`` as everywhere in Halte. ``area_code`` is the INSEE code of the
arrondissement or commune and ``iris_code`` the IRIS the point falls in, both computed from the
point (``halte.neighbourhood.places``). The bundled IRIS layer (APUR) carries no INSEE IRIS code,
so ``iris_code`` holds the IRIS label of that layer ("Amérique 10"), unique in it.

A team is recorded, never the person: ``recorded_by`` is kept for the audit and never shown. A
resident's contact lives apart (``ReportContact``), is read by the coordinating role only and is
deleted after the retention period (``retention.py``).
"""

from __future__ import annotations

import secrets
from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from halte.core.models import PublicModel, not_before
from halte.neighbourhood.enums import (
    PickupItem,
    PlaceKind,
    ReportChannel,
    ReportKind,
    ReportOutcome,
    ReportStatus,
    RoundKind,
)

POINT_IS_COMPLETE = Q(lon__isnull=True, lat__isnull=True) | Q(lon__isnull=False, lat__isnull=False)
# More than this in one find is a typing mistake: record a heap as several finds.
MAX_PICKUP_COUNT = 500
MAX_SEEN_COUNT = 500
DESCRIPTION_MAX = 500
CONTACT_MAX = 120
NOTE_MAX = 300
# The reference a resident quotes on the phone: no 0/O, 1/I/L to misread.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 6


def new_reference() -> str:
    """A short random reference for a report ("Q-7KX4M2"), not its database id."""
    return "Q-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


LON = [MinValueValidator(-180), MaxValueValidator(180)]
LAT = [MinValueValidator(-90), MaxValueValidator(90)]


class MediationRound(PublicModel):
    """A round of a site's team in the streets around it: picking up material (``pickup``) or
    mediation with the neighbourhood (``mediation``), with what was seen as counts."""

    audit_type: ClassVar[str] = "neighbourhood_round"

    site = models.ForeignKey(
        "network.Site", on_delete=models.PROTECT, related_name="neighbourhood_rounds"
    )
    kind = models.CharField(_("type de tournée"), max_length=20, choices=RoundKind.choices)
    started_at = models.DateTimeField(_("début"), db_index=True)
    ended_at = models.DateTimeField(_("fin"), null=True, blank=True)
    area_label = models.CharField(_("secteur parcouru"), max_length=200, blank=True)
    public_consumption_seen = models.PositiveSmallIntegerField(
        _("consommations dans l'espace public vues"), default=0
    )
    gatherings_seen = models.PositiveSmallIntegerField(_("regroupements vus"), default=0)
    people_met = models.PositiveSmallIntegerField(_("personnes rencontrées"), default=0)
    residents_met = models.PositiveSmallIntegerField(
        _("riverains et commerçants rencontrés"), default=0
    )
    started_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    synthetic = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("tournée de quartier")
        ordering = ["-started_at"]
        constraints = [
            not_before(
                "ended_at",
                "started_at",
                name="neighbourhood_round_ends_after_it_starts",
                message=_("La fin précède le début."),
            ),
            models.UniqueConstraint(
                fields=["site", "kind"],
                condition=Q(ended_at__isnull=True),
                name="neighbourhood_round_one_open_per_site_and_kind",
                violation_error_message=_("Cette équipe a déjà une tournée de ce type en cours."),
            ),
            models.CheckConstraint(
                name="neighbourhood_round_counts_are_plausible",
                condition=Q(public_consumption_seen__lte=MAX_SEEN_COUNT)
                & Q(gatherings_seen__lte=MAX_SEEN_COUNT)
                & Q(people_met__lte=MAX_SEEN_COUNT)
                & Q(residents_met__lte=MAX_SEEN_COUNT),
                violation_error_message=_("Un nombre dépasse 500 : vérifiez la saisie."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site} {self.kind} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


class Pickup(PublicModel):
    """One find in public space: what, how many, where and when, by which team."""

    audit_type: ClassVar[str] = "pickup"

    team = models.ForeignKey("network.Site", on_delete=models.PROTECT, related_name="pickups")
    round = models.ForeignKey(
        MediationRound,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pickups",
    )
    found_at = models.DateTimeField(_("trouvé le"), db_index=True)
    item = models.CharField(_("objet"), max_length=20, choices=PickupItem.choices)
    place_kind = models.CharField(_("type de lieu"), max_length=20, choices=PlaceKind.choices)
    count = models.PositiveIntegerField(_("nombre"))
    lon = models.FloatField(_("longitude"), validators=LON)
    lat = models.FloatField(_("latitude"), validators=LAT)
    address_label = models.CharField(_("adresse (rue)"), max_length=200, blank=True)
    iris_code = models.CharField(_("IRIS"), max_length=60, blank=True, db_index=True)
    area_code = models.CharField(_("arrondissement ou commune (INSEE)"), max_length=5)
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # True for the demo history drawn by load_neighbourhood_demo: plausible, not picked up.
    synthetic = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("ramassage")
        ordering = ["-found_at"]
        indexes = [models.Index(fields=["area_code", "found_at"], name="pickup_area_found")]
        constraints = [
            models.CheckConstraint(
                name="pickup_count_between_1_and_500",
                condition=Q(count__gte=1) & Q(count__lte=MAX_PICKUP_COUNT),
                violation_error_message=_("Le nombre va de 1 à 500."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} ×{self.count} {self.found_at:%Y-%m-%d}"


class NeighbourhoodReport(PublicModel):
    """What a resident, a shop or a partner reported, and what the team did about it.

    ``description`` is short and never public; the contact is a ``ReportContact``. Times:
    ``received_at`` (when it reached Halte), then ``triaged_at``, ``answered_at``, ``closed_at``;
    the time to answer is ``answered_at - received_at``."""

    audit_type: ClassVar[str] = "neighbourhood_report"

    reference = models.CharField(
        _("référence"), max_length=12, unique=True, default=new_reference, editable=False
    )
    kind = models.CharField(_("type"), max_length=30, choices=ReportKind.choices)
    seen_at = models.DateTimeField(_("vu le"))
    lon = models.FloatField(_("longitude"), null=True, blank=True, validators=LON)
    lat = models.FloatField(_("latitude"), null=True, blank=True, validators=LAT)
    address_label = models.CharField(_("adresse (rue)"), max_length=200, blank=True)
    iris_code = models.CharField(_("IRIS"), max_length=60, blank=True, db_index=True)
    area_code = models.CharField(_("arrondissement ou commune (INSEE)"), max_length=5, blank=True)
    channel = models.CharField(_("canal"), max_length=20, choices=ReportChannel.choices)
    description = models.CharField(_("description"), max_length=DESCRIPTION_MAX, blank=True)
    status = models.CharField(
        _("état"),
        max_length=20,
        choices=ReportStatus.choices,
        default=ReportStatus.RECEIVED,
        db_index=True,
    )
    assigned_site = models.ForeignKey(
        "network.Site",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="neighbourhood_reports",
        verbose_name=_("site ou équipe"),
    )
    received_at = models.DateTimeField(_("reçu le"), db_index=True)
    triaged_at = models.DateTimeField(_("attribué le"), null=True, blank=True)
    answered_at = models.DateTimeField(_("répondu le"), null=True, blank=True)
    closed_at = models.DateTimeField(_("clos le"), null=True, blank=True)
    outcome = models.CharField(
        _("suite donnée"), max_length=20, choices=ReportOutcome.choices, blank=True
    )
    outcome_note = models.CharField(_("ce qui a été fait"), max_length=NOTE_MAX, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    synthetic = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("signalement de riverain")
        ordering = ["-received_at"]
        constraints = [
            models.CheckConstraint(
                name="neighbourhood_report_point_is_complete",
                condition=POINT_IS_COMPLETE,
                violation_error_message=_("Un emplacement a une longitude et une latitude."),
            ),
            models.CheckConstraint(
                name="neighbourhood_report_has_a_place",
                condition=Q(lon__isnull=False) | ~Q(address_label=""),
                violation_error_message=_("Indiquez où : un point sur la carte ou une adresse."),
            ),
            models.CheckConstraint(
                name="neighbourhood_report_closed_has_outcome",
                condition=~Q(status=ReportStatus.CLOSED)
                | (Q(closed_at__isnull=False) & ~Q(outcome="")),
                violation_error_message=_("Un signalement clos a une date et une suite."),
            ),
            not_before(
                "answered_at",
                "received_at",
                name="neighbourhood_report_answered_after_received",
                message=_("La réponse précède la réception."),
            ),
            not_before(
                "closed_at",
                "received_at",
                name="neighbourhood_report_closed_after_received",
                message=_("La clôture précède la réception."),
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status != ReportStatus.CLOSED


class ReportContact(models.Model):
    """How to answer the person who reported: personal data, read by the coordinating role only,
    never exported, deleted after the retention period following the report's closure."""

    audit_type: ClassVar[str] = "neighbourhood_report_contact"

    report = models.OneToOneField(
        NeighbourhoodReport, on_delete=models.CASCADE, related_name="contact"
    )
    contact = models.CharField(_("contact"), max_length=CONTACT_MAX)

    class Meta:
        verbose_name = _("contact d'un signalement")

    def __str__(self) -> str:
        return f"{self.report} contact"

    @property
    def audit_id(self) -> str:
        return str(self.report.public_id)


class Committee(PublicModel):
    """A neighbourhood committee meeting of a site: who came, by kind, and the topics."""

    audit_type: ClassVar[str] = "neighbourhood_committee"

    site = models.ForeignKey("network.Site", on_delete=models.PROTECT, related_name="committees")
    held_on = models.DateField(_("date"), db_index=True)
    residents = models.PositiveSmallIntegerField(_("riverains"), default=0)
    school = models.PositiveSmallIntegerField(_("écoles, collèges"), default=0)
    police = models.PositiveSmallIntegerField(_("police"), default=0)
    city = models.PositiveSmallIntegerField(_("Ville, mairie"), default=0)
    traders = models.PositiveSmallIntegerField(_("commerçants"), default=0)
    other = models.PositiveSmallIntegerField(_("autres"), default=0)
    topics = models.CharField(_("sujets abordés"), max_length=NOTE_MAX, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    synthetic = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("comité de voisinage")
        ordering = ["-held_on"]
        constraints = [
            models.CheckConstraint(
                name="committee_attendance_is_plausible",
                condition=Q(residents__lte=MAX_SEEN_COUNT)
                & Q(school__lte=MAX_SEEN_COUNT)
                & Q(police__lte=MAX_SEEN_COUNT)
                & Q(city__lte=MAX_SEEN_COUNT)
                & Q(traders__lte=MAX_SEEN_COUNT)
                & Q(other__lte=MAX_SEEN_COUNT),
                violation_error_message=_("Un nombre dépasse 500 : vérifiez la saisie."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site} {self.held_on:%Y-%m-%d}"

    @property
    def attendance(self) -> int:
        return self.residents + self.school + self.police + self.city + self.traders + self.other


class CommitteeDecision(PublicModel):
    """A decision of a committee, with an owner (a role or organisation, never a person's name)
    and a due date, followed to done."""

    audit_type: ClassVar[str] = "committee_decision"

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="decisions")
    text = models.CharField(_("décision"), max_length=NOTE_MAX)
    owner_label = models.CharField(_("porteur (service, organisme)"), max_length=120)
    due_on = models.DateField(_("échéance"), null=True, blank=True)
    done_on = models.DateField(_("fait le"), null=True, blank=True)

    class Meta:
        verbose_name = _("décision de comité")
        ordering = ["done_on", "due_on", "id"]
        constraints = [
            models.CheckConstraint(
                name="committee_decision_has_text_and_owner",
                condition=~Q(text="") & ~Q(owner_label=""),
                violation_error_message=_("Une décision a un texte et un porteur."),
            ),
        ]

    def __str__(self) -> str:
        return self.text[:40]


class SiteSurroundings(models.Model):
    """The area a site answers for, set by the coordinator: a radius around the site, or the
    IRIS listed; the mediation team's public contact (a team's line, not a person's), shown on the
    site's public page while the network publishes the site (``halte.network.publication``)."""

    audit_type: ClassVar[str] = "site_surroundings"

    site = models.OneToOneField(
        "network.Site", on_delete=models.PROTECT, related_name="surroundings"
    )
    radius_m = models.PositiveIntegerField(
        _("rayon (mètres)"),
        default=300,
        validators=[MinValueValidator(50), MaxValueValidator(3000)],
    )
    use_iris = models.BooleanField(_("utiliser les IRIS listés plutôt que le rayon"), default=False)
    iris_codes = models.JSONField(_("IRIS du périmètre"), default=list, blank=True)
    contact_phone = models.CharField(
        _("téléphone de l'équipe de médiation"), max_length=20, blank=True
    )
    contact_email = models.EmailField(_("courriel de l'équipe de médiation"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("environs d'un site")
        constraints = [
            models.CheckConstraint(
                name="site_surroundings_radius_between_50_and_3000",
                condition=Q(radius_m__gte=50) & Q(radius_m__lte=3000),
                violation_error_message=_("Le rayon va de 50 à 3000 mètres."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site} surroundings"

    @property
    def audit_id(self) -> str:
        return str(self.site.public_id)
