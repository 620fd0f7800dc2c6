from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Prefetch
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from poles.content import (
    Content, ContentManager, ContentQuerySet, DatePrecision, Source, public_index, published_filter,
    scheduled_index,
)
from poles.history import History
from poles.models import Organisation, Pole


class YearOfDate(ExtractYear):
    """The year of a date column, as ExtractYear gives it, without a Python call per row on SQLite.

    SQLite stores a date as ISO text and Django extracts its year through a function of its own, written in Python:
    10 000 calls for the year facet of the event list (28 ms), one per hit for an archive search. The first four
    characters say it directly. Date columns only: a datetime's year depends on the time zone.
    """

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        return f"CAST(substr({sql}, 1, 4) AS INTEGER)", params

    def as_postgresql(self, compiler, connection, **extra_context):
        # EXTRACT gives a numeric: grouped as an integer, the years of 17 000 hits count in 3.5 ms instead of 5.5.
        sql, params = self.as_sql(compiler, connection)
        return f"CAST({sql} AS INTEGER)", params


class Person(Content):
    """Someone who spoke or moderated at an event; roles belong to each appearance."""

    name = models.CharField(_("nom complet"), max_length=200)
    sort_name = models.CharField(_("nom pour le tri"), max_length=200, help_text=_("Nom de famille d'abord."))
    slug = models.SlugField(_("identifiant d'adresse"), max_length=200, unique=True)
    summary = models.TextField(_("présentation"), blank=True)
    sources = models.ManyToManyField(Source, blank=True, related_name="people", verbose_name=_("sources"))

    history = History(m2m_fields=["sources"])

    class Meta:
        ordering = ["sort_name"]
        indexes = [scheduled_index("person_scheduled")]
        verbose_name = _("intervenant")
        verbose_name_plural = _("intervenants")
        permissions = [("publish_person", _("Peut publier, programmer et archiver un intervenant"))]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("events:person-detail", args=[self.slug])


class EventQuerySet(ContentQuerySet):
    def for_archive(self) -> EventQuerySet:
        return self.published().order_by("-date", "title")

    def with_session_count(self, sessions: models.QuerySet | None = None) -> EventQuerySet:
        """`session_count`: each event's sessions among `sessions` (the public ones by default), counted for the rows
        read only (a subquery), not by grouping every event's sessions before a page of them is taken."""
        from django.db.models import Count, OuterRef, Subquery
        from django.db.models.functions import Coalesce

        sessions = Session.objects.published() if sessions is None else sessions
        sessions = sessions.filter(event=OuterRef("pk")).order_by().values("event").annotate(n=Count("pk"))
        return self.annotate(session_count=Coalesce(Subquery(sessions.values("n")), 0))

    def for_detail(self, with_unpublished_sessions: bool = False) -> EventQuerySet:
        """What an event's page shows. Not filtered on publication: the view shows the public events, and staff
        preview the others (poles.preview); staff previewing sessions also see the sessions not yet public."""
        sessions = Session.objects.alive() if with_unpublished_sessions else Session.objects.published()
        sessions = sessions.prefetch_related(
            Prefetch(
                "appearances",
                queryset=Appearance.objects.filter(published_filter("person__")).select_related("person", "organisation"),
            ),
            Prefetch("poles", queryset=Pole.objects.published().order_by("name")),
            Prefetch("organisations", queryset=Organisation.objects.published().order_by("name")),
        )
        return self.prefetch_related(Prefetch("sessions", queryset=sessions), "sources")


class Event(Content):
    """A national day, forum or workshop of the pôles."""

    class Kind(models.TextChoices):
        FORUM = "forum", _("Forum des pôles")
        NATIONAL_DAY = "journee-nationale", _("Journée nationale des pôles")
        WORKSHOP = "atelier", _("Atelier d'échanges")
        ANNOUNCEMENT = "annonce", _("Annonce ou lancement")

    class Series(models.TextChoices):
        NATIONAL_MEETING = "rencontre-nationale", _("Rencontre nationale annuelle des pôles")
        WORKSHOPS = "ateliers", _("Ateliers du groupe de travail interministériel")
        OTHER = "autres", _("Autres rendez-vous")

    title = models.CharField(_("titre"), max_length=300)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=200, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, db_index=True)
    series = models.CharField(_("série"), max_length=20, choices=Series.choices, default=Series.OTHER)
    edition = models.PositiveSmallIntegerField(_("numéro d'édition"), null=True, blank=True)
    date = models.DateField(_("date"), db_index=True)
    date_precision = models.CharField(_("précision de la date"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    date_note = models.CharField(_("précision sur la date"), max_length=300, blank=True)
    venue = models.CharField(_("lieu"), max_length=200, blank=True)
    city = models.CharField(_("ville"), max_length=120, blank=True)
    theme = models.CharField(_("thème"), max_length=400, blank=True)
    summary = models.TextField(_("résumé"), blank=True)
    summary_en = models.TextField(
        _("résumé en anglais"), blank=True,
        help_text=_("Pour la version anglaise du site. Vide : la page anglaise montre le texte français et le signale."),
    )
    sources = models.ManyToManyField(Source, blank=True, related_name="events", verbose_name=_("sources"))

    objects = ContentManager.from_queryset(EventQuerySet)()
    history = History(m2m_fields=["sources"])
    required_for_publication = {"date": _("la date"), "sessions": _("au moins une séquence")}

    class Meta:
        ordering = ["-date", "title"]
        indexes = [
            # The previous and next events of a series, on each event page: without it, the whole table is read.
            models.Index(fields=["series", "date"], name="event_series_date"),
            # The public events only, in the archive's order: the event list's page is read from it in order, and
            # its total and year and kind facets can be read from it alone (PostgreSQL does so with the
            # random_page_cost that config.settings sets; at the default it read the 10 000 rows of the table).
            public_index("-date", "title", "kind", "publish_at", name="event_archive"),
            scheduled_index("event_scheduled"),
        ]
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
        permissions = [("publish_event", _("Peut publier, programmer et archiver un événement"))]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:event-detail", args=[self.slug])


class SessionQuerySet(ContentQuerySet):
    def appearing(self) -> SessionQuerySet:
        """Published sessions of published events, in archive order (newest first)."""
        return (
            self.published()
            .filter(published_filter("event__"))
            .select_related("event")
            .order_by("-event__date", "event__title", "order")
        )

    def for_pole(self, pole: Pole) -> SessionQuerySet:
        return self.appearing().filter(poles=pole)

    def for_organisation(self, organisation: Organisation) -> SessionQuerySet:
        return self.appearing().filter(organisations=organisation)


class Session(Content):
    """A part of an event, in programme order: opening, speech, round table, Q&A."""

    class Kind(models.TextChoices):
        OPENING = "opening", _("Ouverture")
        SPEECH = "speech", _("Intervention")
        ROUND_TABLE = "round-table", _("Table ronde")
        QA = "qa", _("Questions-réponses")
        CLOSING = "closing", _("Clôture")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("événement"))
    order = models.PositiveSmallIntegerField(_("ordre"))
    anchor = models.SlugField(
        _("ancre"), max_length=80, help_text=_("Fin de l'adresse qui mène directement à cette séquence (#ancre).")
    )
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices, db_index=True)
    title = models.CharField(_("titre"), max_length=300)
    summary = models.TextField(_("résumé"), blank=True)
    summary_en = models.TextField(
        _("résumé en anglais"), blank=True,
        help_text=_("Pour la version anglaise du site. Vide : la page anglaise montre le texte français et le signale."),
    )
    poles = models.ManyToManyField(
        Pole, blank=True, related_name="sessions", verbose_name=_("pôles présents"),
        help_text=_("Pôles qui ont présenté ou témoigné pendant cette séquence."),
    )
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="sessions", verbose_name=_("organisations présentes")
    )

    class Meta:
        ordering = ["event", "order"]
        constraints = [
            models.UniqueConstraint(fields=["event", "order"], name="unique_session_order"),
            models.UniqueConstraint(fields=["event", "anchor"], name="unique_session_anchor"),
        ]
        indexes = [scheduled_index("session_scheduled")]
        verbose_name = _("séquence")
        verbose_name_plural = _("séquences")
        permissions = [("publish_session", _("Peut publier, programmer et archiver une séquence"))]

    class Manager(ContentManager.from_queryset(SessionQuerySet)):
        def get_by_natural_key(self, event_slug: str, anchor: str):
            return self.get(event__slug=event_slug, anchor=anchor)

    objects = Manager()
    history = History(m2m_fields=["poles", "organisations"])
    # Speakers or moderators: a round table may only name who led it.
    required_for_publication = {"appearances": _("au moins un intervenant")}

    def __str__(self) -> str:
        return self.title

    def natural_key(self) -> tuple:
        return (self.event.slug, self.anchor)

    natural_key.dependencies = ["events.event"]

    def get_absolute_url(self) -> str:
        return f"{self.event.get_absolute_url()}#{self.anchor}"


class Appearance(models.Model):
    """A person's part in a session, with the position they held at the time."""

    class Role(models.TextChoices):
        SPEAKER = "speaker", _("Intervenant")
        MODERATOR = "moderator", _("Animateur")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="appearances", verbose_name=_("séquence"))
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="appearances", verbose_name=_("personne"))
    role = models.CharField(_("rôle dans la séquence"), max_length=10, choices=Role.choices, default=Role.SPEAKER)
    position = models.CharField(
        _("fonction à la date de l'événement"), max_length=300, blank=True,
        help_text=_("Par exemple « ministre du redressement productif »."),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="appearances",
        verbose_name=_("organisation à la date de l'événement"),
    )
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    is_synthetic = models.BooleanField(_("donnée synthétique"), default=False, editable=False, db_index=True)

    class Meta:
        ordering = ["session", "role", "order"]
        constraints = [models.UniqueConstraint(fields=["session", "person", "role"], name="unique_appearance")]
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")

    class Manager(models.Manager):
        def get_by_natural_key(self, event_slug: str, anchor: str, person_slug: str, role: str):
            return self.get(session__event__slug=event_slug, session__anchor=anchor, person__slug=person_slug, role=role)

    objects = Manager()
    history = History()

    def __str__(self) -> str:
        return f"{self.person} — {self.session}"

    def natural_key(self) -> tuple:
        return (self.session.event.slug, self.session.anchor, self.person.slug, self.role)

    natural_key.dependencies = ["events.session", "events.person"]


class SearchEntryQuerySet(models.QuerySet):
    def visible(self) -> SearchEntryQuerySet:
        """Entries of published events, and of their published sessions (denormalised as `visible_from`)."""
        from django.utils import timezone

        return self.filter(visible_from__lte=timezone.now())

    def matching(self, parsed) -> SearchEntryQuerySet:
        """Entries that match a parsed query, annotated with `rank` (higher is better) on either engine."""
        from django.db import connection
        from django.db.models import F

        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import SearchRank

            query = parsed.postgres_query()
            return self.filter(vector=query).annotate(rank=SearchRank(F("vector"), query))
        # One join with the FTS5 table: bm25() is computed once per matching row, in the same statement.
        return self.extra(
            tables=[FTS_TABLE],
            where=[f"{FTS_TABLE}.rowid = events_searchentry.id", f"{FTS_TABLE} MATCH %s"],
            params=[parsed.fts5_expression()],
            select={"rank": f"-bm25({FTS_TABLE}, 8.0, 4.0, 1.0, 0.5)"},
        )


FTS_TABLE = "events_searchentry_fts"


class SearchEntry(models.Model):
    """What the archive search finds: one entry per session, and one per event for the event's own texts.

    `title` (weight A), `names` (B: people, positions, pôles under all their names, organisations), `body` (C:
    summaries) and `context` (D: the event a session belongs to). PostgreSQL keeps them in `vector`; SQLite in the
    FTS5 table events_searchentry_fts, analysed by events.search. Rebuilt by events.indexing on every change.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="search_entries")
    session = models.OneToOneField(Session, on_delete=models.CASCADE, null=True, related_name="search_entry")
    title = models.TextField()
    names = models.TextField(blank=True)
    body = models.TextField(blank=True)
    context = models.TextField(blank=True)
    vector = SearchVectorField(null=True)
    is_synthetic = models.BooleanField(default=False)
    # Copied from the event and the session so that filters, facets and sorting never join: see events.indexing.
    date = models.DateField()
    event_kind = models.CharField(max_length=20)
    session_kind = models.CharField(max_length=12, blank=True)
    session_order = models.PositiveSmallIntegerField(default=0)
    visible_from = models.DateTimeField(null=True)
    # The ids of what the session links to, each once: the search facets count them without joining the link tables
    # (300 000 appearances hashed for a broad search). Rebuilt with the rest of the entry.
    pole_ids = models.JSONField(default=list)
    person_ids = models.JSONField(default=list)
    organisation_ids = models.JSONField(default=list)

    objects = SearchEntryQuerySet.as_manager()
    # Rewritten in bulk by events.indexing, which moves the content version once: see poles.versioning.
    derived_from_content = True

    class Meta:
        indexes = [models.Index(fields=["date", "event", "session_order"], name="searchentry_date")]
        verbose_name = _("entrée de l'index de recherche")
        verbose_name_plural = _("entrées de l'index de recherche")

    def __str__(self) -> str:
        return self.title


class EventPole(models.Model):
    """A pôle named by at least one of an event's sessions, from the moment the public can see one of them.

    Derived from sessions and their pôles, rebuilt with the search index by events.indexing. The event list filters
    and counts its events by pôle here: one narrow row per event and pôle, instead of joining every session and its
    pôles (100 000 sessions: 400 ms for the pôle facet of the event list).
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="pole_links")
    pole = models.ForeignKey("poles.Pole", on_delete=models.CASCADE, related_name="event_links")
    # When the first session naming this pôle becomes public with its event (see Content.visible_from).
    visible_from = models.DateTimeField()

    # Rewritten in bulk by events.indexing, which moves the content version once: see poles.versioning.
    derived_from_content = True

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "pole"], name="unique_event_pole")]
        indexes = [models.Index(fields=["pole", "visible_from"], name="eventpole_pole")]
        verbose_name = _("pôle d'un événement")
        verbose_name_plural = _("pôles des événements")

    def __str__(self) -> str:
        return f"{self.event_id} — {self.pole_id}"
