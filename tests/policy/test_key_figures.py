import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.html import escape

from poles.content import PublicationStatus
from poles.models import Indicator, Unit
from policy.charts import Point, horizontal_bar_chart
from policy.models import KeyFigure
from tests.policy.factories import make_key_figure

URL = "/politique/chiffres-cles/"


def _section(html: str, indicator: str) -> str:
    """The part of the page about one indicator: its heading, chart and table."""
    start = html.index(f'<section class="fr-mb-6w" aria-labelledby="indicateur-{indicator}">')
    return html[start : html.index("</section>", start)]


def _row(section: str, figure: KeyFigure) -> str:
    """The table row of this figure (two figures may share a label, never a label and a year)."""
    rows = [
        row
        for row in re.findall(r"<tr>.*?</tr>", section, flags=re.S)
        if f'<th scope="row">{escape(figure.label)}</th>' in row and f'<time datetime="{figure.year}">' in row
    ]
    assert len(rows) == 1, f"{figure.slug}: {len(rows)} rows"
    return rows[0]


@pytest.mark.django_db
class TestKeyFiguresPage:
    def test_it_shows_7547_member_companies_in_2014_with_its_source(self, client):
        response = client.get(URL)
        assert response.status_code == 200
        html = response.content.decode()
        figure = KeyFigure.objects.get(indicator=Indicator.COMPANIES, year=2014)
        row = _row(_section(html, "companies"), figure)
        assert '<time datetime="2014">2014</time>' in row
        assert "<td>7\xa0547</td>" in row
        for source in figure.sources.all():
            assert f'<a href="{escape(source.url)}"' in row
            assert escape(source.label) in row

    def test_it_says_plus_de_and_gives_the_unit(self, client):
        html = client.get(URL).content.decode()

        def value_of(slug: str) -> str:
            figure = KeyFigure.objects.get(slug=slug)
            row = _row(_section(html, figure.indicator), figure)
            return re.search(r"</th>\s*<td>(.*?)</td>", row).group(1)

        assert value_of("entreprises-2017") == "plus de 8\xa0500"
        assert value_of("part-pme-2014") == "86\xa0%"
        assert value_of("part-pme-2007") == "plus de 75\xa0%"
        assert value_of("enveloppe-2005") == "1\xa0500\xa0M€"

    def test_every_published_figure_appears_with_its_year_note_and_every_source(self, client):
        html = client.get(URL).content.decode()
        figures = KeyFigure.objects.published().prefetch_related("sources")
        assert figures.count() == 55
        for figure in figures:
            row = _row(_section(html, figure.indicator), figure)
            assert f'<time datetime="{figure.year}">' in row
            assert escape(figure.note) in row
            sources = list(figure.sources.all())
            assert sources, f"{figure.slug} cites no source"
            for source in sources:
                assert escape(source.url or source.label) in row

    def test_indicators_with_several_years_get_an_accessible_chart_right_before_their_table(self, client):
        html = client.get(URL).content.decode()
        charted = {"poles", "companies", "sme-share", "research-bodies", "researchers", "projects", "public-funding"}
        for indicator in charted:
            section = _section(html, indicator)
            assert section.count('role="img"') == 1, indicator
            title_id = re.search(r'<svg [^>]*role="img" aria-labelledby="([\w-]+)"', section).group(1)
            assert f'<title id="{title_id}">' in section
            # The table follows the chart directly, with a caption and header cells.
            assert section.index("</svg>") < section.index("<table>")
            assert "<caption>" in section and '<th scope="col">' in section and '<th scope="row">' in section
        # One figure, or a bag of unrelated figures: a table only.
        for indicator in ("members", "eti-share", "other"):
            section = _section(html, indicator)
            assert "<svg" not in section
            assert "<table>" in section
        assert html.count('role="img"') == len(charted)

    def test_the_chart_summary_says_every_value_and_year(self, client):
        section = _section(client.get(URL).content.decode(), "companies")
        title = re.search(r"<title [^>]*>(.*?)</title>", section).group(1)
        assert title.startswith("Entreprises membres, de 2014 à 2024")
        assert "7\xa0547 en 2014" in title
        assert "plus de 8\xa0500 en 2017" in title
        # The same numbers are drawn next to the bars.
        assert ">7\xa0547</text>" in section and ">plus de 18\xa0000</text>" in section

    def test_the_chart_draws_in_dsfr_blue_and_grey_in_either_theme(self, client):
        # The DSFR utility classes give #000091 bars and #3a3a3a text on white, and their dark-theme
        # counterparts; the drawing itself only says "currentColor".
        html = client.get(URL).content.decode()
        for svg in re.findall(r"<svg .*?</svg>", html, flags=re.S):
            assert 'class="fr-text-default--grey"' in svg.split(">", 1)[0]
            assert set(re.findall(r'(?:fill|stroke)="([^"]+)"', svg)) == {"currentColor"}
            assert svg.count("<rect ") == svg.count('class="fr-text-action-high--blue-france"')

    def test_draft_and_scheduled_figures_stay_hidden(self, client):
        draft = make_key_figure(label="Chiffre en brouillon", status=PublicationStatus.DRAFT)
        scheduled = make_key_figure(label="Chiffre à paraître", publish_at=timezone.now() + datetime.timedelta(days=1))
        html = client.get(URL).content.decode()
        assert escape(draft.label) not in html
        assert escape(scheduled.label) not in html

    def test_the_page_has_one_h1_a_title_and_breadcrumbs(self, client):
        html = client.get(URL).content.decode()
        assert html.count("<h1") == 1
        assert "<title>Chiffres clés de la politique des pôles — " in html
        assert 'href="/politique/">Politique</a>' in html
        assert 'aria-current="page">Chiffres clés</a>' in html

    def test_it_only_answers_get_and_head(self, client):
        assert client.post(URL).status_code == 405
        assert client.head(URL).status_code == 200

    def test_query_count_does_not_grow_with_the_data(self, client, django_assert_max_num_queries):
        with django_assert_max_num_queries(5) as before:  # figures, their sources, plus the site banner check
            assert client.get(URL).status_code == 200
        for year in range(1990, 1996):
            make_key_figure(indicator=Indicator.RESEARCHERS, year=year, sources=3)
        make_key_figure(indicator=Indicator.MEMBERS, year=1999, sources=2)
        with django_assert_max_num_queries(len(before.captured_queries)):
            html = client.get(URL).content.decode()
        assert "Chiffre d&#x27;essai" in html


class TestBarChart:
    def test_bars_start_at_zero_and_are_proportional(self):
        chart = horizontal_bar_chart([Point("2014", Decimal("7547"), "7 547"), Point("2024", 18000, "18 000")])
        short, long = chart.bars
        assert long.width == 380 - 48 - 132  # the largest value fills the room left of the values' texts
        assert short.width == pytest.approx(long.width * 7547 / 18000, abs=0.1)
        assert short.y < long.y  # in the given order, top to bottom
        assert long.text_x == chart.axis_x + long.width + 6  # the value is written just after its bar
        assert chart.height == 2 * 32 + 2 * 8
        assert chart.view_box == f"0 0 380 {chart.height}"

    def test_long_texts_get_room_and_stay_inside_the_drawing(self):
        chart = horizontal_bar_chart([Point("2007", 2000, "plus de 2\xa0000\xa0M€ environ, en cumul")])
        (bar,) = chart.bars
        assert bar.text_x + len(bar.text) * 8 <= chart.width

    def test_shares_can_be_drawn_against_a_hundred(self):
        (bar,) = horizontal_bar_chart([Point("2014", 86, "86 %")], maximum=100).bars
        assert bar.width == pytest.approx(0.86 * (380 - 48 - 132), abs=0.1)

    def test_a_zero_draws_no_bar_but_keeps_its_label(self):
        zero, _ = horizontal_bar_chart([Point("2000", 0, "0"), Point("2001", 5, "5")]).bars
        assert zero.width == 0 and zero.text == "0" and zero.text_x == 48 + 6

    @pytest.mark.parametrize(
        "points, maximum", [([], None), ([Point("2000", -1, "-1")], None), ([Point("2000", 5, "5")], 4)]
    )
    def test_it_refuses_what_it_cannot_draw_honestly(self, points, maximum):
        with pytest.raises(ValueError):
            horizontal_bar_chart(points, maximum=maximum)

    def test_units_in_the_fixtures_are_the_ones_the_page_knows(self, db):
        assert set(KeyFigure.objects.values_list("unit", flat=True)) <= {Unit.COUNT, Unit.PERCENT, Unit.MILLION_EUR}
