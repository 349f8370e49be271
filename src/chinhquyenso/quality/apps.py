from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


def check_766_weights(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """``cqs check`` (and every management command that runs checks) names a CQS_766_WEIGHTS that does not add up."""
    from chinhquyenso.quality.indicators import indicators

    try:
        indicators()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="quality.E001")]
    return []


class QualityConfig(AppConfig):
    name = "chinhquyenso.quality"
    label = "quality"
    verbose_name = "Chỉ số 766"

    def ready(self) -> None:
        checks.register(check_766_weights)
