from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict, key: str):
    return mapping.get(key, "")



@register.filter
def timeliness_label(value: str) -> str:
    """The Chinese label of an annotated timeliness value (annotations have no get_..._display)."""
    from lvze.duties.models import Timeliness

    return Timeliness(value).label if value in Timeliness.values else ""
