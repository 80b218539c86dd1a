"""The alert banner: the alerts in force for the signed-in member of staff that they have not
acknowledged yet, on the screens where people are met (front desk, room, outreach, where-to-go)."""

from __future__ import annotations

from typing import Any

from django import template

from halte.accounts.models import User
from halte.alerts.models import Alert
from halte.alerts.selectors import staff_label, unacknowledged_for

register = template.Library()

# (namespace, url name) → the channel recorded with an acknowledgement made from that screen.
SCREENS = {
    ("www", "reception"): "desk",
    ("www", "room"): "room",
    ("www", "door"): "room",
    ("outreach", "home"): "outreach",
    ("outreach", "round"): "outreach",
    ("outreach", "where"): "where",
}


def screen_channel(context: Any) -> str:
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    return SCREENS.get((match.namespace, match.url_name), "")


@register.simple_tag(takes_context=True)
def current_alerts(context: Any) -> list[Alert]:
    """Unacknowledged alerts for the user on a front-line screen; nothing elsewhere (no query)."""
    if not screen_channel(context):
        return []
    request = context["request"]
    return unacknowledged_for(request.user)


@register.simple_tag(takes_context=True)
def alert_channel(context: Any) -> str:
    return screen_channel(context)


@register.filter
def staff(user: User) -> str:
    """``{{ user|staff }}``: the member of staff's name and roles (``staff_label``)."""
    return staff_label(user)
