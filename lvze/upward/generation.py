"""Set-based generation of required submissions: one work item per unit, document kind and period.

For every active requirement of a higher level, each unit directly below it (the units whose parent
belongs to it) gets an item of source 上报, due as the requirement says. The key is unique per
(unit, kind, period), inserts ignore conflicts, and the whole run is one audit event — a second run
creates nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction

from lvze.audit.services import audit_record
from lvze.duties.models import DEFAULT_WARN_DAYS, Source, WorkItem
from lvze.lib.periods import Period
from lvze.orgs.models import UNIT_KINDS, Organization
from lvze.upward.models import SubmissionRequirement

BATCH = 2000


@dataclass(frozen=True)
class GenerationResult:
    created: int
    existing: int

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "existing": self.existing}


def submission_key(unit: Organization, kind: str, period: Period | str) -> str:
    return f"submission:{unit.pk}:{kind}:{period}"


def short(unit: Organization) -> str:
    return unit.short_name or unit.name


def requirement_item(requirement: SubmissionRequirement, unit: Organization, period: Period) -> WorkItem:
    due = requirement.due_for(period)
    return WorkItem(
        key=submission_key(unit, requirement.kind, period),
        source=Source.SUBMISSION,
        organization=unit,
        unit_id=unit.unit_id or unit.pk,
        org_path=unit.path,
        title=f"向{short(requirement.unit)}报送{period.label()}{requirement.name}",
        period=str(period),
        due_date=due,
        warn_from=due - timedelta(days=DEFAULT_WARN_DAYS),
        fulfilled_by_kind=f"submission:{requirement.kind}",
    )


def subordinate_units(unit_ids: list[int], scope: Organization | None) -> dict[int, list[Organization]]:
    """Active units directly below each given unit, in one query."""
    units = Organization.objects.filter(kind__in=UNIT_KINDS, active=True, parent__unit_id__in=unit_ids)
    if scope is not None:
        units = units.filter(path__startswith=scope.path)
    grouped: dict[int, list[Organization]] = defaultdict(list)
    for unit in units.select_related("parent").only(
        "id", "code", "name", "short_names", "path", "unit_id", "parent__unit_id"
    ):
        grouped[unit.parent.unit_id].append(unit)
    return grouped


def existing_keys(keys: list[str]) -> int:
    return sum(
        WorkItem.objects.filter(key__in=keys[start : start + BATCH]).count() for start in range(0, len(keys), BATCH)
    )


@transaction.atomic
def submissions_generate(
    *, actor: Any, period: Period, scope: Organization | None = None, required_by: Organization | None = None
) -> GenerationResult:
    """Items of the required submissions inside `period` (a year gives both halves and the year; a
    half gives only itself), for the units in `scope`'s subtree (or everywhere), and only for the
    requirements of `required_by` when given (the requirements page generates its own unit's)."""
    requirements = SubmissionRequirement.objects.filter(active=True).select_related("unit")
    if required_by is not None:
        requirements = requirements.filter(unit=required_by)
    requirements = list(requirements)
    below = subordinate_units(sorted({r.unit_id for r in requirements}), scope)
    items = [
        requirement_item(requirement, unit, sub)
        for requirement in requirements
        for sub in requirement.periods_in(period)
        for unit in below.get(requirement.unit_id, [])
    ]
    existing = existing_keys([item.key for item in items])
    for start in range(0, len(items), BATCH):
        WorkItem.objects.bulk_create(items[start : start + BATCH], ignore_conflicts=True)
    result = GenerationResult(created=len(items) - existing, existing=existing)
    audit_record(
        actor=actor,
        action="submissions.generate",
        organization=required_by or scope,
        changes={"period": str(period), **result.as_dict()},
        object_repr=f"{period.label()}上报事项",
    )
    return result
