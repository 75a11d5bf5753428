from django.apps import AppConfig
from django.conf import settings


class SearchConfig(AppConfig):
    name = "archive.search"
    verbose_name = "Search"

    def ready(self):
        from archive.search import analysis

        analysis.CACHE_DIR = settings.DATA_DIR  # jieba's cache beside the index, not in /tmp
