"""The public datasets of /donnees/ and the records of the API, each defined once.

Every queryset starts from the site's publication rule (`published()`, `published_filter()`): drafts, scheduled,
archived and deleted rows never appear, and a row reached through a relation (a membership's organisation, a
session's pôles) appears only if that row is public too. Synthetic rows (seed_demo's load-test data) are public
while they exist, as on every list of the site.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from events.models import Appearance, Event, Person, SearchEntry, Session
from opendata.changes import content, history, reference
from opendata.columns import (
    Boolean,
    Column,
    Context,
    Dataset,
    Date,
    DateTime,
    Decimal,
    Integer,
    ListOf,
    Text,
    Url,
    count_of,
    joined,
    page_url,
)
from poles.content import DatePrecision, Source, published_filter
from poles.models import Indicator, Membership, Organisation, Pole, PoleLabel, Region, Theme, Unit
from poles.validators import naf_labels
from policy.models import KeyFigure, Phase


def _public_slug(model, pk_path: str):
    """The slug of the row a foreign key points to, only if the public may see that row (built at each query: what
    is public depends on the time)."""
    return lambda: Subquery(model.objects.published().filter(pk=OuterRef(pk_path)).values("slug")[:1])


def _sources(related_name: str) -> Column:
    return Column(
        "sources",
        ListOf(Text()),
        _("Sources des informations : adresses web, ou références complètes des documents qui n'en ont pas."),
        source=joined(lambda: Source.objects.filter(**{related_name: OuterRef("pk")}), "reference"),
    )


def _updated_at() -> Column:
    return Column("updated_at", DateTime(), _("Date et heure de la dernière modification de la ligne."))


def _event_url(row: dict, context: Context) -> str:
    url = context.page_url("events:event-detail", row["event"])
    return f"{url}#{row['anchor']}" if row.get("anchor") else url


# Pôles


def pole_rows():
    members = Membership.objects.filter(published_filter("organisation__"), pole=OuterRef("pk"))
    # `member_count` is the name PoleFilter's sort by number of members orders on.
    return Pole.objects.published().annotate(member_count=count_of(members)).order_by("name", "pk")


POLES = Dataset(
    slug="poles",
    title=_("Pôles de compétitivité"),
    description=_("Chaque pôle de compétitivité, en activité ou non : régions, thématiques, phases de labellisation, "
                  "devenir, nombre de membres et sources."),
    schema_name="Pole",
    queryset=pole_rows,
    changes=(content(Pole), content(Phase), history(PoleLabel), history(Membership), content(Organisation),
             reference(Region), reference(Theme), reference(Source)),
    columns=[
        Column("slug", Text(), _("Identifiant stable du pôle, repris dans l'adresse de sa page.")),
        Column("name", Text(), _("Nom du pôle.")),
        Column("short_name", Text(), _("Nom court ou sigle."), nullable=True),
        Column("url", Url(), _("Adresse de la page du pôle sur ce site."), source="slug",
               convert=page_url("poles:pole-detail")),
        Column("summary", Text(), _("Présentation du pôle."), nullable=True),
        Column("hq_city", Text(), _("Ville du siège."), nullable=True),
        Column("regions", ListOf(Text()), _("Régions du pôle (identifiants du jeu de données « Régions »)."),
               source=joined(lambda: Region.objects.filter(poles=OuterRef("pk")), "slug")),
        Column("themes", ListOf(Text()), _("Thématiques du pôle (identifiants du jeu de données « Thématiques »)."),
               source=joined(lambda: Theme.objects.filter(poles=OuterRef("pk")), "slug")),
        Column("specialities", ListOf(Text()), _("Domaines plus précis, dans l'ordre où le pôle les présente."),
               source="specialities",
               convert=lambda value, context: [item.strip() for item in value.split(";") if item.strip()]),
        Column("website", Url(), _("Site internet du pôle."), nullable=True),
        Column("founded_year", Integer(), _("Année de la première labellisation, ou de la fusion qui a créé le pôle."),
               nullable=True),
        Column("category_2007", Text(), _("Catégorie du pôle dans le classement de 2007 ; vide pour un pôle qui n'en "
                                          "faisait pas partie."), nullable=True, choices=Pole.Category2007.choices),
        Column("category_2007_inferred", Boolean(), _("Vrai si la catégorie « national » est déduite (pôle de 2007 "
                                                      "absent des listes mondial et à vocation mondiale).")),
        Column("phases", ListOf(Integer()), _("Numéros des phases de la politique pour lesquelles le pôle a été "
                                              "labellisé (jeu de données « Phases »)."),
               source=joined(lambda: PoleLabel.objects.filter(published_filter("phase__"), pole=OuterRef("pk")),
                             "phase__number")),
        Column("phases_inferred", ListOf(Integer()), _("Parmi ces phases, celles dont la labellisation est déduite des "
                                                       "sources plutôt que lue dans une liste officielle."),
               source=joined(lambda: PoleLabel.objects.filter(published_filter("phase__"), pole=OuterRef("pk"),
                                                              is_inferred=True), "phase__number")),
        Column("fate", Text(), _("Devenir du pôle."), choices=Pole.Fate.choices),
        Column("fate_year", Integer(), _("Année du changement de devenir (fusion, retrait du label…)."), nullable=True),
        Column("fate_note", Text(), _("Précisions sur le devenir."), nullable=True),
        Column("successor", Text(), _("Identifiant du pôle dans lequel celui-ci a fusionné."), nullable=True,
               source=_public_slug(Pole, "successor_id")),
        Column("member_count", Integer(), _("Nombre de membres publiés (jeu de données « Adhésions »)."),
               source="member_count"),
        _sources("poles"),
        _updated_at(),
    ],
)


REGIONS = Dataset(
    slug="regions",
    title=_("Régions"),
    description=_("Les 18 régions françaises (découpage de 2016) auxquelles les pôles et leurs membres sont "
                  "rattachés."),
    schema_name="Region",
    queryset=lambda: Region.objects.order_by("name", "pk"),
    changes=(reference(Region),),
    columns=[
        Column("slug", Text(), _("Identifiant stable de la région.")),
        Column("name", Text(), _("Nom de la région.")),
        Column("insee_code", Text(), _("Code officiel géographique de la région (INSEE).")),
        Column("kind", Text(), _("Région de métropole ou d'outre-mer."), choices=Region.Kind.choices),
    ],
)


THEMES = Dataset(
    slug="thematiques",
    title=_("Thématiques"),
    description=_("Les domaines dans lesquels travaillent les pôles (vocabulaire propre à ce site, non officiel)."),
    schema_name="Theme",
    queryset=lambda: Theme.objects.order_by("name", "pk"),
    changes=(reference(Theme),),
    columns=[
        Column("slug", Text(), _("Identifiant stable de la thématique.")),
        Column("name", Text(), _("Nom de la thématique.")),
        Column("description", Text(), _("Ce que couvre la thématique."), nullable=True),
    ],
)


# Members


def member_rows():
    poles = Membership.objects.filter(published_filter("pole__"), organisation=OuterRef("pk"))
    return Organisation.objects.published().annotate(pole_count=count_of(poles)).order_by("name", "pk")


MEMBERS = Dataset(
    slug="membres",
    title=_("Membres des pôles"),
    description=_("Les entreprises, laboratoires, établissements de formation et organismes publics membres d'au moins "
                  "un pôle ou cités par les sources."),
    schema_name="Member",
    queryset=member_rows,
    changes=(content(Organisation), history(Membership), content(Pole), reference(Region), reference(Source)),
    columns=[
        Column("slug", Text(), _("Identifiant stable de l'organisation, repris dans l'adresse de sa page.")),
        Column("name", Text(), _("Nom de l'organisation.")),
        Column("short_name", Text(), _("Sigle."), nullable=True),
        Column("kind", Text(), _("Type d'organisation."), choices=Organisation.Kind.choices),
        Column("size_class", Text(), _("Taille de l'entreprise (pour les entreprises seulement)."), nullable=True,
               choices=Organisation.SizeClass.choices),
        Column("siren", Text(), _("Numéro SIREN (9 chiffres)."), nullable=True),
        Column("naf_code", Text(), _("Code de l'activité principale (nomenclature NAF rév. 2)."), nullable=True),
        Column("naf_label", Text(), _("Libellé de cette activité dans la nomenclature NAF rév. 2."), nullable=True,
               source="naf_code", convert=lambda code, context: naf_labels().get(code, "")),
        Column("city", Text(), _("Ville."), nullable=True),
        Column("region", Text(), _("Région (identifiant du jeu de données « Régions »)."), nullable=True,
               source="region__slug"),
        Column("website", Url(), _("Site internet."), nullable=True),
        Column("description", Text(), _("Présentation de l'organisation."), nullable=True),
        Column("pole_count", Integer(), _("Nombre de pôles publiés dont l'organisation est membre."),
               source="pole_count"),
        Column("url", Url(), _("Adresse de la page de l'organisation sur ce site."), source="slug",
               convert=page_url("poles:member-detail")),
        _sources("organisations"),
        _updated_at(),
    ],
)


def membership_rows():
    return Membership.objects.filter(published_filter("pole__"), published_filter("organisation__")).order_by(
        "pole__slug", "organisation__slug"
    )


MEMBERSHIPS = Dataset(
    slug="adhesions",
    title=_("Adhésions"),
    description=_("Quelle organisation est membre de quel pôle, avec son rôle et ses années d'adhésion quand les "
                  "sources les donnent."),
    schema_name="Membership",
    queryset=membership_rows,
    changes=(history(Membership), content(Pole), content(Organisation), reference(Source)),
    columns=[
        Column("pole", Text(), _("Pôle (identifiant du jeu de données « Pôles »)."), source="pole__slug"),
        Column("organisation", Text(), _("Organisation membre (identifiant du jeu de données « Membres »)."),
               source="organisation__slug"),
        Column("role", Text(), _("Rôle de l'organisation dans le pôle."), choices=Membership.Role.choices),
        Column("since_year", Integer(), _("Année d'entrée dans le pôle."), nullable=True),
        Column("until_year", Integer(), _("Année de sortie du pôle."), nullable=True),
        Column("source", Text(), _("Source de l'adhésion : adresse web ou référence du document."), nullable=True,
               source="source__reference"),
    ],
)


# Events


def event_rows():
    return Event.objects.published().annotate(
        session_count=count_of(Session.objects.published().filter(event=OuterRef("pk")))
    ).order_by("-date", "title", "pk")


EVENTS = Dataset(
    slug="evenements",
    title=_("Événements"),
    description=_("Les journées nationales, forums, ateliers et annonces de la politique des pôles depuis 2004."),
    schema_name="Event",
    queryset=event_rows,
    changes=(content(Event), content(Session), reference(Source)),
    columns=[
        Column("slug", Text(), _("Identifiant stable de l'événement, repris dans l'adresse de sa page.")),
        Column("title", Text(), _("Titre de l'événement.")),
        Column("kind", Text(), _("Type d'événement."), choices=Event.Kind.choices),
        Column("series", Text(), _("Série à laquelle l'événement appartient."), choices=Event.Series.choices),
        Column("edition", Integer(), _("Numéro d'édition dans sa série."), nullable=True),
        Column("date", Date(), _("Date de l'événement ; seule la partie que donne « date_precision » est connue.")),
        Column("date_precision", Text(), _("Précision de la date : jour, mois ou année seulement."),
               choices=DatePrecision.choices),
        Column("date_note", Text(), _("Précision sur la date."), nullable=True),
        Column("venue", Text(), _("Lieu."), nullable=True),
        Column("city", Text(), _("Ville."), nullable=True),
        Column("theme", Text(), _("Thème de l'événement."), nullable=True),
        Column("summary", Text(), _("Résumé."), nullable=True),
        Column("session_count", Integer(), _("Nombre de séquences publiées (jeu de données « Séquences »)."),
               source="session_count"),
        Column("url", Url(), _("Adresse de la page de l'événement sur ce site."), source="slug",
               convert=page_url("events:event-detail")),
        _sources("events"),
        _updated_at(),
    ],
)


def session_rows():
    return Session.objects.appearing().order_by("-event__date", "event__title", "event_id", "order")


SESSIONS = Dataset(
    slug="sequences",
    title=_("Séquences des événements"),
    description=_("Les parties de chaque événement dans l'ordre du programme (ouverture, interventions, tables "
                  "rondes…), avec les pôles et organisations qui y ont présenté."),
    schema_name="Session",
    queryset=session_rows,
    changes=(content(Session), content(Event), content(Pole), content(Organisation)),
    columns=[
        Column("event", Text(), _("Événement (identifiant du jeu de données « Événements »)."), source="event__slug"),
        Column("anchor", Text(), _("Identifiant de la séquence dans son événement, repris dans l'adresse (#ancre).")),
        Column("order", Integer(), _("Rang de la séquence dans le programme.")),
        Column("kind", Text(), _("Type de séquence."), choices=Session.Kind.choices),
        Column("title", Text(), _("Titre de la séquence.")),
        Column("summary", Text(), _("Résumé."), nullable=True),
        Column("poles", ListOf(Text()),
               _("Pôles qui ont présenté ou témoigné (identifiants du jeu de données « Pôles »)."),
               source=joined(lambda: Pole.objects.published().filter(sessions=OuterRef("pk")), "slug")),
        Column("organisations", ListOf(Text()),
               _("Organisations présentes (identifiants du jeu de données « Membres »)."),
               source=joined(lambda: Organisation.objects.published().filter(sessions=OuterRef("pk")), "slug")),
        Column("url", Url(), _("Adresse de la séquence sur la page de son événement."), source=None,
               convert=_event_url),
        _updated_at(),
    ],
)


def appearance_rows():
    return Appearance.objects.filter(
        published_filter("session__"), published_filter("session__event__"), published_filter("person__")
    ).order_by("-session__event__date", "session__event__title", "session__event_id", "session__order", "role",
               "order", "pk")


APPEARANCES = Dataset(
    slug="interventions",
    title=_("Interventions"),
    description=_("Qui a parlé ou animé dans quelle séquence, avec la fonction et l'organisation de la personne à la "
                  "date de l'événement."),
    schema_name="Appearance",
    queryset=appearance_rows,
    changes=(history(Appearance), content(Session), content(Event), content(Person), content(Organisation)),
    columns=[
        Column("event", Text(), _("Événement (identifiant du jeu de données « Événements »)."),
               source="session__event__slug"),
        Column("session", Text(), _("Séquence (son identifiant « anchor » dans le jeu de données « Séquences »)."),
               source="session__anchor"),
        Column("person", Text(), _("Identifiant stable de la personne, repris dans l'adresse de sa page."),
               source="person__slug"),
        Column("person_name", Text(), _("Nom de la personne."), source="person__name"),
        Column("role", Text(), _("Rôle dans la séquence."), choices=Appearance.Role.choices),
        Column("position", Text(), _("Fonction de la personne à la date de l'événement."), nullable=True),
        Column("organisation", Text(), _("Organisation de la personne à la date de l'événement (identifiant du jeu de "
                                         "données « Membres »)."), nullable=True,
               source=_public_slug(Organisation, "organisation_id")),
        Column("order", Integer(), _("Rang de la personne parmi celles de la séquence qui ont le même rôle.")),
        Column("person_url", Url(), _("Adresse de la page de la personne sur ce site."), source="person__slug",
               convert=page_url("events:person-detail")),
    ],
)


# Policy


PHASES = Dataset(
    slug="phases",
    title=_("Phases de la politique des pôles"),
    description=_("Les phases successives de la politique de l'État, chacune avec sa vague de labellisation."),
    schema_name="Phase",
    queryset=lambda: Phase.objects.published().order_by("number"),
    changes=(content(Phase), reference(Source)),
    columns=[
        Column("number", Integer(), _("Numéro de la phase.")),
        Column("slug", Text(), _("Identifiant stable de la phase, repris dans l'adresse de sa page.")),
        Column("name", Text(), _("Nom de la phase.")),
        Column("nickname", Text(), _("Surnom usuel."), nullable=True),
        Column("start_year", Integer(), _("Première année.")),
        Column("end_year", Integer(), _("Dernière année.")),
        Column("period_note", Text(), _("Précision sur les dates."), nullable=True),
        Column("summary", Text(), _("Présentation de la phase.")),
        Column("poles_labelled", Integer(), _("Nombre de pôles labellisés pour la phase, selon les sources."),
               nullable=True),
        Column("poles_labelled_note", Text(), _("Précision sur ce nombre."), nullable=True),
        Column("url", Url(), _("Adresse de la page de la phase sur ce site."), source="slug",
               convert=page_url("policy:phase-detail")),
        _sources("phases"),
        _updated_at(),
    ],
)


KEY_FIGURES = Dataset(
    slug="chiffres-cles",
    title=_("Chiffres clés nationaux"),
    description=_("Les chiffres nationaux de la politique des pôles, année par année, tels que leurs sources les "
                  "donnent."),
    schema_name="KeyFigure",
    queryset=lambda: KeyFigure.objects.published().order_by("indicator", "year", "label", "pk"),
    changes=(content(KeyFigure), reference(Source)),
    columns=[
        Column("slug", Text(), _("Identifiant stable du chiffre.")),
        Column("indicator", Text(), _("Ce que le chiffre compte."), choices=Indicator.choices),
        Column("label", Text(), _("Libellé du chiffre, tel que la source le formule.")),
        Column("year", Integer(), _("Année à laquelle le chiffre se rapporte.")),
        Column("value", Decimal(), _("Valeur, dans l'unité de la colonne « unit »."),),
        Column("unit", Text(), _("Unité de la valeur."), choices=Unit.choices),
        Column("is_lower_bound", Boolean(), _("Vrai si la source dit « plus de » cette valeur.")),
        Column("note", Text(), _("Précision (périmètre, cumul, période couverte…)."), nullable=True),
        _sources("key_figures"),
        _updated_at(),
    ],
)


DATASETS = {dataset.slug: dataset for dataset in
            (POLES, REGIONS, THEMES, MEMBERS, MEMBERSHIPS, EVENTS, SESSIONS, APPEARANCES, PHASES, KEY_FIGURES)}


# The archive search's hits: records of the API only (a search is no dataset to download).


def _excerpt(row: dict, context: Context) -> str:
    from django.utils.html import strip_tags

    from events.views import snippet_for

    hit = SimpleNamespace(title=row["hit_title"], names=row["hit_names"], body=row["hit_body"],
                          context=row["hit_context"])
    return strip_tags(snippet_for(hit, context.lexemes))


SEARCH_HITS = Dataset(
    slug="recherche",
    title=_("Résultats d'une recherche dans l'archive"),
    description=_("Une séquence, ou un événement pour ses propres textes, qui répond à la recherche."),
    schema_name="SearchHit",
    queryset=lambda: SearchEntry.objects.none(),
    changes=(content(Event), content(Session)),
    helpers={"hit_title": "title", "hit_names": "names", "hit_body": "body", "hit_context": "context"},
    keep=("rank",),
    columns=[
        Column("date", Date(), _("Date de l'événement ; seule la partie que donne « date_precision » est connue.")),
        Column("date_precision", Text(), _("Précision de la date : jour, mois ou année seulement."),
               source="event__date_precision", choices=DatePrecision.choices),
        Column("event", Text(), _("Événement (identifiant du jeu de données « Événements »)."), source="event__slug"),
        Column("event_title", Text(), _("Titre de l'événement."), source="event__title"),
        Column("event_kind", Text(), _("Type d'événement."), choices=Event.Kind.choices),
        Column("anchor", Text(), _("Séquence trouvée (son identifiant « anchor ») ; vide quand c'est l'événement "
                                   "lui-même qui répond."), nullable=True, source="session__anchor"),
        Column("session_title", Text(), _("Titre de la séquence trouvée."), nullable=True, source="session__title"),
        Column("session_kind", Text(), _("Type de la séquence trouvée."), nullable=True, choices=Session.Kind.choices),
        Column("excerpt", Text(), _("Extrait du texte où les mots cherchés apparaissent."), nullable=True, source=None,
               convert=_excerpt),
        Column("url", Url(), _("Adresse de la séquence ou de l'événement sur ce site."), source=None,
               convert=_event_url),
    ],
)
