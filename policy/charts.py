"""Server-side charts: plain Python that computes the geometry of a small SVG, which a template then draws.

No JavaScript and no charting library: the page must read the same with scripts off, and the numbers drawn are the
ones the accessible table right after the chart gives.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

# Colours come from DSFR utility classes, drawn with `currentColor`, so the chart follows the site's light or dark
# theme: "bleu France" bars (#000091 on white, 15.9:1; #8585f6 on the dark background) and the default grey for
# text and axis (#3a3a3a on white, 11.4:1; #cecece in the dark theme). Both clear the WCAG AA ratios, for bars
# (3:1) as for their labels (4.5:1). A literal colour would vanish on the dark background; an inline style is
# refused by the site's Content-Security-Policy.
BAR_CLASS = "fr-text-action-high--blue-france"
TEXT_CLASS = "fr-text-default--grey"


@dataclass(frozen=True)
class Point:
    label: str  # drawn on the left of its bar, e.g. the year
    value: Decimal | int | float
    text: str  # the value as the page writes it, e.g. "plus de 8 500"


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    y: float  # top of the bar
    width: float
    label_y: float  # vertical centre of the row, for both texts
    text_x: float  # where the value's text starts, just after the bar


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    axis_x: float
    axis_top: float
    axis_bottom: float
    label_x: float
    bar_height: float
    bars: tuple[Bar, ...]
    bar_class: str = BAR_CLASS
    text_class: str = TEXT_CLASS

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def horizontal_bar_chart(
    points: list[Point],
    *,
    maximum: Decimal | int | float | None = None,
    width: int = 380,
    label_width: int = 48,
    text_width: int = 132,
    row_height: int = 32,
    bar_height: int = 20,
    padding: int = 8,
) -> BarChart:
    """One horizontal bar per point, top to bottom, all starting from zero.

    Bars are proportional to `maximum` (by default the largest value), so a share can be drawn against 100. The
    space on the right is kept for each bar's value, written after it, and widened when a value's text is long.
    Values must not be negative. The default width suits text of 14 units: the SVG scales with its column, so its
    text stays near the page's own size from a phone (column of about 330 px) to a desktop (about 480 px).
    """
    if not points:
        raise ValueError("A chart needs at least one point.")
    if any(point.value < 0 for point in points):
        raise ValueError("Bars start from zero: negative values cannot be drawn.")
    largest = max(Decimal(str(point.value)) for point in points)
    scale_to = Decimal(str(maximum)) if maximum is not None else largest
    if scale_to < largest:
        raise ValueError("The maximum is smaller than a value to draw.")
    axis_x = float(label_width)
    # About 8 units per character at font size 14, plus the gap between a bar and its text.
    text_width = max(text_width, max(len(point.text) for point in points) * 8 + 10)
    room = width - label_width - text_width
    if room <= 0:
        raise ValueError("The values' texts leave no room for the bars.")
    bars = []
    for index, point in enumerate(points):
        top = padding + index * row_height + (row_height - bar_height) / 2
        length = float(Decimal(str(point.value)) / scale_to * room) if scale_to else 0.0
        length = round(length, 1)
        bars.append(
            Bar(
                label=point.label,
                text=point.text,
                y=top,
                width=length,
                label_y=padding + index * row_height + row_height / 2,
                text_x=round(axis_x + length + 6, 1),
            )
        )
    height = padding * 2 + row_height * len(points)
    return BarChart(
        width=width,
        height=height,
        axis_x=axis_x,
        axis_top=padding,
        axis_bottom=height - padding,
        label_x=axis_x - 8,
        bar_height=bar_height,
        bars=tuple(bars),
    )
