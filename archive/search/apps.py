from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "archive.search"
    verbose_name = "Search"
