"""Add synthetic data at scale for benchmarks, or remove it (--clear). Never touches real rows.

Every row made here has is_synthetic=True and a slug starting with "demo-"; synthetic rows only point to other
synthetic rows (plus the shared vocabularies: regions, themes, phases), so real pages are unchanged.
"""

from __future__ import annotations

import datetime
import random
import re
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from events.models import Appearance, Event, Person, Session
from poles import versioning
from poles.models import Membership, Organisation, Pole, PoleLabel, Region, Theme
from poles.validators import naf_labels
from policy.models import Phase

BATCH = 2000
CITIES = ["Lyon", "Toulouse", "Nantes", "Lille", "Rennes", "Grenoble", "Bordeaux", "Strasbourg", "Marseille", "Dijon"]
FIRST_NAMES = ["Camille", "Dominique", "Claude", "Alix", "Sacha", "Morgan", "Yannick", "Maxime", "Lou", "Charlie"]
LAST_NAMES = ["Martin", "Bernard", "Durand", "Petit", "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel"]
WORDS = ["innovation", "industrie", "numérique", "santé", "énergie", "mobilité", "matériaux", "export", "PME", "filière"]


class Command(BaseCommand):
    help = "Ajoute des données synthétiques (marquées comme telles) pour les essais de charge, ou les retire (--clear)."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=1000, help="Nombre d'organisations membres.")
        parser.add_argument("--events", type=int, default=100, help="Nombre d'événements (10 séquences chacun).")
        parser.add_argument("--poles", type=int, default=None, help="Nombre de pôles (par défaut : membres / 200).")
        parser.add_argument("--people", type=int, default=None, help="Nombre d'intervenants (par défaut : 2 par événement).")
        parser.add_argument("--sessions-per-event", type=int, default=10)
        parser.add_argument("--seed", type=int, default=2004, help="Graine du générateur, pour des données reproductibles.")
        parser.add_argument("--clear", action="store_true", help="Supprimer toutes les données synthétiques, et rien d'autre.")

    def handle(self, *args, **options):
        if options["clear"]:
            with transaction.atomic():
                counts = clear_synthetic()
            versioning.bump()
            self.stdout.write("Données synthétiques supprimées : " + ", ".join(f"{n} {label}" for label, n in counts.items()))
            return
        for name in ("members", "events"):
            if options[name] < 0:
                raise CommandError(f"--{name} doit être positif ou nul.")
        if Pole.objects.synthetic().exists():
            raise CommandError("Des données synthétiques existent déjà : lancez d'abord « seed_demo --clear ».")
        if not Region.objects.exists() or not Theme.objects.exists() or not Phase.objects.exists():
            raise CommandError("Chargez d'abord les données réelles (manage.py load_real_data) : régions, thèmes et phases.")
        started = time.monotonic()
        generator = DemoGenerator(random.Random(options["seed"]), self.stdout)
        poles = options["poles"] if options["poles"] is not None else max(10, options["members"] // 200)
        people = options["people"] if options["people"] is not None else max(10, options["events"] * 2)
        with transaction.atomic():
            generator.make_poles(poles)
            generator.make_members(options["members"])
            generator.make_people(people)
            generator.make_events(options["events"], options["sessions_per_event"])
        versioning.bump()  # bulk writes send no signals
        with connection.cursor() as cursor:
            # The planner's statistics, and on PostgreSQL the visibility map that lets indexes answer alone, as a running
            # database has them: otherwise autovacuum does this work in the middle of whatever is measured next.
            # (VACUUM cannot run inside a transaction, as in the tests.)
            vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        self.stdout.write(f"Terminé en {time.monotonic() - started:.1f} s.")


def clear_synthetic() -> dict[str, int]:
    from events.indexing import delete_entries
    from events.models import SearchEntry
    from events.signals import indexing_suspended
    from poles.history import history_suspended

    counts = {}
    # Synthetic rows leave no history behind (they were bulk-created without any) and go in plain DELETEs.
    with indexing_suspended(), history_suspended():
        delete_entries(SearchEntry.objects.filter(is_synthetic=True))
        for label, model in MODELS_CHILDREN_FIRST:
            # Children first, so each delete is a plain DELETE rather than a cascade gathered row by row.
            deleted, _ = model.objects.filter(is_synthetic=True).delete()
            counts[label] = deleted
    return counts


MODELS_CHILDREN_FIRST = [
    ("interventions", Appearance),
    ("séquences", Session),
    ("événements", Event),
    ("intervenants", Person),
    ("adhésions", Membership),
    ("organisations", Organisation),
    ("pôles", Pole),
]


def real_vocabulary() -> tuple[list[str], list[int]]:
    """The words of the real texts of the archive, the pôles and the policy, with their counts.

    Common words only (four letters or more, in lower case): no name of a real person, pôle or organisation ends up
    in a synthetic text, so searching a real name still finds real rows only.
    """
    from collections import Counter

    from policy.models import Orientation

    texts = [
        *Event.objects.real().values_list("title", "theme", "summary"),
        *Session.objects.real().values_list("title", "summary"),
        *Pole.objects.real().values_list("summary"),
        *Phase.objects.values_list("name", "summary"),
        *Orientation.objects.values_list("text"),
    ]
    counts = Counter(
        word for row in texts for text in row for word in re.findall(r"\b[a-zàâäçéèêëîïôöùûüÿœæ][^\W\d_]{3,}", text or "")
    )
    if not counts:
        raise CommandError("Chargez d'abord les données réelles (manage.py load_real_data) : elles donnent le vocabulaire.")
    words = sorted(counts)
    return words, [counts[word] for word in words]


class DemoGenerator:
    def __init__(self, rng: random.Random, stdout) -> None:
        self.rng = rng
        self.stdout = stdout
        self.regions = list(Region.objects.all())
        self.themes = list(Theme.objects.all())
        self.phases = list(Phase.objects.all())
        self.naf_codes = sorted(naf_labels())
        self.vocabulary, self.weights = real_vocabulary()

    def words(self, low: int, high: int) -> str:
        """Words drawn as often as they occur in the real texts: searches meet realistic frequencies."""
        return " ".join(self.rng.choices(self.vocabulary, self.weights, k=self.rng.randint(low, high)))

    def _report(self, what: str, count: int) -> None:
        self.stdout.write(f"  {count} {what}")

    def make_poles(self, count: int) -> None:
        poles = [
            Pole(
                name=f"Pôle démo {i:04d} {self.rng.choice(WORDS)}",
                slug=f"demo-pole-{i:04d}",
                summary="Pôle fictif créé pour les essais de charge.",
                hq_city=self.rng.choice(CITIES),
                founded_year=self.rng.randint(2005, 2023),
                fate=self.rng.choice([Pole.Fate.ACTIVE] * 4 + [Pole.Fate.MERGED]),
                is_synthetic=True,
            )
            for i in range(count)
        ]
        for pole in poles:
            pole.search_text = pole.build_search_text()
        Pole.objects.bulk_create(poles, batch_size=BATCH)
        self.poles = list(Pole.objects.synthetic().only("id"))
        Region_through, Theme_through = Pole.regions.through, Pole.themes.through
        Region_through.objects.bulk_create(
            [Region_through(pole_id=p.id, region_id=self.rng.choice(self.regions).id) for p in self.poles], batch_size=BATCH
        )
        Theme_through.objects.bulk_create(
            [Theme_through(pole_id=p.id, theme_id=self.rng.choice(self.themes).id) for p in self.poles], batch_size=BATCH
        )
        PoleLabel.objects.bulk_create(
            [PoleLabel(pole_id=p.id, phase_id=phase.id) for p in self.poles for phase in self.rng.sample(self.phases, 2)],
            batch_size=BATCH,
        )
        self._report("pôles", count)

    def make_members(self, count: int) -> None:
        kinds = [Organisation.Kind.COMPANY] * 8 + [Organisation.Kind.RESEARCH, Organisation.Kind.TRAINING]
        sizes = [Organisation.SizeClass.TPE] * 3 + [Organisation.SizeClass.PME] * 5 + [
            Organisation.SizeClass.ETI, Organisation.SizeClass.GE
        ]
        organisations = []
        for i in range(count):
            kind = self.rng.choice(kinds)
            organisations.append(
                Organisation(
                    name=f"Organisation démo {i:06d}",
                    slug=f"demo-organisation-{i:06d}",
                    kind=kind,
                    size_class=self.rng.choice(sizes) if kind == Organisation.Kind.COMPANY else "",
                    naf_code=self.rng.choice(self.naf_codes) if kind == Organisation.Kind.COMPANY else "",
                    city=self.rng.choice(CITIES),
                    region_id=self.rng.choice(self.regions).id,
                    is_synthetic=True,
                )
            )
        for organisation in organisations:
            organisation.search_text = organisation.build_search_text()
        Organisation.objects.bulk_create(organisations, batch_size=BATCH)
        member_ids = list(Organisation.objects.synthetic().values_list("id", flat=True))
        memberships = []
        for member_id in member_ids:
            # Most members belong to one pôle, some to two or three (as in the 2019 figures: ~200 members a pôle).
            for pole in self.rng.sample(self.poles, min(len(self.poles), self.rng.choice([1, 1, 1, 2, 3]))):
                memberships.append(
                    Membership(
                        pole_id=pole.id,
                        organisation_id=member_id,
                        since_year=self.rng.randint(2005, 2025),
                        is_synthetic=True,
                    )
                )
        Membership.objects.bulk_create(memberships, batch_size=BATCH)
        self._report(f"organisations ({len(memberships)} adhésions)", count)

    def make_people(self, count: int) -> None:
        people = []
        for i in range(count):
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            people.append(
                Person(
                    name=f"{first} {last} (démo {i:05d})",
                    sort_name=f"{last}, {first} ({i:05d})",
                    slug=f"demo-personne-{i:05d}",
                    is_synthetic=True,
                )
            )
        Person.objects.bulk_create(people, batch_size=BATCH)
        self.people = list(Person.objects.synthetic().values_list("id", flat=True))
        self._report("intervenants", count)

    def make_events(self, count: int, sessions_per_event: int) -> None:
        start = datetime.date(2005, 1, 1)
        events = [
            Event(
                title=f"Journée démo n° {i + 1} : {self.words(3, 6)}",
                slug=f"demo-evenement-{i:05d}",
                kind=self.rng.choice(list(Event.Kind.values)),
                series=Event.Series.OTHER,
                date=start + datetime.timedelta(days=self.rng.randint(0, 365 * 21)),
                city=self.rng.choice(CITIES),
                theme=f"Thème fictif : {self.words(2, 4)}",
                summary=f"Événement fictif créé pour les essais de charge. {self.words(15, 40)}",
                is_synthetic=True,
            )
            for i in range(count)
        ]
        Event.objects.bulk_create(events, batch_size=BATCH)
        event_ids = list(Event.objects.synthetic().values_list("id", flat=True))
        kinds = list(Session.Kind.values)
        sessions = [
            Session(
                event_id=event_id,
                order=order,
                anchor=f"sequence-{order}",
                kind=kinds[0] if order == 1 else self.rng.choice(kinds),
                title=f"Séquence {order} : {self.words(3, 7)}",
                summary=f"Échanges fictifs : {self.words(12, 35)}.",
                is_synthetic=True,
            )
            for event_id in event_ids
            for order in range(1, sessions_per_event + 1)
        ]
        Session.objects.bulk_create(sessions, batch_size=BATCH)
        session_ids = list(Session.objects.synthetic().values_list("id", flat=True))
        through = Session.poles.through
        through.objects.bulk_create(
            [through(session_id=s, pole_id=self.rng.choice(self.poles).id) for s in session_ids], batch_size=BATCH
        )
        appearances = []
        for session_id in session_ids:
            for order, person_id in enumerate(self.rng.sample(self.people, min(len(self.people), 3))):
                appearances.append(
                    Appearance(
                        session_id=session_id,
                        person_id=person_id,
                        role=Appearance.Role.MODERATOR if order == 0 else Appearance.Role.SPEAKER,
                        position="Fonction fictive",
                        order=order,
                        is_synthetic=True,
                    )
                )
        Appearance.objects.bulk_create(appearances, batch_size=BATCH)
        from events.indexing import reindex_events

        reindex_events(event_ids)
        self._report(f"événements ({len(session_ids)} séquences, {len(appearances)} interventions)", count)
