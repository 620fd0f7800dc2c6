from __future__ import annotations

import datetime
import unicodedata
from collections import deque
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_safe

from poles.models import Indicator, Pole, PoleName, Region, Unit
from poles.preview import public_or_preview, render_content
from policy.charts import BarChart, Point, horizontal_bar_chart
from policy.forms import PhaseCompareForm
from policy.models import Decision, KeyFigure, Phase, Report


def _policy_crumb() -> tuple[str, str]:
    return (_("Politique"), reverse("policy:phase-list"))


def _sort_key(name: str) -> str:
    """Alphabetical order as a French reader expects it (Île after Hauts), whatever the database collation."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


# Timeline (/politique/)


@dataclass
class TimelineEntry:
    date: datetime.date
    kind: str  # "decision" or "report"
    item: Decision | Report
    phase: Phase | None = None  # the published phase a decision belongs to, to link to it


@dataclass
class Period:
    """A phase, or the time before, between or after phases, with what happened then in date order."""

    phase: Phase | None
    entries: list[TimelineEntry]
    after: Phase | None = None  # for a period outside any phase: the phases around it
    before: Phase | None = None

    @property
    def first_year(self) -> int:
        return self.phase.start_year if self.phase else self.entries[0].date.year

    @property
    def last_year(self) -> int:
        return self.phase.end_year if self.phase else self.entries[-1].date.year


def _timeline(phases: list[Phase], entries: list[TimelineEntry]) -> list[Period]:
    """Places each dated entry in the phase whose years hold its date, or in a period outside the phases."""
    pending = deque(sorted(entries, key=lambda entry: (entry.date, entry.kind, entry.item.pk)))
    periods: list[Period] = []
    previous = None
    for phase in phases:
        gap = []
        while pending and pending[0].date.year < phase.start_year:
            gap.append(pending.popleft())
        if gap:
            periods.append(Period(phase=None, entries=gap, after=previous, before=phase))
        inside = []
        while pending and pending[0].date.year <= phase.end_year:
            inside.append(pending.popleft())
        periods.append(Period(phase=phase, entries=inside))
        previous = phase
    if pending:
        periods.append(Period(phase=None, entries=list(pending), after=previous))
    return periods


@require_safe
def phase_list(request: HttpRequest) -> HttpResponse:
    phases = list(Phase.objects.for_timeline())
    published = {phase.pk: phase for phase in phases}
    entries = [
        TimelineEntry(decision.date, "decision", decision, published.get(decision.phase_id))
        for decision in Decision.objects.for_timeline()
    ] + [TimelineEntry(report.published_on, "report", report) for report in Report.objects.for_timeline()]
    today = timezone.localdate()
    context = {
        "periods": _timeline(phases, entries),
        "today": today,
        "current_phase": next((p for p in phases if p.start_year <= today.year <= p.end_year), None),
        "breadcrumbs": [(_("Politique"), None)],
    }
    return render(request, "policy/phase_list.html", context)


# Key figures (/politique/chiffres-cles/)


@dataclass
class IndicatorFigures:
    indicator: str
    label: str
    figures: list[KeyFigure]
    chart: BarChart | None = None
    chart_summary: str = ""

    @property
    def chart_skipped(self) -> bool:
        """Several years, but figures that one chart cannot honestly put side by side."""
        return self.chart is None and len({figure.year for figure in self.figures}) > 1


def figure_text(figure: KeyFigure) -> str:
    """A figure as the page writes it: "plus de 8 500", "86 %", "1 500 M€"."""
    text = str(floatformat(figure.value, "-2g"))
    if figure.unit == Unit.PERCENT:
        # French puts a space before the percent sign (here a no-break one), English none.
        pattern = pgettext("pourcentage", "%(value)s %%").replace(" ", "\N{NO-BREAK SPACE}")
        text = pattern % {"value": text}
    elif figure.unit != Unit.COUNT:
        text = f"{text}\N{NO-BREAK SPACE}{figure.get_unit_display()}"
    if figure.is_lower_bound:
        text = _("plus de %(value)s") % {"value": text}
    return text


def _chart_for(group: IndicatorFigures) -> IndicatorFigures:
    figures = group.figures
    years = [figure.year for figure in figures]
    units = {figure.unit for figure in figures}
    # "Other" gathers unrelated figures; mixed units or two figures for one year cannot share one scale either.
    if group.indicator == Indicator.OTHER or len(years) < 2 or len(set(years)) < len(years) or len(units) > 1:
        return group
    if any(figure.value < 0 for figure in figures):
        return group
    points = [Point(label=str(figure.year), value=figure.value, text=figure.display_value) for figure in figures]
    group.chart = horizontal_bar_chart(points, maximum=100 if units == {Unit.PERCENT} else None)
    # A no-break space before the semicolon in French ("67 en 2005\xa0; 66 en 2006"), none in English.
    separator = pgettext("ponctuation", " ;").replace(" ", "\N{NO-BREAK SPACE}") + " "
    values = separator.join(
        _("%(value)s en %(year)s") % {"value": point.text, "year": point.label} for point in points
    )
    group.chart_summary = _("%(indicator)s, de %(first)s à %(last)s : %(values)s.") % {
        "indicator": group.label,
        "first": years[0],
        "last": years[-1],
        "values": values,
    }
    return group


@require_safe
def key_figures(request: HttpRequest) -> HttpResponse:
    by_indicator: dict[str, list[KeyFigure]] = {}
    for figure in KeyFigure.objects.for_key_figures():
        figure.display_value = figure_text(figure)  # the same words in the table as on the chart
        by_indicator.setdefault(figure.indicator, []).append(figure)
    groups = [
        _chart_for(IndicatorFigures(indicator, label, by_indicator[indicator]))
        for indicator, label in Indicator.choices
        if indicator in by_indicator
    ]
    context = {
        "groups": groups,
        "figure_count": sum(len(group.figures) for group in groups),
        "breadcrumbs": [_policy_crumb(), (_("Chiffres clés"), None)],
    }
    return render(request, "policy/key_figures.html", context)


# Phases side by side (/politique/comparer/?de=3&a=4)


@dataclass
class Comparison:
    first: Phase
    second: Phase
    first_count: int = 0
    second_count: int = 0
    kept_count: int = 0
    added: list[Pole] = field(default_factory=list)
    merged: list[Pole] = field(default_factory=list)
    delabelled: list[Pole] = field(default_factory=list)
    dissolved: list[Pole] = field(default_factory=list)
    dropped_otherwise: list[Pole] = field(default_factory=list)
    renames: list[PoleName] = field(default_factory=list)
    regions: list[dict] = field(default_factory=list)

    @property
    def dropped_count(self) -> int:
        return len(self.merged) + len(self.delabelled) + len(self.dissolved) + len(self.dropped_otherwise)

    @property
    def change_text(self) -> str:
        return _signed(self.second_count - self.first_count)


def _signed(number: int) -> str:
    """+2, −3 (a real minus sign, read as "moins") or 0."""
    return f"+{number}" if number > 0 else f"\N{MINUS SIGN}{-number}" if number < 0 else "0"


def _pole_sort_key(pole: Pole) -> str:
    return _sort_key(pole.name)


def _compare(first: Phase, second: Phase) -> Comparison:
    pair = Phase.objects.filter(pk__in=[first.pk, second.pk])
    poles: dict[int, dict[int, Pole]] = {first.pk: {}, second.pk: {}}
    for label in pair.pole_labels():
        poles[label.phase_id][label.pole_id] = label.pole
    in_first, in_second = poles[first.pk], poles[second.pk]
    comparison = Comparison(
        first=first,
        second=second,
        first_count=len(in_first),
        second_count=len(in_second),
        kept_count=len(in_first.keys() & in_second.keys()),
        added=sorted((pole for pk, pole in in_second.items() if pk not in in_first), key=_pole_sort_key),
        renames=list(pair.renames()),
    )
    buckets = {
        Pole.Fate.MERGED: comparison.merged,
        Pole.Fate.DELABELLED: comparison.delabelled,
        Pole.Fate.DISSOLVED: comparison.dissolved,
    }
    for pole in sorted((pole for pk, pole in in_first.items() if pk not in in_second), key=_pole_sort_key):
        buckets.get(pole.fate, comparison.dropped_otherwise).append(pole)

    counts = {(row["pole__regions"], row["phase"]): row["poles"] for row in pair.region_spread()}
    for region in sorted(Region.objects.all(), key=lambda region: _sort_key(region.name)):
        before, after = counts.get((region.pk, first.pk), 0), counts.get((region.pk, second.pk), 0)
        comparison.regions.append(
            {"region": region, "first": before, "second": after, "change_text": _signed(after - before)}
        )
    return comparison


@require_safe
def phase_compare(request: HttpRequest) -> HttpResponse:
    phases = list(Phase.objects.for_comparison())
    data = request.GET.copy()
    # Without a choice, compare the last two phases; an empty parameter counts as no choice.
    if phases:
        defaults = {"de": phases[max(len(phases) - 2, 0)], "a": phases[-1]}
        for name, phase in defaults.items():
            if len(data.getlist(name)) <= 1 and not data.get(name):
                data[name] = str(phase.number)
    form = PhaseCompareForm(data, phases)
    context = {
        "form": form,
        "phases": phases,
        "comparison": None,
        "same_phase": False,
        "reordered": False,
        "breadcrumbs": [_policy_crumb(), (_("Comparer deux phases"), None)],
    }
    if not phases:
        return render(request, "policy/phase_compare.html", context)
    if not form.is_valid():
        # 200, like the site's filtered lists: the page answers with the form and says what to fix.
        return render(request, "policy/phase_compare.html", context)
    by_number = {phase.number: phase for phase in phases}
    first, second = by_number[form.cleaned_data["de"]], by_number[form.cleaned_data["a"]]
    if first == second:
        context["same_phase"] = first
        return render(request, "policy/phase_compare.html", context)
    if (first.start_year, first.number) > (second.start_year, second.number):
        first, second = second, first
        context["reordered"] = True
    context["comparison"] = _compare(first, second)
    return render(request, "policy/phase_compare.html", context)


# Phase and report pages


@require_safe
def phase_detail(request: HttpRequest, slug: str) -> HttpResponse:
    phase = public_or_preview(
        request,
        Phase.objects.prefetch_related(
            "orientations",
            "sources",
            Prefetch("decisions", queryset=Decision.objects.published().prefetch_related("sources").order_by("date")),
            Prefetch("reports", queryset=Report.objects.published().order_by("published_on")),
        ),
        slug=slug,
    )
    phases = Phase.objects.published()
    context = {
        "phase": phase,
        "labelled_poles": phase.poles.published().order_by("name"),
        "previous_phase": phases.filter(number__lt=phase.number).order_by("-number").first(),
        "next_phase": phases.filter(number__gt=phase.number).order_by("number").first(),
        "breadcrumbs": [_policy_crumb(), (phase.name, None)],
    }
    return render_content(request, "policy/phase_detail.html", context, phase)


@require_safe
def report_detail(request: HttpRequest, slug: str) -> HttpResponse:
    report = public_or_preview(
        request,
        Report.objects.select_related("phase").prefetch_related("recommendations", "sources"),
        slug=slug,
    )
    context = {
        "report": report,
        "breadcrumbs": [_policy_crumb(), (report.title, None)],
    }
    return render_content(request, "policy/report_detail.html", context, report)
