"""The RECAP page: choose a CSAPA place (or a CSAPA authorisation) and a year, read the counts,
download the per-person file. Who sees what is ``halte.reports.recap``'s rule: the places' manager
and the coordination get exact counts and the file (each download audited); an evaluator gets the
counts masked, for a year that is over, and never the file; anyone else a 404."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from halte.core.errors import DomainError
from halte.core.timeutils import local_today
from halte.network.enums import AuthorisationKind, SiteKind
from halte.network.models import Authorisation, Site
from halte.reports import recap
from halte.reports.selectors import report_sites_for_user
from halte.www.shortcuts import staff


def _choices(request: HttpRequest) -> tuple[list[Site], list[Authorisation]]:
    """The CSAPA places and CSAPA authorisations whose RECAP counts the user may read."""
    user = staff(request)
    sites = [
        site
        for site in report_sites_for_user(user).filter(kind=SiteKind.CSAPA)
        if recap.can_see_recap_counts(user, [site])
    ]
    authorisations = [
        a
        for a in Authorisation.objects.filter(kind=AuthorisationKind.CSAPA)
        .prefetch_related("sites")
        .order_by("label")
        if (places := [s for s in a.sites.all() if s.kind == SiteKind.CSAPA])
        and recap.can_see_recap_counts(user, places)
    ]
    return sites, authorisations


class RecapForm(forms.Form):
    place = forms.ChoiceField(label=gettext_lazy("Lieu ou autorisation"))
    year = forms.IntegerField(label=gettext_lazy("Année"), min_value=recap.EARLIEST_YEAR)
    format = forms.ChoiceField(
        label=gettext_lazy("Format"), choices=[("csv", "CSV"), ("xlsx", "XLSX")], required=False
    )

    def __init__(
        self, *args: Any, sites: list[Site], authorisations: list[Authorisation], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.sites = {f"site:{s.public_id}": s for s in sites}
        self.authorisations = {f"finess:{a.finess}": a for a in authorisations}
        choices = [(k, s.name) for k, s in self.sites.items()] + [
            (k, f"{a.label} — FINESS {a.finess}") for k, a in self.authorisations.items()
        ]
        self.fields["place"].choices = choices  # type: ignore[attr-defined]

    def scope(self) -> recap.RecapScope:
        place, year = self.cleaned_data["place"], self.cleaned_data["year"]
        if place in self.sites:
            return recap.site_scope(self.sites[place], year)
        return recap.authorisation_scope(self.authorisations[place], year)


def _form(request: HttpRequest) -> RecapForm:
    sites, authorisations = _choices(request)
    if not sites and not authorisations:
        raise Http404(_("Introuvable."))
    today = local_today()
    data = request.GET if "place" in request.GET else None
    return RecapForm(
        data,
        sites=sites,
        authorisations=authorisations,
        initial={"year": today.year - 1, "format": "xlsx"},
    )


@require_safe
def recap_page(request: HttpRequest) -> HttpResponse:
    """Choose the place and the year; the counts (masked for an evaluator) and the download."""
    form = _form(request)
    summary = None
    scope = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                scope = form.scope()
                summary = recap.recap_summary(user=staff(request), scope=scope)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else "place", exc.message)
                scope = None
        if form.errors:
            status = 422
    return render(
        request,
        "reports/recap/index.html",
        {"form": form, "summary": summary, "scope": scope},
        status=status,
    )


@require_safe
def recap_download(request: HttpRequest) -> HttpResponse:
    """The per-person file (CSV or XLSX) for the manager or the coordination; audited."""
    form = _form(request)
    if not form.is_valid():
        return render(
            request,
            "reports/recap/index.html",
            {"form": form, "summary": None, "scope": None},
            status=422,
        )
    fmt = form.cleaned_data["format"] or "xlsx"
    try:
        scope = form.scope()
        body = recap.recap_export(actor=staff(request), scope=scope, fmt=fmt)
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else "place", exc.message)
        return render(
            request,
            "reports/recap/index.html",
            {"form": form, "summary": None, "scope": None},
            status=422,
        )
    response = HttpResponse(body, content_type=recap.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{recap.filename(scope, fmt)}"'
    return response
