from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.conf import settings


class SearchConfig(AppConfig):
    name = "archive.search"
    verbose_name = _("Search")

    def ready(self):
        from archive.search import analysis

        analysis.CACHE_DIR = settings.DATA_DIR  # jieba's cache beside the index, not in /tmp
