"""Date the booths that exist: each active booth is in service from its site's opening (the day
it first became operational, else its first status date, else the day the site was registered).
A booth already withdrawn gets no period: when it served is not known, and the reports never
counted it before either."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.db import migrations

PARIS = ZoneInfo("Europe/Paris")


def _opening(apps: Any, site: Any) -> Any:
    changes = apps.get_model("network", "StatusChange").objects.filter(site=site)
    changes = changes.order_by("effective_on", "pk")
    opened = changes.filter(to_status="operational").first() or changes.first()
    return opened.effective_on if opened is not None else site.created_at.astimezone(PARIS).date()


def date_booths(apps: Any, schema_editor: Any) -> None:
    Booth = apps.get_model("consumption", "Booth")
    Period = apps.get_model("consumption", "BoothServicePeriod")
    Site = apps.get_model("network", "Site")
    for site in Site.objects.filter(pk__in=Booth.objects.values("site_id")):
        start = _opening(apps, site)
        Period.objects.bulk_create(
            Period(booth=booth, start=start)
            for booth in Booth.objects.filter(site=site, is_active=True).exclude(
                service_periods__isnull=False
            )
        )


def undate_booths(apps: Any, schema_editor: Any) -> None:
    apps.get_model("consumption", "BoothServicePeriod").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("consumption", "0006_booth_service_periods"),
        ("network", "0002_site_publication"),
    ]

    operations = [migrations.RunPython(date_booths, undate_booths)]
