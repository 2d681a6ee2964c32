from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "nolkumuh.planning"
    label = "planning"
    default_auto_field = "django.db.models.BigAutoField"
