from django.urls import path, re_path

from archive.interviews import api

app_name = "api"

urlpatterns = [
    path("articles/", api.articles, name="articles"),
    path("articles/<slug:slug>/", api.article_detail, name="article"),
    path("speakers/", api.speakers, name="speakers"),
    path("search/", api.search, name="search"),
    path("schema/", api.schema, name="schema"),
    re_path(r"^(?P<path>.*)$", api.not_found),
]
