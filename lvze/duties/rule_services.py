from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from lvze.audit.services import audit_record, diff_fields
from lvze.duties.models import ObligationRule

EDITABLE = ("name", "frequency", "requires_committee", "effective_from", "effective_to", "active", "work_area_name", "source")


@transaction.atomic
def rule_update(*, actor: Any, rule: ObligationRule, values: dict[str, Any]) -> ObligationRule:
    values = {k: v for k, v in values.items() if k in EDITABLE}
    if values.get("effective_from") and values.get("effective_to") and values["effective_to"] < values["effective_from"]:
        raise ValidationError("失效日期不能早于生效日期")
    changes = diff_fields(rule, values)
    if not changes:
        return rule
    for name in changes:
        setattr(rule, name, values[name])
    rule.save(update_fields=list(changes))
    audit_record(actor=actor, action="rule.update", obj=rule, organization=rule.unit, changes=changes)
    return rule
