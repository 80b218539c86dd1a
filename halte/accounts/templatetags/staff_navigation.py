"""The header's tabs: ``{% staff_navigation as nav %}`` gives what the user's roles open."""

from __future__ import annotations

from typing import Any

from django import template

from halte.accounts.navigation import EMPTY, Navigation, navigation_for

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_navigation(context: dict[str, Any]) -> Navigation:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return EMPTY
    # Once per request, however many times the page asks.
    cached: Navigation | None = getattr(request, "_staff_navigation", None)
    if cached is None:
        cached = navigation_for(user)
        setattr(request, "_staff_navigation", cached)  # noqa: B010 - a per-request cache
    return cached
