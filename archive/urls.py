from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from archive import views
from archive.interviews.feeds import SITEMAPS, NewInterviews
from archive.search import views as search_views
from archive.search.feeds import SearchFeed

urlpatterns = [
    path("healthz", views.health, name="health"),
    path("admin/", admin.site.urls),
    path("api/", include("archive.interviews.api_urls")),
    path("search/", search_views.search, name="search"),
    path("search/feed/", SearchFeed(), name="search_feed"),
    path("feed/", NewInterviews(), name="feed"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("archive.interviews.urls")),
]
