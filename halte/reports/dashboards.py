"""The dashboards: a site's month, the network's year, sites side by side, and before/after a
change of opening hours. Each returns plain data (figures already masked when asked, and charts as
geometry) for a template to print."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from halte.core.timeutils import local_today
from halte.network.hours import weekly_open_hours
from halte.network.models import Site, WeeklyHours
from halte.network.selectors import site_opened_on, site_spans
from halte.reports.charts import Chart, bar_chart, hbar_chart
from halte.reports.frameworks import evaluate
from halte.reports.indicators import REGISTRY, Area, Scope
from halte.reports.indicators.room import saturation_by_hour
from halte.reports.presentation import Shown, format_number, present_line
from halte.reports.router import reading_replica
from halte.reports.series import arrivals_by_hour, daily_visits, monthly_visits
from halte.reports.suppression import published_count

MONTH_FIGURES = (
    "file_active",
    "new_people",
    "share_women",
    "visits",
    "visits_per_day",
    "visits_peak_day",
    "sessions",
    "booth_occupancy",
    "overdoses",
)
YEAR_FIGURES = (
    "file_active",
    "new_people",
    "visits",
    "sessions",
    "overdoses",
    "bed_nights",
    "outreach_contacts",
    "cost_per_visit",
)
COMPARED = (
    "file_active",
    "share_women",
    "median_age",
    "visits",
    "visits_per_day",
    "sessions",
    "booth_occupancy",
    "overdoses_per_1000",
    "hours_per_week",
    "cost_per_visit",
)
BEFORE_AFTER = (
    "visits_per_day",
    "file_active",
    "new_people",
    "sessions_per_day",
    "booth_occupancy",
    "share_women",
)
HOURS = [f"{h:02d}h" for h in range(24)]


@dataclass
class Board:
    title: str
    figures: list[Shown] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    table: list[tuple[str, list[str]]] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def figures(
    codes: tuple[str, ...], scope: Scope, *, suppressed: bool, fixed_period: bool = True
) -> list[Shown]:
    results = evaluate(list(codes), scope)
    return [
        present_line(REGISTRY[c], results[c], suppressed=suppressed, fixed_period=fixed_period)
        for c in codes
    ]


def site_month(scope: Scope, *, suppressed: bool) -> Board:
    with reading_replica():  # one block: figures read several times are read once
        return _site_month(scope, suppressed=suppressed)


def _site_month(scope: Scope, *, suppressed: bool) -> Board:
    board = Board(title=f"{scope.label} · {date_format(scope.start, 'F Y')}")
    board.figures = figures(MONTH_FIGURES, scope, suppressed=suppressed)
    days = daily_visits(scope)
    board.charts.append(
        bar_chart(
            _("Passages par jour"),
            [f"{d.day}" for d, _n in days],
            [(_("Passages"), [float(n) for _d, n in days])],
            description=_("Nombre de passages chaque jour du mois."),
            label_every=2,
        )
    )
    board.charts.append(
        bar_chart(
            _("Arrivées par heure (moyenne par jour)"),
            HOURS,
            [(_("Arrivées"), arrivals_by_hour(scope))],
            description=_("Arrivées moyennes par jour d'ouverture, selon l'heure d'arrivée."),
            decimals=1,
            label_every=2,
        )
    )
    board.charts.append(saturation_chart(scope))
    products = figures(("sessions_by_product",), scope, suppressed=suppressed)[0]
    if products.cells:
        board.charts.append(
            bar_chart(
                _("Consommations par produit déclaré"),
                [c.label for c in products.cells],
                [
                    (
                        _("Sessions"),
                        [c.number if c.number is None else float(c.number) for c in products.cells],
                    )
                ],
            )
        )
    return board


def saturation_chart(scope: Scope) -> Chart:
    """People turned away because full and people kept waiting for a booth, per hour of the day
    over the period: events without a person, shown exactly (``reports.indicators.room``)."""
    full, waited = saturation_by_hour(scope)
    return bar_chart(
        _("Saturation par heure : refus faute de place et attentes"),
        HOURS,
        [
            (_("Refus (complet)"), [float(n) for n in full]),
            (_("Attentes d'un poste"), [float(n) for n in waited]),
        ],
        description=_(
            "Personnes refusées faute de place et personnes mises en attente d'un poste, selon "
            "l'heure (heure de Paris), sur toute la période."
        ),
        label_every=2,
    )


def _people_per_site(scope: Scope) -> list[tuple[Site, int]]:
    """Distinct people per site, in one grouped query on the roll-ups (halte.reports.rollups)."""
    from halte.reports.rollups import people_per_site
    from halte.reports.router import reading_replica

    with reading_replica() as alias:
        counts = people_per_site(scope)
        sites = Site.objects.using(alias).filter(pk__in=list(counts)).order_by("name")
    return [(site, counts[site.pk]) for site in sites if counts[site.pk]]


def network_year(scope: Scope, *, suppressed: bool) -> Board:
    with reading_replica():  # one block: figures read several times are read once
        return _network_year(scope, suppressed=suppressed)


def _network_year(scope: Scope, *, suppressed: bool) -> Board:
    board = Board(title=_("Réseau · %(year)s") % {"year": scope.start.year})
    board.figures = figures(YEAR_FIGURES, scope, suppressed=suppressed)
    months = monthly_visits(scope)
    board.charts.append(
        bar_chart(
            _("Passages par mois"),
            # "N": janv., juin, juil. (not "M", which gives "Jui" for both June and July)
            [date_format(m, "N") for m, _n in months],
            [(_("Passages"), [float(n) for _m, n in months])],
        )
    )
    board.charts.append(saturation_chart(scope))
    people = _people_per_site(scope)
    shown = [_people_shown(n, suppressed=suppressed) for _s, n in people]
    board.charts.append(
        hbar_chart(
            _("File active par site"),
            [s.name for s, _n in people],
            shown,
            series=_("Personnes"),
            description=_(
                "Personnes distinctes par site ; le total du réseau n'est pas la somme des sites."
            ),
        )
    )
    return board


def _people_shown(n: int, *, suppressed: bool) -> float | None:
    if not suppressed:
        return float(n)
    published = published_count(n)
    return None if published is None else float(published)


def compare(sites: list[Site], start: dt.date, end: dt.date, *, suppressed: bool) -> Board:
    board = Board(title=_("Comparaison de sites"), columns=[s.name for s in sites])
    per = [
        figures(COMPARED, Scope((s.pk,), start, end, label=s.name), suppressed=suppressed)
        for s in sites
    ]
    for i, code in enumerate(COMPARED):
        indicator = REGISTRY[code]
        label = f"{indicator.label} ({indicator.unit})"
        board.table.append((label, [column[i].value for column in per]))
    visits = [column[COMPARED.index("visits_per_day")].number for column in per]
    board.charts.append(
        hbar_chart(
            _("Passages par jour (moyenne)"),
            [s.name for s in sites],
            [None if v is None else float(v) for v in visits],
            series=_("Passages par jour"),
            decimals=1,
        )
    )
    return board


def hours_change_dates(site: Site) -> list[dt.date]:
    """Dates on which the site's weekly hours changed (a new set of hours took effect)."""
    dates = sorted(set(WeeklyHours.objects.filter(site=site).values_list("valid_from", flat=True)))
    return dates[1:]


def hours_change(site: Site, change: dt.date, days: int, *, suppressed: bool) -> Board:
    """The same number of days before and after ``change`` (after: up to today)."""
    before = Scope(
        (site.pk,), change - dt.timedelta(days=days), change - dt.timedelta(days=1), label=site.name
    )
    after_end = min(change + dt.timedelta(days=days - 1), local_today())
    board = Board(
        title=_("%(site)s : avant et après le %(date)s")
        % {"site": site.name, "date": date_format(change, "j F Y")},
        columns=[_("Avant"), _("Après"), _("Écart")],
    )
    spans = site_spans(site)
    hours = (weekly_open_hours(spans, before.end), weekly_open_hours(spans, change))
    board.table.append(
        (
            _("Heures d'ouverture par semaine"),
            [format_number(hours[0], 1), format_number(hours[1], 1), _delta(hours[0], hours[1])],
        )
    )
    if after_end < change:
        board.notes.append(_("Le changement n'a pas encore pris effet : rien à comparer après."))
        return board
    after = Scope((site.pk,), change, after_end, label=site.name)
    if after.days < days:
        board.notes.append(
            ngettext(
                "Après le changement : %(n)s jour seulement à ce jour.",
                "Après le changement : %(n)s jours seulement à ce jour.",
                after.days,
            )
            % {"n": after.days}
        )
    if suppressed:
        board.notes.append(
            _(
                "Chiffres masqués : les effectifs de personnes ne sont publiés que pour un mois, "
                "un trimestre ou une année entiers ; ils sont masqués sur ces fenêtres libres."
            )
        )
    # The windows are free (any date, any number of days): people are not counted in them for a
    # masked audience, who would otherwise subtract two windows a day apart.
    shown_before = figures(BEFORE_AFTER, before, suppressed=suppressed, fixed_period=False)
    shown_after = figures(BEFORE_AFTER, after, suppressed=suppressed, fixed_period=False)
    for b, a in zip(shown_before, shown_after, strict=True):
        board.table.append(
            (f"{b.label} ({b.unit})", [b.value, a.value, _delta(b.number, a.number)])
        )
    board.charts.append(
        bar_chart(
            _("Arrivées par heure, moyenne par jour : avant et après"),
            HOURS,
            [(_("Avant"), arrivals_by_hour(before)), (_("Après"), arrivals_by_hour(after))],
            description=_(
                "Comparer les heures où les personnes arrivent avant et après le changement."
            ),
            decimals=1,
            label_every=2,
        )
    )
    return board


def _delta(before: float | int | None, after: float | int | None) -> str:
    if before is None or after is None:
        return "—"
    diff = float(after) - float(before)
    text = format_number(diff, 1)
    if before:
        text += f" ({100 * diff / float(before):+.0f} %)"
    return ("+" + text) if diff > 0 else text


# A site's surroundings before and after its opening or a change of its hours (the board of a
# site's surroundings, halte.www.neighbourhood.board): the same windows as ``hours_change``.
SURROUNDINGS_BEFORE_AFTER = (
    "pickups_items",
    "pickups_syringes",
    "neighbourhood_reports",
    "report_answer_hours",
    "public_consumption_seen",
    "gatherings_seen",
    "mediation_rounds",
)


def surroundings_changes(site: Site) -> list[tuple[dt.date, str]]:
    """The dates worth comparing around: the site's opening (it became operational) and each
    change of its weekly hours, latest first."""
    opened = site_opened_on(site)
    found = [(day, _("Changement d'horaires")) for day in hours_change_dates(site)]
    if opened is not None:
        found.append((opened, _("Ouverture du site")))
    return sorted(found, reverse=True)


def surroundings_change(
    site: Site, area: Area, change: dt.date, days: int, *, suppressed: bool
) -> Board:
    """The site's surroundings over two windows of the same length, just before and from
    ``change``: ``days`` each, or fewer when the change is recent (both cut to the days there are
    after it, so that the two sides count the same number of days)."""
    after_end = min(change + dt.timedelta(days=days - 1), local_today() - dt.timedelta(days=1))
    board = Board(
        title=_("Abords de %(site)s : avant et après le %(date)s")
        % {"site": site.name, "date": date_format(change, "j F Y")},
        columns=[_("Avant"), _("Après"), _("Écart")],
    )
    spans = site_spans(site)
    hours = (
        weekly_open_hours(spans, change - dt.timedelta(days=1)),
        weekly_open_hours(spans, change),
    )
    board.table.append(
        (
            _("Heures d'ouverture par semaine"),
            [format_number(hours[0], 1), format_number(hours[1], 1), _delta(hours[0], hours[1])],
        )
    )
    if after_end < change:
        board.notes.append(_("Le changement n'a pas encore pris effet : rien à comparer après."))
        return board
    length = (after_end - change).days + 1
    if length < days:
        board.notes.append(
            ngettext(
                "Fenêtres réduites à %(n)s jour de part et d'autre : le changement est récent.",
                "Fenêtres réduites à %(n)s jours de part et d'autre : le changement est récent.",
                length,
            )
            % {"n": length}
        )
    before = Scope(
        (site.pk,), change - dt.timedelta(days=length), change - dt.timedelta(days=1), area=area
    )
    after = Scope((site.pk,), change, after_end, area=area)
    shown_before = figures(SURROUNDINGS_BEFORE_AFTER, before, suppressed=suppressed)
    shown_after = figures(SURROUNDINGS_BEFORE_AFTER, after, suppressed=suppressed)
    for b, a in zip(shown_before, shown_after, strict=True):
        board.table.append(
            (f"{b.label} ({b.unit})", [b.value, a.value, _delta(b.number, a.number)])
        )
    return board
