from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.conf import settings


class SearchConfig(AppConfig):
    name = "archive.search"
    verbose_name = _("Search")

    def ready(self):
        from archive.interviews.signals import articles_changed
        from archive.search import analysis, indexing

        analysis.CACHE_DIR = settings.DATA_DIR  # jieba's cache beside the index, not in /tmp
        # The one place index updates come from: every write to an article's data.
        articles_changed.connect(indexing.on_articles_changed, dispatch_uid="search-index-follows-the-data")
