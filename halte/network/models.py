"""The registry of the care network: operators, sites, their hours and their history."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from halte.core.models import PublicModel, not_before
from halte.network.enums import (
    Admission,
    AuthorisationKind,
    OperatorKind,
    Route,
    Service,
    SiteKind,
    SiteStatus,
    Weekday,
)


class Operator(PublicModel):
    """The organisation that runs sites: an association, a hospital."""

    audit_type: ClassVar[str] = "operator"

    name = models.CharField(_("nom"), max_length=200, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=OperatorKind.choices)
    finess = models.CharField(
        _("n° FINESS"),
        max_length=9,
        blank=True,
        validators=[
            RegexValidator(r"^[0-9]{2}[0-9AB][0-9]{6}$", _("Un n° FINESS a 9 caractères."))
        ],
    )
    website = models.URLField(_("site web"), blank=True)

    class Meta:
        verbose_name = _("opérateur")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Site(PublicModel):
    """A place of the network, from its proposal to its closure."""

    audit_type: ClassVar[str] = "site"

    slug = models.SlugField(_("identifiant court"), max_length=80, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    operator = models.ForeignKey(
        Operator, on_delete=models.PROTECT, related_name="sites", verbose_name=_("opérateur")
    )
    kind = models.CharField(_("type"), max_length=30, choices=SiteKind.choices)
    status = models.CharField(
        _("statut"), max_length=20, choices=SiteStatus.choices, default=SiteStatus.PROPOSED
    )
    # Where it is. The area (arrondissement or commune) is derived from the point when it lies in
    # the Greater Paris; elsewhere (Strasbourg) it is typed in.
    address = models.CharField(_("adresse"), max_length=200, blank=True)
    postcode = models.CharField(_("code postal"), max_length=5, blank=True)
    city = models.CharField(_("ville"), max_length=100, default="Paris")
    code_insee = models.CharField(_("code INSEE"), max_length=5, blank=True)
    area_name = models.CharField(_("arrondissement ou commune"), max_length=100, blank=True)
    lon = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    lat = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    location_approximate = models.BooleanField(_("emplacement approximatif"), default=False)
    facts_verified = models.BooleanField(_("informations vérifiées"), default=False)
    data_note = models.TextField(_("sources et réserves"), blank=True)
    # What it offers.
    booths_injection = models.PositiveSmallIntegerField(_("postes injection"), default=0)
    booths_inhalation = models.PositiveSmallIntegerField(_("postes inhalation"), default=0)
    booths_nasal = models.PositiveSmallIntegerField(_("postes voie nasale"), default=0)
    rest_places = models.PositiveSmallIntegerField(_("places de repos"), default=0)
    beds = models.PositiveSmallIntegerField(_("lits"), default=0)
    reception_capacity = models.PositiveSmallIntegerField(
        _("capacité d'accueil simultanée"), default=0
    )
    session_time_limit_minutes = models.PositiveSmallIntegerField(
        _("durée maximale d'une consommation (min)"), null=True, blank=True
    )
    # Who it admits.
    admission = models.CharField(
        _("public"), max_length=20, choices=Admission.choices, default=Admission.EVERYONE
    )
    adults_only = models.BooleanField(_("majeurs uniquement"), default=True)
    dogs_accepted = models.BooleanField(_("chiens acceptés"), default=False)
    # What the public may see (halte.network.publication): nothing unless the manager chooses.
    publish_public = models.BooleanField(
        _("publié sur la page d'orientation publique et en données ouvertes"), default=False
    )
    publish_room_level = models.BooleanField(
        _("publier s'il reste de la place (niveau approximatif, jamais un nombre)"), default=False
    )
    # Its legal frame.
    authorisation_act = models.CharField(_("acte d'autorisation"), max_length=200, blank=True)
    authorisation_end = models.DateField(_("fin d'autorisation"), null=True, blank=True)

    class Meta:
        verbose_name = _("site")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="site_point_is_complete",
                condition=Q(lon__isnull=True, lat__isnull=True)
                | Q(lon__isnull=False, lat__isnull=False),
                violation_error_message=_("Un emplacement a une longitude et une latitude."),
            ),
            models.CheckConstraint(
                name="site_session_limit_is_positive",
                condition=Q(session_time_limit_minutes__isnull=True)
                | Q(session_time_limit_minutes__gt=0),
                violation_error_message=_(
                    "La durée maximale d'une consommation doit être positive."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("www:site_detail", kwargs={"site_id": self.public_id})

    def booths_by_route(self) -> dict[str, int]:
        return {
            Route.INJECTION: self.booths_injection,
            Route.INHALATION: self.booths_inhalation,
            Route.NASAL: self.booths_nasal,
        }

    def allowed_routes(self) -> list[str]:
        """A route is allowed where the site has at least one booth for it."""
        return [route for route, count in self.booths_by_route().items() if count > 0]

    @property
    def admits_women_only(self) -> bool:
        return self.admission == Admission.WOMEN_ONLY


class SiteService(models.Model):
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="services")
    service = models.CharField(_("service"), max_length=40, choices=Service.choices)

    class Meta:
        verbose_name = _("service proposé")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "service"],
                name="site_service_unique",
                violation_error_message=_("Ce service est déjà déclaré pour ce site."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.site} · {self.get_service_display()}"


class WeeklyHours(models.Model):
    """One opening span on a weekday, valid over a range of dates.

    ``closes`` at or before ``opens`` means the span runs past midnight into the next day
    (22:00–06:00); ``closes == opens`` is a 24-hour day. A change of hours ends the current rows
    the day before and starts new rows, so past hours stay readable.
    """

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="weekly_hours")
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=Weekday.choices)
    opens = models.TimeField(_("ouverture"))
    closes = models.TimeField(_("fermeture"))
    women_only = models.BooleanField(_("créneau réservé aux femmes"), default=False)
    valid_from = models.DateField(_("à partir du"))
    valid_until = models.DateField(_("jusqu'au"), null=True, blank=True)

    class Meta:
        verbose_name = _("horaire hebdomadaire")
        ordering = ["valid_from", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                name="weekly_hours_weekday_range",
                condition=Q(weekday__gte=0, weekday__lte=6),
                violation_error_message=_("Le jour doit être entre lundi et dimanche."),
            ),
            not_before(
                "valid_until",
                "valid_from",
                name="weekly_hours_valid_range",
                message=_("La fin de validité précède son début."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site} {self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    @property
    def past_midnight(self) -> bool:
        return self.closes <= self.opens


class HoursException(models.Model):
    """A dated exception: closed that day, or open on other hours (a holiday, a strike, an event)."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="hours_exceptions")
    date = models.DateField(_("date"))
    closed = models.BooleanField(_("fermé toute la journée"), default=False)
    opens = models.TimeField(_("ouverture"), null=True, blank=True)
    closes = models.TimeField(_("fermeture"), null=True, blank=True)
    label = models.CharField(_("motif"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("exception d'horaires")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "date"],
                name="hours_exception_one_per_day",
                violation_error_message=_("Il y a déjà une exception ce jour-là pour ce site."),
            ),
            models.CheckConstraint(
                name="hours_exception_closed_or_hours",
                condition=Q(closed=True, opens__isnull=True, closes__isnull=True)
                | Q(closed=False, opens__isnull=False, closes__isnull=False),
                violation_error_message=_(
                    "Une exception est soit une fermeture, soit des horaires d'ouverture."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site} {self.date}"


class StatusChange(models.Model):
    """One dated step of a site's life; the last one is the site's current status."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=SiteStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=SiteStatus.choices)
    effective_on = models.DateField(_("date d'effet"))
    recorded_at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("motif"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("changement de statut")
        ordering = ["effective_on", "recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="status_change_moves",
                condition=~Q(from_status=F("to_status")),
                violation_error_message=_("Un changement de statut change le statut."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site}: {self.from_status or '∅'} → {self.to_status} ({self.effective_on})"


# A FINESS number: two digits of the department (2A/2B for Corsica), then seven characters
# (the same rule as ``Operator.finess``).
FINESS_VALIDATOR = RegexValidator(r"^[0-9]{2}[0-9AB][0-9]{6}$", _("Un n° FINESS a 9 caractères."))


class Authorisation(PublicModel):
    """An establishment's authorisation: a CAARUD, a CSAPA, an HSA… with its own FINESS number,
    held by an operator and covering one or several of its places. Its reports count the people
    of its sites once, as the network's do."""

    audit_type: ClassVar[str] = "authorisation"

    finess = models.CharField(
        _("n° FINESS de l'établissement"), max_length=9, unique=True, validators=[FINESS_VALIDATOR]
    )
    kind = models.CharField(_("type"), max_length=20, choices=AuthorisationKind.choices)
    operator = models.ForeignKey(
        Operator,
        on_delete=models.PROTECT,
        related_name="authorisations",
        verbose_name=_("opérateur"),
    )
    label = models.CharField(_("intitulé"), max_length=200)
    note = models.TextField(_("sources et réserves"), blank=True)
    sites = models.ManyToManyField(
        Site, related_name="authorisations", blank=True, verbose_name=_("lieux couverts")
    )
    valid_from = models.DateField(_("en vigueur depuis"), null=True, blank=True)
    valid_until = models.DateField(_("en vigueur jusqu'au"), null=True, blank=True)

    class Meta:
        verbose_name = _("autorisation (FINESS)")
        ordering = ["label"]
        constraints = [
            not_before(
                "valid_until",
                "valid_from",
                name="authorisation_ends_after_it_starts",
                message=_("La fin de l'autorisation précède son début."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.finess})"

    def in_force_during(self, start: dt.date, end: dt.date) -> bool:
        """Whether the authorisation is in force on at least one day of ``start``–``end``."""
        return (self.valid_from is None or self.valid_from <= end) and (
            self.valid_until is None or self.valid_until >= start
        )
