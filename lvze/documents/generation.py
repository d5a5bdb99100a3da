"""A freshly generated draft, before anyone saves it (the editor saves it; `lvze report` does not)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from lvze.documents.kinds import GenerationContext, kind_for
from lvze.documents.models import Draft
from lvze.orgs.models import Organization


def generate_draft(
    *, unit: Organization, kind: str, period: str = "", today: date | None = None, params: dict | None = None
) -> Draft:
    """An unsaved Draft with every section generated, signed by the unit and dated today."""
    document_kind = kind_for(kind)
    today = today or timezone.localdate()
    context = GenerationContext(unit=unit, period=period, today=today, params=params or {})
    return Draft(
        unit=unit,
        kind=kind,
        title=document_kind.title(unit, period),
        period=period,
        signoff=unit.name,
        doc_date=today,
        content=document_kind.generate(context),
    )
