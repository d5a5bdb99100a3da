"""{% crumbs "records:meeting-list" %}: the start of a breadcrumb trail, section › list page, named as in
the navigation; the template adds the object after it."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from lvze.accounts.navigation import nav_entry

register = template.Library()


@register.simple_tag
def crumbs(url_name: str, query: str = ""):
    label, section = nav_entry(url_name)
    url = reverse(url_name) + (f"?{query}" if query else "")
    if not section:
        return format_html('<a href="{}">{}</a>', url, label)
    return format_html('<span class="crumb-section">{}</span> › <a href="{}">{}</a>', section, url, label)
