from __future__ import annotations

from django import template

from events import citations
from events.models import Event, Session

register = template.Library()


@register.simple_tag(takes_context=True)
def citation(context, item: Event | Session) -> str:
    """The ready-to-paste citation of an event or a session, with its absolute permalink: `{% citation session %}`."""
    return citations.citation(item, context.get("request"))
