"""The "不丢项不漏项" coverage matrix: organisations × mandatory actions × sub-periods, in one query."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from lvze.duties.models import FREQUENCY_PERIOD_KIND, ObligationRule, Source, Timeliness, WorkItem
from lvze.duties.timeliness import with_timeliness
from lvze.lib.periods import Period
from lvze.orgs.models import Organization


@dataclass
class RuleMatrix:
    rule: ObligationRule
    columns: list[Period]
    rows: list[tuple[Organization, list[WorkItem | None]]] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)

    def summary(self) -> list[tuple[str, int]]:
        return [(label, self.counts[value]) for value, label in Timeliness.choices if self.counts[value]]


def coverage_matrix(unit: Organization, period: Period, as_of: date) -> list[RuleMatrix]:
    items = with_timeliness(
        WorkItem.objects.filter(source=Source.RULE, org_path__startswith=unit.path, unit=unit, period__startswith=str(period.year)),
        as_of,
    ).select_related("organization")
    by_rule: dict[int, dict[tuple[int, str], WorkItem]] = {}
    orgs: dict[int, dict[int, Organization]] = {}
    for item in items:
        if not period.contains(Period.parse(item.period)):
            continue
        by_rule.setdefault(item.rule_id, {})[(item.organization_id, item.period)] = item
        orgs.setdefault(item.rule_id, {})[item.organization_id] = item.organization
    matrices = []
    for rule in ObligationRule.objects.filter(unit=unit, pk__in=list(by_rule)).order_by("id"):
        kind = FREQUENCY_PERIOD_KIND[rule.frequency]
        columns = [period] if period.kind == kind else list(period.subperiods(kind))
        matrix = RuleMatrix(rule, columns)
        for org in sorted(orgs[rule.pk].values(), key=lambda o: o.path):
            cells = [by_rule[rule.pk].get((org.pk, str(c))) for c in columns]
            matrix.rows.append((org, cells))
            matrix.counts.update(c.timeliness for c in cells if c is not None)
        matrices.append(matrix)
    return matrices
