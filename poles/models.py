from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.db.models import Count, F, Prefetch, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from poles.content import (
    Content, ContentManager, ContentQuerySet, Correction, Source, public_index, public_not_deleted,
    published_filter, scheduled_index,
)
from poles.history import History
from poles.text import query_terms, search_text
from poles.validators import naf_labels, validate_naf_code, validate_siren

__all__ = [
    "Correction",
    "Membership",
    "Organisation",
    "Pole",
    "PoleFigure",
    "PoleLabel",
    "PoleName",
    "Region",
    "Source",
    "Theme",
]


class RegionQuerySet(models.QuerySet):
    def with_pole_counts(self) -> RegionQuerySet:
        """Each region with its number of published pôles (all, and still active), for the map."""
        published = published_filter("poles__")
        return self.annotate(
            pole_count=Count("poles", filter=published, distinct=True),
            active_count=Count("poles", filter=published & Q(poles__fate="active"), distinct=True),
        ).order_by("name")


class Region(models.Model):
    """A region of France as drawn in 2016 (13 metropolitan, 5 overseas)."""

    class Kind(models.TextChoices):
        METROPOLITAN = "metropolitan", _("Métropole")
        OVERSEAS = "overseas", _("Outre-mer")

    name = models.CharField(_("nom"), max_length=100, unique=True)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=100, unique=True)
    insee_code = models.CharField(_("code INSEE"), max_length=2, unique=True)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    sources = models.ManyToManyField(Source, blank=True, verbose_name=_("sources"))

    objects = ContentManager.from_queryset(RegionQuerySet)()
    natural_key_fields = ("slug",)

    class Meta:
        ordering = ["name"]
        verbose_name = _("région")
        verbose_name_plural = _("régions")

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple:
        return (self.slug,)


class Theme(models.Model):
    """A sector or field a pôle works in (our own short vocabulary, not an official one)."""

    name = models.CharField(_("nom"), max_length=100, unique=True)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)

    objects = ContentManager()
    natural_key_fields = ("slug",)

    class Meta:
        ordering = ["name"]
        verbose_name = _("thématique")
        verbose_name_plural = _("thématiques")

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple:
        return (self.slug,)


class SearchableQuerySet(ContentQuerySet):
    def matching(self, query: str):
        """Rows whose names (any spelling, accents ignored) contain every word of the query."""
        queryset = self
        for term in query_terms(query):
            queryset = queryset.filter(search_text__contains=term)
        return queryset

    def refresh_search_text(self) -> int:
        """Recompute the stored search text where it is stale; returns how many rows changed."""
        stale = []
        for row in self.prefetch_related(*self.model.search_text_prefetch):
            fresh = row.build_search_text()
            if row.search_text != fresh:
                row.search_text = fresh
                stale.append(row)
        self.model.objects.bulk_update(stale, ["search_text"], batch_size=1000)
        return len(stale)


def memberships_counted(side: str, condition: Q):
    """Each row's memberships meeting `condition`, counted as a subquery: for the rows a page reads only, rather
    than by grouping every listed row's memberships before the page is taken (100 000 members: 40 ms a page)."""
    from django.db.models import OuterRef, Subquery
    from django.db.models.functions import Coalesce

    memberships = Membership.objects.filter(condition, **{side: OuterRef("pk")}).order_by().values(side)
    # COUNT(*), not the ids: the (pole, organisation) unique index then answers without visiting the table.
    return Coalesce(Subquery(memberships.annotate(n=Count("*")).values("n")), 0)


class PoleQuerySet(SearchableQuerySet):
    def for_directory(self) -> PoleQuerySet:
        """The public list of pôles: one row per pôle with what the list shows."""
        return (
            self.published()
            .select_related("successor")
            .prefetch_related("regions", "themes")
            .annotate(member_count=memberships_counted("pole", published_filter("organisation__")))
            .order_by("name")
        )

    def for_detail(self) -> PoleQuerySet:
        """What a pôle's page shows. Not filtered on publication: the view shows the public ones, and staff preview
        the others (poles.preview). The pôles merged into this one come with the closest ones, in one query
        (poles.cooperation.related_poles)."""
        return self.select_related("successor").prefetch_related(
            "regions",
            "themes",
            "sources",
            Prefetch("former_names", queryset=PoleName.objects.order_by("valid_from", "name")),
            Prefetch(
                "labels",
                queryset=PoleLabel.objects.filter(published_filter("phase__")).select_related("phase").order_by("phase__number"),
            ),
        )


class Pole(Content):
    """A pôle de compétitivité, current or former."""

    class Category2007(models.TextChoices):
        WORLD = "mondial", _("Mondial")
        WORLD_VOCATION = "vocation-mondiale", _("À vocation mondiale")
        NATIONAL = "national", _("National")

    class Fate(models.TextChoices):
        ACTIVE = "active", _("En activité")
        MERGED = "merged", _("Fusionné")
        DELABELLED = "delabelled", _("Label retiré")
        DISSOLVED = "dissolved", _("Dissous ou non relabellisé")

    name = models.CharField(_("nom"), max_length=200)
    short_name = models.CharField(_("nom court ou sigle"), max_length=60, blank=True)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=200, unique=True)
    summary = models.TextField(_("présentation"), blank=True)
    summary_en = models.TextField(
        _("présentation en anglais"), blank=True,
        help_text=_("Pour la version anglaise du site. Vide : la page anglaise montre le texte français et le signale."),
    )
    hq_city = models.CharField(_("ville du siège"), max_length=120, blank=True)
    # Optional on a draft; required to publish (required_for_publication below).
    regions = models.ManyToManyField(Region, blank=True, related_name="poles", verbose_name=_("régions"))
    themes = models.ManyToManyField(Theme, blank=True, related_name="poles", verbose_name=_("thématiques"))
    specialities = models.CharField(
        _("spécialités"),
        max_length=400,
        blank=True,
        help_text=_("Domaines plus précis, séparés par des points-virgules."),
    )
    website = models.URLField(_("site internet"), blank=True)
    founded_year = models.PositiveSmallIntegerField(
        _("année de création"),
        null=True,
        blank=True,
        help_text=_("Année de la première labellisation, ou de la fusion qui a créé le pôle."),
    )
    category_2007 = models.CharField(
        _("catégorie en 2007"),
        max_length=20,
        choices=Category2007.choices,
        blank=True,
        help_text=_("Classement des 71 pôles de 2007 ; vide pour un pôle qui n'en faisait pas partie."),
    )
    category_2007_inferred = models.BooleanField(
        _("catégorie déduite"),
        default=False,
        help_text=_("« National » est déduit : pôle de 2007 absent des listes mondial et à vocation mondiale."),
    )
    phases = models.ManyToManyField(
        "policy.Phase", through="PoleLabel", related_name="poles", verbose_name=_("phases de labellisation")
    )
    fate = models.CharField(_("devenir"), max_length=12, choices=Fate.choices, default=Fate.ACTIVE, db_index=True)
    fate_year = models.PositiveSmallIntegerField(_("année du changement"), null=True, blank=True)
    fate_note = models.TextField(_("précisions sur le devenir"), blank=True)
    successor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("successeur"),
        help_text=_("Pôle dans lequel celui-ci a fusionné."),
    )
    sources = models.ManyToManyField(Source, blank=True, related_name="poles", verbose_name=_("sources"))
    search_text = models.TextField(
        _("texte de recherche"), blank=True, editable=False,
        help_text=_("Noms, anciens noms, sigles, ville et thématiques, sans accents ; tenu à jour automatiquement."),
    )

    objects = ContentManager.from_queryset(PoleQuerySet)()
    history = History(excluded_fields=["search_text"], m2m_fields=["regions", "themes", "sources"])
    search_text_prefetch = ("former_names", "themes")
    required_for_publication = {
        "regions": _("au moins une région"),
        "themes": _("au moins une thématique"),
        "sources": _("au moins une source"),
    }

    class Meta:
        ordering = ["name"]
        verbose_name = _("pôle")
        verbose_name_plural = _("pôles")
        permissions = [("publish_pole", _("Peut publier, programmer et archiver un pôle"))]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("poles:pole-detail", args=[self.slug])

    def member_breakdown(self) -> dict:
        """Published members counted by kind and, for companies, by size class — in one query."""
        rows = (
            Membership.objects.filter(published_filter("organisation__"), pole=self)
            .values_list("organisation__kind", "organisation__size_class")
            .annotate(count=Count("id"))
            .order_by()
        )
        return self._breakdown(rows)

    def members_for_page(self, shown: int) -> tuple[list[Membership], dict]:
        """The first `shown` published members by name, and all of them counted as member_breakdown() counts them:
        one query for both, the pôle's page has none to spare.

        Each row is numbered by name and within its kind and size; the first row of each kind and size is read even
        past `shown`, for the size of its group.
        """
        group = [F("organisation__kind"), F("organisation__size_class")]
        rows = list(
            Membership.objects.filter(published_filter("organisation__"), pole=self)
            .select_related("organisation")
            .annotate(
                rank=Window(RowNumber(), order_by=[F("organisation__name").asc(), F("pk").asc()]),
                rank_in_group=Window(RowNumber(), partition_by=group, order_by=F("pk").asc()),
                group_size=Window(Count("pk"), partition_by=group),
            )
            .filter(Q(rank__lte=shown) | Q(rank_in_group=1))
            .order_by("rank")
        )
        counts = [
            (row.organisation.kind, row.organisation.size_class, row.group_size)
            for row in rows
            if row.rank_in_group == 1
        ]
        return [row for row in rows if row.rank <= shown], self._breakdown(counts)

    @staticmethod
    def _breakdown(rows: Iterable[tuple[str, str, int]]) -> dict:
        by_kind: dict[str, int] = {}
        by_size: dict[str, int] = {}
        for kind, size, count in rows:
            by_kind[kind] = by_kind.get(kind, 0) + count
            if kind == Organisation.Kind.COMPANY:
                by_size[size] = by_size.get(size, 0) + count
        return {
            "total": sum(by_kind.values()),
            "by_kind": [(Organisation.Kind(kind).label, n) for kind, n in sorted(by_kind.items(), key=lambda kv: -kv[1])],
            "by_size": [
                (Organisation.SizeClass(size).label if size else _("taille non renseignée"), by_size[size])
                for size in [*Organisation.SizeClass.values, ""]
                if size in by_size
            ],
        }

    def build_search_text(self) -> str:
        names = [former.name for former in self.former_names.all()] if self.pk else []
        themes = [theme.name for theme in self.themes.all()] if self.pk else []
        return search_text(self.name, self.short_name, *names, self.hq_city, *themes, self.specialities)

    def save(self, *args, **kwargs) -> None:
        self.search_text = self.build_search_text()
        super().save(*args, **kwargs)

    @property
    def speciality_list(self) -> list[str]:
        return [item.strip() for item in self.specialities.split(";") if item.strip()]

    @property
    def public_successor(self) -> Pole | None:
        """The successor, if the public may see it (a draft successor is not named on public pages)."""
        return self.successor if self.successor is not None and self.successor.is_public else None


class PoleName(models.Model):
    """A name a pôle was known by: former name, acronym or alternative spelling."""

    class Kind(models.TextChoices):
        FORMER = "former", _("Ancien nom")
        ACRONYM = "acronym", _("Sigle")
        VARIANT = "variant", _("Autre graphie")

    pole = models.ForeignKey(Pole, on_delete=models.CASCADE, related_name="former_names", verbose_name=_("pôle"))
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.FORMER)
    valid_from = models.PositiveSmallIntegerField(_("depuis"), null=True, blank=True)
    valid_until = models.PositiveSmallIntegerField(_("jusqu'en"), null=True, blank=True)

    class Meta:
        ordering = ["pole", "valid_from", "name"]
        constraints = [models.UniqueConstraint(fields=["pole", "name"], name="unique_pole_name")]
        verbose_name = _("autre nom")
        verbose_name_plural = _("autres noms")

    class Manager(models.Manager):
        def get_by_natural_key(self, pole_slug: str, name: str):
            return self.get(pole__slug=pole_slug, name=name)

    objects = Manager()
    history = History()

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple:
        return (self.pole.slug, self.name)

    natural_key.dependencies = ["poles.pole"]


class PoleLabel(models.Model):
    """A pôle's label for one policy phase."""

    pole = models.ForeignKey(Pole, on_delete=models.CASCADE, related_name="labels", verbose_name=_("pôle"))
    phase = models.ForeignKey("policy.Phase", on_delete=models.PROTECT, related_name="labels", verbose_name=_("phase"))
    is_inferred = models.BooleanField(
        _("déduit"),
        default=False,
        help_text=_("Labellisation déduite des sources, non lue directement dans une liste officielle."),
    )
    note = models.CharField(_("précision"), max_length=300, blank=True)

    class Meta:
        ordering = ["pole", "phase"]
        constraints = [models.UniqueConstraint(fields=["pole", "phase"], name="unique_pole_label")]
        verbose_name = _("labellisation")
        verbose_name_plural = _("labellisations")

    class Manager(models.Manager):
        def get_by_natural_key(self, pole_slug: str, phase_number: int):
            return self.get(pole__slug=pole_slug, phase__number=phase_number)

    objects = Manager()
    history = History()

    def __str__(self) -> str:
        return f"{self.pole} — {self.phase}"

    def natural_key(self) -> tuple:
        return (self.pole.slug, self.phase.number)

    natural_key.dependencies = ["poles.pole", "policy.phase"]


class OrganisationQuerySet(SearchableQuerySet):
    def for_directory(self) -> OrganisationQuerySet:
        return (
            self.published()
            .select_related("region")
            .annotate(pole_count=memberships_counted("organisation", published_filter("pole__")))
            .order_by("name", "id")  # stable pages when names repeat; as organisation_directory holds them
        )


class Organisation(Content):
    """A company, research body, training body or public body named by the sources."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("Entreprise")
        RESEARCH = "research", _("Organisme de recherche")
        TRAINING = "training", _("Établissement de formation")
        PUBLIC_BODY = "public-body", _("Administration ou organisme public")
        NETWORK = "network", _("Association ou réseau")

    class SizeClass(models.TextChoices):
        TPE = "tpe", _("TPE")
        PME = "pme", _("PME")
        ETI = "eti", _("ETI")
        GE = "ge", _("Grande entreprise")

    name = models.CharField(_("nom"), max_length=200)
    short_name = models.CharField(_("sigle"), max_length=60, blank=True)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=200, unique=True)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices, db_index=True)
    size_class = models.CharField(
        _("taille"), max_length=3, choices=SizeClass.choices, blank=True, db_index=True,
        help_text=_("Pour les entreprises seulement."),
    )
    siren = models.CharField(
        _("SIREN"), max_length=9, blank=True, validators=[validate_siren],
        help_text=_("9 chiffres, clé de Luhn vérifiée."),
    )
    naf_code = models.CharField(_("code NAF"), max_length=6, blank=True, validators=[validate_naf_code])
    city = models.CharField(_("ville"), max_length=120, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="organisations", verbose_name=_("région")
    )
    website = models.URLField(_("site internet"), blank=True)
    description = models.TextField(_("présentation"), blank=True)
    sources = models.ManyToManyField(Source, blank=True, related_name="organisations", verbose_name=_("sources"))
    search_text = models.TextField(_("texte de recherche"), blank=True, editable=False)

    objects = ContentManager.from_queryset(OrganisationQuerySet)()
    history = History(excluded_fields=["search_text"], m2m_fields=["sources"])
    search_text_prefetch = ()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["siren"], condition=~Q(siren=""), name="unique_organisation_siren"
            ),
        ]
        # Whether an organisation is public, read from the index alone: a pôle's member count checks each of its
        # members (hundreds per pôle at scale) without visiting the table (see memberships_counted).
        # The public organisations only (partial indexes, small and kept by both engines):
        # - their total and facets (region, size, kind) are counted from the index alone (both engines read it whole
        #   when the region is not filtered; SQLite skips through it region by region);
        # - the member list, ordered by name, reads its page from the index in order instead of sorting them all.
        indexes = [
            models.Index(fields=["id", "status", "deleted_at", "publish_at"], name="organisation_visibility"),
            public_index("region", "size_class", "kind", "publish_at", name="organisation_facets"),
            models.Index(fields=["name", "id"], condition=public_not_deleted(), name="organisation_directory"),
            scheduled_index("organisation_scheduled"),
        ]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        permissions = [("publish_organisation", _("Peut publier, programmer et archiver une organisation"))]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("poles:member-detail", args=[self.slug])

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.size_class and self.kind != self.Kind.COMPANY:
            raise ValidationError({"size_class": _("La taille ne s'applique qu'aux entreprises.")})

    def build_search_text(self) -> str:
        return search_text(self.name, self.short_name, self.city, self.siren)

    def save(self, *args, **kwargs) -> None:
        self.search_text = self.build_search_text()
        super().save(*args, **kwargs)

    @property
    def naf_label(self) -> str:
        return naf_labels().get(self.naf_code, "")


class Membership(models.Model):
    """An organisation's membership of a pôle."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Membre")
        FOUNDER = "founder", _("Membre fondateur")
        BOARD = "board", _("Membre du conseil d'administration")
        PARTNER = "partner", _("Partenaire")

    pole = models.ForeignKey(Pole, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("pôle"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation"),
        db_index=False,  # the index below serves lookups by organisation too
    )
    role = models.CharField(_("rôle"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    since_year = models.PositiveSmallIntegerField(_("membre depuis"), null=True, blank=True)
    until_year = models.PositiveSmallIntegerField(_("jusqu'en"), null=True, blank=True)
    source = models.ForeignKey(Source, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("source"))
    is_synthetic = models.BooleanField(_("donnée synthétique"), default=False, editable=False, db_index=True)

    class Meta:
        ordering = ["pole", "organisation"]
        constraints = [models.UniqueConstraint(fields=["pole", "organisation"], name="unique_membership")]
        # An organisation's pôles from the index alone: the pôle facet of a filtered member list looks up each
        # listed member's memberships.
        indexes = [models.Index(fields=["organisation", "pole"], name="membership_organisation")]
        verbose_name = _("adhésion")
        verbose_name_plural = _("adhésions")

    class Manager(models.Manager):
        def get_by_natural_key(self, pole_slug: str, organisation_slug: str):
            return self.get(pole__slug=pole_slug, organisation__slug=organisation_slug)

    objects = Manager()
    history = History()

    def __str__(self) -> str:
        return f"{self.organisation} — {self.pole}"

    def natural_key(self) -> tuple:
        return (self.pole.slug, self.organisation.slug)

    natural_key.dependencies = ["poles.pole", "poles.organisation"]


class Indicator(models.TextChoices):
    """What a figure counts; shared by pôle figures and national key figures."""

    POLES = "poles", _("Pôles labellisés")
    MEMBERS = "members", _("Membres")
    COMPANIES = "companies", _("Entreprises membres")
    SME_SHARE = "sme-share", _("Part des PME parmi les entreprises membres")
    ETI_SHARE = "eti-share", _("Part des ETI parmi les entreprises membres")
    RESEARCH_BODIES = "research-bodies", _("Établissements de recherche et de formation")
    RESEARCHERS = "researchers", _("Chercheurs impliqués")
    PROJECTS = "projects", _("Projets de R&D")
    PUBLIC_FUNDING = "public-funding", _("Financement public")
    OTHER = "other", _("Autre")


class Unit(models.TextChoices):
    COUNT = "count", _("nombre")
    PERCENT = "percent", _("%")
    MILLION_EUR = "meur", _("M€")


class PoleFigure(models.Model):
    """A figure about one pôle for one year, as a source gives it."""

    pole = models.ForeignKey(Pole, on_delete=models.CASCADE, related_name="figures", verbose_name=_("pôle"))
    indicator = models.CharField(_("indicateur"), max_length=20, choices=Indicator.choices)
    year = models.PositiveSmallIntegerField(_("année"))
    value = models.DecimalField(_("valeur"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("unité"), max_length=8, choices=Unit.choices, default=Unit.COUNT)
    note = models.CharField(_("précision"), max_length=300, blank=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, verbose_name=_("source"))

    class Meta:
        ordering = ["pole", "indicator", "year"]
        constraints = [models.UniqueConstraint(fields=["pole", "indicator", "year"], name="unique_pole_figure")]
        verbose_name = _("chiffre d'un pôle")
        verbose_name_plural = _("chiffres des pôles")

    class Manager(models.Manager):
        def get_by_natural_key(self, pole_slug: str, indicator: str, year: int):
            return self.get(pole__slug=pole_slug, indicator=indicator, year=year)

    objects = Manager()
    history = History()

    def __str__(self) -> str:
        return f"{self.pole} — {self.get_indicator_display()} {self.year}"

    def natural_key(self) -> tuple:
        return (self.pole.slug, self.indicator, self.year)

    natural_key.dependencies = ["poles.pole"]
