"""The processing stages each stored item goes through, in order.

Classification, the alignment index and alerts register here as they are built; the
queue in ``service.pipeline.service`` guarantees every item reaches them once stored.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from service.alerts.service import AlertProcessor
from service.classify.engine import get_classifier
from service.classify.service import ClassifyProcessor, Pair
from service.config import Settings
from service.index.service import IndexProcessor
from service.pipeline.service import ItemProcessor


def default_processors(settings: Settings, pairs: Callable[[], Sequence[Pair]]) -> list[ItemProcessor]:
    """The stages for this configuration, in the order they must run."""
    return [
        ClassifyProcessor(get_classifier(settings.classifier), pairs),
        IndexProcessor(settings, pairs),
        AlertProcessor(settings, pairs),
    ]
