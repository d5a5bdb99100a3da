import json
from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError

from lvze.audit.models import AuditEvent
from lvze.duties.models import ObligationRule, WorkItem
from lvze.duties.rulepack import RULE_PACK
from lvze.orgs.models import Organization
from lvze.orgs.services import organization_update
from lvze.test import LvzeTestCase


def generate(*args) -> dict:
    out = StringIO()
    call_command("obligations", "generate", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


class GenerationTests(LvzeTestCase):
    def test_a_year_for_a_branch_and_idempotent(self):
        first = generate("--period", "2024", "--org", "QJ01")
        items = WorkItem.objects.filter(organization__code="QJ01")
        # 主题党日 12 + 支部党员大会 4 + 党课 4 + 组织生活会, 谈心谈话, 民主评议党员 1 each (no 支委会 here)
        self.assertEqual(first, {"created": 23, "existing": 0})
        self.assertEqual(items.count(), 23)
        self.assertEqual(items.filter(rule__code="theme_day").count(), 12)
        may = items.get(rule__code="theme_day", period="2024-05")
        self.assertEqual((str(may.due_date), str(may.warn_from), may.title), ("2024-05-31", "2024-05-28", "2024年5月主题党日"))
        events = AuditEvent.objects.count()
        second = generate("--period", "2024", "--org", "QJ01")
        self.assertEqual(second, {"created": 0, "existing": 23})
        self.assertEqual(items.count(), 23)
        self.assertEqual(AuditEvent.objects.count(), events + 1, "one audit event per run")

    def test_committee_rule_only_where_a_committee_exists(self):
        organization_update(actor=None, org=Organization.objects.get(code="QJ02"), has_committee=True)
        generate("--period", "2024Q1")
        self.assertEqual(WorkItem.objects.filter(organization__code="QJ02", rule__code="branch_committee").count(), 3)
        self.assertEqual(WorkItem.objects.filter(organization__code="QJ01", rule__code="branch_committee").count(), 0)

    def test_quarter_run_has_no_annual_items_and_units_get_their_own_rules(self):
        generate("--period", "2024Q2")
        self.assertFalse(WorkItem.objects.filter(rule__frequency="annual").exists())
        self.assertEqual(ObligationRule.objects.filter(unit__code="QJ").count(), len(RULE_PACK))
        self.assertEqual(WorkItem.objects.filter(organization__code="QJ", rule__code="central_group").count(), 3)
        self.assertTrue(WorkItem.objects.filter(organization__code="XQ01").exists())

    def test_disabled_rule_and_effective_dates(self):
        generate("--period", "2024-01", "--org", "QJ")
        rule = ObligationRule.objects.get(unit__code="QJ", code="theme_day")
        rule.active = False
        rule.save()
        generate("--period", "2024-02", "--org", "QJ")
        self.assertFalse(WorkItem.objects.filter(rule=rule, period="2024-02").exists())
        rule.active = True
        rule.effective_from = "2024-04-01"
        rule.save()
        generate("--period", "2024H1", "--org", "QJ")
        self.assertEqual(
            sorted(WorkItem.objects.filter(rule=rule, organization__code="QJ01").values_list("period", flat=True)),
            ["2024-01", "2024-04", "2024-05", "2024-06"],
        )

    def test_bad_period_is_refused(self):
        with self.assertRaises(CommandError) as ctx:
            call_command("obligations", "generate", "--period", "2024Q5", stdout=StringIO())
        self.assertEqual(ctx.exception.returncode, 2)
