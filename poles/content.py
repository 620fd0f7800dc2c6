"""What every public content type shares: publication state, synthetic marking, sources.

Lives in the `poles` app because `events` and `policy` already depend on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext


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


def public_not_deleted() -> Q:
    """The part of `published_filter()` that does not depend on the time: the condition of partial indexes, which
    hold only the rows the public may see (or will, once their publication date has come)."""
    return Q(status=PublicationStatus.PUBLISHED, deleted_at__isnull=True)


def public_index(*fields: str, name: str) -> models.Index:
    """A partial index of the public rows (`public_not_deleted()`) on `fields`, from which counts can be read alone.

    It also holds the two columns of its own condition: Django binds `status = %s` as a parameter, and SQLite, though
    it then still chooses the partial index, checks that term against the table for every row unless the index holds
    the column (the member list's region facet: 72 ms reading 40 000 rows of the table, 6 ms from the index alone).
    PostgreSQL gets the values inline and needs none of it; two more columns cost it little."""
    return models.Index(fields=[*fields, "status", "deleted_at"], condition=public_not_deleted(), name=name)


def scheduled_index(name: str) -> models.Index:
    """The published rows with a publication date, by that date: the next scheduled publication (poles.versioning,
    at every content change) is then the index's first entry, instead of a read of the whole table (30 ms for the
    100 000 organisations and 100 000 sessions at synthetic scale). For the content tables that grow."""
    return models.Index(
        fields=["publish_at"], condition=Q(status=PublicationStatus.PUBLISHED, publish_at__isnull=False), name=name
    )


def published_filter(prefix: str = "") -> Q:
    """The condition for content the public may see: published, not scheduled for later, not deleted.

    `prefix` reaches content through a relation ("memberships__organisation__"). The one definition of what is
    public: `ContentQuerySet.published()`, `Content.visible_from` and `Content.is_public` all follow it.
    """
    return (
        Q(**{f"{prefix}status": PublicationStatus.PUBLISHED, f"{prefix}deleted_at__isnull": True})
        & (Q(**{f"{prefix}publish_at__isnull": True}) | Q(**{f"{prefix}publish_at__lte": timezone.now()}))
    )


class ContentQuerySet(models.QuerySet):
    def published(self) -> ContentQuerySet:
        """What the public may see: published, not scheduled for later, not deleted."""
        return self.filter(published_filter())

    def alive(self) -> ContentQuerySet:
        """Everything but the deleted items (the admin's trash)."""
        return self.filter(deleted_at__isnull=True)

    def deleted(self) -> ContentQuerySet:
        return self.filter(deleted_at__isnull=False)

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
    deleted_at = models.DateTimeField(
        _("mis à la corbeille le"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Un élément supprimé disparaît du site public ; il peut être restauré depuis l'administration."),
    )

    natural_key_fields: tuple[str, ...] = ("slug",)
    # What must be there before the item may be published: a field, a many-to-many field or a reverse relation
    # (name) and how staff read what is missing (label). See publication_problems().
    required_for_publication: dict[str, str] = {}

    objects = ContentManager()

    class Meta:
        abstract = True

    def natural_key(self) -> tuple:
        return tuple(getattr(self, name) for name in self.natural_key_fields)

    @property
    def visible_from(self):
        """When the public may see this item: None if never as things stand (draft, archived, deleted), else its
        publication date, or ALWAYS_VISIBLE when it is published without a date. Denormalised into the archive
        search index, so it must follow every rule of `published_filter()`."""
        if self.status != PublicationStatus.PUBLISHED or self.deleted_at is not None:
            return None
        return self.publish_at or ALWAYS_VISIBLE

    @property
    def is_public(self) -> bool:
        """Whether the public sees this item now (the Python twin of `ContentQuerySet.published()`)."""
        visible_from = self.visible_from
        return visible_from is not None and visible_from <= timezone.now()

    @property
    def is_scheduled(self) -> bool:
        return self.status == PublicationStatus.PUBLISHED and bool(self.publish_at) and self.publish_at > timezone.now()

    @property
    def publication_state(self) -> str:
        """The state in words, as the staff preview banner and the admin list show it."""
        if self.deleted_at is not None:
            return str(_("dans la corbeille"))
        if self.is_scheduled:
            # Translators: a date format (https://docs.djangoproject.com/en/stable/ref/templates/builtins/#date).
            moment = formats.date_format(timezone.localtime(self.publish_at), pgettext("format de date", "j F Y à H:i"))
            return str(_("programmé pour le %(moment)s")) % {"moment": moment}
        return str(PublicationStatus(self.status).label).lower()

    def publication_problems(self, pending: Mapping[str, bool] | None = None) -> list[str]:
        """What this item lacks before it may be published, in words staff read; empty when it is complete.

        `pending` says, for some requirements, whether what is about to be saved meets them (the many-to-many
        values of an admin form, the rows of an inline) rather than what the database holds now.
        """
        pending = pending or {}
        return [
            str(label)
            for name, label in self.required_for_publication.items()
            if not (pending[name] if name in pending else self._has_for_publication(name))
        ]

    def _has_for_publication(self, name: str) -> bool:
        field = self._meta.get_field(name)
        if not (field.many_to_many or field.one_to_many):
            return getattr(self, field.attname) not in (None, "")
        if self.pk is None:
            return False
        related = getattr(self, field.get_accessor_name() if field.auto_created else name).all()
        if issubclass(related.model, Content):
            related = related.alive()
        return related.exists()

    def soft_delete(self) -> None:
        """Put in the trash: gone from the public site (404), kept with its history, restorable."""
        self.deleted_at = timezone.now()
        self.save(update_fields=["deleted_at", "updated_at"])

    def restore(self) -> None:
        """Take out of the trash, in the publication state it had."""
        self.deleted_at = None
        self.save(update_fields=["deleted_at", "updated_at"])

    def public_corrections(self):
        return Correction.objects.for_items([self])


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


class CorrectionQuerySet(models.QuerySet):
    def for_items(self, items) -> CorrectionQuerySet:
        """The corrections of these items (of any content types), newest first: one query."""
        by_model: dict[type, list] = {}
        for item in items:
            by_model.setdefault(type(item), []).append(item.pk)
        condition = Q(pk__in=[])
        for model, pks in by_model.items():
            condition |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=pks)
        return self.filter(condition).order_by("-made_at", "-pk")


class Correction(models.Model):
    """A change staff flagged as the correction of an error, with the reason the public page gives for it.

    Routine edits leave no Correction: only their internal history (django-simple-history) keeps them. No generic
    relation on the content models: it would keep Django from deleting synthetic rows in plain DELETEs.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("type de contenu"))
    object_id = models.PositiveBigIntegerField(_("identifiant du contenu"))
    content_object = GenericForeignKey("content_type", "object_id")
    made_at = models.DateTimeField(_("corrigé le"), default=timezone.now)
    reason = models.CharField(
        _("raison de la correction"),
        max_length=300,
        help_text=_("Publiée sur la page : « Modifié le … : raison »."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("par"),
    )

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-made_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "made_at"], name="correction_content")]
        verbose_name = _("correction publique")
        verbose_name_plural = _("corrections publiques")

    def __str__(self) -> str:
        return f"{formats.date_format(timezone.localtime(self.made_at), 'j F Y')} : {self.reason}"
