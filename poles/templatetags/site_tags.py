from __future__ import annotations

import datetime

from django import template
from django.conf import settings
from django.utils import formats, translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from config.languages import LanguageVersion, LocalizedText, language_versions, localized_text

register = template.Library()


@register.simple_tag
def show_date(value: datetime.date | None, precision: str = "day"):
    """A date as `<time datetime>`, written only as precisely as the sources know it, in the page's language."""
    if value is None:
        return ""
    if precision == "year":
        return format_html('<time datetime="{}">{}</time>', f"{value:%Y}", value.year)
    if precision == "month":
        return format_html(
            '<time datetime="{}">{}</time>', f"{value:%Y-%m}", formats.date_format(value, "YEAR_MONTH_FORMAT")
        )
    return format_html('<time datetime="{}">{}</time>', value.isoformat(), formats.date_format(value, "DATE_FORMAT"))


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


@register.filter
def startswith(value: str, prefix: str) -> bool:
    return str(value).startswith(str(prefix))


# Languages


@register.simple_tag(takes_context=True)
def page_languages(context) -> list[LanguageVersion]:
    """This page in every language of the site (nothing when rendered without a request, as Django's 400 page is)."""
    request = context.get("request")
    return language_versions(request.path, request.GET.urlencode()) if request is not None else []


@register.simple_tag
def localized(item, field: str) -> LocalizedText:
    """`item.<field>` in the page's language, or the French text (config.languages.localized_text)."""
    return localized_text(item, field)


@register.inclusion_tag("includes/localized_text.html")
def localized_paragraph(item, field: str, css_class: str = "") -> dict:
    """A paragraph of `item.<field>` in the page's language; the French text, said to be so and marked `lang="fr"`
    for screen readers, where no translation exists."""
    return {"text": localized(item, field), "css_class": css_class, "default_language": settings.LANGUAGE_CODE}


@register.simple_tag
def lang_fr() -> str:
    """` lang="fr"` on a page in another language, for an element whose text is French data (names, notes)."""
    if (translation.get_language() or settings.LANGUAGE_CODE) == settings.LANGUAGE_CODE:
        return ""
    return mark_safe(f' lang="{settings.LANGUAGE_CODE}"')


@register.simple_tag
def french(value) -> str:
    """French data within a sentence of the page: as it is on a French page, in `<span lang="fr">` on another."""
    if (translation.get_language() or settings.LANGUAGE_CODE) == settings.LANGUAGE_CODE:
        return conditional_escape(value)
    return format_html('<span lang="{}">{}</span>', settings.LANGUAGE_CODE, value)
