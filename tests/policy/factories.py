"""Factories for the policy tests, on top of the real fixtures (pôles come from tests/factories.py)."""

from __future__ import annotations

import datetime
import itertools

from poles.content import Source
from poles.models import Indicator, Pole, PoleLabel, PoleName, Unit
from policy.models import Decision, KeyFigure, Phase, Report

_counter = itertools.count(1)


def make_source(**fields) -> Source:
    n = next(_counter)
    defaults = {"reference": f"https://exemple.org/source-essai-{n}", "title": f"Source d'essai {n}"}
    return Source.objects.create(**{**defaults, **fields})


def make_key_figure(sources: int = 1, **fields) -> KeyFigure:
    n = next(_counter)
    defaults = {
        "slug": f"chiffre-essai-{n}",
        "indicator": Indicator.PROJECTS,
        "label": f"Chiffre d'essai {n}",
        "year": 2000 + n % 25,
        "value": 100 + n,
        "unit": Unit.COUNT,
    }
    figure = KeyFigure.objects.create(**{**defaults, **fields})
    figure.sources.set([make_source() for _ in range(sources)])
    return figure


def make_decision(**fields) -> Decision:
    n = next(_counter)
    defaults = {
        "slug": f"decision-essai-{n}",
        "title": f"Décision d'essai {n}",
        "date": datetime.date(2015, 1, 1) + datetime.timedelta(days=n),
        "summary": "Décision créée pour un test.",
        "phase": Phase.objects.get(number=3),
    }
    return Decision.objects.create(**{**defaults, **fields})


def make_report(**fields) -> Report:
    n = next(_counter)
    defaults = {
        "slug": f"rapport-essai-{n}",
        "title": f"Rapport d'essai {n}",
        "kind": Report.Kind.EVALUATION,
        "author": "Auteur d'essai",
        "published_on": datetime.date(2016, 1, 1) + datetime.timedelta(days=n),
        "summary": "Rapport créé pour un test.",
    }
    return Report.objects.create(**{**defaults, **fields})


def label(pole: Pole, *phase_numbers: int) -> Pole:
    for number in phase_numbers:
        PoleLabel.objects.create(pole=pole, phase=Phase.objects.get(number=number))
    return pole


def make_former_name(pole: Pole, name: str, until: int, **fields) -> PoleName:
    return PoleName.objects.create(pole=pole, name=name, kind=PoleName.Kind.FORMER, valid_until=until, **fields)
