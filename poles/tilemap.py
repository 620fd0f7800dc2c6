"""France's regions as a tile map: one square per region, placed roughly where the region lies.

Layout only (which column and row each region takes); counts come from the database. Overseas regions sit on a row
of their own below the mainland, as on most maps of France.
"""

from __future__ import annotations

from dataclasses import dataclass

# INSEE region code → (column, row)
LAYOUT = {
    "32": (3, 0),  # Hauts-de-France
    "28": (2, 1),  # Normandie
    "11": (3, 1),  # Île-de-France
    "44": (4, 1),  # Grand Est
    "53": (1, 2),  # Bretagne
    "52": (2, 2),  # Pays de la Loire
    "24": (3, 2),  # Centre-Val de Loire
    "27": (4, 2),  # Bourgogne-Franche-Comté
    "75": (2, 3),  # Nouvelle-Aquitaine
    "84": (3, 3),  # Auvergne-Rhône-Alpes
    "76": (2, 4),  # Occitanie
    "93": (3, 4),  # Provence-Alpes-Côte d'Azur
    "94": (4, 5),  # Corse
    "01": (0, 7),  # Guadeloupe
    "02": (1, 7),  # Martinique
    "03": (2, 7),  # Guyane
    "04": (3, 7),  # La Réunion
    "06": (4, 7),  # Mayotte
}
ABBREVIATIONS = {
    "32": "HDF", "28": "NOR", "11": "IDF", "44": "GES", "53": "BRE", "52": "PDL", "24": "CVL", "27": "BFC",
    "75": "NAQ", "84": "ARA", "76": "OCC", "93": "PACA", "94": "COR", "01": "GUA", "02": "MTQ", "03": "GUY",
    "04": "REU", "06": "MAY",
}
TILE, GAP, MARGIN = 96, 8, 4
OVERSEAS_LABEL_ROW = 6


@dataclass
class Tile:
    region: object
    count: int
    active: int
    x: int
    y: int
    abbreviation: str
    dark: bool

    @property
    def text_x(self) -> int:
        return self.x + TILE // 2


def build_tiles(regions) -> list[Tile]:
    """`regions` carry `pole_count` and `active_count` annotations (see RegionQuerySet.with_pole_counts)."""
    regions = list(regions)
    highest = max((region.pole_count for region in regions), default=0) or 1
    tiles = []
    for region in regions:
        column, row = LAYOUT[region.insee_code]
        tiles.append(
            Tile(
                region=region,
                count=region.pole_count,
                active=region.active_count,
                x=MARGIN + column * (TILE + GAP),
                y=MARGIN + row * (TILE + GAP),
                abbreviation=ABBREVIATIONS[region.insee_code],
                dark=region.pole_count * 2 >= highest,
            )
        )
    return tiles


def dimensions() -> dict[str, int]:
    columns = 1 + max(column for column, _ in LAYOUT.values())
    rows = 1 + max(row for _, row in LAYOUT.values())
    return {
        "width": 2 * MARGIN + columns * (TILE + GAP) - GAP,
        "height": 2 * MARGIN + rows * (TILE + GAP) - GAP,
        "tile": TILE,
        "overseas_label_y": MARGIN + OVERSEAS_LABEL_ROW * (TILE + GAP) + TILE - 16,
    }
