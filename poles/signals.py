"""Keep a pôle's stored search text in step with its other names and themes, which live in other tables, and keep
a renamed pôle's old name among its other names."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from poles.models import Pole, PoleName
from poles.text import normalize


@receiver([post_save, post_delete], sender=PoleName)
def refresh_pole_after_name_change(sender, instance: PoleName, raw: bool = False, **kwargs) -> None:
    if not raw:  # fixture loads refresh every pôle once at the end instead
        Pole.objects.filter(pk=instance.pole_id).refresh_search_text()


@receiver(m2m_changed, sender=Pole.themes.through)
def refresh_pole_after_theme_change(sender, instance, action: str, **kwargs) -> None:
    if action in {"post_add", "post_remove", "post_clear"} and isinstance(instance, Pole):
        Pole.objects.filter(pk=instance.pk).refresh_search_text()


# A renamed pôle keeps its old name as a former name, so that searches for it still find the pôle.

_OLD_NAME = "_poles_old_name"


@receiver(pre_save, sender=Pole)
def remember_old_name(sender, instance: Pole, raw: bool = False, update_fields=None, **kwargs) -> None:
    if raw or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and "name" not in update_fields:
        return
    instance.__dict__[_OLD_NAME] = Pole._base_manager.filter(pk=instance.pk).values_list("name", flat=True).first()


@receiver(post_save, sender=Pole)
def keep_old_name(sender, instance: Pole, created: bool, raw: bool = False, **kwargs) -> None:
    old_name = instance.__dict__.pop(_OLD_NAME, None)
    # A change of case, accents or punctuation corrects a spelling; search already ignores those, so no former name.
    if raw or created or not old_name or normalize(old_name) == normalize(instance.name):
        return
    # At commit: staff renaming a pôle in the admin may add the old name themselves in the same form, and the
    # inline rows are saved after the pôle; theirs (with its years) then wins over ours.
    pole_id, new_name, year = instance.pk, instance.name, timezone.localdate().year
    transaction.on_commit(lambda: record_former_name(pole_id, old_name, new_name, year))


def record_former_name(pole_id: int, old_name: str, new_name: str, year: int) -> None:
    if not PoleName.objects.filter(pole_id=pole_id, name=old_name).exists():
        PoleName.objects.create(pole_id=pole_id, name=old_name, kind=PoleName.Kind.FORMER, valid_until=year)
    # Back to a name it had before: that name is its current one again, no longer a former one.
    for current in PoleName.objects.filter(pole_id=pole_id, name=new_name, kind=PoleName.Kind.FORMER):
        current.delete()  # one by one, so that the signals above refresh the search text
