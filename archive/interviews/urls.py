from django.urls import path

from archive.interviews import views

app_name = "interviews"

urlpatterns = [
    path("", views.home, name="home"),
    path("t/<int:number>/", views.turn, name="turn"),
    path("interviews/<slug:slug>/", views.article, name="article"),
    path("interviews/<slug:slug>/<int:seq>/", views.legacy_turn, name="legacy_turn"),
    path("speakers/<slug:slug>/", views.speaker, name="speaker"),
    path("outlets/<slug:slug>/", views.outlet, name="outlet"),
]
