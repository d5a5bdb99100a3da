"""{{ text|marked:query }}: the text with each occurrence of the query in <mark>, everything escaped."""

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def marked(text, query: str):
    text = str(text)
    if not query:
        return text
    return mark_safe(format_html("<mark>{}</mark>", query).join(escape(piece) for piece in text.split(query)))
