from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterviewsConfig(AppConfig):
    name = "archive.interviews"
    verbose_name = _("Archive")

    def ready(self):
        from archive.interviews import history, signals  # noqa: F401  (connects the receivers, registers versioning)
