"""Site-wide views that belong to no section."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from archive.search.backend import search_backend
from archive.search.models import PendingUpdate


@require_GET
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: 503 when the database is unreachable
    (this host cannot serve); "degraded" with 200 when only search is, since
    every page but search still works."""
    checks: dict[str, dict] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = {"status": "ok", "vendor": connection.vendor}
    except Exception as error:
        checks["database"] = {"status": "error", "error": str(error)}
        return JsonResponse({"status": "error", "checks": checks}, status=503)
    try:
        oldest = PendingUpdate.objects.order_by("queued").values_list("queued", flat=True).first()
        checks["search"] = {
            "status": "ok",
            "documents": search_backend().document_count(),
            "pending_updates": PendingUpdate.objects.count(),
            "oldest_pending_seconds": round((timezone.now() - oldest).total_seconds(), 1) if oldest else None,
        }
    except Exception as error:
        checks["search"] = {"status": "error", "error": str(error)}
    status = "ok" if all(check["status"] == "ok" for check in checks.values()) else "degraded"
    return JsonResponse({"status": status, "checks": checks})


FAVICON = (settings.BASE_DIR / "static" / "favicon.svg").read_bytes()


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers ask for whatever the page links: the SVG icon."""
    return HttpResponse(FAVICON, content_type="image/svg+xml")

