"""The bridge from writes to the page cache: the one place where a change reaches it.

Model signals (``post_save``, ``post_delete``, ``m2m_changed``) of every row are turned into
``strategyhub.signals.data_changed`` (one per agency the row belongs to, and one for the
person whose header it shows), and the one receiver of ``data_changed`` here bumps the page
cache's versions. Domain code that writes without model signals sends ``data_changed``
itself through ``strategyhub.signals.changed`` / ``person_changed``. Connected by
:func:`connect`, called from ``StrategyHubConfig.ready()``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django_scopes import scopes_disabled  # type: ignore[import-untyped]  # ships no type hints

from strategyhub import signals
from strategyhub.caching import pages


def on_data_changed(
    sender: Any,
    *,
    organization_id: int | None = None,
    kind: str = "",
    ids: tuple[int, ...] = (),
    person_id: int | None = None,
    **kwargs: Any,
) -> None:
    """Receiver of ``data_changed``: the cached pages showing the changed rows go stale."""
    if organization_id is not None:
        pages.changed(organization_id)
    if person_id is not None:
        pages.person_changed(person_id)


# --- Model signals as data_changed ----------------------------------------------------------


def _organizations_of(sender: type[Model], instance: Model) -> set[int]:
    from strategyhub.models import Organization, User

    if isinstance(instance, Organization):
        return {instance.pk}
    organization_id = getattr(instance, "organization_id", None)
    if organization_id is not None:
        return {organization_id}
    with scopes_disabled():
        if isinstance(instance, User):
            return set(instance.memberships.values_list("organization_id", flat=True))
        if sender._meta.app_label == "guardian":
            target = getattr(instance, "content_object", None)
            target_organization_id = getattr(target, "organization_id", None)
            return set() if target_organization_id is None else {target_organization_id}
    return set()


def _person_of(instance: Model) -> int | None:
    from strategyhub.models import Membership, User

    if isinstance(instance, User):
        return instance.pk
    if isinstance(instance, Membership):
        return instance.user_id
    return None


def _announce(sender: type[Model], instance: Model) -> None:
    """Send ``data_changed`` for a saved or deleted row: per agency it belongs to (once with
    no agency when it belongs to none), and for the person it concerns."""
    kind = sender._meta.label
    ids = () if instance.pk is None else (instance.pk,)
    organization_ids: Iterable[int | None] = _organizations_of(sender, instance) or [None]
    for organization_id in organization_ids:
        signals.changed(organization_id, kind, ids)
    person = _person_of(instance)
    if person is not None:
        signals.person_changed(person, kind, ids)


def _ignored(sender: type[Model]) -> bool:
    """Sessions change nothing anyone sees; an audit (history) row is written with the row
    it records, whose own signal counts."""
    return sender._meta.app_label == "sessions" or hasattr(sender, "instance_type")


def _on_save(
    sender: type[Model],
    instance: Model,
    raw: bool = False,
    update_fields: frozenset[str] | None = None,
    **kwargs: Any,
) -> None:
    if raw or not pages.enabled() or _ignored(sender):
        return
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # signing in changes nothing anyone sees
    _announce(sender, instance)


def _on_delete(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if pages.enabled() and not _ignored(sender):
        _announce(sender, instance)


def _on_m2m(
    sender: type[Model], instance: Model, action: str, pk_set: set[int] | None = None, **kwargs: Any
) -> None:
    """A many-to-many change counts for the agencies of the row whose set changed (the kind
    is the link table's)."""
    if not pages.enabled() or action not in {"post_add", "post_remove", "post_clear"}:
        return
    kind, ids = sender._meta.label, tuple(pk_set or ())
    for organization_id in _organizations_of(type(instance), instance):
        signals.changed(organization_id, kind, ids)


def connect() -> None:
    """Connect the bridge (from ``StrategyHubConfig.ready()``)."""
    signals.data_changed.connect(on_data_changed, dispatch_uid="pagecache-data-changed")
    post_save.connect(_on_save, dispatch_uid="pagecache-save")
    post_delete.connect(_on_delete, dispatch_uid="pagecache-delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="pagecache-m2m")
