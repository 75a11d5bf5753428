from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "archive.interviews"
    verbose_name = "Interviews"
