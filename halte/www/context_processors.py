from __future__ import annotations

from django.http import HttpRequest

from halte.accounts.permissions import network_roles


def navigation(request: HttpRequest) -> dict[str, object]:
    """What the header needs: the user's roles, shown so staff know which hat they wear."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_roles": [], "nav_network": False}
    roles = sorted({m.get_role_display() for m in user.memberships.filter(is_active=True)})
    return {"nav_roles": roles, "nav_network": bool(network_roles(user))}
