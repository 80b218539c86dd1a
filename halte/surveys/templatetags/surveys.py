"""The front desk's reminder on a person's page: a survey week in progress at the user's site, and
whether this person has answered."""

from __future__ import annotations

from typing import Any

from django import template

from halte.clients.models import Client
from halte.surveys.selectors import Reminder, reminders_for

register = template.Library()


@register.simple_tag(takes_context=True)
def survey_reminders(context: Any, client: Client) -> list[Reminder]:
    request = context.get("request")
    if request is None:
        return []
    return reminders_for(request.user, client)
