from __future__ import annotations

from django.db import connection
from django.http import HttpRequest
from ninja import Router, Schema, Status

router = Router(tags=["santé"])


class HealthOut(Schema):
    status: str
    database: str


class HealthError(Schema):
    error: dict[str, object]


@router.get("/health", auth=None, response={200: HealthOut, 503: HealthError})
def health(request: HttpRequest) -> Status[dict[str, object]]:
    """200 when the database answers; 503 otherwise. No authentication."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return Status(
            503,
            {
                "error": {
                    "code": "unavailable",
                    "message": "Base de données injoignable.",
                    "details": [],
                }
            },
        )
    return Status(200, {"status": "ok", "database": connection.vendor})
