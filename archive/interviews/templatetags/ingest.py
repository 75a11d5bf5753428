"""Parser messages in the editor's language: the pure core gives English
templates with parameters (archive/lib/transcript/model.py); they are
translated here, where Django's catalogue is."""

from django import template
from django.utils.translation import gettext

from archive.lib.transcript.model import UNITS, Warning, format_time

register = template.Library()


@register.filter
def translated(warning: Warning | dict) -> str:
    """A warning, parsed now or stored with an article as JSON, with where it points."""
    if isinstance(warning, Warning):
        template_text, params, unit, number = warning.template, dict(warning.params), warning.unit, warning.line
    else:  # stored before messages had templates: only the English text
        template_text, params = warning.get("template") or warning.get("message", ""), warning.get("params") or {}
        unit, number = warning.get("unit", "line"), warning.get("line", 0)
    text = gettext(template_text) % params if params else gettext(template_text)
    return f"{gettext(UNITS[unit]) % {'number': number}}: {text}" if number else text


@register.filter
def clock(seconds: float | None) -> str:
    """Seconds as a player shows them (2:03, 1:02:03); nothing without a time."""
    return format_time(seconds)


@register.filter
def position(turn) -> str:
    """Where a parsed turn starts in its source: line 12, cue 4, paragraph 7."""
    return gettext(UNITS[turn.unit]) % {"number": turn.line}
