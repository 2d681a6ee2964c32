from django.apps import AppConfig


class BaselineConfig(AppConfig):
    name = "nolkumuh.baseline"
    label = "baseline"
    default_auto_field = "django.db.models.BigAutoField"
