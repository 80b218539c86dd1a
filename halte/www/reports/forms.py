"""Forms of the report screens: every choice is coded, every date checked, and the period fixed for
masked figures (``halte.reports.periods``)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from halte.accounts.models import User
from halte.core.errors import DomainError
from halte.core.timeutils import local_today
from halte.network.models import Authorisation, Site
from halte.reports.enums import ExportFormat, Framework
from halte.reports.periods import last_closed_year
from halte.reports.permissions import must_suppress

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise
from halte.reports.selectors import check_period

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _site_field(
    sites: QuerySet[Site], *, required: bool, empty_label: StrOrPromise | None = None
) -> forms.ModelChoiceField[Site]:
    return forms.ModelChoiceField(
        queryset=sites,
        to_field_name="public_id",
        required=required,
        label=_("Site"),
        empty_label=(empty_label or _("— réseau entier —")) if not required else None,
    )


class PeriodMixin(forms.Form):
    """A period; for whoever reads masked figures, a whole month, quarter or year that is over."""

    start = forms.DateField(label=_("Du"), widget=DATE)
    end = forms.DateField(label=_("Au (inclus)"), widget=DATE)

    def __init__(self, *args: Any, user: User | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def masked(self) -> bool:
        """Whether the figures asked for are masked (``must_suppress``: the one rule)."""
        external = bool(self.cleaned_data.get("external")) if "external" in self.fields else False
        return must_suppress(self.user, external=external)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end"):
            try:
                check_period(data["start"], data["end"], masked=self.masked())
            except DomainError as exc:
                self.add_error(exc.field if exc.field in self.fields else None, exc.message)
        return data


class ReportForm(PeriodMixin):
    """A framework for one site, one authorisation (its places) or, for the network roles, the
    whole network (neither chosen)."""

    framework = forms.ChoiceField(label=_("Rapport"), choices=Framework.choices)
    site = forms.ModelChoiceField(queryset=Site.objects.none())
    authorisation = forms.ChoiceField(
        label=_("ou une autorisation (n° FINESS)"), required=False, choices=()
    )
    external = forms.BooleanField(
        label=_("Destiné à sortir du réseau (petits effectifs masqués)"), required=False
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=[("", _("Écran")), *ExportFormat.choices], required=False
    )

    def __init__(
        self,
        *args: Any,
        sites: QuerySet[Site],
        network: bool,
        authorisations: list[Authorisation] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.network = network
        chosen = authorisations or []
        if network or not chosen:
            self.fields["site"] = _site_field(sites, required=not network)
        else:
            # A site's own staff: their site first, the blank only to choose an authorisation.
            self.fields["site"] = _site_field(
                sites, required=False, empty_label=_("— aucun (une autorisation ci-dessous) —")
            )
            first = sites.first()
            self.fields["site"].initial = first.public_id if first else None
        field = self.fields["authorisation"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("— aucune —")), *((a.finess, str(a)) for a in chosen)]
        if not chosen:
            del self.fields["authorisation"]
        fields = ["framework", "site", "authorisation", "start", "end", "external", "format"]
        self.order_fields([f for f in fields if f in self.fields])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("site") and data.get("authorisation"):
            self.add_error(
                "authorisation", _("Choisissez un site ou une autorisation, pas les deux.")
            )
        elif not (data.get("site") or data.get("authorisation") or self.network) and (
            "site" not in self.errors
        ):
            self.add_error("site", _("Choisissez un site ou une autorisation."))
        return data


class MonthForm(forms.Form):
    month = forms.DateField(
        label=_("Mois"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Année"), min_value=2000, max_value=2100)


class CompareForm(PeriodMixin):
    sites = forms.ModelMultipleChoiceField(
        queryset=Site.objects.none(),
        to_field_name="public_id",
        label=_("Sites à comparer"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, sites: QuerySet[Site], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["sites"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = sites
        self.order_fields(["sites", "start", "end"])

    def clean_sites(self) -> QuerySet[Site]:
        chosen: QuerySet[Site] = self.cleaned_data["sites"]
        if not 2 <= chosen.count() <= 6:
            raise forms.ValidationError(_("Choisissez de 2 à 6 sites."))
        return chosen


class HoursChangeForm(forms.Form):
    change = forms.DateField(label=_("Date du changement d'horaires"), widget=DATE)
    days = forms.IntegerField(
        label=_("Jours comparés avant et après"), min_value=7, max_value=365, initial=28
    )


def default_period(*, masked: bool) -> tuple[dt.date, dt.date]:
    """The current year to date: the report a manager prepares and updates through the year; for
    masked figures, which need a period that is over, last year."""
    today = local_today()
    if masked:
        year = last_closed_year(today)
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    return dt.date(today.year, 1, 1), today
