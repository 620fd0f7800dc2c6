"""Keep old addresses working: when a public page's slug changes, its old address redirects to the new one.

Fixture loads (raw saves) never change a slug, since fixtures find their rows by slug, and bulk writes (seed_demo)
only create rows: both are left alone.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.db.models import Model
from django.db.models.signals import post_save, pre_save
from django.urls import reverse
from django.utils import translation

from permalinks.models import Redirect

# Every content type whose slug makes the address of a public page, with the URL names of those pages.
PAGES: dict[str, tuple[str, ...]] = {
    "poles.Pole": ("poles:pole-detail",),
    "poles.Organisation": ("poles:member-detail",),
    "events.Event": ("events:event-detail", "events:event-detail-calendar"),
    "events.Person": ("events:person-detail",),
    "policy.Phase": ("policy:phase-detail",),
    "policy.Report": ("policy:report-detail",),
}

_OLD_SLUG = "_permalinks_old_slug"


def page_paths(instance: Model, slug: str | None = None) -> list[str]:
    """The addresses of an object's public pages (with `slug`, where they were under that slug)."""
    return [reverse(name, args=[slug or instance.slug]) for name in PAGES[instance._meta.label]]


def remember_old_slug(sender, instance: Model, raw: bool = False, update_fields=None, **kwargs) -> None:
    if raw or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and "slug" not in update_fields:
        return
    old = sender._base_manager.filter(pk=instance.pk).values_list("slug", flat=True).first()
    instance.__dict__[_OLD_SLUG] = old


def record_new_address(sender, instance: Model, created: bool, raw: bool = False, **kwargs) -> None:
    old_slug = instance.__dict__.pop(_OLD_SLUG, None)
    if raw:
        return
    # Addresses are stored as the French pages have them, whatever language is active (permalinks.models).
    with translation.override(settings.LANGUAGE_CODE):
        _record_new_address(instance, created, old_slug)


def _record_new_address(instance: Model, created: bool, old_slug: str | None) -> None:
    if created:
        Redirect.objects.forget(*page_paths(instance))  # an address that had moved belongs to this page now
    elif old_slug and old_slug != instance.slug:
        for old_path, new_path in zip(page_paths(instance, old_slug), page_paths(instance), strict=True):
            Redirect.objects.move(old_path, new_path)
    if instance._meta.label == "poles.Pole":
        sync_merged_pole(instance)


def sync_merged_pole(pole) -> None:
    """A pôle's page redirects only while the pôle is merged, and to its successor of the moment.

    The redirect itself is made by the merge (poles.merge); this keeps it true when staff later edit the pôle's fate
    or successor by hand in its form.
    """
    path = pole.get_absolute_url()
    if pole.fate != pole.Fate.MERGED or pole.successor_id is None:
        Redirect.objects.forget(path)
        return
    merged = Redirect.objects.filter(old_path=path, reason=Redirect.Reason.MERGED).first()
    if merged is None:
        return
    successor = type(pole)._base_manager.filter(pk=pole.successor_id).values_list("slug", flat=True).first()
    successor_path = page_paths(pole, successor)[0]
    if merged.new_path != successor_path and successor_path != path:
        Redirect.objects.supersede(path, successor_path, Redirect.Reason.MERGED)


def connect() -> None:
    for label in PAGES:
        model = apps.get_model(label)
        pre_save.connect(remember_old_slug, sender=model, dispatch_uid=f"permalinks-pre-{label}")
        post_save.connect(record_new_address, sender=model, dispatch_uid=f"permalinks-post-{label}")
