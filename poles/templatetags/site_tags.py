from __future__ import annotations

import datetime

from django import template
from django.utils import formats
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def show_date(value: datetime.date | None, precision: str = "day"):
    """A date as `<time datetime>`, written only as precisely as the sources know it."""
    if value is None:
        return ""
    if precision == "year":
        return format_html('<time datetime="{}">{}</time>', f"{value:%Y}", value.year)
    if precision == "month":
        return format_html('<time datetime="{}">{}</time>', f"{value:%Y-%m}", formats.date_format(value, "F Y"))
    return format_html('<time datetime="{}">{}</time>', value.isoformat(), formats.date_format(value, "j F Y"))


@register.simple_tag
def show_year(year: int | None):
    if not year:
        return ""
    return format_html('<time datetime="{}">{}</time>', f"{year:04d}", year)


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (or dropped when given None)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value is not None and value != "":
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"
