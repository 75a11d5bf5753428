from django.contrib import admin
from django.urls import include, path

from archive.search import views as search_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("archive.interviews.api_urls")),
    path("search/", search_views.search, name="search"),
    path("", include("archive.interviews.urls")),
]
