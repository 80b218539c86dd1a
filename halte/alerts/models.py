"""Drug checking and product alerts.

A ``Sample`` is a product collected at a site (or by an outreach team), sent to a laboratory; its
``ResultSubstance`` rows are what came back. An ``Alert`` is issued by the coordination to sites and
teams and shows on their screens until each member of staff has acknowledged it once
(``Acknowledgement``). A ``Signal`` records that the network's overdoses and incidents of the last
hours rose above their usual level (halte.alerts.detection). Samples and alerts describe products,
never people: the incident a sample is linked to is reached only through the site-scoped gate.
"""

from __future__ import annotations

from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from halte.alerts.enums import (
    AlertOrigin,
    Circumstance,
    Destination,
    SampleForm,
    SampleProduct,
    SampleRoute,
    Severity,
    Substance,
    SubstanceRole,
)
from halte.core.models import PublicModel, not_before

OTHER_LABEL_MAX = 40


class Sample(PublicModel):
    """A product collected for analysis: what it was sold as, what the person believed, how it
    was taken and why it was collected; where it went and when its result came back."""

    audit_type: ClassVar[str] = "sample"

    reference = models.CharField(_("référence"), max_length=16, unique=True)
    site = models.ForeignKey("network.Site", on_delete=models.PROTECT, related_name="samples")
    collected_on = models.DateField(_("date de collecte"), db_index=True)
    sold_as = models.CharField(_("vendu comme"), max_length=20, choices=SampleProduct.choices)
    sold_as_other = models.CharField(
        _("vendu comme (autre)"), max_length=OTHER_LABEL_MAX, blank=True
    )
    believed = models.CharField(_("cru être"), max_length=20, choices=SampleProduct.choices)
    believed_other = models.CharField(_("cru être (autre)"), max_length=OTHER_LABEL_MAX, blank=True)
    form = models.CharField(_("aspect"), max_length=12, choices=SampleForm.choices)
    route = models.CharField(_("voie"), max_length=12, choices=SampleRoute.choices)
    circumstance = models.CharField(_("circonstance"), max_length=20, choices=Circumstance.choices)
    incident = models.ForeignKey(
        "consumption.Incident",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="samples",
    )
    sent_to = models.CharField(
        _("envoyé à"), max_length=16, choices=Destination.choices, blank=True
    )
    sent_on = models.DateField(_("date d'envoi"), null=True, blank=True)
    result_on = models.DateField(_("date du résultat"), null=True, blank=True)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    result_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # True for the demo history (load_alerts_demo): invented, not collected.
    synthetic = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("échantillon")
        ordering = ["-collected_on", "-created_at"]
        constraints = [
            not_before(
                "sent_on",
                "collected_on",
                name="sample_sent_after_collected",
                message=_("L'envoi précède la collecte."),
            ),
            not_before(
                "result_on",
                "collected_on",
                name="sample_result_after_collected",
                message=_("Le résultat précède la collecte."),
            ),
            models.CheckConstraint(
                name="sample_sent_has_destination",
                condition=Q(sent_on__isnull=True) | ~Q(sent_to=""),
                violation_error_message=_("Un envoi a une destination."),
            ),
            models.CheckConstraint(
                name="sample_incident_circumstance",
                condition=Q(incident__isnull=True) | Q(circumstance="incident"),
                violation_error_message=_("Un incident lié suppose la circonstance « incident »."),
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def has_result(self) -> bool:
        return self.result_on is not None

    def sold_as_text(self) -> str:
        return self.sold_as_other or str(self.get_sold_as_display())

    def believed_text(self) -> str:
        return self.believed_other or str(self.get_believed_display())


class ResultSubstance(models.Model):
    """One substance a laboratory found in a sample, with its purity when given."""

    sample = models.ForeignKey(Sample, on_delete=models.PROTECT, related_name="substances")
    substance = models.CharField(_("substance"), max_length=24, choices=Substance.choices)
    label = models.CharField(_("précision"), max_length=OTHER_LABEL_MAX, blank=True)
    role = models.CharField(_("rôle"), max_length=12, choices=SubstanceRole.choices)
    purity = models.DecimalField(
        _("pureté (%)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("substance trouvée")
        ordering = ["role", "-purity", "substance"]
        constraints = [
            models.CheckConstraint(
                name="result_purity_is_a_percentage",
                condition=Q(purity__isnull=True) | Q(purity__gte=0, purity__lte=100),
                violation_error_message=_("La pureté est un pourcentage entre 0 et 100."),
            ),
            models.CheckConstraint(
                name="result_other_has_label",
                condition=~Q(substance="other") | ~Q(label=""),
                violation_error_message=_("Précisez la substance « autre »."),
            ),
            models.UniqueConstraint(
                fields=["sample", "substance", "label"],
                name="result_substance_once_per_sample",
                violation_error_message=_("Cette substance est déjà notée pour cet échantillon."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sample} {self.substance}"

    def name(self) -> str:
        label = str(self.get_substance_display())
        return f"{label} ({self.label})" if self.label else label


class Signal(PublicModel):
    """The network's overdoses and incidents of a window rose above their usual level. Kept open
    until the coordination issues an alert from it or closes it."""

    audit_type: ClassVar[str] = "alert_signal"

    window_start = models.DateTimeField(_("début de la fenêtre"))
    window_end = models.DateTimeField(_("fin de la fenêtre"), db_index=True)
    observed = models.PositiveIntegerField(_("incidents observés"))
    expected = models.FloatField(_("niveau habituel"))
    threshold = models.PositiveIntegerField(_("seuil"))
    closed_at = models.DateTimeField(_("clos le"), null=True, blank=True)
    closed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("signal")
        ordering = ["-window_end"]
        constraints = [
            models.CheckConstraint(
                name="signal_window_is_ordered",
                condition=Q(window_end__gt=F("window_start")),
                violation_error_message=_("La fenêtre finit après son début."),
            ),
            models.UniqueConstraint(
                fields=["window_end"],
                condition=Q(closed_at__isnull=True),
                name="signal_one_open_per_window",
                violation_error_message=_("Ce signal est déjà ouvert."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.window_end:%Y-%m-%d %H:%M}: {self.observed}"


class Alert(PublicModel):
    """A product alert issued by the coordination to sites and teams (or to the whole network)."""

    audit_type: ClassVar[str] = "alert"

    severity = models.CharField(_("gravité"), max_length=12, choices=Severity.choices)
    product = models.CharField(_("produit"), max_length=20, choices=SampleProduct.choices)
    title = models.CharField(_("titre"), max_length=120)
    looks_like = models.CharField(_("aspect du produit"), max_length=300)
    seen_in = models.CharField(_("vu à (secteur, arrondissement)"), max_length=160)
    advice = models.TextField(_("ce qu'il faut dire aux personnes"), max_length=1500)
    valid_until = models.DateTimeField(_("valable jusqu'au"), db_index=True)
    all_sites = models.BooleanField(_("tout le réseau"), default=False)
    sites = models.ManyToManyField(
        "network.Site", blank=True, related_name="+", verbose_name=_("sites et équipes")
    )
    is_public = models.BooleanField(_("publiée pour les partenaires"), default=True)
    origin = models.CharField(_("origine"), max_length=12, choices=AlertOrigin.choices)
    sample = models.ForeignKey(
        Sample, null=True, blank=True, on_delete=models.PROTECT, related_name="alerts"
    )
    signal = models.ForeignKey(
        Signal, null=True, blank=True, on_delete=models.PROTECT, related_name="alerts"
    )
    issued_at = models.DateTimeField(_("émise le"), db_index=True)
    issued_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(_("retirée le"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # True for the demo history (load_alerts_demo): invented, not issued.
    synthetic = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("alerte")
        ordering = ["-issued_at"]
        constraints = [
            models.CheckConstraint(
                name="alert_valid_after_issue",
                condition=Q(valid_until__gt=F("issued_at")),
                violation_error_message=_("La fin de validité suit l'émission."),
            ),
            not_before(
                "withdrawn_at",
                "issued_at",
                name="alert_withdrawn_after_issue",
                message=_("Le retrait suit l'émission."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Acknowledgement(models.Model):
    """A member of staff has seen the alert: once per person and alert."""

    audit_type: ClassVar[str] = "alert_acknowledgement"

    alert = models.ForeignKey(Alert, on_delete=models.PROTECT, related_name="acknowledgements")
    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("vue le"))
    # Where it was acknowledged: "desk", "room", "outreach", "where", "phone", "page".
    channel = models.CharField(_("où"), max_length=12, blank=True)

    class Meta:
        verbose_name = _("prise de connaissance")
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "user"],
                name="alert_acknowledged_once_per_user",
                violation_error_message=_("Alerte déjà vue."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.alert_id}:{self.user_id}"

    @property
    def audit_id(self) -> str:
        return f"{self.alert.public_id}:{self.user_id}"
