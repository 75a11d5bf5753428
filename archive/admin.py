"""The admin site, with sign-in attempts rate-limited.

Failures are counted in the cache (the database table ``archive_cache``, so
every web process and host sees the same counts) per client address and per
user name: guessing one account's password from many addresses is stopped as
surely as one address trying many accounts.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _


class ArchiveAdminSite(AdminSite):
    def login(self, request: HttpRequest, extra_context=None):
        if request.method == "POST" and signins_blocked(request, request.POST.get("username", "")):
            minutes = -(-settings.LOGIN_FAILURE_WINDOW_SECONDS // 60)
            message = _("Too many failed sign-ins. Try again in %(minutes)s minutes.") % {"minutes": minutes}
            context = {**self.each_context(request), "title": _("Log in"), "message": message}
            response = TemplateResponse(request, "admin/signin_blocked.html", context, status=429)
            response["Retry-After"] = str(settings.LOGIN_FAILURE_WINDOW_SECONDS)
            return response
        return super().login(request, extra_context)


class ArchiveAdminConfig(AdminConfig):
    default_site = "archive.admin.ArchiveAdminSite"


def _keys(request: HttpRequest | None, username: str) -> list[str]:
    keys = [f"signin-failures:user:{hashlib.sha256(username.lower().encode()).hexdigest()}"]
    if request is not None:
        keys.append(f"signin-failures:addr:{request.META.get('REMOTE_ADDR', '')}")
    return keys


def signins_blocked(request: HttpRequest, username: str) -> bool:
    counts = cache.get_many(_keys(request, username)).values()
    return any(count >= settings.LOGIN_FAILURES_ALLOWED for count in counts)


@receiver(user_login_failed)
def count_failure(sender, credentials, request=None, **kwargs):
    for key in _keys(request, credentials.get("username", "")):
        if not cache.add(key, 1, settings.LOGIN_FAILURE_WINDOW_SECONDS):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, settings.LOGIN_FAILURE_WINDOW_SECONDS)


@receiver(user_logged_in)
def forget_failures(sender, request, user, **kwargs):
    cache.delete(_keys(None, user.get_username())[0])
