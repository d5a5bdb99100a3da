"""Set-based generation of the rule pack's work items: one unique key per rule, organisation and period.

A second run creates nothing (the key is unique and inserts ignore conflicts); the whole run is one
audit event, never one per row.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q

from lvze.audit.services import audit_record
from lvze.duties.models import DEFAULT_WARN_DAYS, FREQUENCY_PERIOD_KIND, ObligationRule, Source, WorkItem
from lvze.duties.rulepack import RULE_PACK
from lvze.lib.periods import Period
from lvze.orgs.models import UNIT_KINDS, Appointment, Organization, Post

BATCH = 2000


@dataclass(frozen=True)
class GenerationResult:
    created: int
    existing: int

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "existing": self.existing}


def rule_pack_install(unit: Organization) -> int:
    """Give a unit the built-in rules it does not have yet; returns how many were added."""
    have = set(ObligationRule.objects.filter(unit=unit).values_list("code", flat=True))
    rules = [
        ObligationRule(
            unit=unit,
            code=r.code,
            name=r.name,
            org_kind=r.org_kind,
            requires_committee=r.requires_committee,
            frequency=r.frequency,
            fulfilled_by=r.fulfilled_by,
            work_area_name=r.work_area,
            source=r.source,
            local_default=r.local_default,
        )
        for r in RULE_PACK
        if r.code not in have
    ]
    ObligationRule.objects.bulk_create(rules)
    return len(rules)


def rule_applies(rule: ObligationRule, sub: Period) -> bool:
    if not rule.active:
        return False
    if rule.effective_from and sub.end < rule.effective_from:
        return False
    return not (rule.effective_to and sub.start > rule.effective_to)


def target_orgs(scope: Organization | None) -> dict[int, list[Organization]]:
    """Active organisations under each unit, grouped by unit id (one query)."""
    orgs = Organization.objects.filter(active=True, unit__isnull=False)
    if scope is not None:
        orgs = orgs.filter(path__startswith=scope.path)
    grouped: dict[int, list[Organization]] = defaultdict(list)
    for org in orgs.only("id", "kind", "path", "unit_id", "has_committee", "name"):
        grouped[org.unit_id].append(org)
    return grouped


def secretaries() -> dict[int, int]:
    rows = Appointment.objects.filter(post=Post.SECRETARY, end__isnull=True).values_list(
        "organization_id", "person_id"
    )
    return dict(rows)


def rule_items(
    rule: ObligationRule, orgs: list[Organization], period: Period, heads: dict[int, int]
) -> list[WorkItem]:
    kind = FREQUENCY_PERIOD_KIND.get(rule.frequency)
    if kind is None:
        return []
    subs = [
        s for s in (period.subperiods(kind) if period.kind != kind else [period]) if rule_applies(rule, s)
    ]
    items = []
    for org in orgs:
        if org.kind != rule.org_kind or (rule.requires_committee and not org.has_committee):
            continue
        for sub in subs:
            items.append(
                WorkItem(
                    key=f"rule:{rule.pk}:{org.pk}:{sub}",
                    source=Source.RULE,
                    rule=rule,
                    organization=org,
                    unit_id=org.unit_id,
                    org_path=org.path,
                    responsible_person_id=heads.get(org.pk),
                    title=f"{sub.label()}{rule.name}",
                    work_area=rule.work_area_name,
                    period=str(sub),
                    due_date=sub.end,
                    warn_from=sub.end - timedelta(days=DEFAULT_WARN_DAYS),
                    fulfilled_by_kind=rule.fulfilled_by,
                )
            )
    return items


def period_supports(period: Period, rule: ObligationRule) -> bool:
    """A yearly rule has no item in a quarter-sized run; a monthly rule has items in any run."""
    kind = FREQUENCY_PERIOD_KIND.get(rule.frequency)
    order = ["month", "quarter", "half", "year"]
    return kind is not None and order.index(kind) <= order.index(period.kind)


@transaction.atomic
def obligations_generate(
    *, actor: Any, period: Period, scope: Organization | None = None
) -> GenerationResult:
    by_unit = target_orgs(scope)
    units = Organization.objects.filter(pk__in=list(by_unit), kind__in=UNIT_KINDS)
    for unit in units:
        rule_pack_install(unit)
    heads = secretaries()
    rules = ObligationRule.objects.filter(unit_id__in=list(by_unit))
    prefix_q = Q(source=Source.RULE, period__startswith=str(period.year))
    if scope is not None:
        prefix_q &= Q(org_path__startswith=scope.path)
    before = WorkItem.objects.filter(prefix_q).count()
    planned = 0
    for rule in rules:
        if not period_supports(period, rule):
            continue
        items = rule_items(rule, by_unit[rule.unit_id], period, heads)
        planned += len(items)
        for start in range(0, len(items), BATCH):
            WorkItem.objects.bulk_create(items[start : start + BATCH], ignore_conflicts=True)
    created = WorkItem.objects.filter(prefix_q).count() - before
    result = GenerationResult(created=created, existing=planned - created)
    audit_record(
        actor=actor,
        action="obligations.generate",
        organization=scope,
        changes={"period": str(period), **result.as_dict()},
        object_repr=f"{period.label()}规定动作",
    )
    return result
