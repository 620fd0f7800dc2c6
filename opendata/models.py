from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferenceTableChange(models.Model):
    """When a reference table without timestamps of its own (regions, themes, sources) last changed.

    Written by opendata.changes on every save or delete of one of their rows (fixture loads included), so that the
    datasets that show them can give the date of their last change.
    """

    table = models.CharField(_("table"), max_length=100, unique=True)
    changed_at = models.DateTimeField(_("dernière modification"))

    class Meta:
        verbose_name = _("modification d'une table de référence")
        verbose_name_plural = _("modifications des tables de référence")

    def __str__(self) -> str:
        return f"{self.table} ({self.changed_at:%Y-%m-%d %H:%M})"
