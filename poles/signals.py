"""Keep a pôle's stored search text in step with its other names and themes, which live in other tables."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from poles.models import Pole, PoleName


@receiver([post_save, post_delete], sender=PoleName)
def refresh_pole_after_name_change(sender, instance: PoleName, raw: bool = False, **kwargs) -> None:
    if not raw:  # fixture loads refresh every pôle once at the end instead
        Pole.objects.filter(pk=instance.pole_id).refresh_search_text()


@receiver(m2m_changed, sender=Pole.themes.through)
def refresh_pole_after_theme_change(sender, instance, action: str, **kwargs) -> None:
    if action in {"post_add", "post_remove", "post_clear"} and isinstance(instance, Pole):
        Pole.objects.filter(pk=instance.pk).refresh_search_text()
