from __future__ import annotations

from django.db import models
from django.db.models import Count, Prefetch, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from poles.content import Content, ContentManager, ContentQuerySet, DatePrecision, Source, published_filter
from poles.history import History
from poles.models import Indicator, Pole, PoleLabel, PoleName, Unit


class PhaseQuerySet(ContentQuerySet):
    def current(self, year: int | None = None) -> PhaseQuerySet:
        from django.utils import timezone

        year = year or timezone.localdate().year
        return self.filter(start_year__lte=year, end_year__gte=year)

    def for_timeline(self) -> PhaseQuerySet:
        return self.published().order_by("start_year", "number")

    def for_comparison(self) -> PhaseQuerySet:
        """The phases a visitor may pick on the comparison page, oldest first."""
        return self.published().order_by("number")

    # The three methods below are called on the phases being compared, e.g. `Phase.objects.filter(pk__in=…)`.

    def _published_labels(self) -> models.QuerySet[PoleLabel]:
        return PoleLabel.objects.filter(published_filter("pole__"), phase__in=self)

    def pole_labels(self) -> models.QuerySet[PoleLabel]:
        """The labels these phases gave to published pôles, with what the comparison page shows of each pôle."""
        return (
            self._published_labels()
            .select_related("pole")
            .prefetch_related("pole__regions", Prefetch("pole__successor", queryset=Pole.objects.published()))
            .order_by("pole__name", "pole__pk")
        )

    def region_spread(self) -> models.QuerySet:
        """Rows of (region pk, phase pk, published pôles labelled there); a pôle in two regions counts in both."""
        return (
            self._published_labels()
            .order_by()
            .values("pole__regions", "phase")
            .annotate(poles=Count("pole", distinct=True))
        )

    def renames(self) -> models.QuerySet[PoleName]:
        """Former names that pôles labelled in both the earliest and the latest of these phases dropped in between.

        A former name's `valid_until` is the year the pôle stopped using it, i.e. the year it was renamed; a rename
        counts when that year is after the earliest phase began and no later than the year the latest one began.
        Names whose end is unknown cannot be placed and are left out.
        """
        earliest = self.order_by("start_year", "number")
        latest = self.order_by("-start_year", "-number")
        kept = (
            Pole.objects.published()
            .filter(labels__phase=Subquery(earliest.values("pk")[:1]))
            .filter(labels__phase=Subquery(latest.values("pk")[:1]))
        )
        return (
            PoleName.objects.filter(
                kind=PoleName.Kind.FORMER,
                valid_until__gt=Subquery(earliest.values("start_year")[:1]),
                valid_until__lte=Subquery(latest.values("start_year")[:1]),
                pole__in=kept,
            )
            .select_related("pole")
            .order_by("valid_until", "pole__name", "name")
        )


class Phase(Content):
    """A phase of the State's policy, each with its own labelling round."""

    number = models.PositiveSmallIntegerField(_("numéro"), unique=True)
    name = models.CharField(_("nom"), max_length=120)
    slug = models.SlugField(_("identifiant d'adresse"), unique=True)
    nickname = models.CharField(_("surnom"), max_length=120, blank=True)
    start_year = models.PositiveSmallIntegerField(_("début"))
    end_year = models.PositiveSmallIntegerField(_("fin"))
    period_note = models.CharField(
        _("précision sur les dates"), max_length=300, blank=True,
        help_text=_("Par exemple une prolongation ou une date de lancement discutée."),
    )
    summary = models.TextField(_("présentation"))
    summary_en = models.TextField(
        _("présentation en anglais"), blank=True,
        help_text=_("Pour la version anglaise du site. Vide : la page anglaise montre le texte français et le signale."),
    )
    poles_labelled = models.PositiveSmallIntegerField(_("nombre de pôles labellisés"), null=True, blank=True)
    poles_labelled_note = models.CharField(_("précision sur le nombre de pôles"), max_length=400, blank=True)
    sources = models.ManyToManyField(Source, blank=True, related_name="phases", verbose_name=_("sources"))

    natural_key_fields = ("number",)

    class Meta:
        ordering = ["number"]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        permissions = [("publish_phase", _("Peut publier, programmer et archiver une phase"))]

    class Manager(models.Manager.from_queryset(PhaseQuerySet)):
        def get_by_natural_key(self, number: int):
            return self.get(number=number)

    objects = Manager()
    history = History(m2m_fields=["sources"])

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("policy:phase-detail", args=[self.slug])

    def natural_key(self) -> tuple:
        return (self.number,)


class Orientation(models.Model):
    """One of a phase's main orientations, in order."""

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="orientations", verbose_name=_("phase"))
    order = models.PositiveSmallIntegerField(_("ordre"))
    text = models.TextField(_("texte"))

    class Meta:
        ordering = ["phase", "order"]
        constraints = [models.UniqueConstraint(fields=["phase", "order"], name="unique_orientation_order")]
        verbose_name = _("orientation")
        verbose_name_plural = _("orientations")

    class Manager(models.Manager):
        def get_by_natural_key(self, phase_number: int, order: int):
            return self.get(phase__number=phase_number, order=order)

    objects = Manager()
    history = History()

    def __str__(self) -> str:
        return self.text[:80]

    def natural_key(self) -> tuple:
        return (self.phase.number, self.order)

    natural_key.dependencies = ["policy.phase"]


class DecisionQuerySet(ContentQuerySet):
    def for_timeline(self) -> DecisionQuerySet:
        return self.published().select_related("phase").order_by("date", "number", "pk")


class Decision(Content):
    """A dated decision or measure of the policy (a committee's labelling, a pact's decision…)."""

    slug = models.SlugField(_("identifiant d'adresse"), max_length=120, unique=True)
    title = models.CharField(_("titre"), max_length=300)
    number = models.CharField(_("numéro"), max_length=20, blank=True, help_text=_("Par exemple « 10 » pour la décision n° 10."))
    instrument = models.CharField(
        _("texte ou instance"), max_length=300, blank=True,
        help_text=_("Par exemple : CIADT, loi de finances, Pacte national pour la croissance…"),
    )
    date = models.DateField(_("date"))
    date_precision = models.CharField(_("précision de la date"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    phase = models.ForeignKey(
        Phase, on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions", verbose_name=_("phase")
    )
    summary = models.TextField(_("contenu"))
    sources = models.ManyToManyField(Source, blank=True, related_name="decisions", verbose_name=_("sources"))

    objects = ContentManager.from_queryset(DecisionQuerySet)()
    history = History(m2m_fields=["sources"])

    class Meta:
        ordering = ["date", "number"]
        verbose_name = _("décision ou mesure")
        verbose_name_plural = _("décisions et mesures")
        permissions = [("publish_decision", _("Peut publier, programmer et archiver une décision ou mesure"))]

    def __str__(self) -> str:
        return self.title


class ReportQuerySet(ContentQuerySet):
    def for_timeline(self) -> ReportQuerySet:
        return self.published().order_by("published_on", "pk")


class Report(Content):
    """An evaluation, opinion or parliamentary report on the policy."""

    class Kind(models.TextChoices):
        EVALUATION = "evaluation", _("Évaluation")
        OPINION = "opinion", _("Avis")
        PARLIAMENT = "parliament", _("Rapport parlementaire")
        AUDIT = "audit", _("Contrôle de la Cour des comptes")

    slug = models.SlugField(_("identifiant d'adresse"), max_length=120, unique=True)
    title = models.CharField(_("titre"), max_length=300)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    author = models.CharField(_("auteur"), max_length=300, help_text=_("Institution, cabinet ou rapporteur."))
    published_on = models.DateField(_("date"))
    date_precision = models.CharField(_("précision de la date"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    phase = models.ForeignKey(
        Phase, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports", verbose_name=_("phase")
    )
    summary = models.TextField(_("résumé"))
    sources = models.ManyToManyField(Source, blank=True, related_name="reports", verbose_name=_("sources"))

    objects = ContentManager.from_queryset(ReportQuerySet)()
    history = History(m2m_fields=["sources"])

    class Meta:
        ordering = ["published_on"]
        verbose_name = _("rapport ou avis")
        verbose_name_plural = _("rapports et avis")
        permissions = [("publish_report", _("Peut publier, programmer et archiver un rapport ou avis"))]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("policy:report-detail", args=[self.slug])


class Recommendation(models.Model):
    """One numbered recommendation of a report, in our words."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="recommendations", verbose_name=_("rapport"))
    number = models.PositiveSmallIntegerField(_("numéro"))
    text = models.TextField(_("texte"))

    class Meta:
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="unique_recommendation_number")]
        verbose_name = _("recommandation")
        verbose_name_plural = _("recommandations")

    class Manager(models.Manager):
        def get_by_natural_key(self, report_slug: str, number: int):
            return self.get(report__slug=report_slug, number=number)

    objects = Manager()
    history = History()

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"

    def natural_key(self) -> tuple:
        return (self.report.slug, self.number)

    natural_key.dependencies = ["policy.report"]


class KeyFigureQuerySet(ContentQuerySet):
    def for_key_figures(self) -> KeyFigureQuerySet:
        """Every published national figure with its sources, by indicator then year."""
        return (
            self.published()
            .prefetch_related(Prefetch("sources", queryset=Source.objects.order_by("publisher", "reference")))
            .order_by("indicator", "year", "label", "pk")
        )


class KeyFigure(Content):
    """A national figure for a given year, with its source."""

    slug = models.SlugField(_("identifiant d'adresse"), max_length=120, unique=True)
    indicator = models.CharField(_("indicateur"), max_length=20, choices=Indicator.choices, db_index=True)
    label = models.CharField(_("libellé"), max_length=300)
    year = models.PositiveSmallIntegerField(_("année"), db_index=True)
    value = models.DecimalField(_("valeur"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unité"), max_length=8, choices=Unit.choices, default=Unit.COUNT)
    is_lower_bound = models.BooleanField(_("« plus de »"), default=False)
    note = models.TextField(_("précision"), blank=True)
    sources = models.ManyToManyField(Source, related_name="key_figures", verbose_name=_("sources"))

    objects = ContentManager.from_queryset(KeyFigureQuerySet)()
    history = History(m2m_fields=["sources"])

    class Meta:
        ordering = ["indicator", "year"]
        verbose_name = _("chiffre clé")
        verbose_name_plural = _("chiffres clés")
        permissions = [("publish_keyfigure", _("Peut publier, programmer et archiver un chiffre clé"))]

    def __str__(self) -> str:
        return f"{self.label} ({self.year})"
