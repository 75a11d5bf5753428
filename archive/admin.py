"""The admin site, under the archive's own name in the reader's language,
with sign-in attempts rate-limited.

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
from django.utils.translation import gettext_lazy, gettext_noop


# Strings the admin shows that Django 5.2's or django-reversion's Chinese
# catalogs lack (the app list's column headings, which screen readers read,
# the sign-in page's reminders, names in the permissions list): marked here
# so that makemessages keeps them in ours, which Django reads before theirs.
# The admin's script strings Django lacks are in
# locale/zh_Hans/LC_MESSAGES/djangojs.po, kept by hand.
CATALOG_GAPS = (
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("Error:"),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("In case you’ve forgotten, you are:"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("Reversion"),
    gettext_noop("revision"),
    gettext_noop("Sessions"),
    gettext_noop("session"),
)


class ArchiveAdminSite(AdminSite):
    site_header = gettext_lazy("AI Interview Archive: back office")
    site_title = gettext_lazy("AI Interview Archive back office")

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

    def ready(self):
        super().ready()  # discovers every app's admin, auth's users and groups among them
        from django.contrib.auth.admin import GroupAdmin, UserAdmin
        from django.contrib.auth.models import Group, User

        for model, model_admin in ((User, UserAdmin), (Group, GroupAdmin)):
            self.module.site.unregister(model)
            self.module.site.register(model, type(model_admin.__name__, (PermissionsInReadersLanguage, model_admin), {}))


# Django stores a permission's name in English when it is made ("Can add
# interview") and never translates it; the four it makes for every model
# are named again here, in the reader's language.
PERMISSION_NAMES = {
    "add": gettext_lazy("Can add %(model)s"),
    "change": gettext_lazy("Can change %(model)s"),
    "delete": gettext_lazy("Can delete %(model)s"),
    "view": gettext_lazy("Can view %(model)s"),
}


def permission_label(permission) -> str:
    """app | model | what it allows, all in the reader's language."""
    action, _, model_name = permission.codename.partition("_")
    model = permission.content_type.model_class()
    if action not in PERMISSION_NAMES or model is None or model_name != permission.content_type.model:
        return str(permission)  # a permission an app named itself
    return f"{permission.content_type} | {PERMISSION_NAMES[action] % {'model': model._meta.verbose_name}}"


class PermissionsInReadersLanguage:
    """A user's or a group's permissions, listed by ``permission_label``."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request=request, **kwargs)
        if db_field.name in ("permissions", "user_permissions"):
            field.queryset = field.queryset.select_related("content_type")
            field.label_from_instance = permission_label
        return field


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
