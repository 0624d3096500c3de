"""django-simple-history's ``history`` manager with its class built once per model.

The library's descriptor builds the manager's class afresh on every access
(``HistoryManager.from_queryset(HistoricalQuerySet)``, which walks the queryset's methods
with ``inspect.getmembers``), and every save of a tracked model reads it to write the
historical row: two saves of a check-in's POST spent ~0.8 ms of ~30 building the same two
classes (issue 17, docs/performance.md). :func:`build_history_managers_once` (called from
``StrategyHubConfig.ready``, when every model is loaded) gives each tracked model a
descriptor that builds the class once and makes a manager per access from it, as the
library's does: the managers behave the same, only the class is shared.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from simple_history.manager import HistoryDescriptor  # type: ignore[import-untyped]


class _ClassBuiltOnce(HistoryDescriptor):  # type: ignore[misc]
    def __init__(self, descriptor: HistoryDescriptor) -> None:
        super().__init__(
            descriptor.model, manager=descriptor.manager_class, queryset=descriptor.queryset_class
        )
        self.built = self.manager_class.from_queryset(self.queryset_class)

    def __get__(self, instance: Any, owner: Any) -> Any:
        return self.built(self.model, instance)


def build_history_managers_once() -> None:
    """Replace the ``history`` descriptor of every tracked model (see the module)."""
    for model in apps.get_models():
        name = getattr(model._meta, "simple_history_manager_attribute", None)
        descriptor = model.__dict__.get(name) if name else None
        if type(descriptor) is HistoryDescriptor:
            setattr(model, name, _ClassBuiltOnce(descriptor))
