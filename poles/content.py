"""What every public content type shares: publication state, synthetic marking, sources.

Lives in the `poles` app because `events` and `policy` already depend on it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


ALWAYS_VISIBLE = datetime(2000, 1, 1, tzinfo=UTC)


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PUBLISHED = "published", _("Publié")
    ARCHIVED = "archived", _("Archivé")


class DatePrecision(models.TextChoices):
    """How much of a date the sources pin down (a day, a month or only a year)."""

    DAY = "day", _("Jour")
    MONTH = "month", _("Mois")
    YEAR = "year", _("Année")


class ContentQuerySet(models.QuerySet):
    def published(self) -> ContentQuerySet:
        """What the public may see: published, and not scheduled for later."""
        return self.filter(status=PublicationStatus.PUBLISHED).filter(
            Q(publish_at__isnull=True) | Q(publish_at__lte=timezone.now())
        )

    def real(self) -> ContentQuerySet:
        return self.filter(is_synthetic=False)

    def synthetic(self) -> ContentQuerySet:
        return self.filter(is_synthetic=True)


class ContentManager(models.Manager.from_queryset(ContentQuerySet)):
    """Looks rows up by their natural key so fixtures never carry primary keys."""

    natural_key_fields: tuple[str, ...] = ("slug",)

    def get_by_natural_key(self, *values):
        return self.get(**dict(zip(self.model.natural_key_fields, values, strict=True)))


class Content(models.Model):
    """Abstract base of every public content type."""

    status = models.CharField(
        _("état de publication"),
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.PUBLISHED,
        db_index=True,
    )
    publish_at = models.DateTimeField(
        _("publier à partir du"),
        null=True,
        blank=True,
        help_text=_("Laisser vide pour publier dès l'enregistrement."),
    )
    is_synthetic = models.BooleanField(
        _("donnée synthétique"),
        default=False,
        editable=False,
        db_index=True,
        help_text=_("Ligne créée par seed_demo pour les essais de charge ; jamais une donnée réelle."),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    natural_key_fields: tuple[str, ...] = ("slug",)

    objects = ContentManager()

    class Meta:
        abstract = True

    def natural_key(self) -> tuple:
        return tuple(getattr(self, name) for name in self.natural_key_fields)

    @property
    def visible_from(self):
        """When the public may see this item: None if never as things stand (draft, archived), else its
        publication date, or ALWAYS_VISIBLE when it is published without a date. Denormalised into the archive
        search index, so it must follow every rule of `ContentQuerySet.published()`."""
        if self.status != PublicationStatus.PUBLISHED:
            return None
        return self.publish_at or ALWAYS_VISIBLE


class Source(models.Model):
    """A public document a fact was taken from: a web address, or a citation when the page has none."""

    reference = models.CharField(
        _("adresse ou référence"),
        max_length=600,
        unique=True,
        help_text=_("L'adresse web du document, ou sa référence complète s'il n'en a pas."),
    )
    title = models.CharField(_("titre"), max_length=300, blank=True)
    publisher = models.CharField(_("éditeur"), max_length=200, blank=True)

    objects = ContentManager()
    natural_key_fields = ("reference",)

    class Meta:
        ordering = ["publisher", "reference"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.title or self.reference

    def natural_key(self) -> tuple:
        return (self.reference,)

    @property
    def url(self) -> str:
        return self.reference if self.reference.startswith(("http://", "https://")) else ""

    @property
    def label(self) -> str:
        """Title and publisher, or the host name when nothing better is known."""
        if self.title:
            return f"{self.title} ({self.publisher})" if self.publisher else self.title
        if self.url:
            from urllib.parse import urlsplit

            host = urlsplit(self.url).netloc.removeprefix("www.")
            return f"{self.publisher} ({host})" if self.publisher else host
        return self.reference
