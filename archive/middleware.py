"""Site-wide request handling: an access log line per request, a bound on
request bodies, and the Content-Security-Policy header (Django 5.2 has none
of its own)."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _

access = logging.getLogger("archive.requests")


class RequestLog:
    """One structured record per request: method, path, status, duration."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        access.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "bytes": len(response.content) if not response.streaming else None,
            },
        )
        return response


class ContentSecurityPolicy:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class RequestSizeLimit:
    """Refuse a body larger than UPLOAD_MAX_BYTES from its Content-Length,
    before anything (the CSRF check included) reads it to disk."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.UPLOAD_MAX_BYTES:
            message = _("The request is %(size)s bytes; uploads are limited to %(limit)s bytes at a time.") % {
                "size": f"{length:,}", "limit": f"{settings.UPLOAD_MAX_BYTES:,}"}
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
