from django import template

from lvze.documents.selectors import draft_units_for_user

register = template.Library()


@register.inclusion_tag("documents/_generate_button.html", takes_context=True)
def generate_document_button(context, kind: str, unit) -> dict:
    """The "生成文档" button for pages of other apps; shown only to those who may create the draft."""
    user = context["request"].user
    allowed = unit is not None and draft_units_for_user(user).filter(pk=unit.pk).exists()
    return {"kind": kind, "unit": unit, "allowed": allowed, "csrf_token": context.get("csrf_token")}
