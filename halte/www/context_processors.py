from __future__ import annotations

from django.http import HttpRequest

from halte.accounts.permissions import client_site_ids, network_roles
from halte.network.models import Site


def navigation(request: HttpRequest) -> dict[str, object]:
    """What the header needs: the user's roles, shown so staff know which hat they wear."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_roles": [], "nav_network": False, "nav_desk": None}
    roles = sorted({m.get_role_display() for m in user.memberships.filter(is_active=True)})
    desk_ids = client_site_ids(user)
    desk = Site.objects.filter(pk__in=desk_ids).order_by("name").first() if desk_ids else None
    return {"nav_roles": roles, "nav_network": bool(network_roles(user)), "nav_desk": desk}
