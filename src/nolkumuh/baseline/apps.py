from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _summaries_after_migrate(**kwargs: Any) -> None:
    """An existing database that has records but no stored figures yet (upgrading to the version
    that brought them, ADR 0011) gets them built once, right after its migration; rows counted
    under an older version of a ruleset are made again."""
    from nolkumuh.baseline import summaries
    from nolkumuh.baseline.models import RegionSummary, RtRecord

    using = kwargs.get("using", "default")
    if RtRecord.objects.using(using).exists() and not RegionSummary.objects.using(using).exists():
        summaries.rebuild()
    elif stale := summaries.stale_rounds():  # a ruleset's data changed with this version
        summaries.refresh_rounds(stale)


class BaselineConfig(AppConfig):
    name = "nolkumuh.baseline"
    label = "baseline"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(_summaries_after_migrate, sender=self)
